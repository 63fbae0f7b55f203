"""Events between the model frame and the store's rows: one plain record per event.

A record holds the event model's fields as JSON values (dates as ``YYYY-MM-DD``, the position as
``lon``/``lat``, ``actors`` and ``regions`` as lists). It is what the ``events`` table stores
(with ``event_actors`` and ``event_regions``), and what a revision keeps as "before" and "after".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from incidents.schema import COLUMN_NAMES, CRS, conform, empty_events

#: Fields of a record in the ``events`` table (all the model's but geometry, actors and regions; plus the position).
ROW_FIELDS: tuple[str, ...] = tuple(c for c in COLUMN_NAMES if c not in ("geometry", "actors", "regions")) + ("lon", "lat")
_DATES = ("date_start", "date_end")
_INTS = ("fatalities", "fatalities_low", "fatalities_high", "excerpt_start", "excerpt_end")


def _column(values: pd.Series) -> list[Any]:
    """A column's cells as JSON values, converted once per column (None for missing, ints as ints)."""
    out = values.astype(object).tolist()
    missing = pd.isna(values).to_numpy()
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            out[i] = None
    if values.dtype.kind in "iu":
        return [None if v is None else int(v) for v in out]
    return out


def records_from_frame(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One record per event of a model frame (admin units and regions as the frame has them)."""
    columns = {c: _column(events[c]) for c in COLUMN_NAMES if c not in ("geometry", "actors", "regions", *_DATES)}
    for c in _DATES:
        columns[c] = np.datetime_as_string(events[c].to_numpy().astype("datetime64[D]")).tolist()
    for c in ("date_precision", "geo_precision"):
        columns[c] = events[c].astype(str).tolist()
    columns["lon"] = shapely.get_x(events.geometry.values).tolist()
    columns["lat"] = shapely.get_y(events.geometry.values).tolist()
    columns["actors"] = [list(a) for a in events["actors"].tolist()]
    columns["regions"] = [list(r) for r in events["regions"].tolist()]
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def frame_from_columns(columns: Mapping[str, Sequence[Any]]) -> gpd.GeoDataFrame:
    """The model frame of record fields given column by column (``ROW_FIELDS``, ``actors``, ``regions``).

    Dates may be ``YYYY-MM-DD`` strings or dates. The index is 1..n in the order given.
    """
    n = len(columns["event_id"])
    if not n:
        return empty_events()
    plain = [c for c in ROW_FIELDS if c not in ("lon", "lat", *_DATES)]
    # through Arrow: its conversion of Python lists is several times faster than pandas' own
    types = {c: pa.int64() if c in _INTS else pa.large_string() for c in plain}
    table = pa.table({c: pa.array(list(columns[c]), type=types[c]) for c in plain})
    frame = table.to_pandas()
    for c in _DATES:
        frame[c] = np.array([str(d) for d in columns[c]], dtype="datetime64[D]").astype("datetime64[s]")
    frame["actors"] = _tuples(columns["actors"])
    frame["regions"] = _tuples(columns["regions"])
    geometry = shapely.points(np.asarray(columns["lon"], dtype=float), np.asarray(columns["lat"], dtype=float))
    frame.index = pd.RangeIndex(1, n + 1)
    return conform(gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS), tuples=("actors", "regions"))


def _tuples(values: Iterable[Iterable[str]]) -> np.ndarray:
    items = [tuple(v) for v in values]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out
