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
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from incidents import EventFilter
from incidents.geo.areas import area_table
from incidents.geo.boundaries import boundary_layer
from incidents.query.index import EventIndex
from incidents.query.registry import FACETS
from layers import BoundarySpec, base_map
from layers.counts import POINT_LIMIT
from layers.protocol import IncidentDetails, parse_ref
from views.modes import BY_NAME, MODES, MapInput, script_parts
from views.selection import Session
from views.settings import Setting

#: What the map shows, kept in the link (``?map=Incidents+per+district``): the modes' names, in order.
MAP = Setting("map", tuple(m.name for m in MODES))
VIEWS = MAP.options
MARKERS, COUNTS, DISTRICT_EVENTS, DISTRICT_FATALITIES = VIEWS
#: The sidebar's area widget (see incidents.geo.areas.AreaFacet), and the last map click an area was chosen by.
AREA_WIDGET = FACETS["areas"].widget_key
AREA_CLICK = "_area_click"
#: What st_folium reports back: clicks only, so panning and zooming never rerun the app.
RETURNED = ["last_object_clicked", "last_object_clicked_popup", "last_object_clicked_count"]
CAPTION = (
    "Filled markers: exact or near locations. Dashed markers lettered D/P/R/C stand for a whole "
    "district, province, region or country; they do not mark a site. Boundaries: OCHA COD-AB, "
    "geoBoundaries, DataMeet (Census 2011), Natural Earth (de facto lines, labelled as such)."
)


#: The map takes the window's height less the title and controls above it (at least 420 px), not a fixed height.
PAGE_HEIGHT_CSS = "<style>iframe[title='streamlit_folium.st_folium']{height:max(420px, calc(100vh - 400px)) !important;}</style>"
AREA_CAPTION = (
    "Areas: the districts of Pakistan (OCHA COD-AB), of Indian-administered Jammu and Kashmir and Ladakh (Census 2011, "
    "DataMeet; as far as India administers them) and of Afghanistan (AIMS 2014, geoBoundaries), and the Kashmir parts "
    "no district covers (Natural Earth). Each holds the incidents located to it or finer; incidents known only to a "
    "province or union territory are labelled as its own count, never spread into its districts. Click an area to "
    "filter to it."
)


def clicked_area(map_state: Mapping[str, Any] | None) -> str | None:
    """The code of the area a map click was on (its popup's reference, and the click inside its shape), or ``None``."""
    if not map_state:
        return None
    ref = parse_ref(map_state.get("last_object_clicked_popup"))
    where = map_state.get("last_object_clicked") or {}
    table = area_table()
    if ref is None or ref.kind != "area" or not isinstance(where, Mapping) or not 0 <= ref.id < len(table.codes):
        return None
    try:
        point = shapely.Point(float(where["lng"]), float(where["lat"]))
    except (KeyError, TypeError, ValueError):
        return None
    i = ref.id
    return table.codes[i] if table.frame.geometry.iloc[i].intersects(point) else None


def chosen_bounds(f: EventFilter) -> tuple[float, float, float, float] | None:
    """The box (west, south, east, north) of the regions and areas the filter chooses, or ``None``: the map fits to it."""
    shapes = []
    if "regions" in f:
        regions = boundary_layer("regions")
        shapes += list(regions.geometry[regions["name"].isin(sorted(f["regions"]))])
    if "areas" in f:
        table = area_table()
        shapes += [table.frame.geometry.iloc[i] for i, c in enumerate(table.codes) if c in f["areas"]]
    if not shapes:
        return None
    west, south, east, north = (float(v) for v in shapely.bounds(shapely.union_all(shapes)))
    return west, south, east, north


def apply_area_click(session: Session) -> None:
    """Before the sidebar is drawn: a new click on an area (in counts per district) sets the area filter to it."""
    map_state = session.get("map") or {}
    count = map_state.get("last_object_clicked_count")
    if count == session.get(AREA_CLICK):
        return
    session[AREA_CLICK] = count
    code = clicked_area(map_state)
    if code is not None:
        session[AREA_WIDGET] = [code]


def incident_layer(
    index: EventIndex,
    rows: np.ndarray,
    colors: Mapping[str, str],
    details: IncidentDetails | None,
    view: str,
    *,
    point_limit: int | None = None,
    events: pd.DataFrame | None = None,
    fit: bool = False,
    fit_to: tuple[float, float, float, float] | None = None,
) -> tuple[folium.FeatureGroup, str | None]:
    """The incident layer of the map mode ``view`` (:data:`views.modes.MODES`), and a notice when it shows counts.

    Above ``point_limit`` (default :data:`layers.counts.POINT_LIMIT`) incidents, markers give way
    to counts per grid cell, and the notice says so. Nothing is left out. Counts per district
    need the ``events`` (their admin1).
    """
    limit = POINT_LIMIT if point_limit is None else point_limit
    drawn = BY_NAME[view].build(MapInput(events, index, rows, colors, details, fit, fit_to, limit))
    return drawn.layer, drawn.notice


def render(
    boundaries: Sequence[BoundarySpec],
    events: pd.DataFrame,
    index: EventIndex,
    rows: np.ndarray,
    colors: Mapping[str, str],
    details: IncidentDetails | None,
    f: EventFilter,
) -> None:
    """Draw the view switch, the notice line, the map and its caption (``f``: the filter, for the region to fit)."""
    left, right = st.columns([3, 1])
    view = left.radio("Map shows", VIEWS, key=MAP.widget_key, horizontal=True, label_visibility="collapsed")
    fit = right.checkbox(
        "Fit to the filter", value=True, key="map_fit", help="After a filter change, show its region, or all its incidents."
    )
    notice_area = st.empty()  # always there, so the map keeps its place on the page and is never remounted
    st.html(PAGE_HEIGHT_CSS)  # our own constant rule: no data in it
    fit_to = chosen_bounds(f) if fit else None
    drawn = BY_NAME[view].build(MapInput(events, index, rows, colors, details, fit, fit_to, POINT_LIMIT))
    layer, notice, coarse = drawn.layer, drawn.notice, drawn.coarse
    if notice:
        notice_area.warning(notice)
    st_folium(
        base_map(boundaries, parts=script_parts()),
        key="map",
        height=620,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=layer,
    )
    if coarse is not None:
        st.caption(AREA_CAPTION)
        if len(coarse):
            listed = "; ".join(f"{u}{f' ({lv})' if lv else ''}: {v:,.0f}" for u, lv, v in coarse.head(12).itertuples(index=False))
            more = f"; and {len(coarse) - 12} more" if len(coarse) > 12 else ""
            st.text(f"Not in any area's count (known only to a coarser unit, or outside the areas): {listed}{more}")
    else:
        st.caption(CAPTION)


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = ("map", "map_fit", AREA_CLICK)
SESSION_PREFIXES: tuple[str, ...] = ()
