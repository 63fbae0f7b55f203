"""SQL that reads the same on both back-ends: a substring position that SQLite calls ``instr`` and PostgreSQL ``strpos``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


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
