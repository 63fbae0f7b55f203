"""Facets in SQL: the conditions over the store's tables that :meth:`~incidents.query.facets.Facet.where` returns.

Bound parameters only, never spliced text. A facet's ``where`` imports this module when it runs,
so the query layer filters in memory without loading SQLAlchemy. It also holds the SQL that reads
the same on both back-ends: a substring position that SQLite calls ``instr`` and PostgreSQL ``strpos``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from incidents.model import tables

#: What a facet's ``where`` returns: one boolean SQL condition over the ``events`` table.
Condition = sa.ColumnElement[bool]


class position(FunctionElement[int]):  # noqa: N801 - named as the SQL function it stands for
    """``position(haystack, needle)``: 1-based position of ``needle`` in ``haystack``, 0 when absent."""

    type = sa.Integer()
    inherit_cache = True
    name = "position"


@compiles(position)
def _default(element: position, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(position, "postgresql")
def _postgresql(element: position, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


def contains_casefree(haystack: sa.ColumnElement[str], needle: str) -> sa.ColumnElement[bool]:
    """Whether ``needle`` is in ``haystack``, ignoring case (``lower`` on both; bound, never spliced)."""
    return position(sa.func.lower(haystack), sa.func.lower(sa.bindparam(None, needle, type_=sa.Text))) > 0


def column(name: str) -> sa.ColumnElement[Any]:
    """The column ``name`` of the store's ``events`` table (see :mod:`incidents.model.tables`)."""
    return tables.events.c[name]


def any_of(name: str, values: Iterable[str]) -> Condition:
    """The event's ``name`` column is one of ``values``."""
    return column(name).in_(sorted(values))


def overlaps(start: date | None, end: date | None) -> Condition:
    """The event's possible dates meet the window from ``start`` to ``end`` (either end open)."""
    e = tables.events.c
    return sa.and_(sa.true(), *([e.date_end >= start] if start else []), *([e.date_start <= end] if end else []))


def names_any(table: str, column_name: str, values: Iterable[str]) -> Condition:
    """The event has a row in the list ``table`` (``event_actors``, ``event_regions``) with ``column_name`` in ``values``."""
    t = tables.metadata.tables[table]
    return sa.exists().where(t.c.event_id == tables.events.c.event_id, t.c[column_name].in_(sorted(values)))


def text_contains(needle: str, *columns: str) -> Condition:
    """Any of ``columns`` contains ``needle``, ignoring case.

    PostgreSQL text cannot hold a NUL character, so no stored event contains one.
    """
    if "\x00" in needle:
        return sa.false()
    return sa.or_(*(contains_casefree(column(c), needle) for c in columns))


def all_of(conditions: Iterable[Condition]) -> Condition:
    """Every one of ``conditions``."""
    return sa.and_(sa.true(), *conditions)
