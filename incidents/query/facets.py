"""Facets: one class per filter (in the spirit of datasette's ``Filter`` classes), and the built-in ones.

A facet owns everything about one way of narrowing the incidents shown:

- its name in an :class:`~incidents.query.filters.EventFilter` and its query-string keys;
- how it reads its value from the URL (notes for what it cannot use) and writes it back;
- the widget the dashboard draws for it (a :class:`Widget` description; no Streamlit here) and
  how a widget's state becomes its value and back;
- its mask over the :class:`~incidents.query.index.EventIndex`;
- its words in the one-line description ("12 incidents, Mar 2025–Jun 2025, LeT or ISKP");
- its SQL over the store's tables (:meth:`Facet.where`), or ``None``: then it runs in memory.

A value of ``None`` means "no limit"; :meth:`Facet.normalize` turns "nothing chosen" into it.
The facets in use, in order, are listed once in :mod:`incidents.query.registry`; adding one is a
class and a :func:`~incidents.query.registry.register` (see the README).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import numpy as np

from incidents.geo.joins import REGION_NAMES
from incidents.query.index import EventIndex, to_day

if TYPE_CHECKING:
    from incidents.query.sql import Condition

#: How the dashboard names the datasets of the store: "store: <name>".
STORE_PREFIX = "store: "
#: Query-string parameters as read from a URL: every value of each key, in order.
Params = Mapping[str, Sequence[str]]
#: Query-string parameters as written: one value, or a list (the key repeats: ``?group=A&group=B``).
Query = dict[str, str | list[str]]
#: A widget's state as Streamlit keeps it (a date pair, a list of options, text, a tuple of parts).
WidgetState = Any
#: A facet's value once normalized (hashable); ``None`` stands for "no limit".
V = TypeVar("V")


@dataclass(frozen=True)
class Widget:
    """What the dashboard draws for a facet; it knows how to draw each ``kind``.

    Attributes
    ----------
    kind : str
        ``date_range``, ``multiselect``, ``text`` or ``distance`` (a line, a distance, a tick box).
    key : str
        The widget's key (its state's name in the session).
    label : str
        The widget's label.
    options : tuple of str
        The choices of a ``multiselect``, in display order.
    labels : dict
        Text shown for an option, where it is not the option itself (e.g. with a count).
    bounds : (date, date) or None
        The first and last day a ``date_range`` offers.
    placeholder, caption : str
        Shown in an empty widget, and under the widget.
    parts : tuple of str
        A widget of several inputs names them: its state is a tuple, one per part (``<key>.<part>``).

    """

    kind: str
    key: str
    label: str
    options: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    bounds: tuple[date, date] | None = None
    placeholder: str = ""
    caption: str = ""
    parts: tuple[str, ...] = ()


class Facet(Generic[V]):
    """One filter, with values of type ``V``. Subclasses set the class attributes and implement the methods below.

    Every method but :meth:`remark` and :meth:`where` must be written; those two have defaults that
    say "nothing to remark" and "runs in memory only".
    """

    #: The facet's name in an EventFilter (``EventFilter(groups=...)``).
    name: ClassVar[str]
    #: The query-string keys it reads and writes.
    keys: ClassVar[tuple[str, ...]]
    #: The session key of its widget (of each part, ``<widget_key>.<part>``): views that set the filter use it.
    widget_key: ClassVar[str]

    def normalize(self, value: object) -> V | None:
        """The canonical form of ``value`` (hashable), or ``None`` when it limits nothing."""
        raise NotImplementedError

    def read(self, params: Params, index: EventIndex | None) -> tuple[V | None, list[str]]:
        """The value in the query-string ``params``, and a note for each part it cannot use.

        With ``index``, values the loaded events do not offer are left out (and noted); without
        it (a filter run in the database), every value is taken.
        """
        raise NotImplementedError

    def write(self, value: V) -> Query:
        """The query-string parameters for ``value`` (a normalized value, not ``None``)."""
        raise NotImplementedError

    def widget(self, index: EventIndex) -> Widget:
        """The widget for the loaded events in ``index``."""
        raise NotImplementedError

    def to_widget(self, value: V | None, widget: Widget) -> WidgetState:
        """The widget state that shows ``value`` (``None``: no limit)."""
        raise NotImplementedError

    def from_widget(self, state: WidgetState, widget: Widget) -> V | None:
        """The value a widget's ``state`` stands for (normalized; ``None``: no limit)."""
        raise NotImplementedError

    def mask(self, index: EventIndex, value: V) -> np.ndarray:
        """Per row of ``index``, whether the event passes ``value`` (a normalized value, not ``None``)."""
        raise NotImplementedError

    def describe(self, value: V) -> str:
        """The facet's words in the one-line description of a filter."""
        raise NotImplementedError

    def remark(self, index: EventIndex, value: V, others: np.ndarray) -> str | None:
        """A line for the page about what the facet leaves out of ``others`` (what passes the other facets), or ``None``."""
        return None

    def where(self, value: V) -> Condition | None:
        """The facet as a SQL condition over the store's tables (bound parameters, never spliced text), or ``None``.

        ``None``, the default, means the facet runs in memory only: a filter run in the database
        (``incidents export --in-database``) runs the other facets there and this one on what comes
        back (:func:`incidents.query.filters.split`). A condition selects exactly the events
        :meth:`mask` selects in memory. Build it with :mod:`incidents.query.sql`, imported here,
        inside the method, so that filtering in memory never loads SQLAlchemy.
        """
        return None


def last_value(params: Params, key: str) -> str | None:
    """The last value of ``key`` in ``params`` (a key that repeats: the last wins), or ``None``."""
    values = params.get(key) or []
    return values[-1] if values else None


#: A date window: first and last day, either end open (``None``).
DateWindow = tuple[date | None, date | None]


class DateFacet(Facet[DateWindow]):
    """The date window ``(from, to)``, either end open.

    An event passes when any of its possible dates (``date_start`` to ``date_end``) falls in the
    window, so an event known only to "2025" shows in a March 2025 window; its precision says how
    loosely it is dated.
    """

    name = "dates"
    keys = ("from", "to")
    widget_key = "date_range"

    def normalize(self, value: object) -> DateWindow | None:
        start, end = cast(DateWindow, value) if value is not None else (None, None)
        return None if start is None and end is None else (start, end)

    def read(self, params: Params, index: EventIndex | None) -> tuple[DateWindow | None, list[str]]:
        notes: list[str] = []
        ends: list[date | None] = []
        for key in self.keys:
            text = last_value(params, key)
            try:
                ends.append(date.fromisoformat(text) if text is not None else None)
            except ValueError:
                notes.append(f"ignored {key}={text!r}: not a YYYY-MM-DD date")
                ends.append(None)
        return self.normalize(tuple(ends)), notes

    def write(self, value: DateWindow) -> Query:
        return {key: d.isoformat() for key, d in zip(self.keys, value) if d is not None}

    def widget(self, index: EventIndex) -> Widget:
        return Widget(
            "date_range",
            self.widget_key,
            "Date range",
            bounds=index.date_bounds(),
            caption="An incident shows if any of its possible dates falls in the range.",
        )

    def to_widget(self, value: DateWindow | None, widget: Widget) -> tuple[date, date]:
        """The range shown: the data's limits where a bound is open, clamped to them."""
        assert widget.bounds is not None
        lo, hi = widget.bounds
        start, end = value or (None, None)
        first = min(max(start or lo, lo), hi)
        return first, max(min(end or hi, hi), first)

    def from_widget(self, state: WidgetState, widget: Widget) -> DateWindow | None:
        """A bound at the data's limit means no bound (so a link keeps working as data is added)."""
        assert widget.bounds is not None
        lo, hi = widget.bounds
        picked = tuple(state) if isinstance(state, (tuple, list)) else (state,)
        start, end = (picked + (None, None))[:2]  # half-picked ranges have one end
        return self.normalize((start if start and start > lo else None, end if end and end < hi else None))

    def mask(self, index: EventIndex, value: DateWindow) -> np.ndarray:
        start, end = value
        mask = np.ones(index.n, dtype=bool)
        if start is not None:
            mask &= index.end_day >= to_day(start)
        if end is not None:
            mask &= index.start_day <= to_day(end)
        return mask

    def describe(self, value: DateWindow) -> str:
        start, end = (f"{d:%b %Y}" if d else "\u2026" for d in value)
        return start if start == end else f"{start}\u2013{end}"

    def where(self, value: DateWindow) -> Condition:
        from incidents.query import sql

        return sql.overlaps(*value)


class ChoiceFacet(Facet[frozenset[str]]):
    """A facet choosing values of one index column; an event passes if it has any chosen value.

    Subclasses name the ``column`` of :class:`EventIndex` (a ``Combos`` or ``Codes``, both with
    ``matches``), the widget, and the options a loaded index offers. In the database, the events
    table's ``column`` is one of the values chosen, unless :meth:`where` says otherwise.
    """

    column: ClassVar[str]
    label: ClassVar[str]
    placeholder: ClassVar[str]
    #: How many chosen names the description lists before "(+N more)".
    listed: ClassVar[int] = 3

    def options(self, index: EventIndex) -> tuple[str, ...]:
        """The values offered, in display order."""
        raise NotImplementedError

    def option_labels(self, index: EventIndex) -> dict[str, str]:
        """Text shown per option where it is not the option itself."""
        return {}

    def normalize(self, value: object) -> frozenset[str] | None:
        return frozenset(cast(Iterable[str], value)) or None if value is not None else None

    def read(self, params: Params, index: EventIndex | None) -> tuple[frozenset[str] | None, list[str]]:
        (key,) = self.keys
        wanted = list(params.get(key) or [])
        if index is None:
            return self.normalize(wanted), []
        offered = set(self.options(index))
        notes = [f"ignored {key}={v!r}: no such value in the loaded data" for v in wanted if v not in offered]
        return self.normalize(v for v in wanted if v in offered), notes

    def write(self, value: frozenset[str]) -> Query:
        (key,) = self.keys
        return {key: sorted(value)}

    def widget(self, index: EventIndex) -> Widget:
        return Widget(
            "multiselect",
            self.widget_key,
            self.label,
            options=self.options(index),
            labels=self.option_labels(index),
            placeholder=self.placeholder,
        )

    def to_widget(self, value: frozenset[str] | None, widget: Widget) -> list[str]:
        return [o for o in widget.options if o in (value or ())]

    def from_widget(self, state: WidgetState, widget: Widget) -> frozenset[str] | None:
        return self.normalize(state or ())

    def mask(self, index: EventIndex, value: frozenset[str]) -> np.ndarray:
        return np.asarray(getattr(index, self.column).matches(value), dtype=bool)

    def where(self, value: frozenset[str]) -> Condition | None:
        from incidents.query import sql

        return sql.any_of(self.column, value)

    def describe(self, value: frozenset[str]) -> str:
        ordered = sorted(value)
        shown = " or ".join(ordered[: self.listed])
        return shown + (f" (+{len(ordered) - self.listed} more)" if len(ordered) > self.listed else "")


class GroupFacet(ChoiceFacet):
    """Canonical group names; an event passes if any of its actors is chosen."""

    name, keys, column = "groups", ("group",), "actors"
    widget_key, label, placeholder = "groups", "Groups", "All groups"

    def options(self, index: EventIndex) -> tuple[str, ...]:
        return tuple(sorted(index.actors.counts()))

    def option_labels(self, index: EventIndex) -> dict[str, str]:
        return {g: f"{g} ({n})" for g, n in index.actors.counts().items()}

    def where(self, value: frozenset[str]) -> Condition:
        from incidents.query import sql

        return sql.names_any("event_actors", "actor", value)


class EventTypeFacet(ChoiceFacet):
    """Event types, as the datasets name them."""

    name, keys, column = "event_types", ("type",), "event_type"
    widget_key, label, placeholder = "event_types", "Event types", "All types"

    def options(self, index: EventIndex) -> tuple[str, ...]:
        return tuple(sorted(set(index.event_type.values)))


class RegionFacet(ChoiceFacet):
    """Analysis regions (Balochistan, Mastung, Khuzdar, Kashmir, the Afghan border zone)."""

    name, keys, column = "regions", ("region",), "regions"
    widget_key, label, placeholder = "regions", "Regions", "Everywhere"

    def options(self, index: EventIndex) -> tuple[str, ...]:
        return REGION_NAMES

    def where(self, value: frozenset[str]) -> Condition:
        from incidents.query import sql

        return sql.names_any("event_regions", "region", value)


class DatasetFacet(ChoiceFacet):
    """The datasets events were loaded from."""

    name, keys, column = "datasets", ("dataset",), "dataset"
    widget_key, label, placeholder = "datasets", "Datasets", "All datasets"

    def options(self, index: EventIndex) -> tuple[str, ...]:
        return tuple(sorted(set(index.dataset.values)))

    def where(self, value: frozenset[str]) -> Condition:
        from incidents.query import sql

        # the dashboard (and so a link) names a store dataset "store: <name>"; the store itself, "<name>"
        return sql.any_of("dataset", (v.removeprefix(STORE_PREFIX) for v in value if v.startswith(STORE_PREFIX)))


class TextFacet(Facet[str]):
    """A case-insensitive substring of the excerpt or the location (surrounding spaces ignored)."""

    name = "text"
    keys = ("q",)
    widget_key = "search"

    def normalize(self, value: object) -> str | None:
        return str(value).strip() or None if value is not None else None

    def read(self, params: Params, index: EventIndex | None) -> tuple[str | None, list[str]]:
        return self.normalize(last_value(params, "q")), []

    def write(self, value: str) -> Query:
        return {"q": value}

    def widget(self, index: EventIndex) -> Widget:
        return Widget("text", self.widget_key, "Search excerpts and places")

    def to_widget(self, value: str | None, widget: Widget) -> str:
        return value or ""

    def from_widget(self, state: WidgetState, widget: Widget) -> str | None:
        return self.normalize(state)

    def mask(self, index: EventIndex, value: str) -> np.ndarray:
        return index.text_contains(value)

    def describe(self, value: str) -> str:
        return f"matching \u201c{value}\u201d"

    def where(self, value: str) -> Condition:
        """A case-insensitive substring test, as ``contains(lower(text), lower(:needle))``."""
        from incidents.query import sql

        return sql.text_contains(value, "excerpt", "location")
