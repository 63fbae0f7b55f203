"""A columnar index over a loaded event frame, so that filtering a million rows stays cheap.

Built once per load (the frame is immutable afterwards). List-valued columns (``actors``,
``regions``) are factorised into *combinations*: each row holds the code of its tuple, and a
facet test runs once per distinct tuple, not once per row. Dates are day numbers; text search
runs on Arrow string arrays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Combos:
    """A tuple-valued column as codes into a table of distinct tuples."""

    codes: np.ndarray  # int32, one per row
    values: tuple[tuple[str, ...], ...]

    @classmethod
    def build(cls, column: pd.Series) -> Combos:
        """Factorise a column of tuples."""
        codes, uniques = pd.factorize(pd.Series(column.to_numpy(), dtype=object), use_na_sentinel=False)
        return cls(codes.astype(np.int32), tuple(tuple(u) for u in uniques))

    def matches(self, wanted: frozenset[str]) -> np.ndarray:
        """Per row, whether its tuple shares a value with ``wanted``."""
        hit = np.fromiter((not wanted.isdisjoint(v) for v in self.values), dtype=bool, count=len(self.values))
        return np.asarray(hit[self.codes], dtype=bool)

    def counts(self, rows: np.ndarray | None = None) -> Counter[str]:
        """How many rows (all, or those in the boolean/positional ``rows``) hold each value."""
        codes = self.codes if rows is None else self.codes[rows]
        per_combo = np.bincount(codes, minlength=len(self.values))
        out: Counter[str] = Counter()
        for combo, n in zip(self.values, per_combo.tolist()):
            if n:
                for v in combo:
                    out[v] += n
        return out


@dataclass(frozen=True)
class Codes:
    """A string column as codes into its distinct values."""

    codes: np.ndarray
    values: tuple[str, ...]

    @classmethod
    def build(cls, column: pd.Series) -> Codes:
        """Factorise a string column."""
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        return cls(codes.astype(np.int32), tuple(str(u) for u in uniques))

    def matches(self, wanted: frozenset[str]) -> np.ndarray:
        """Per row, whether its value is in ``wanted``."""
        hit = np.array([v in wanted for v in self.values], dtype=bool)
        return hit[self.codes] if len(self.values) else np.zeros(len(self.codes), dtype=bool)


@dataclass(frozen=True)
class EventIndex:
    """Columns of an event frame in the shapes filters and the map need."""

    n: int
    start_day: np.ndarray  # int32 days since 1970-01-01
    end_day: np.ndarray
    lat: np.ndarray  # float64
    lon: np.ndarray
    precision: np.ndarray  # int8 code into GEO_PRECISIONS
    actors: Combos
    regions: Combos
    event_type: Codes
    dataset: Codes
    excerpt: pa.ChunkedArray
    location: pa.ChunkedArray
    fatalities: np.ndarray  # float64, NaN where not stated
    event_ids: pd.Index
    reliability: np.ndarray  # int8: 0 (A) .. 5 (F), the source's grade
    credibility: np.ndarray  # int8: 1 .. 6, the event's grade
    #: Columns derived from the points by other modules when first asked for (distances to a line, areas), then kept.
    _derived: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: tuple[str, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
        """The column kept under ``key``, made by ``make`` (one value per row) the first time it is asked for.

        The index knows nothing of what the columns mean: the modules that derive them name them
        (:func:`incidents.query.near.distance_to`, :func:`incidents.query.area.area_codes`). The
        column is made read-only, as the index is immutable.
        """
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = make()
            found.flags.writeable = False
        return found

    def key_of(self, event_id: object) -> int | None:
        """The row position of ``event_id``, or ``None``."""
        if not isinstance(event_id, str):
            return None
        try:
            loc = self.event_ids.get_loc(event_id)
        except KeyError:
            return None
        return int(loc) if isinstance(loc, (int, np.integer)) else None

    @classmethod
    def build(cls, frame: pd.DataFrame) -> EventIndex:
        """Index ``frame`` (an event-model frame). Row positions are the keys used everywhere."""
        geoms = frame.geometry
        return cls(
            n=len(frame),
            start_day=_days(frame["date_start"]),
            end_day=_days(frame["date_end"]),
            lat=geoms.y.to_numpy(dtype=float),
            lon=geoms.x.to_numpy(dtype=float),
            precision=frame["geo_precision"].cat.codes.to_numpy().astype(np.int8),
            actors=Combos.build(frame["actors"]),
            regions=Combos.build(frame["regions"]),
            event_type=Codes.build(frame["event_type"]),
            dataset=Codes.build(frame["dataset"]),
            excerpt=_arrow_text(frame["excerpt"]),
            location=_arrow_text(frame["location"]),
            fatalities=frame["fatalities"].to_numpy(dtype=float, na_value=np.nan),
            event_ids=pd.Index(frame["event_id"]),
            reliability=frame["reliability"].cat.codes.to_numpy().astype(np.int8),
            credibility=frame["credibility"].to_numpy(dtype=np.int64, na_value=6).astype(np.int8),
        )

    def date_bounds(self) -> tuple[date, date]:
        """The first and last possible day of the loaded events (1989 to today when there are none)."""
        if not self.n:
            return date(1989, 1, 1), date.today()
        return from_day(int(self.start_day.min())), from_day(int(self.end_day.max()))

    def most_recent(self, rows: np.ndarray, limit: int) -> np.ndarray:
        """At most ``limit`` of the positions ``rows``, latest ``date_start`` first (ties in row order)."""
        order = np.lexsort((rows, -self.start_day[rows].astype(np.int64)))
        return rows[order[:limit]]

    @staticmethod
    def contains(rows: np.ndarray, key: int) -> bool:
        """Whether the sorted positions ``rows`` (a filter's result) include ``key``."""
        i = int(np.searchsorted(rows, key))
        return i < len(rows) and rows[i] == key

    def text_contains(self, needle: str) -> np.ndarray:
        """Per row, whether the excerpt or the location contains ``needle`` (case-insensitive)."""
        hits = np.zeros(self.n, dtype=bool)
        for arr in (self.excerpt, self.location):
            found = pc.match_substring(arr, needle, ignore_case=True).fill_null(False)
            hits |= found.to_numpy()
        return hits


def to_day(d: date) -> int:
    """A calendar date as the day number the index stores (days since 1970-01-01)."""
    return int(np.datetime64(d, "D").astype(np.int64))


def from_day(n: int) -> date:
    """The calendar date of day number ``n``."""
    return date.fromordinal(_EPOCH + int(n))


_EPOCH = date(1970, 1, 1).toordinal()


def _days(column: pd.Series) -> np.ndarray:
    return column.to_numpy().astype("datetime64[D]").astype(np.int64).astype(np.int32)


def _arrow_text(column: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow strings (zero-copy for pandas' Arrow-backed ``str`` dtype)."""
    if hasattr(column.array, "__arrow_array__"):
        arr = column.array.__arrow_array__()
        return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
    return pa.chunked_array([pa.array(column.astype(object).where(column.notna(), None).to_numpy(), type=pa.large_string())])
