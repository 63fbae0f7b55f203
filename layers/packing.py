"""Packed columns: numeric arrays sent to the browser as one block of bytes, with their layout.

The layout is described once, here, by the code that writes the bytes: each column's name, its
typed-array type and its byte offset. The map script builds its typed arrays from that
description (``IncidentMap.unpack``), and :func:`unpack_columns` reads the same bytes back in
Python (tests, benchmark). Columns are little-endian and each starts at a multiple of its item
size, as JavaScript typed arrays require.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

#: numpy dtype -> the JavaScript typed array that reads it.
TYPED_ARRAYS: dict[str, str] = {
    "<i4": "Int32Array",
    "<u4": "Uint32Array",
    "<i2": "Int16Array",
    "<u2": "Uint16Array",
    "|u1": "Uint8Array",
    "|i1": "Int8Array",
    "<f4": "Float32Array",
    "<f8": "Float64Array",
}


def pack_columns(columns: Mapping[str, np.ndarray], dtypes: Mapping[str, str]) -> tuple[list[dict[str, Any]], bytes]:
    """Columns of one length as ``(layout, bytes)``; ``dtypes`` gives each column's dtype, in order.

    Returns
    -------
    layout : list of dict
        Per column: ``name``, ``array`` (the typed array's name), ``dtype`` and byte ``offset``.
    bytes
        The columns one after the other.

    """
    layout: list[dict[str, Any]] = []
    parts: list[bytes] = []
    offset = 0
    for name, dtype in dtypes.items():
        dt = np.dtype(dtype)
        pad = -offset % dt.itemsize
        if pad:
            parts.append(b"\0" * pad)
            offset += pad
        data = np.asarray(columns[name]).astype(dt, copy=False).tobytes()
        layout.append({"name": name, "array": TYPED_ARRAYS[dt.str], "dtype": dt.str, "offset": offset})
        parts.append(data)
        offset += len(data)
    return layout, b"".join(parts)


def unpack_columns(layout: Sequence[Mapping[str, Any]], raw: bytes, n: int) -> dict[str, np.ndarray]:
    """The columns of ``n`` rows that :func:`pack_columns` wrote with ``layout``."""
    return {c["name"]: np.frombuffer(raw, c["dtype"], n, c["offset"]) for c in layout}
