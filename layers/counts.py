"""Counts per grid cell: the map's view when there are too many incidents to draw one by one."""

from __future__ import annotations

from typing import Any

import folium
import numpy as np

from incidents.model.schema import GEO_PRECISIONS
from incidents.query.index import EventIndex
from layers.payload import PayloadLayer, encode_payload

#: Above this many incidents in view the map shows counts per grid cell instead of markers.
POINT_LIMIT = 150_000
#: Size of the cells counted in the aggregate view, in degrees.
CELL_DEG = 0.25


def count_cells(index: EventIndex, rows: np.ndarray, cell: float = CELL_DEG) -> dict[str, Any]:
    """Incidents at positions ``rows`` counted per ``cell``-degree grid cell.

    Every incident is counted exactly once, in the cell its marker point falls in; incidents
    located only to an area are counted separately per cell, so the popup can say how many
    stand for a whole district, province, region or country rather than a site.
    """
    rows = np.asarray(rows, dtype=np.int64)
    cx = np.floor(index.lon[rows] / cell).astype(np.int64)
    cy = np.floor(index.lat[rows] / cell).astype(np.int64)
    code = (cy + 400) * 2000 + (cx + 800)
    uniques, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    area = (index.precision[rows] >= GEO_PRECISIONS.index("district")).astype(np.int64)
    approx = np.bincount(inverse, weights=area, minlength=len(uniques)).astype(np.int64)
    lat = np.bincount(inverse, weights=index.lat[rows], minlength=len(uniques)) / counts
    lon = np.bincount(inverse, weights=index.lon[rows], minlength=len(uniques)) / counts
    return {
        "cell": cell,
        "total": int(len(rows)),
        "lat": np.round(lat, 4).tolist(),
        "lon": np.round(lon, 4).tolist(),
        "count": counts.tolist(),
        "area_only": approx.tolist(),
        "south": ((uniques // 2000 - 400) * cell).tolist(),
        "west": ((uniques % 2000 - 800) * cell).tolist(),
    }


class CountLayer(PayloadLayer):
    """Counts per grid cell, drawn as sized, labelled circles (the view for very many incidents)."""

    factory = "countLayer"
    args = ("cells",)

    def __init__(self, index: EventIndex, rows: np.ndarray, *, name: str = "Incident counts"):
        cells = count_cells(index, rows)
        bounds: list[list[float | None]] = (
            [[min(cells["south"]), min(cells["west"])], [max(cells["south"]) + CELL_DEG, max(cells["west"]) + CELL_DEG]]
            if cells["count"]
            else [[None, None], [None, None]]
        )
        super().__init__(encode_payload(cells), bounds, name=name, control=False)


def count_feature_group(index: EventIndex, rows: np.ndarray) -> folium.FeatureGroup:
    """A feature group holding a :class:`CountLayer`, for ``feature_group_to_add``."""
    group = folium.FeatureGroup(name=f"Incident counts ({len(rows):,})", control=False)
    CountLayer(index, rows).add_to(group)
    return group
