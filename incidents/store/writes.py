"""The store's row-level reads and writes, inside a transaction the :class:`~incidents.store.store.Store` holds."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from incidents.records import ROW_FIELDS
from incidents.store import tables as t
from incidents.store.engine import StoreError

#: Rows per statement when many are written or read at once.
CHUNK = 5_000


def now() -> datetime:
    """The time a write records (UTC)."""
    return datetime.now(UTC)


def as_json(value: Mapping[str, Any] | None) -> str | None:
    """A revision's before/after values as JSON text (``None`` stays ``None``)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def revision_row(
    entity: str,
    entity_id: str,
    revision: int,
    action: str,
    author: str,
    at: Any,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """One row of ``revisions``: who changed what, when, and the values before and after."""
    return {
        "entity": entity,
        "entity_id": entity_id,
        "revision": revision,
        "action": action,
        "author": author,
        "at": at,
        "before": as_json(before),
        "after": as_json(after),
    }


def taken(conn: sa.Connection, ids: list[str]) -> dict[str, str]:
    """Which of ``ids`` are already stored, and in which dataset."""
    taken: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        taken.update(conn.execute(sa.select(t.events.c.event_id, t.events.c.dataset).where(t.events.c.event_id.in_(part))).all())
    return taken


def bulk(conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows through the driver's ``executemany`` (SQLAlchemy's per-row processing is most of an import's time).

    ``rows`` hold values as the driver takes them (see :func:`driver_value`). Table and column
    names are the schema's own; every value is a bound parameter.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":  # COPY: the fastest way in, inside the same transaction
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    mark = "?"
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([mark] * len(columns))})", rows)  # noqa: S608


def driver_value(conn: sa.Connection, value: Any) -> Any:
    """A date or a time as the back-end's driver stores it (SQLite: SQLAlchemy's text forms, UTC)."""
    if conn.dialect.name != "sqlite":
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


#: The ``events`` columns an import writes, in order.
_EVENT_COLUMNS = (*ROW_FIELDS, "actors", "regions", "status", "revision", "author", "created_at", "updated_at")


def lists_json(record: Mapping[str, Any]) -> tuple[str, str]:
    """An event's groups and regions as the ``events`` table keeps them (JSON lists)."""
    return json.dumps(list(record["actors"]), ensure_ascii=False), json.dumps(
        list(dict.fromkeys(record["regions"])), ensure_ascii=False
    )


def insert(conn: sa.Connection, dataset: str, records: list[dict[str, Any]], author: str, at: datetime) -> None:
    """Write ``records`` as the dataset's accepted events at revision 1, with their groups, regions and revisions."""
    stamp = driver_value(conn, at)
    as_date = (lambda d: d) if conn.dialect.name == "sqlite" else date.fromisoformat
    for i in range(0, len(records), CHUNK):
        part = records[i : i + CHUNK]
        rows = []
        for r in part:
            row = [r.get(c) for c in ROW_FIELDS]
            row[_START], row[_END], row[_DATASET] = as_date(r["date_start"]), as_date(r["date_end"]), dataset
            rows.append((*row, *lists_json(r), "accepted", 1, author, stamp, stamp))
        bulk(conn, t.events, _EVENT_COLUMNS, rows)
        bulk(
            conn,
            t.event_actors,
            ("event_id", "position", "actor"),
            [(r["event_id"], k, a) for r in part for k, a in enumerate(r["actors"])],
        )
        bulk(
            conn, t.event_regions, ("event_id", "region"), [(r["event_id"], g) for r in part for g in dict.fromkeys(r["regions"])]
        )
        bulk(
            conn,
            t.revisions,
            ("entity", "entity_id", "revision", "action", "author", "at", "before", "after"),
            [("event", r["event_id"], 1, "add", author, stamp, None, as_json({**r, "dataset": dataset})) for r in part],
        )


_START, _END, _DATASET = (ROW_FIELDS.index(c) for c in ("date_start", "date_end", "dataset"))


def read_record(conn: sa.Connection, event_id: str) -> dict[str, Any] | None:
    """One event's stored record (groups and regions included), or ``None``."""
    row = conn.execute(sa.select(t.events).where(t.events.c.event_id == event_id)).one_or_none()
    if row is None:
        return None
    record = dict(row._mapping)
    for c in ("date_start", "date_end"):
        record[c] = record[c].isoformat()
    record["actors"], record["regions"] = json.loads(record["actors"]), json.loads(record["regions"])
    return record


def update(
    where: str, conn: sa.Connection, current: dict[str, Any], proposed: dict[str, Any], author: str, action: str
) -> dict[str, Any]:
    """Write ``proposed`` over ``current`` (revision + 1) and record the change; refuse if another writer came first."""
    event_id, at, revision = current["event_id"], now(), current["revision"] + 1
    fields = [*ROW_FIELDS, "actors", "regions", "status"]
    before = {c: current.get(c) for c in fields if current.get(c) != proposed.get(c)}
    after = {c: proposed.get(c) for c in before}
    row: dict[str, Any] = {c: proposed.get(c) for c in ROW_FIELDS if c not in ("event_id", "dataset")}
    row["date_start"], row["date_end"] = date.fromisoformat(proposed["date_start"]), date.fromisoformat(proposed["date_end"])
    row["actors"], row["regions"] = lists_json(proposed)
    row.update(status=proposed.get("status", current["status"]), revision=revision, author=author, updated_at=at)
    e = t.events
    done = conn.execute(sa.update(e).where(e.c.event_id == event_id, e.c.revision == current["revision"]).values(**row))
    if done.rowcount != 1:  # another writer got there between our read and this write
        raise StoreError(f"store {where}: event {event_id!r} changed while it was being edited; nothing was written")
    conn.execute(sa.delete(t.event_actors).where(t.event_actors.c.event_id == event_id))
    conn.execute(sa.delete(t.event_regions).where(t.event_regions.c.event_id == event_id))
    if proposed["actors"]:
        conn.execute(
            sa.insert(t.event_actors),
            [{"event_id": event_id, "position": k, "actor": a} for k, a in enumerate(proposed["actors"])],
        )
    if proposed["regions"]:
        conn.execute(
            sa.insert(t.event_regions), [{"event_id": event_id, "region": g} for g in dict.fromkeys(proposed["regions"])]
        )
    conn.execute(sa.insert(t.revisions).values(revision_row("event", event_id, revision, action, author, at, before, after)))
    return {**proposed, "revision": revision, "author": author, "updated_at": at}


def set_dataset_status(conn: sa.Connection, where: str, dataset: str, status: str, author: str) -> int:
    """Mark a dataset and its events removed, or active again (a revision each); returns how many events changed."""
    action = "remove" if status == "removed" else "restore"
    found = conn.execute(sa.select(t.datasets).where(t.datasets.c.name == dataset)).one_or_none()
    if found is None:
        raise StoreError(f"store {where}: no dataset {dataset!r}")
    if found.status == status:
        return 0
    at = now()
    revision = found.revision + 1
    conn.execute(
        sa.update(t.datasets).where(t.datasets.c.name == dataset).values(status=status, revision=revision, updated_at=at)
    )
    row = revision_row("dataset", dataset, revision, action, author, at, {"status": found.status}, {"status": status})
    conn.execute(sa.insert(t.revisions).values(row))
    # removing takes the dataset's accepted events out; restoring brings back those it removed
    old, new = ("accepted", "removed") if status == "removed" else ("removed", "accepted")
    e = t.events
    rows = conn.execute(sa.select(e.c.event_id, e.c.revision).where(e.c.dataset == dataset, e.c.status == old)).all()
    for i in range(0, len(rows), CHUNK):
        part = rows[i : i + CHUNK]
        ids = [r.event_id for r in part]
        conn.execute(
            sa.update(e).where(e.c.event_id.in_(ids)).values(status=new, revision=e.c.revision + 1, author=author, updated_at=at)
        )
        changes = [
            revision_row("event", r.event_id, r.revision + 1, action, author, at, {"status": old}, {"status": new}) for r in part
        ]
        conn.execute(sa.insert(t.revisions), changes)
    return len(rows)
