"""The timeline: events or fatalities per week, month or year, by group; brushing a range sets the date filter.

:func:`chart` builds the Altair chart (Vega-Lite is served by Streamlit itself, so it works
offline); :func:`brushed_dates` reads a brush into a date range; :func:`render` draws the
controls and the chart, and hands a new brush to the date filter (see :func:`views.settings.request`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import altair as alt
import numpy as np
import streamlit as st

from incidents.query.index import EventIndex
from incidents.query.registry import FACETS
from incidents.timeline import Timeline, timeline
from views.page import Page
from views.settings import Setting, is_new, request

#: The view's name in the switch and the link.
NAME = "Timeline"
#: The timeline's resolution and what it counts, kept in the link.
BY = Setting("by", ("month", "week", "year"))
COUNT = Setting("count", ("events", "fatalities"))
#: Session key: the last brush applied (a brush is applied once, when it changes).
APPLIED = "_brush_applied"
BRUSH = "brush"
#: The sidebar's date widget (see incidents.query.facets.DateFacet).
DATE_WIDGET = FACETS["dates"].widget_key


def chart(tl: Timeline, *, measure: str, resolution: str) -> alt.VConcatChart:
    """The bars per period (with the brush) over the band of events that cross periods."""
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    colour = alt.Color("group:N", scale=alt.Scale(domain=list(tl.groups)), title="First-named group")
    x = alt.X("start:T", scale=alt.Scale(type="utc"), title=None)
    what = "Events" if measure == "events" else "Fatalities"
    bars = (
        alt.Chart(_dates(tl.bars), height=220, title=f"{what} per {resolution}")
        .mark_bar()
        .encode(
            x=x,
            x2="end:T",
            y=alt.Y("sum(value):Q", title=what),
            color=colour,
            tooltip=[alt.Tooltip("start:T", title=resolution.capitalize(), format="%Y-%m-%d"), "group:N", "value:Q"],
        )
        .add_params(brush)
    )
    band = (
        alt.Chart(
            _dates(tl.spans),
            height=max(40, 22 * tl.spans["group"].nunique()),
            title=f"Dated only to a span longer than a {resolution}: drawn across the span ({tl.in_spans:,} events)",
        )
        .mark_bar()
        .encode(
            x=x,
            x2="end:T",
            # one row per group, every label shown; a span holding more events is drawn darker (thousands overlap at 100k)
            y=alt.Y("group:N", title=None, sort=list(tl.groups), axis=alt.Axis(labelOverlap=False, labelLimit=220)),
            color=colour,
            opacity=alt.Opacity("events:Q", scale=alt.Scale(type="log", range=[0.25, 0.9]), legend=None),
            tooltip=[
                alt.Tooltip("start:T", title="From", format="%Y-%m-%d"),
                alt.Tooltip("end:T", title="Before", format="%Y-%m-%d"),
                "group:N",
                alt.Tooltip("events:Q", title="Events"),
                alt.Tooltip("value:Q", title=what),
            ],
        )
    )
    both: alt.VConcatChart = alt.vconcat(bars, band).resolve_scale(x="shared")
    return both


def _dates(frame: Any) -> Any:
    """Dates as ``YYYY-MM-DD`` text, which Vega-Lite reads as UTC days (no time-zone shift)."""
    out = frame.copy()
    for c in ("start", "end"):
        out[c] = np.datetime_as_string(out[c].to_numpy().astype("datetime64[D]"))
    return out


def brushed_dates(selection: Any) -> tuple[date, date] | None:
    """The days a brush covers (``{"brush": {field: [from_ms, to_ms]}}``), or ``None`` for no brush."""
    brush = (selection or {}).get(BRUSH) or {}
    for value in brush.values():
        if isinstance(value, (list, tuple)) and len(value) == 2:
            lo, hi = sorted(float(v) for v in value)
            first = datetime.fromtimestamp(lo / 1000, tz=UTC).date()
            last = datetime.fromtimestamp(hi / 1000, tz=UTC).date()
            return first, max(first, last)
    return None


def render(index: EventIndex, rows: np.ndarray) -> None:
    """Draw the timeline's controls and chart for the events at ``rows``."""
    left, right = st.columns(2)
    left.segmented_control("Per", BY.options, key=BY.widget_key, required=True)
    right.segmented_control("Count", COUNT.options, key=COUNT.widget_key, required=True)
    resolution, measure = BY.value(st.session_state), COUNT.value(st.session_state)
    tl = timeline(index, rows, resolution=resolution, measure=measure)
    event = st.altair_chart(
        chart(tl, measure=measure, resolution=resolution), key="timeline", on_select="rerun", selection_mode=BRUSH
    )
    st.caption(
        f"{tl.in_bars:,} events dated within one {resolution} are drawn in it; {tl.in_spans:,} known only to a longer "
        "span are drawn across it, below. Coloured by the first group named. Drag across the bars to set the date filter."
    )
    wanted = brushed_dates(getattr(event, "selection", None))
    if is_new(st.session_state, APPLIED, wanted):
        request(st.session_state, {DATE_WIDGET: wanted})
        st.rerun()


def show(page: Page) -> None:
    """The view: the timeline of the events shown."""
    render(page.index, page.rows)


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = ("timeline", APPLIED)
SESSION_PREFIXES: tuple[str, ...] = ()
