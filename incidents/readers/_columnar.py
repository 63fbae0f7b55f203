"""Reading a CSV by columns: the fast path for large files, with the row reader for every row it cannot vouch for.

pyarrow splits the file into columns of text. A layout's column parser applies the same cell
rules its row parser does (the date in the file's convention, codes, counts, the alias table),
once per distinct value or combination of values, and marks a row *in doubt* wherever a rule
fails or the row needs something only the row parser does: a message, a repair, a placement
by name. Rows in doubt are read by the row parser itself, so every rejection, repair and
inference is the row reader's own, word for word; the rows the column parser vouches for are
built as whole columns. A test reads every fixture both ways and compares the results.

A file pyarrow would not split as the csv module does (rows of another length than the
header, a header over several lines) is left to the row reader: :func:`split` returns ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import shapely

from incidents.geo.position import maybe_swapped
from incidents.model.dates import UNORDERED, DateReading
from incidents.model.schema import CRS, INT_COLUMNS, conform, empty_events
from incidents.model.validate import FieldError  # noqa: F401 - re-exported for column parsers

#: A character ``str.strip`` keeps: the complement of Python's whitespace, as an RE2 class for Arrow.
#: (No character above U+3000 is whitespace; a test checks it against every code point.)
SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_NOT_SPACE = "[^" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACES) + "]"
_EDGE_SPACE = "^[" + _NOT_SPACE[2:-1] + "]|[" + _NOT_SPACE[2:-1] + "]$"
#: Bytes pyarrow reads at a time (several blocks are split in parallel).
BLOCK_SIZE = 8 << 20


def split(text: str, names: Sequence[str], data: bytes | None = None) -> pa.Table | None:
    """The data rows of CSV ``text`` as columns of text, ``c0``, ``c1``, ... (its header has ``names``).

    ``data`` is the text's UTF-8, if at hand.

    ``None`` when the column reader would not split the file as the csv module does: a header
    with a line break inside quotes, or a row with more or fewer cells than the header.
    """
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    if text[:end].count('"') % 2:  # the header goes on past its first line
        return None
    columns = [f"c{i}" for i in range(len(names))]
    try:
        return pv.read_csv(
            pa.BufferReader(text.encode("utf-8") if data is None else data),
            read_options=pv.ReadOptions(column_names=columns, skip_rows=1, block_size=BLOCK_SIZE),
            parse_options=pv.ParseOptions(newlines_in_values=True),
            convert_options=pv.ConvertOptions(column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False),
        )
    except pa.ArrowInvalid:  # a row of another length: the csv module's reading of it is the row reader's
        return None


class Columns:
    """A file's cells as columns, the rules applied to them, and the rows left in doubt.

    Parameters
    ----------
    table : pyarrow.Table
        The data rows, one text column per header position (from :func:`split`).
    names : sequence of str
        The header's names (as the row reader sees them), by position.
    dates : DateReading
        The file's date convention.

    """

    def __init__(self, table: pa.Table, names: Sequence[str], *, dates: DateReading = UNORDERED, skip: int = 0, name: str = ""):
        self.name = name  # the file's name (a default some layouts give, as the row reader's ``check.file``)
        self.table = table.slice(skip)
        self.position = {n: i for i, n in enumerate(names)}  # a name given twice (only empty ones can be): the last
        self.names = list(names)
        self.n = self.table.num_rows
        self.dates = dates
        self.doubt = np.zeros(self.n, dtype=bool)
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}

    def has(self, key: str) -> bool:
        """Whether the header has column ``key``."""
        return key in self.position

    def column(self, key: str) -> pa.ChunkedArray:
        """Column ``key`` as Arrow text, in the chunks it was read in (empty strings when the header lacks it)."""
        found = self.position.get(key)
        return pa.chunked_array([pa.array([""] * self.n, pa.string())]) if found is None else self.table.column(found)

    def distinct(self, key: str) -> tuple[np.ndarray, list[str]]:
        """Each row's index into the column's distinct values (in order of first appearance), and those values."""
        if key not in self._codes:
            encoded = self.column(key).combine_chunks().dictionary_encode()
            self._codes[key] = (encoded.indices.to_numpy(), encoded.dictionary.to_pylist())
        return self._codes[key]

    def rule(self, keys: Sequence[str], fn: Callable[..., Any], *, width: int = 0, kind: Any = None) -> Any:
        """``fn(*cells)`` for each row, computed once per distinct combination of the cells of ``keys``.

        Where ``fn`` raises :class:`FieldError` the row is in doubt (and its value ``None``): the
        row parser reads it and says why. ``width``: ``fn`` returns that many values, and so many
        arrays are returned. ``kind`` (one, or one per value): the values as Python objects
        (``None``), Arrow text (``STR``) or a NumPy dtype (``None`` becomes ``NaT`` or ``nan``).
        """
        codes, values = self._combined(keys)
        out = np.empty(len(values), dtype=object)
        failed = np.zeros(len(values), dtype=bool)
        for i, cells in enumerate(values):
            try:
                out[i] = fn(*cells)
            except FieldError:
                failed[i] = True
        self.doubt |= failed[codes]
        if not width:
            return _taken(out, codes, kind)
        parts = [np.empty(len(values), dtype=object) for _ in range(width)]
        for i, value in enumerate(out.tolist()):
            if value is not None:
                for k in range(width):
                    parts[k][i] = value[k]
        kinds = kind if isinstance(kind, list) else [kind] * width
        return tuple(_taken(part, codes, k) for part, k in zip(parts, kinds))

    def blank(self, key: str) -> np.ndarray:
        """Which cells of ``key`` are empty or whitespace alone (as ``str.strip`` sees whitespace)."""
        return ~pc.match_substring_regex(self.column(key), _NOT_SPACE).to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]

    def stripped(self, key: str, *, required: bool = False) -> pa.Array:
        """Column ``key`` as ``str.strip`` leaves it, as Arrow text (``required``: an empty cell puts its row in doubt)."""
        if required:
            self.doubt |= self.blank(key)
        if not self.padded(key):
            return self.column(key)
        stripped: pa.Array = self.rule((key,), str.strip, kind=STR)
        return stripped

    def padded(self, key: str) -> bool:
        """Whether some cell of ``key`` starts or ends with whitespace."""
        return bool(pc.any(pc.match_substring_regex(self.column(key), _EDGE_SPACE)).as_py())

    def number(self, key: str, *, lo: float, hi: float) -> np.ndarray:
        """Column ``key`` as finite numbers in ``[lo, hi]``; other rows in doubt (``nan``)."""
        try:
            values = pc.cast(self.column(key), pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # some cell is not a number as Arrow writes them: read each distinct one as Python does
            values = self.rule((key,), _float).astype(float)
        bad = ~np.isfinite(values) | (values < lo) | (values > hi)
        self.doubt |= bad
        return np.where(bad, np.nan, values)

    def point(self, lat_key: str, lon_key: str) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude; rows that may be a swapped pair are in doubt (the row parser decides and repairs)."""
        lat = self.number(lat_key, lo=-90, hi=90)
        lon = self.number(lon_key, lo=-180, hi=180)
        self.doubt |= maybe_swapped(lat, lon)
        return lat, lon

    def _combined(self, keys: Sequence[str]) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Each row's index into the distinct combinations of ``keys``' cells, and the combinations."""
        codes = np.zeros(self.n, dtype=np.int64)
        for key in keys:
            own, values = self.distinct(key)
            codes = codes * len(values) + own
            if len(keys) > 1:  # numbered again at each step: the product of distinct counts could overflow
                codes = pd.factorize(codes)[0]
        if len(keys) == 1:
            _, values = self.distinct(keys[0])
            return codes, [(v,) for v in values]
        cells = [self.distinct(k) for k in keys]
        return codes, [tuple(values[own[row]] for own, values in cells) for row in _first_rows(codes).tolist()]

    def in_order(self, keys: Sequence[str]) -> list[tuple[int, str]]:
        """Each distinct value of the columns ``keys`` at its first row (numbered from 1), in the order a row reader meets them.

        Rows are read in order and, within a row, ``keys`` in order: what a reader looking for
        the first value of some kind finds first is found first here too.
        """
        found: list[tuple[int, int, str]] = []
        for k, key in enumerate(keys):
            codes, values = self.distinct(key)
            found += [(row, k, value) for row, value in zip(_first_rows(codes).tolist(), values)]
        return [(row + 1, value) for row, _, value in sorted(found)]

    def doubtful_rows(self) -> list[tuple[int, dict[str, Any]]]:
        """The rows in doubt, numbered from 1, as the row reader's cells (name -> text)."""
        where = np.flatnonzero(self.doubt)
        rows = self.table.take(pa.array(where)).to_pylist() if len(where) else []
        return [(int(at) + 1, {self.names[i]: cells[f"c{i}"] for i in range(len(self.names))}) for at, cells in zip(where, rows)]


#: A rule's values as Arrow text (see :meth:`Columns.rule`).
STR = "str"


def _taken(distinct: np.ndarray, codes: np.ndarray, kind: Any) -> Any:
    """Each row's value from the values of the distinct combinations, as ``kind`` says."""
    if kind is None:
        return distinct[codes]
    if kind == STR:
        return pa.array(distinct.tolist(), pa.string()).take(pa.array(codes))
    if isinstance(kind, tuple):  # categories
        return pd.Categorical(distinct, categories=kind)[codes]
    return np.array(distinct.tolist(), dtype=kind)[codes]


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The first row of each code, for codes numbered in order of first appearance (as factorising numbers them)."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    highest = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[True, highest[1:] > highest[:-1]])


def code_of(text: str, table: Mapping[int, str]) -> str:
    """The value of a numeric code in ``table`` (as :meth:`RowCheck.code` reads it; its message is the row parser's)."""
    try:
        return table[int(text.strip())]
    except (ValueError, KeyError) as exc:
        raise FieldError("not a code") from exc


def constant_category(value: str, categories: tuple[str, ...], n: int) -> pd.Categorical[str]:
    """``n`` rows of one category."""
    codes = np.full(n, categories.index(value), dtype=np.int8)
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories)))


def constant_tuple(n: int, value: tuple[str, ...] = ()) -> np.ndarray:
    """``n`` rows of one tuple (an object array)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def events_from_columns(values: Mapping[str, Any], keep: np.ndarray) -> gpd.GeoDataFrame:
    """The model frame of rows ``keep`` (a mask) from whole columns (model fields, ``lon``, ``lat``), indexed by row number.

    A column is a NumPy array, an Arrow array (text) or one value for every row.
    """
    rows = np.flatnonzero(keep)
    if not len(rows):
        return empty_events()
    mask = None if keep.all() else pa.array(keep)
    data: dict[str, Any] = {}
    for key, value in values.items():
        if key in INT_COLUMNS:  # floats with nan where not stated, or None for all
            whole = np.full(len(rows), np.nan) if value is None else value[keep]
            missing = np.isnan(whole)
            data[key] = pd.arrays.IntegerArray(np.where(missing, 0, whole).astype(np.int64), missing)
        elif isinstance(value, (np.ndarray, pd.Categorical)):
            data[key] = value[keep]
        elif isinstance(value, (pa.Array, pa.ChunkedArray)):
            data[key] = (value if mask is None else value.filter(mask)).to_pandas().array
        else:
            data[key] = value
    data["regions"] = constant_tuple(len(rows))  # joined later, from the point
    geometry = shapely.points(data.pop("lon"), data.pop("lat"))
    frame = gpd.GeoDataFrame(data, geometry=geometry, crs=CRS, index=rows + 1)
    return conform(frame, tuples=("actors", "regions"))


def joined(fast: gpd.GeoDataFrame, slow: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The events read by columns and by rows, in row order."""
    if slow.empty:
        return fast
    if fast.empty:
        return slow
    return conform(gpd.GeoDataFrame(pd.concat([fast, slow]).sort_index(kind="stable"), crs=CRS), tuples=("actors", "regions"))
