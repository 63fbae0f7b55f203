"""Where the store is and how to reach it: the URL, its errors, and a configured SQLAlchemy engine.

``INCIDENT_STORE`` names the store as a URL:

- ``sqlite:///path/to/file.sqlite`` (the default, ``data/store/incidents.sqlite`` in the project,
  created on the first write): embedded, WAL mode, a busy timeout, and writes that take the
  write lock when they begin, so that concurrent writers wait for each other instead of failing;
- ``postgresql://user:password@host:port/dbname``: PostGIS, for a team.

``INCIDENT_STORE_READONLY=1`` makes every write fail with :class:`ReadOnlyError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ENV_URL = "INCIDENT_STORE"
ENV_READONLY = "INCIDENT_STORE_READONLY"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "store" / "incidents.sqlite"
#: How long a writer waits for another's lock (SQLite), in seconds.
BUSY_TIMEOUT_S = 60


class StoreError(RuntimeError):
    """The store cannot be opened, read or written; the message names it (password masked)."""


class ReadOnlyError(StoreError):
    """A write to a store opened read-only."""


class ConflictError(StoreError):
    """An edit made from a revision that is no longer the latest: nothing was written.

    ``current`` is the stored record (with who changed it and when), ``proposed`` the edit's.
    """

    def __init__(self, message: str, *, current: Mapping[str, Any], proposed: Mapping[str, Any]):
        super().__init__(message)
        self.current = dict(current)
        self.proposed = dict(proposed)


def store_url(env: Mapping[str, str] | None = None) -> str:
    """The store's URL from ``INCIDENT_STORE`` (default: the project's SQLite file)."""
    env = os.environ if env is None else env
    return env.get(ENV_URL, "").strip() or f"sqlite:///{DEFAULT_PATH}"


def is_readonly(env: Mapping[str, str] | None = None) -> bool:
    """Whether ``INCIDENT_STORE_READONLY`` asks for a read-only store."""
    env = os.environ if env is None else env
    return env.get(ENV_READONLY, "").strip().lower() in ("1", "true", "yes")


def masked(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return "<a store URL that cannot be parsed>"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL, or ``None`` for another back-end (or an in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url``, configured for its back-end.

    Raises
    ------
    StoreError
        When the URL is not a SQLite or PostgreSQL URL.

    """
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"store URL {masked(url)!r} cannot be parsed: expected sqlite:///FILE or postgresql://...") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    raise StoreError(f"store URL {masked(url)!r}: expected sqlite:///FILE or postgresql://user:password@host:port/dbname")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    # lower() as Python has it (SQLite's own folds only ASCII), so text filters in SQL match as in memory
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _lower(text: object) -> object:
    return text.lower() if isinstance(text, str) else text


def _sqlite_begin(conn: sa.Connection) -> None:
    # a writer takes the write lock at once: two writers never both read, then both try to write
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")
