"""The headline figures above the map: incidents shown, fatalities, groups, area-only locations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from incidents.model.schema import GEO_PRECISIONS
from incidents.query.index import EventIndex


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, value and the note behind it."""

    label: str
    value: str
    help: str | None = None


def figures(index: EventIndex, rows: np.ndarray) -> list[Figure]:
    """The figures for the incidents at positions ``rows``."""
    approx = int((index.precision[rows] >= GEO_PRECISIONS.index("district")).sum())
    fatal = index.fatalities[rows]
    return [
        Figure("Incidents shown", f"{len(rows):,}", f"of {index.n:,} loaded"),
        Figure(
            "Fatalities (best estimates)",
            f"{int(np.nansum(fatal)):,}",
            f"{int(np.isnan(fatal).sum())} of the incidents shown give no figure",
        ),
        Figure("Groups involved", f"{len(index.actors.counts(rows)):,}"),
        Figure("Located only to an area", f"{approx:,}", "district, province, region or country level"),
    ]


def render(index: EventIndex, rows: np.ndarray) -> None:
    """Draw the figures in a row of columns."""
    shown = figures(index, rows)
    for col, fig in zip(st.columns(len(shown)), shown):
        col.metric(fig.label, fig.value, help=fig.help)
