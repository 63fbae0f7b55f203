"""What the map can show, one mode each: its name (in the switch and the link), its layer and its part of the map script.

A :class:`MapMode` builds the incident layer from a :class:`MapInput` (no Streamlit) and names
the parts of ``static/map/`` its layer is drawn by; the page loads the core parts and every
mode's, in order, once (:func:`script_parts`). :data:`MODES` lists the modes in the switch's
order; adding one is a mode, its script part, and a line there (see the README).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

import folium
import numpy as np
import pandas as pd

from incidents.geo.areas import area_table
from incidents.geo.boundaries import DISTRICT_LAYERS, boundary_layer
from incidents.query.area import area_counts, coarse_counts
from incidents.query.index import EventIndex
from layers import incident_feature_group
from layers.areas import area_feature_group, area_payload
from layers.assets import CORE_PARTS
from layers.boundaries import label_point
from layers.counts import CELL_DEG, POINT_LIMIT, count_feature_group
from layers.protocol import IncidentDetails


@dataclass(frozen=True)
class MapInput:
    """What a mode's layer is built from: the events and their index, the rows shown, and how the page wants them."""

    events: pd.DataFrame | None  # the loaded events (counts per district read their admin1)
    index: EventIndex
    rows: np.ndarray
    colors: Mapping[str, str]
    details: IncidentDetails | None = None
    fit: bool = False
    fit_to: tuple[float, float, float, float] | None = None
    point_limit: int = POINT_LIMIT


@dataclass(frozen=True)
class Drawn:
    """A mode's layer, a notice for above the map (``None``: none) and the events no area holds (counts per district)."""

    layer: folium.FeatureGroup
    notice: str | None = None
    coarse: pd.DataFrame | None = None


@dataclass(frozen=True)
class MapMode:
    """One thing the map can show: its name, how its layer is built, and the map script's parts that draw it."""

    name: str
    build: Callable[[MapInput], Drawn]
    #: Parts of ``static/map/`` (file stems) the layer needs, in load order, after the core parts.
    scripts: tuple[str, ...]


def _grid(page: MapInput) -> Drawn:
    return Drawn(count_feature_group(page.index, page.rows))


def _markers(page: MapInput) -> Drawn:
    """One marker per incident, or counts per grid cell above the point limit (said so: nothing is left out)."""
    n, limit = len(page.rows), page.point_limit
    if n > limit:
        notice = (
            f"{n:,} incidents are more than the map draws one by one (at most {limit:,}): it shows "
            f"how many fall in each {CELL_DEG}° cell instead. Narrow the filters to see markers. Nothing is left out."
        )
        return Drawn(count_feature_group(page.index, page.rows), notice)
    layer = incident_feature_group(page.index, page.rows, page.colors, selected=page.details, fit=page.fit, fit_to=page.fit_to)
    return Drawn(layer)


@cache
def province_points() -> dict[str, tuple[float, float]]:
    """Where a province's or union territory's own count is labelled: a point inside it, by name."""
    points = {}
    for layer in (d.units for d in DISTRICT_LAYERS):
        units = boundary_layer(layer)
        points.update({str(n): (round(p.y, 4), round(p.x, 4)) for n, p in zip(units["name"], map(label_point, units.geometry))})
    return points


def _districts(measure: str) -> Callable[[MapInput], Drawn]:
    def build(page: MapInput) -> Drawn:
        table = area_table()
        values = area_counts(page.index, page.rows, measure=measure)
        assert page.events is not None, "counts per district need the events (their admin1)"
        coarse = coarse_counts(page.events, page.index, page.rows, measure=measure)
        layer = area_feature_group(table, area_payload(table, values, coarse, province_points(), measure=measure))
        return Drawn(layer, coarse=coarse)

    return build


#: What the map shows, in the order of the switch (the first is the default).
MODES: tuple[MapMode, ...] = (
    MapMode("Markers", _markers, ("cluster", "markers", "incidents", "playback", "counts")),
    MapMode("Counts per grid cell", _grid, ("counts",)),
    MapMode("Incidents per district", _districts("events"), ("areas",)),
    MapMode("Fatalities per district", _districts("fatalities"), ("areas",)),
)
BY_NAME: dict[str, MapMode] = {m.name: m for m in MODES}


def script_parts(modes: tuple[MapMode, ...] = MODES) -> tuple[str, ...]:
    """The map script's parts the page loads, in order: the core's, then each mode's not loaded before."""
    return tuple(dict.fromkeys((*CORE_PARTS, *(s for m in modes for s in m.scripts))))
