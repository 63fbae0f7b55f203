"""Events between the model frame and the store's rows: one plain record per event.

A record holds the event model's fields as JSON values (dates as ``YYYY-MM-DD``, the position as
``lon``/``lat``, ``actors`` and ``regions`` as lists). It is what the ``events`` table stores
(with ``event_actors`` and ``event_regions``), and what a revision keeps as "before" and "after".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from incidents.model.schema import COLUMN_NAMES, CRS, conform, empty_events

#: Fields of a record in the ``events`` table (all the model's but geometry, actors and regions; plus the position).
ROW_FIELDS: tuple[str, ...] = tuple(c for c in COLUMN_NAMES if c not in ("geometry", "actors", "regions")) + ("lon", "lat")
#: Every field of a record.
RECORD_FIELDS: tuple[str, ...] = (*ROW_FIELDS, "actors", "regions")
#: The date fields, written ``YYYY-MM-DD``.
DATE_FIELDS = ("date_start", "date_end", "date_best")
_INTS = (
    "fatalities", "fatalities_low", "fatalities_high", "injured", "detained", "credibility", "excerpt_start", "excerpt_end",
)  # fmt: skip


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


def record_columns(events: gpd.GeoDataFrame, fields: Sequence[str] = RECORD_FIELDS) -> dict[str, list[Any]]:
    """The record fields ``fields`` of every event, column by column (what :func:`records_from_frame` holds per row)."""
    columns: dict[str, list[Any]] = {}
    for c in fields:
        if c in DATE_FIELDS:
            columns[c] = np.datetime_as_string(events[c].to_numpy().astype("datetime64[D]")).tolist()
        elif c in ("date_precision", "geo_precision", "reliability"):
            columns[c] = events[c].astype(str).tolist()
        elif c == "lon":
            columns[c] = shapely.get_x(events.geometry.values).tolist()
        elif c == "lat":
            columns[c] = shapely.get_y(events.geometry.values).tolist()
        elif c in ("actors", "regions"):
            columns[c] = [list(a) for a in events[c].tolist()]
        else:
            columns[c] = _column(events[c])
    return columns


def records_from_frame(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One record per event of a model frame (admin units and regions as the frame has them)."""
    columns = record_columns(events)
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


#: The Arrow types of a stored event's columns as :func:`frame_from_table` reads them.
TABLE_SCHEMA = pa.schema(
    [(c, pa.int64() if c in _INTS else pa.float64() if c in ("lon", "lat") else pa.large_string()) for c in ROW_FIELDS]
    + [("actors", pa.large_string()), ("regions", pa.large_string())]
)


def frame_from_table(table: pa.Table) -> gpd.GeoDataFrame:
    """The model frame of stored events read as an Arrow table; the index is 1..n in table order.

    The table is in :data:`TABLE_SCHEMA`: dates as ``YYYY-MM-DD`` text, ``actors`` and
    ``regions`` as JSON lists.
    """
    n = table.num_rows
    if not n:
        return empty_events()
    table = table.cast(TABLE_SCHEMA)
    plain = [c for c in ROW_FIELDS if c not in ("lon", "lat", *DATE_FIELDS)]
    frame = table.select(plain).to_pandas()
    for c in DATE_FIELDS:
        frame[c] = table[c].cast(pa.date32()).to_numpy().astype("datetime64[s]")
    for c in ("actors", "regions"):  # the same list recurs across events: each distinct one decoded once
        codes, uniques = pd.factorize(table[c].to_numpy(zero_copy_only=False))
        frame[c] = _tuples(tuple(json.loads(u)) for u in uniques)[codes]
    geometry = shapely.points(table["lon"].to_numpy(), table["lat"].to_numpy())
    frame.index = pd.RangeIndex(1, n + 1)
    return conform(gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS), tuples=("actors", "regions"))


def table_from_rows(rows: Sequence[Sequence[Any]]) -> pa.Table:
    """An Arrow table in :data:`TABLE_SCHEMA` of stored event rows (fields in its order; dates as ``YYYY-MM-DD`` text)."""
    if not rows:
        return TABLE_SCHEMA.empty_table()
    return pa.Table.from_struct_array(pa.array(rows, type=pa.struct(list(TABLE_SCHEMA))))


def _tuples(values: Iterable[Iterable[str]]) -> np.ndarray:
    items = [tuple(v) for v in values]
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out
