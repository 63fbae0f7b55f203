"""The incident table: the most recent incidents shown, one row each; a row selects its incident."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from incidents.model.grades import NOT_GRADED, UNGRADED
from incidents.query.index import EventIndex
from views.selection import LISTED, Session

#: Rows listed in the table at most (the map shows them all).
TABLE_LIMIT = 1000

#: The event columns the table shows (taking only these rows of them, not whole excerpts, is cheap).
TABLE_COLUMNS = [
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "date_best",
    "event_type",
    "actors",
    "location",
    "geo_precision",
    "admin1",
    "admin2",
    "fatalities",
    "reliability",
    "credibility",
    "dataset",
]


def listed_rows(index: EventIndex, rows: np.ndarray, limit: int = TABLE_LIMIT) -> tuple[np.ndarray, str | None]:
    """The positions the table lists (most recent first), and a note when it lists fewer than ``rows``."""
    listed = index.most_recent(rows, limit)
    if len(listed) == len(rows):
        return listed, None
    return listed, (
        f"The table lists the {len(listed):,} most recent of the {len(rows):,} incidents shown; "
        "narrow the filters to list others."
    )


def table(events: pd.DataFrame, listed: np.ndarray) -> pd.DataFrame:
    """The table's rows for the positions ``listed``: dates as dates, groups joined, precisions as text."""
    shown = events[TABLE_COLUMNS].iloc[listed]
    return pd.DataFrame(
        {
            "event_id": shown["event_id"],
            "date_start": shown["date_start"].dt.date,
            "date_end": shown["date_end"].dt.date,
            "date_precision": shown["date_precision"].astype(str),
            "best day": shown["date_best"].dt.date,
            "event_type": shown["event_type"],
            "groups": ["; ".join(t) for t in shown["actors"]],
            "location": shown["location"],
            "geo_precision": shown["geo_precision"].astype(str),
            "admin1": shown["admin1"],
            "admin2": shown["admin2"],
            "fatalities": shown["fatalities"],
            "grade": [
                f"{r}{c}" if (r, c) != UNGRADED else NOT_GRADED for r, c in zip(shown["reliability"], shown["credibility"])
            ],
            "dataset": shown["dataset"],
        },
        index=shown.index,
    )


def render(events: pd.DataFrame, index: EventIndex, rows: np.ndarray, session: Session) -> None:
    """Draw the table; remember what it listed, so the next run can tell which incident a row is."""
    st.subheader("Incidents")
    listed, note = listed_rows(index, rows)
    if note:
        st.caption(note)
    session[LISTED] = listed
    st.dataframe(
        table(events, listed), key="table", hide_index=True, on_select="rerun", selection_mode="single-row", width="stretch"
    )


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = ("table",)
SESSION_PREFIXES: tuple[str, ...] = ()
