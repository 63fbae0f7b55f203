"""GeoParquet: the fast columnar format for large event files.

The file holds the event model's columns (see the README), with ``geometry`` as GeoParquet
points in EPSG:4326, ``actors`` as a list of strings and dates as dates. ``admin1``, ``admin2``
and ``regions`` are written for other tools but never trusted on reading: they are derived
again from the coordinates, as for every other format. Validation runs on whole columns, so a
million rows are checked in about a second; every rejected row is reported with its row number
(1-based, in file order), field, value and reason, as the CSV readers do.

Write one with ``python -m incidents convert IN OUT.parquet`` (any readable format in;
:func:`incidents.writers.write_events`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely
from pyproj import CRS as ProjCRS

from incidents.model.actors import actor_table
from incidents.model.documents import offsets_without_document, quote_problem, stored_document
from incidents.model.errors import IncidentDataError, Rejection, shorten
from incidents.model.schema import CRS, DATE_PRECISIONS, GEO_PRECISIONS, RELIABILITY_GRADES, conform, empty_events
from incidents.model.validate import is_web_url
from incidents.readers._format import Format
from incidents.readers._memory import give_back_memory as _give_back_memory
from incidents.readers._rows import AS_WRITTEN, ReadOptions, ReadResult
from incidents.readers._wkb import plain_wkb_points

#: The first bytes of every Parquet file.
MAGIC = b"PAR1"

_DERIVED = frozenset({"dataset", "admin1", "admin2", "regions"})
REQUIRED = ("event_id", "date_start", "date_end", "date_precision", "geo_precision", "excerpt", "geometry")
_GRADED = ("", *RELIABILITY_GRADES)  # a reliability grade, or none given
_COUNTS = ("fatalities", "fatalities_low", "fatalities_high", "injured", "detained", "excerpt_start", "excerpt_end")


class _Problems:
    """Per-field masks of bad rows, turned into rejections at the end."""

    def __init__(self, name: str, n: int):
        self.name, self.n = name, n
        self.bad = np.zeros(n, dtype=bool)
        self.items: list[Rejection] = []

    def add(self, mask: Any, field: str, values: Any, reason: str) -> None:
        """Reject the rows where ``mask`` is true, quoting ``values`` (an array, Arrow array or constant)."""
        mask = mask.to_numpy(zero_copy_only=False) if isinstance(mask, (pa.Array, pa.ChunkedArray)) else mask
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(rows):
            return
        self.bad[rows] = True
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            picked = values.take(pa.array(rows)).to_pylist()
        elif isinstance(values, np.ndarray):
            picked = values[rows].tolist()
        else:
            picked = [values] * len(rows)
        for r, v in zip(rows.tolist(), picked):
            self.items.append(Rejection(self.name, r + 1, field, shorten(v), reason))


def _geo_column(table: pa.Table, name: str) -> tuple[str, dict[str, Any]]:
    try:
        meta = json.loads(table.schema.metadata[b"geo"])
        column = meta["primary_column"]
        return column, meta["columns"][column]
    except (TypeError, KeyError, ValueError) as exc:
        raise IncidentDataError(Rejection(name, None, None, "", "not GeoParquet: no valid 'geo' metadata")) from exc


def _is_wgs84(info: dict[str, Any]) -> bool:
    if "crs" not in info:  # GeoParquet: a missing crs means OGC:CRS84 (longitude, latitude)
        return True
    if info["crs"] is None:
        return False
    try:
        crs = ProjCRS.from_json_dict(info["crs"]) if isinstance(info["crs"], dict) else ProjCRS.from_user_input(info["crs"])
    except Exception:  # noqa: BLE001 - any unparseable CRS is "not WGS 84"
        return False
    return crs.to_epsg() == 4326 or crs.equals(ProjCRS.from_user_input("OGC:CRS84"))


def read_geoparquet(
    source: Path | bytes, *, dataset: str, name: str | None = None, options: ReadOptions = AS_WRITTEN
) -> ReadResult:
    """Read an event GeoParquet file (a path, or its bytes), validating whole columns at once.

    Raises
    ------
    IncidentDataError
        When the file is not GeoParquet, lacks a required column, or is not in EPSG:4326.

    """
    name = name or (source.name if isinstance(source, Path) else "upload.parquet")
    try:
        stored = pq.ParquetFile(pa.BufferReader(source) if isinstance(source, bytes) else source)
        # columns derived on reading (dataset, admin units, regions) are not even read
        wanted = [c for c in stored.schema_arrow.names if c not in _DERIVED]
        table = stored.read(columns=wanted)
        stored.close()
        _give_back_memory()  # decoding buffers, before the frame is built
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise IncidentDataError(Rejection(name, None, None, "", f"not a readable Parquet file ({shorten(exc, 160)})")) from exc
    geo_col, geo_info = _geo_column(table, name)
    present = set(table.column_names)
    missing = [c for c in REQUIRED if c != "geometry" and c not in present] + ([] if geo_col in present else ["geometry"])
    if missing:
        raise IncidentDataError(Rejection(name, None, None, ", ".join(table.column_names)[:200], f"missing columns {missing}"))
    if not _is_wgs84(geo_info):
        raise IncidentDataError(Rejection(name, None, "geometry", shorten(geo_info.get("crs"), 120), "expected CRS EPSG:4326"))
    n = table.num_rows
    if n == 0:
        return ReadResult(empty_events(), [], 0)
    p = _Problems(name, n)

    def col(c: str) -> pa.ChunkedArray | None:
        return table.column(c) if c in present else None

    def text(c: str) -> pa.ChunkedArray:
        return pc.cast(col(c), pa.large_string())

    event_id = pc.utf8_trim_whitespace(_filled(text("event_id")))
    p.add(pc.equal(event_id, ""), "event_id", event_id, "event_id is empty")
    if len(pc.unique(event_id)) < n:  # checked row by row only when some id repeats
        ids = pd.Series(pd.arrays.ArrowStringArray(event_id.combine_chunks()))
        p.add(
            ids.duplicated(keep="first").to_numpy() & (ids != "").to_numpy(),
            "event_id",
            event_id,
            "duplicate event_id within the file",
        )

    start, start_raw = _dates(col("date_start"))
    end, end_raw = _dates(col("date_end"))
    p.add(np.isnat(start), "date_start", start_raw, "expected a date (YYYY-MM-DD)")
    p.add(np.isnat(end), "date_end", end_raw, "expected a date (YYYY-MM-DD)")
    p.add(~np.isnat(start) & ~np.isnat(end) & (end < start), "date_end", end_raw, "date_end is before date_start")
    best, best_raw = _dates(col("date_best")) if "date_best" in present else (None, None)  # else derived on conforming
    if best is not None:
        outside = ~np.isnat(best) & ~np.isnat(start) & ~np.isnat(end) & ((best < start) | (best > end))
        p.add(outside, "date_best", best_raw, "date_best is outside date_start..date_end")
    for c, allowed in (("date_precision", DATE_PRECISIONS), ("geo_precision", GEO_PRECISIONS), ("reliability", _GRADED)):
        if c not in present:  # reliability is optional (F, not graded)
            continue
        values = pc.fill_null(text(c), "")
        p.add(
            pc.invert(pc.is_in(values, pa.array(allowed, pa.large_string()))), c, values, f"expected one of {', '.join(allowed)}"
        )

    x, y, ok, geoms = _points(table.column(geo_col), geo_info, p)
    p.add(ok & ~((y >= -90) & (y <= 90)), "geometry", y, "latitude must be between -90 and 90")
    p.add(ok & ~((x >= -180) & (x <= 180)), "geometry", x, "longitude must be between -180 and 180")

    excerpt = _filled(text("excerpt"))  # verbatim: never stripped
    blank = pc.or_(pc.equal(pc.utf8_length(excerpt), 0), pc.utf8_is_space(excerpt))  # is_space stops at the first letter
    p.add(blank, "excerpt", excerpt, "excerpt is empty: every event must quote its source")

    counts: dict[str, np.ndarray] = {}
    for c in _COUNTS:
        if c in present:
            counts[c] = _counts(col(c), c, p)
    if "credibility" in present:  # optional (6, not graded)
        cred = counts["credibility"] = _counts(col("credibility"), "credibility", p)
        p.add((cred < 1) | (cred > 6), "credibility", col("credibility"), "expected a credibility grade from 1 to 6")
    url = col("source_url")
    if url is not None:
        url = pc.cast(url, pa.large_string())
        bad = [u for u in pc.unique(url).to_pylist() if u is not None and not is_web_url(u)]  # once per distinct URL
        p.add(pc.is_in(url, pa.array(bad, pa.large_string())), "source_url", url, "only http and https links are allowed")
    else:
        url = pa.nulls(n, pa.large_string())

    source_id = (
        pc.fill_null(pc.utf8_trim_whitespace(text("source_id")), name)
        if "source_id" in present
        else pa.array([name] * n, pa.large_string())
    )
    source_id = pc.if_else(pc.equal(source_id, ""), name, source_id)
    title = text("source_title") if "source_title" in present else source_id
    if title.null_count:
        title = pc.coalesce(title, source_id)
    title_np: np.ndarray | None = None
    url_np: np.ndarray | None = None
    starts, ends = counts.get("excerpt_start"), counts.get("excerpt_end")
    for sid in pc.unique(source_id).to_pylist():
        rows = np.flatnonzero(pc.equal(source_id, sid).to_numpy(zero_copy_only=False))
        doc = stored_document(sid)
        if doc is None:
            has = np.zeros(n, dtype=bool)
            for offsets in (starts, ends):
                if offsets is not None:
                    has[rows] |= ~np.isnan(offsets[rows])
            p.add(has, "excerpt_start", source_id, offsets_without_document(sid))
            continue
        if title_np is None or url_np is None:
            title_np, url_np = np.asarray(title.to_pylist(), dtype=object), np.asarray(url.to_pylist(), dtype=object)
        title_np[rows] = doc.citation()
        url_np[rows] = [u or doc.url for u in url_np[rows]]
        for r in rows.tolist():
            s_ = None if starts is None or np.isnan(starts[r]) else int(starts[r])
            e_ = None if ends is None or np.isnan(ends[r]) else int(ends[r])
            problem = quote_problem(doc, s_, e_, excerpt[r].as_py())
            if problem:
                p.add(_one(n, r), problem[0], source_id if problem[0] == "excerpt_start" else excerpt, problem[1])
    if title_np is not None:
        title, url = pa.array(title_np, pa.large_string()), pa.array(url_np, pa.large_string())

    keep = ~p.bad
    columns = {
        "event_id": event_id,
        "date_precision": _filled(text("date_precision")),
        "geo_precision": _filled(text("geo_precision")),
        "excerpt": excerpt,
        "source_id": source_id,
        "source_title": title,
        "source_url": url,
    }
    for c, default in (("event_type", "unspecified"), ("location", "")):
        values = (
            pc.utf8_trim_whitespace(pc.fill_null(text(c), "")) if c in present else pa.array([default] * n, pa.large_string())
        )
        columns[c] = pc.if_else(pc.equal(values, ""), default, values) if default else values
    for c in ("coding_note", "reliability"):
        if c in present:
            columns[c] = text(c)
    table_out = pa.table({k: v if isinstance(v, pa.ChunkedArray) else pa.chunked_array([v]) for k, v in columns.items()})
    actors = _actors(col("actors")) if "actors" in present else None
    table = None  # from here on only the kept rows are held (the closures above are done with it)
    del columns, excerpt
    frame = (table_out if keep.all() else table_out.filter(pa.array(keep))).to_pandas()
    del table_out
    _give_back_memory()
    frame.index = pd.RangeIndex(1, n + 1)[keep]
    frame["dataset"] = dataset
    frame["date_start"] = start[keep]
    frame["date_end"] = end[keep]
    if best is not None:
        frame["date_best"] = best[keep]
    frame["actors"] = actors[keep] if actors is not None else _empty_tuples(int(keep.sum()))
    frame["regions"] = _empty_tuples(int(keep.sum()))  # derived later from the coordinates
    for c, values in counts.items():
        frame[c] = values[keep]
    events = gpd.GeoDataFrame(frame, geometry=geoms[keep] if geoms is not None else shapely.points(x[keep], y[keep]), crs=CRS)
    return ReadResult(conform(events, tuples=("actors", "regions")), p.items, n)


def _filled(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``values`` with nulls as empty strings (the same array, not a copy, when there are none)."""
    return pc.fill_null(values, "") if values.null_count else values


def _empty_tuples(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out[:] = [()] * n
    return out


def _one(n: int, r: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[r] = True
    return mask


def _dates(column: pa.ChunkedArray) -> tuple[np.ndarray, pa.ChunkedArray]:
    """Day values as datetime64[s] (NaT where missing or unreadable), and the raw values for reports."""
    if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
        values = pc.cast(pc.cast(column, pa.timestamp("s")), pa.int64()).to_numpy(zero_copy_only=False)
        out = np.where(np.isnan(values.astype(float)), np.datetime64("NaT"), values.astype("datetime64[s]"))
        return out.astype("datetime64[s]"), column  # reports quote the few bad values, not a text copy of all
    raw = pc.cast(column, pa.large_string())
    parsed = pd.to_datetime(pd.Series(raw.to_pylist(), dtype=object), errors="coerce", format="%Y-%m-%d")
    return parsed.to_numpy().astype("datetime64[s]"), raw


def _points(
    column: pa.ChunkedArray, info: dict[str, Any], p: _Problems
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """x, y, a validity mask and the decoded geometries (WKB only) from WKB or GeoArrow points.

    Bad geometries are rejected.
    """
    n = len(column)
    if info.get("encoding", "WKB").lower() == "point":
        xs = pc.struct_field(column, "x").to_numpy(zero_copy_only=False).astype(float)
        ys = pc.struct_field(column, "y").to_numpy(zero_copy_only=False).astype(float)
        missing = column.is_null().to_numpy(zero_copy_only=False)
        p.add(missing, "geometry", "", "missing geometry")
        ok = ~missing & ~np.isnan(xs) & ~np.isnan(ys)
        p.add(~missing & ~ok, "geometry", "POINT EMPTY", "empty point")
        return xs, ys, ok, None
    plain = plain_wkb_points(column)
    if plain is not None:  # the common case, read without a Python object per row
        xs, ys = plain
        ok = ~np.isnan(xs) & ~np.isnan(ys)
        p.add(~ok, "geometry", "POINT EMPTY", "empty point")
        return xs, ys, ok, None
    try:
        geoms = shapely.from_wkb(column.to_numpy(zero_copy_only=False), on_invalid="ignore")
    except Exception as exc:  # noqa: BLE001 - report the file, not a traceback
        raise IncidentDataError(
            Rejection(p.name, None, "geometry", "", f"unreadable geometry column ({shorten(exc, 120)})")
        ) from exc
    type_id = np.asarray(shapely.get_type_id(geoms))
    is_point = type_id == 0
    if not is_point.all():
        found = np.where(type_id < 0, "missing or unreadable", type_id.astype(str))
        p.add(~is_point, "geometry", found, "expected a point geometry")
    empty = is_point & np.asarray(shapely.is_empty(geoms))
    p.add(empty, "geometry", "POINT EMPTY", "empty point")
    ok = is_point & ~empty
    has_z = np.zeros(n, dtype=bool)
    has_z[ok] = shapely.has_z(geoms[ok])
    p.add(has_z, "geometry", "3-D", "3-D coordinates; expected 2-D")
    ok &= ~has_z
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    x[ok] = shapely.get_x(geoms[ok])
    y[ok] = shapely.get_y(geoms[ok])
    return x, y, ok, geoms


def _counts(column: pa.ChunkedArray, name: str, p: _Problems) -> np.ndarray:
    """Whole numbers >= 0 as floats (NaN where empty); anything else is rejected."""
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_null(column.type):
        values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    else:
        raw_text = pc.cast(column, pa.large_string())
        values = pd.to_numeric(pd.Series(raw_text.to_pylist(), dtype=object), errors="coerce").to_numpy(dtype=float)
        not_number = np.isnan(values) & ~raw_text.is_null().to_numpy(zero_copy_only=False)
        p.add(not_number, name, raw_text, "expected a whole number >= 0 or empty")
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & ((values < 0) | (values != np.round(values)) | np.isinf(values))
    p.add(bad, name, values, "expected a whole number >= 0 or empty")
    values = np.array(values, dtype=float)  # a copy
    values[bad] = np.nan
    return values


def _actors(column: pa.ChunkedArray) -> np.ndarray:
    """Lists of names -> tuples of canonical names; one lookup per distinct list."""
    table = actor_table()
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        joined = pc.binary_join(pc.cast(column, pa.list_(pa.string())), "\x1f")
    else:  # a plain string column: names separated by ';'
        joined = pc.replace_substring(pc.cast(column, pa.string()), ";", "\x1f")
    encoded = pc.fill_null(joined, "").combine_chunks().dictionary_encode()
    mapped = np.empty(len(encoded.dictionary), dtype=object)
    mapped[:] = [
        tuple(dict.fromkeys(table.canonical(a) for a in u.split("\x1f") if a.strip())) if u else ()
        for u in encoded.dictionary.to_pylist()
    ]
    return np.asarray(mapped[encoded.indices.to_numpy(zero_copy_only=False)], dtype=object)


__all__ = ["FORMAT", "read_geoparquet"]


#: GeoParquet with the project's columns, detected by Parquet's magic bytes.
FORMAT = Format(
    "geoparquet",
    "GeoParquet (project columns)",
    lambda s: s.magic[:4] == MAGIC,
    read_binary=read_geoparquet,
    extensions=("parquet",),
)
