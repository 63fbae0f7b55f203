"""Pure filters over the event frame: ``(frame, EventFilter) -> frame``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from incidents.index import EventIndex, to_day


@dataclass(frozen=True)
class EventFilter:
    """What the user asked to see. ``None`` (or an empty set) for a facet means "no limit".

    Attributes
    ----------
    date_from, date_to : date or None
        Inclusive window. An event matches when its possible dates (``date_start`` to
        ``date_end``) overlap the window, so an event known only to "2025" shows in a
        March 2025 window; its precision says how loosely it is dated.
    groups : frozenset of str or None
        Canonical group names; an event matches if any of its actors is selected.
    event_types, regions, datasets : frozenset of str or None
        An event matches if its type / any of its regions / its dataset is selected.
    text : str
        Case-insensitive substring searched in the excerpt and the location.

    """

    date_from: date | None = None
    date_to: date | None = None
    groups: frozenset[str] | None = None
    event_types: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    datasets: frozenset[str] | None = None
    text: str = ""


def filter_mask(events: pd.DataFrame | EventIndex, f: EventFilter) -> np.ndarray:
    """Boolean mask of the rows of ``events`` (a frame, or its :class:`EventIndex`) that match ``f``.

    Pass the index when filtering the same frame repeatedly: building it is the costly part.
    """
    index = events if isinstance(events, EventIndex) else EventIndex.build(events)
    mask = np.ones(index.n, dtype=bool)
    if f.date_from is not None:
        mask &= index.end_day >= to_day(f.date_from)
    if f.date_to is not None:
        mask &= index.start_day <= to_day(f.date_to)
    if f.groups:
        mask &= index.actors.any_in(f.groups)
    if f.event_types:
        mask &= index.event_type.isin(f.event_types)
    if f.regions:
        mask &= index.regions.any_in(f.regions)
    if f.datasets:
        mask &= index.dataset.isin(f.datasets)
    needle = f.text.strip()
    if needle:
        mask &= index.text_contains(needle)
    return mask


def apply_filter(frame: pd.DataFrame, f: EventFilter) -> pd.DataFrame:
    """The rows of ``frame`` that match ``f`` (index kept, so rows stay traceable)."""
    return frame[filter_mask(frame, f)]


def _month(d: date) -> str:
    return f"{d:%b %Y}"


def _names(values: frozenset[str], limit: int = 3) -> str:
    ordered = sorted(values)
    shown = " or ".join(ordered[:limit])
    return shown + (f" (+{len(ordered) - limit} more)" if len(ordered) > limit else "")


def describe(n: int, f: EventFilter) -> str:
    """A caption such as ``12 incidents, Mar 2025–Jun 2025, Lashkar-e-Taiba or ISKP``."""
    parts = [f"{n:,} incident" + ("" if n == 1 else "s")]
    if f.date_from or f.date_to:
        start = _month(f.date_from) if f.date_from else "…"
        end = _month(f.date_to) if f.date_to else "…"
        parts.append(start if start == end else f"{start}\u2013{end}")
    for values in (f.groups, f.event_types, f.regions, f.datasets):
        if values:
            parts.append(_names(values))
    if f.text.strip():
        parts.append(f"matching \u201c{f.text.strip()}\u201d")
    return ", ".join(parts)


#: Query-string parameter for each facet (lists repeat the parameter: ``?group=A&group=B``).
QUERY_KEYS = {
    "date_from": "from",
    "date_to": "to",
    "groups": "group",
    "event_types": "type",
    "regions": "region",
    "datasets": "dataset",
    "text": "q",
}


def to_query(f: EventFilter) -> dict[str, list[str] | str]:
    """The filter as query-string parameters (only the facets that limit anything)."""
    query: dict[str, list[str] | str] = {}
    if f.date_from:
        query[QUERY_KEYS["date_from"]] = f.date_from.isoformat()
    if f.date_to:
        query[QUERY_KEYS["date_to"]] = f.date_to.isoformat()
    for facet in ("groups", "event_types", "regions", "datasets"):
        values = getattr(f, facet)
        if values:
            query[QUERY_KEYS[facet]] = sorted(values)
    if f.text.strip():
        query[QUERY_KEYS["text"]] = f.text.strip()
    return query


def from_query(params: dict[str, list[str]], options: dict[str, set[str]]) -> tuple[EventFilter, list[str]]:
    """Read a filter from query-string parameters (each a list of values).

    ``options`` holds the allowed values per list facet (``groups``, ``event_types``,
    ``regions``, ``datasets``). Unknown values and malformed dates are left out and
    described in the returned list of notes, so a stale link still opens.
    """
    notes: list[str] = []

    def one_date(key: str) -> date | None:
        values = params.get(QUERY_KEYS[key]) or []
        if not values:
            return None
        try:
            return date.fromisoformat(values[-1])
        except ValueError:
            notes.append(f"ignored {QUERY_KEYS[key]}={values[-1]!r}: not a YYYY-MM-DD date")
            return None

    facets: dict[str, frozenset[str] | None] = {}
    for facet in ("groups", "event_types", "regions", "datasets"):
        wanted = params.get(QUERY_KEYS[facet]) or []
        known = [v for v in wanted if v in options.get(facet, set())]
        for v in wanted:
            if v not in options.get(facet, set()):
                notes.append(f"ignored {QUERY_KEYS[facet]}={v!r}: no such value in the loaded data")
        facets[facet] = frozenset(known) or None
    text = (params.get(QUERY_KEYS["text"]) or [""])[-1]
    return EventFilter(date_from=one_date("date_from"), date_to=one_date("date_to"), text=text, **facets), notes
