"""The map: boundaries once per process, the incident layer (markers, or counts per cell) per run.

:func:`incident_layer` decides what the map shows and builds it (no Streamlit); :func:`render`
draws it with ``st_folium``, whose return value is read through ``st.session_state["map"]`` at
the top of the next run (see :mod:`views.selection`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import numpy as np
import streamlit as st
from streamlit_folium import st_folium

from incidents.index import EventIndex
from layers import BoundarySpec, base_map, incident_feature_group
from layers.counts import CELL_DEG, POINT_LIMIT, count_feature_group

MARKERS = "Markers"
COUNTS = "Counts per grid cell"
VIEWS = (MARKERS, COUNTS)
#: What st_folium reports back: clicks only, so panning and zooming never rerun the app.
RETURNED = ["last_object_clicked", "last_object_clicked_popup", "last_object_clicked_count"]
CAPTION = (
    "Filled markers: exact or near locations. Dashed markers lettered D/P/R/C stand for a whole "
    "district, province, region or country; they do not mark a site. Boundaries: OCHA COD-AB, "
    "geoBoundaries, Natural Earth (de facto lines, labelled as such)."
)


def incident_layer(
    index: EventIndex,
    rows: np.ndarray,
    colors: Mapping[str, str],
    details: dict[str, Any] | None,
    view: str,
    *,
    point_limit: int | None = None,
) -> tuple[folium.FeatureGroup, str | None]:
    """The incident layer for the ``view`` asked for, and a notice when it shows counts instead of markers.

    Above ``point_limit`` (default :data:`layers.counts.POINT_LIMIT`) incidents the map shows how
    many fall in each grid cell, whatever was asked for, and says so. Nothing is left out.
    """
    limit = POINT_LIMIT if point_limit is None else point_limit
    notice = None
    if view == MARKERS and len(rows) > limit:
        notice = (
            f"{len(rows):,} incidents are more than the map draws one by one (at most {limit:,}): it shows "
            f"how many fall in each {CELL_DEG}° cell instead. Narrow the filters to see markers. Nothing is left out."
        )
        view = COUNTS
    if view == MARKERS:
        return incident_feature_group(index, rows, colors, selected=details), notice
    return count_feature_group(index, rows), notice


def render(
    boundaries: Sequence[BoundarySpec],
    index: EventIndex,
    rows: np.ndarray,
    colors: Mapping[str, str],
    details: dict[str, Any] | None,
) -> None:
    """Draw the view switch, the notice line, the map and its caption."""
    view = st.radio("Map shows", VIEWS, key="map_view", horizontal=True, label_visibility="collapsed")
    notice_area = st.empty()  # always there, so the map keeps its place on the page and is never remounted
    layer, notice = incident_layer(index, rows, colors, details, view)
    if notice:
        notice_area.warning(notice)
    st_folium(
        base_map(boundaries),
        key="map",
        height=620,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=layer,
    )
    st.caption(CAPTION)
