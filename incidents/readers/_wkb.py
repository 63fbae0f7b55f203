"""Points read straight from WKB bytes, without a Python object per row (the common case of large files)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

#: A little-endian WKB 2-D point: byte order 1, geometry type 1, then x and y as float64.
WKB_POINT_SIZE = 21


def plain_wkb_points(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """Longitudes and latitudes read straight from WKB when every value is a little-endian 2-D point, else ``None``.

    Anything else (nulls, other geometry types, big-endian, 3-D, EWKB with an SRID) goes through
    shapely, which reports it row by row.
    """
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if arr.null_count or not (pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type)) or len(arr) == 0:
        return None
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if pa.types.is_large_binary(arr.type) else np.int32)
    offsets = offsets[arr.offset : arr.offset + len(arr) + 1]
    if not (np.diff(offsets) == WKB_POINT_SIZE).all():
        return None
    rows = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(-1, WKB_POINT_SIZE)
    if not ((rows[:, 0] == 1).all() and (rows[:, 1:5].copy().view("<u4")[:, 0] == 1).all()):
        return None
    xy = rows[:, 5:].copy().view("<f8")
    return xy[:, 0].copy(), xy[:, 1].copy()
