"""Events between the model frame and the store's rows: one plain record per event.

A record holds the event model's fields as JSON values (dates as ``YYYY-MM-DD``, the position as
``lon``/``lat``, ``actors`` and ``regions`` as lists). It is what the ``events`` table stores
(with ``event_actors`` and ``event_regions``), and what a revision keeps as "before" and "after".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from incidents.schema import COLUMN_NAMES, CRS, conform, empty_events

#: Fields of a record in the ``events`` table (all the model's but geometry, actors and regions; plus the position).
ROW_FIELDS: tuple[str, ...] = tuple(c for c in COLUMN_NAMES if c not in ("geometry", "actors", "regions")) + ("lon", "lat")
_DATES = ("date_start", "date_end")


def _plain(value: Any) -> Any:
    """A JSON value for one cell (None for missing)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def records_from_frame(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One record per event of a model frame (admin units and regions as the frame has them)."""
    x = shapely.get_x(events.geometry.values)
    y = shapely.get_y(events.geometry.values)
    columns = {c: events[c].astype(object).tolist() for c in COLUMN_NAMES if c not in ("geometry", "actors", "regions")}
    for c in _DATES:
        columns[c] = [d.date().isoformat() for d in events[c]]
    for c in ("date_precision", "geo_precision"):
        columns[c] = events[c].astype(str).tolist()
    actors, regions = events["actors"].tolist(), events["regions"].tolist()
    lon, lat = x.tolist(), y.tolist()
    names = list(columns)
    out = []
    for i, values in enumerate(zip(*columns.values())):
        record = {c: _plain(v) for c, v in zip(names, values)}
        record["lon"], record["lat"] = lon[i], lat[i]
        record["actors"], record["regions"] = list(actors[i]), list(regions[i])
        out.append(record)
    return out


def frame_from_records(records: Sequence[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """The model frame of ``records`` (index 1..n in the order given)."""
    if not records:
        return empty_events()
    data: dict[str, Any] = {c: [r.get(c) for r in records] for c in ROW_FIELDS if c not in ("lon", "lat")}
    for c in _DATES:
        data[c] = pd.to_datetime(pd.Series(data[c], dtype=object)).to_numpy().astype("datetime64[s]")
    data["actors"] = _tuples(r.get("actors") or () for r in records)
    data["regions"] = _tuples(r.get("regions") or () for r in records)
    geometry = shapely.points([float(r["lon"]) for r in records], [float(r["lat"]) for r in records])
    frame = gpd.GeoDataFrame(data, geometry=geometry, crs=CRS, index=pd.RangeIndex(1, len(records) + 1))
    return conform(frame, tuples=("actors", "regions"))


def _tuples(values: Iterable[Iterable[str]]) -> np.ndarray:
    items = [tuple(v) for v in values]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out
