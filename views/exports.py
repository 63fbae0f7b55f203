"""Exports of the filtered view: the project CSV, GeoJSON, GeoParquet, citations, ACLED's layout and the share link.

:func:`share_link` and :func:`downloads` are pure (tested without Streamlit); :func:`render` draws
the buttons. A file is written only when its button is pressed (the button's data is a callable),
so a rerun costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import streamlit as st

from incidents.acled_layout import left_out_note
from incidents.query.facets import Query
from incidents.writers import encode


@dataclass(frozen=True)
class Download:
    """One download button: its label, file name, MIME type and the bytes it writes (on demand)."""

    label: str
    file_name: str
    mime: str
    data: Callable[[], bytes]


#: What is offered: label, file name, MIME type.
OFFERED = (
    ("Project CSV (re-importable)", "incidents.csv", "text/csv"),
    ("GeoJSON (RFC 7946)", "incidents.geojson", "application/geo+json"),
    ("GeoParquet", "incidents.parquet", "application/vnd.apache.parquet"),
    ("Citations: source, excerpt and offsets (CSV)", "incidents.citations.csv", "text/csv"),
    ("ACLED layout (CSV; event_date is the best day)", "incidents.acled.csv", "text/csv"),
)


def downloads(events: gpd.GeoDataFrame, rows: np.ndarray) -> list[Download]:
    """The download buttons for the events at positions ``rows`` of ``events``."""
    shown = events.iloc[rows]
    return [Download(label, name, mime, partial(encode, shown, name)) for label, name, mime in OFFERED]


def share_link(page_url: str | None, query: Query) -> str:
    """The page's address with ``query`` as its query string (relative, ``?...``, when the address is not known)."""
    qs = urlencode(query, doseq=True)
    if not page_url:
        return f"?{qs}"
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, qs, ""))


def render(events: gpd.GeoDataFrame, rows: np.ndarray, query: Query) -> None:
    """Draw the export buttons and the share link for the view."""
    with st.expander(f"Export this view ({len(rows):,} incidents)"):
        columns = st.columns(len(OFFERED))
        for column, d in zip(columns, downloads(events, rows)):
            column.download_button(d.label, d.data, d.file_name, d.mime, on_click="ignore", key=f"export-{d.file_name}")
        left = left_out_note(events, rows)
        if left:
            st.caption(f"The ACLED layout leaves out {left}.")
        st.caption("Share link: opens this view, with its filters and the incident picked on the map.")
        st.code(share_link(st.context.url, query), language=None)  # st.code shows text, never markup


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = ()
SESSION_PREFIXES: tuple[str, ...] = ("export-",)
