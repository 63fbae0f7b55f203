"""Reading a query's result on PostgreSQL straight into Arrow columns (ADBC), without a Python object per value.

Loading 100k events through the DB-API driver builds 2.4 million Python objects and then turns
them into columns again; the Arrow Database Connectivity driver for PostgreSQL
(``adbc-driver-postgresql``, from the Apache Arrow project) reads with a binary ``COPY`` and
hands back the columns themselves. The query is the same SQLAlchemy expression the rest of the
store uses, compiled with bound parameters (``$n``), never spliced text.

SQLite is read through Python's own driver only: ADBC's SQLite driver links a second copy of
the SQLite library, and two copies in one process do not see each other's POSIX locks, which
SQLite's documentation lists among the ways to corrupt a database (stale reads and "disk I/O
error" were what a trial here gave).
"""

from __future__ import annotations

from typing import Any

import adbc_driver_manager
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from incidents.store.engine import StoreError


def usable(url: str) -> bool:
    """Whether the store at ``url`` is read through ADBC (PostgreSQL)."""
    return make_url(url).get_backend_name() == "postgresql"


def read_table(url: str, query: sa.Select[Any], schema: pa.Schema) -> pa.Table:
    """The result of ``query`` on the store at ``url``, as an Arrow table cast to ``schema``.

    Raises
    ------
    adbc_driver_manager.Error
        When the database cannot be reached or read (the caller names the store).

    """
    import adbc_driver_postgresql.dbapi as driver

    target = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    dialect = postgresql.dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    names = compiled.positiontup or []
    parameters = [compiled.params[name] for name in names]
    with driver.connect(target) as conn, conn.cursor() as cursor:
        cursor.execute(str(compiled), parameters)
        table = cursor.fetch_arrow_table()
    return table.select(schema.names).cast(schema)


def read_events(url: str, address: str, query: sa.Select[Any], schema: pa.Schema) -> pa.Table:
    """:func:`read_table`, its errors a :class:`StoreError` naming the store ``where``, the password masked."""
    try:
        return read_table(url, query, schema)
    except adbc_driver_manager.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        password = make_url(url).password
        if password:
            reason = reason.replace(str(password), "***")
        raise StoreError(f"store {address}: could not read the events: {reason}") from exc
