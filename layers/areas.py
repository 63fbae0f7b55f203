"""Counts per district: areas filled by their count's class, with the coarser units' own counts labelled.

The areas' shapes are encoded once per process (:func:`area_shapes`); each run sends only the
counts (:class:`AreaCountLayer`). Drawn by ``IncidentMap.areaLayer`` (``static/map/areas.js``).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from incidents.geo.areas import AreaTable, class_labels, count_class
from layers.payload import PayloadLayer, checked, encode_payload
from layers.protocol import vocabulary

#: Fill per count class (ColorBrewer YlOrRd, 7 classes), lightest for the smallest counts.
CLASS_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")


#: How far the drawn areas may stray from the joined ones, in degrees (about 1 km; a Visvalingam-Whyatt tolerance
#: for a layer that is a valid coverage, half of it as a Douglas-Peucker one for another), and the decimals their
#: coordinates keep (about 110 m): the shapes are drawn, never joined against.
DISPLAY_TOLERANCE, DISPLAY_DECIMALS = 0.01, 3


def display_shapes(table: AreaTable) -> np.ndarray:
    """The areas' shapes for drawing: each boundary layer simplified as a coverage, so neighbours keep their shared edges."""
    frame = table.frame
    out = np.asarray(frame.geometry.values, dtype=object).copy()
    layers = frame["layer"].to_numpy()
    for layer in pd.unique(layers):
        rows = np.flatnonzero(layers == layer)
        if len(rows) > 1 and shapely.coverage_is_valid(out[rows]):
            out[rows] = shapely.coverage_simplify(out[rows], DISPLAY_TOLERANCE)
        else:
            out[rows] = shapely.simplify(out[rows], DISPLAY_TOLERANCE / 2, preserve_topology=True)
    return shapely.set_precision(out, 10.0**-DISPLAY_DECIMALS)


@cache
def area_shapes(table: AreaTable) -> str:
    """The areas as a GeoJSON payload, simplified for display: per feature its number ``i``, ``name``, ``kind`` and ``parent``."""
    frame = table.frame[["name", "kind", "parent"]].assign(i=np.arange(len(table.frame)))
    shapes = gpd.GeoDataFrame(frame, geometry=display_shapes(table), crs=table.frame.crs)
    return checked(encode_payload(json.loads(shapes.to_json(drop_id=True))))


def area_payload(
    table: AreaTable, values: np.ndarray, coarse: pd.DataFrame, unit_points: dict[str, tuple[float, float]], *, measure: str
) -> dict[str, Any]:
    """What the browser needs besides the shapes: per area its value and class, the legend, the coarse units' labels."""
    labels = []
    for unit, level, value in zip(coarse["unit"], coarse["level"], coarse["value"]):
        if unit in unit_points and level == "province" and value > 0:
            lat, lon = unit_points[unit]
            labels.append({"unit": str(unit), "level": str(level), "value": float(value), "lat": lat, "lon": lon})
    return {
        "values": [float(v) for v in values],
        "classes": count_class(values).tolist(),
        "colours": list(CLASS_COLOURS),
        "class_labels": class_labels(),
        "measure": measure,
        "coarse": labels,
        "total": float(values.sum()),
        **vocabulary(),
    }


class AreaCountLayer(PayloadLayer):
    """Areas filled by class, with a legend; a click on an area opens its popup and filters to it.

    The popup starts with the area's reference (``area:i``, see :mod:`layers.protocol`).
    """

    factory = "areaLayer"
    args = ("shapes", "counts")

    def __init__(self, table: AreaTable, payload: dict[str, Any]):
        minx, miny, maxx, maxy = (float(v) for v in table.frame.total_bounds)
        super().__init__(
            [area_shapes(table), encode_payload(payload)], [[miny, minx], [maxy, maxx]], name="Counts per district", control=False
        )


def area_feature_group(table: AreaTable, payload: dict[str, Any]) -> folium.FeatureGroup:
    """A feature group holding an :class:`AreaCountLayer`, for ``feature_group_to_add``."""
    group = folium.FeatureGroup(name="Counts per district", control=False)
    AreaCountLayer(table, payload).add_to(group)
    return group
