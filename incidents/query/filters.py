"""What the user asked to see (:class:`EventFilter`), and what follows from it, facet by facet.

Everything here is driven by the facet registry (:data:`incidents.query.registry.FACETS`): the mask,
the one-line description and the query string, so a new facet needs no change here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.query.facets import Facet, Params, Query
from incidents.query.index import EventIndex
from incidents.query.registry import FACETS

if TYPE_CHECKING:
    from incidents.query.sql import Condition

#: Query-string keys of a dashboard link that are not filters: the page's own (the selected incident,
#: the view settings, the document shown). ``incidents export`` takes a link copied from the page and
#: cannot import the page, so it knows them here; their owners declare them in ``views/`` and
#: ``tests/test_keys.py`` checks that this list is exactly what they declare.
PAGE_KEYS: tuple[str, ...] = ("incident", "view", "by", "count", "map", "doc")


class EventFilter(Mapping[str, Any]):
    """An immutable choice of facet values: ``EventFilter(groups={"ISKP"}, dates=(start, None))``.

    Keys are facet names (see :data:`incidents.query.registry.FACETS`); each value is normalized by its
    facet, and a facet that limits nothing (``None``, an empty set, blank text) is left out, so
    ``EventFilter()`` shows everything and two filters that show the same are equal.

    Raises
    ------
    TypeError
        For a name that is not a registered facet.

    """

    __slots__ = ("_values",)

    def __init__(self, **values: Any):
        unknown = sorted(set(values) - set(FACETS))
        if unknown:
            raise TypeError(f"unknown facets {unknown}; known: {', '.join(FACETS)}")
        normalized = {name: FACETS[name].normalize(values[name]) for name in FACETS if name in values}
        self._values = {name: v for name, v in normalized.items() if v is not None}

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(frozenset(self._values.items()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"EventFilter({inner})"


def filter_mask(events: pd.DataFrame | EventIndex, f: EventFilter) -> np.ndarray:
    """Boolean mask of the rows of ``events`` (a frame, or its :class:`EventIndex`) that match ``f``.

    Pass the index when filtering the same frame repeatedly: building it is the costly part.
    """
    index = events if isinstance(events, EventIndex) else EventIndex.build(events)
    mask = np.ones(index.n, dtype=bool)
    for name, value in f.items():
        mask &= FACETS[name].mask(index, value)
    return mask


def apply_filter(frame: pd.DataFrame, f: EventFilter) -> pd.DataFrame:
    """The rows of ``frame`` that match ``f`` (index kept, so rows stay traceable)."""
    return frame[filter_mask(frame, f)]


def describe(n: int, f: EventFilter) -> str:
    """A caption such as ``12 incidents, Mar 2025–Jun 2025, Lashkar-e-Taiba or ISKP``."""
    parts = [f"{n:,} incident" + ("" if n == 1 else "s")]
    parts += [facet.describe(f[name]) for name, facet in FACETS.items() if name in f]
    return ", ".join(parts)


def to_query(f: EventFilter) -> Query:
    """The filter as query-string parameters (only the facets that limit anything)."""
    query: Query = {}
    for name, facet in FACETS.items():
        if name in f:
            query.update(facet.write(f[name]))
    return query


def from_query(
    params: Params, index: EventIndex | None, *, other_keys: tuple[str, ...] = PAGE_KEYS
) -> tuple[EventFilter, list[str]]:
    """Read a filter from query-string parameters (each key with its list of values).

    Values the loaded events in ``index`` do not offer and malformed dates are left out and
    described in the returned notes, so a stale link still opens; so are keys that no facet
    reads (``other_keys`` are read elsewhere: the selected incident, the view). Without ``index`` (a
    filter run in the database) every value is taken.
    """
    values: dict[str, Any] = {}
    known = {k for f in FACETS.values() for k in f.keys} | set(other_keys)
    notes = [f"ignored {k}={v!r}: not a filter" for k in params if k not in known for v in params[k]]
    for name, facet in FACETS.items():
        values[name], facet_notes = facet.read(params, index)
        notes += facet_notes
    return EventFilter(**values), notes


def remarks(index: EventIndex, f: EventFilter) -> list[str]:
    """Each facet's line about what it leaves out (see :meth:`~incidents.query.facets.Facet.remark`)."""
    out = []
    for name, value in f.items():
        if type(FACETS[name]).remark is Facet.remark:
            continue  # a facet with nothing to say costs no mask
        others = filter_mask(index, EventFilter(**{k: v for k, v in f.items() if k != name}))
        line = FACETS[name].remark(index, value, others)
        if line:
            out.append(line)
    return out


def split(f: EventFilter) -> tuple[EventFilter, EventFilter]:
    """``f`` as the part the database can run (:func:`where`) and the part that runs in memory after it.

    A facet runs in the database when its :meth:`~incidents.query.facets.Facet.where` gives a
    condition, in memory when it gives ``None``.
    """
    db = {k: v for k, v in f.items() if FACETS[k].where(v) is not None}
    return EventFilter(**db), EventFilter(**{k: v for k, v in f.items() if k not in db})


def where(f: EventFilter) -> Condition:
    """The filter as one SQL condition over the store's tables (bound parameters only).

    Raises
    ------
    ValueError
        When ``f`` holds a facet that runs only in memory; :func:`split` it first.

    """
    from incidents.query import sql

    conditions = {name: FACETS[name].where(value) for name, value in f.items()}
    memory = [name for name, c in conditions.items() if c is None]
    if memory:
        raise ValueError(f"the {', '.join(memory)} filter runs in memory, not in the database; split() the filter first")
    return sql.all_of(c for c in conditions.values() if c is not None)
