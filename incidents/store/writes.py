"""The store's row-level reads and writes, inside a transaction the :class:`~incidents.store.store.Store` holds."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from incidents.model import tables as t
from incidents.model.errors import Rejection
from incidents.model.records import DATE_FIELDS, ROW_FIELDS
from incidents.store.engine import StoreError

#: Rows per statement when many are written or read at once.
CHUNK = 5_000


def now() -> datetime:
    """The time a write records (UTC)."""
    return datetime.now(UTC)


def as_json(value: Mapping[str, Any] | None) -> str | None:
    """A revision's before/after values as JSON text, keys sorted (``None`` stays ``None``).

    orjson: an import writes one of these per event, and the standard library's encoder was a
    fifth of an import's time. Floats keep their shortest round-trip form, as ``json`` does.
    """
    return None if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


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
    """Which of ``ids`` are already stored, and in which dataset.

    PostgreSQL takes them as one array parameter (``= ANY``); SQLite, in chunks of ``IN`` lists.
    """
    e = t.events
    if conn.dialect.name == "postgresql":
        wanted = sa.bindparam("ids", ids, type_=postgresql.ARRAY(sa.Text))
        return dict(conn.execute(sa.select(e.c.event_id, e.c.dataset).where(e.c.event_id == sa.any_(wanted))).all())
    found: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        found.update(conn.execute(sa.select(e.c.event_id, e.c.dataset).where(e.c.event_id.in_(part))).all())
    return found


def bulk(conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert many rows through the driver (SQLAlchemy's per-row processing is most of an import's time).

    ``rows`` hold values as the driver takes them (see :func:`driver_value`); they are consumed
    as they are sent. PostgreSQL takes them in one ``COPY``, streamed, so that the server stores
    rows while the next are formatted; SQLite through ``executemany``. Table and column names
    are the schema's own; every value is a bound parameter.
    """
    names = ", ".join(columns)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # in the transaction begun
    if conn.dialect.name == "postgresql":  # COPY: the fastest way in, inside the same transaction
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    try:
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(['?'] * len(columns))})"  # noqa: S608
        cursor.executemany(sql, rows)  # type: ignore[arg-type]  # sqlite3 takes any iterable of rows
    finally:
        cursor.close()


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


def lists_json(record: Mapping[str, Any], known: dict[tuple[Any, ...], tuple[str, str]] | None = None) -> tuple[str, str]:
    """An event's groups and regions as the ``events`` table keeps them (JSON lists).

    ``known`` remembers the pairs already encoded (the same groups recur across an import's events).
    """
    key = (*record["actors"], None, *record["regions"])
    if known is not None and key in known:
        return known[key]
    pair = orjson.dumps(list(record["actors"])).decode(), orjson.dumps(list(dict.fromkeys(record["regions"]))).decode()
    if known is not None:
        known[key] = pair
    return pair


def insert(conn: sa.Connection, dataset: str, records: list[dict[str, Any]], author: str, at: datetime) -> None:
    """Write ``records`` as the dataset's accepted events at revision 1, with their groups, regions and revisions."""
    stamp = driver_value(conn, at)
    as_date = (lambda d: d) if conn.dialect.name == "sqlite" else date.fromisoformat
    known: dict[tuple[Any, ...], tuple[str, str]] = {}

    def event_row(r: dict[str, Any]) -> tuple[Any, ...]:
        row = [r.get(c) for c in ROW_FIELDS]
        row[_START], row[_END], row[_DATASET] = as_date(r["date_start"]), as_date(r["date_end"]), dataset
        row[_BEST] = as_date(r["date_best"])
        return (*row, *lists_json(r, known), "accepted", 1, author, stamp, stamp)

    bulk(conn, t.events, _EVENT_COLUMNS, (event_row(r) for r in records))
    actors = ((r["event_id"], k, a) for r in records for k, a in enumerate(r["actors"]))
    bulk(conn, t.event_actors, ("event_id", "position", "actor"), actors)
    regions = ((r["event_id"], g) for r in records for g in dict.fromkeys(r["regions"]))
    bulk(conn, t.event_regions, ("event_id", "region"), regions)
    # the values added are the events' own row at revision 1, not repeated here (Store.history rebuilds them)
    revisions = (("event", r["event_id"], 1, "add", author, stamp, None, None) for r in records)
    bulk(conn, t.revisions, ("entity", "entity_id", "revision", "action", "author", "at", "before", "after"), revisions)


_START, _END, _BEST, _DATASET = (ROW_FIELDS.index(c) for c in ("date_start", "date_end", "date_best", "dataset"))


def read_record(conn: sa.Connection, event_id: str) -> dict[str, Any] | None:
    """One event's stored record (groups and regions included), or ``None``."""
    row = conn.execute(sa.select(t.events).where(t.events.c.event_id == event_id)).one_or_none()
    if row is None:
        return None
    record = dict(row._mapping)
    dated(record)
    record["actors"], record["regions"] = json.loads(record["actors"]), json.loads(record["regions"])
    return record


def dated(record: dict[str, Any]) -> None:
    """A stored row's dates as ``YYYY-MM-DD`` text, in place."""
    for c in DATE_FIELDS:
        record[c] = record[c].isoformat()


def with_changes(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` with ``changes``; a best day the new dates leave outside their span gives way to the span's middle.

    A reviewer who moves the dates and not the best day has not chosen one inside the new span: the
    middle is what the model derives when no source gives a day. A best day typed outside is refused.
    """
    out = {**current, **changes}
    moved = any(c in changes and changes[c] != current.get(c) for c in ("date_start", "date_end"))
    best, start, end = out.get("date_best"), out.get("date_start"), out.get("date_end")
    if moved and "date_best" not in changes and best and start and end and not str(start) <= str(best) <= str(end):
        out["date_best"] = None
    return out


def update(
    address: str, conn: sa.Connection, current: dict[str, Any], proposed: dict[str, Any], author: str, action: str
) -> dict[str, Any]:
    """Write ``proposed`` over ``current`` (revision + 1) and record the change; refuse if another writer came first."""
    event_id, at, revision = current["event_id"], now(), current["revision"] + 1
    fields = [*ROW_FIELDS, "actors", "regions", "status"]
    before = {c: current.get(c) for c in fields if current.get(c) != proposed.get(c)}
    after = {c: proposed.get(c) for c in before}
    row: dict[str, Any] = {c: proposed.get(c) for c in ROW_FIELDS if c not in ("event_id", "dataset")}
    for c in DATE_FIELDS:
        row[c] = date.fromisoformat(proposed[c])
    row["actors"], row["regions"] = lists_json(proposed)
    row.update(status=proposed.get("status", current["status"]), revision=revision, author=author, updated_at=at)
    e = t.events
    done = conn.execute(sa.update(e).where(e.c.event_id == event_id, e.c.revision == current["revision"]).values(**row))
    if done.rowcount != 1:  # another writer got there between our read and this write
        raise StoreError(f"store {address}: event {event_id!r} changed while it was being edited; nothing was written")
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


def set_dataset_status(conn: sa.Connection, address: str, dataset: str, status: str, author: str) -> int:
    """Mark a dataset and its events removed, or active again (a revision each); returns how many events changed."""
    action = "remove" if status == "removed" else "restore"
    found = conn.execute(sa.select(t.datasets).where(t.datasets.c.name == dataset)).one_or_none()
    if found is None:
        raise StoreError(f"store {address}: no dataset {dataset!r}")
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


def not_taken(
    conn: sa.Connection, records: list[dict[str, Any]], rows: Sequence[Any], source_file: str, unit: str
) -> tuple[list[dict[str, Any]], list[Rejection]]:
    """The records whose event id is not stored yet, and a rejection (by input row) for each of the others."""
    found = taken(conn, [r["event_id"] for r in records])
    if not found:
        return records, []
    rejected = [
        Rejection(
            source_file,
            int(row),
            "event_id",
            r["event_id"],
            f"duplicate event_id: already in the store (dataset {found[r['event_id']]})",
            unit,
        )
        for row, r in zip(rows, records)
        if r["event_id"] in found
    ]
    return [r for r in records if r["event_id"] not in found], rejected


def save_profile(conn: sa.Connection, name: str, columns: dict[str, str], author: str) -> int:
    """Insert or update the column mapping ``name``, with a revision; returns its revision."""
    p, at = t.profiles, now()
    found = conn.execute(sa.select(p).where(p.c.name == name)).one_or_none()
    text = orjson.dumps(columns, option=orjson.OPT_SORT_KEYS).decode()
    if found is None:
        revision, before = 1, None
        conn.execute(sa.insert(p).values(name=name, columns=text, revision=1, author=author, created_at=at, updated_at=at))
    else:
        revision, before = found.revision + 1, {"columns": json.loads(found.columns)}
        conn.execute(sa.update(p).where(p.c.name == name).values(columns=text, revision=revision, author=author, updated_at=at))
    row = revision_row("profile", name, revision, "add" if before is None else "edit", author, at, before, {"columns": columns})
    conn.execute(sa.insert(t.revisions).values(row))
    return revision
