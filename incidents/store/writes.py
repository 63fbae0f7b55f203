"""The store's row-level reads and writes, inside a transaction the :class:`~incidents.store.store.Store` holds."""

from __future__ import annotations

import json
from collections.abc import Mapping
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


def lists(conn: sa.Connection, table: sa.Table, column: str, ids: list[str], *, order: sa.Column[Any]) -> dict[str, list[str]]:
    """Per event of ``ids``, the values of ``table.column`` (actors, regions) in ``order``."""
    out: dict[str, list[str]] = {}
    if not ids:
        return out
    query = sa.select(table.c.event_id, table.c[column]).order_by(table.c.event_id, order)
    if len(ids) <= CHUNK:  # a few events: ask for theirs; many: read the table once
        query = query.where(table.c.event_id.in_(ids))
    wanted = set(ids)
    for event_id, value in conn.execute(query):
        if event_id in wanted:
            out.setdefault(event_id, []).append(value)
    return out


def taken(conn: sa.Connection, ids: list[str]) -> dict[str, str]:
    """Which of ``ids`` are already stored, and in which dataset."""
    taken: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        taken.update(conn.execute(sa.select(t.events.c.event_id, t.events.c.dataset).where(t.events.c.event_id.in_(part))).all())
    return taken


def insert(conn: sa.Connection, dataset: str, records: list[dict[str, Any]], author: str, at: datetime) -> None:
    """Write ``records`` as the dataset's accepted events at revision 1, with their groups, regions and revisions."""
    for i in range(0, len(records), CHUNK):
        part = records[i : i + CHUNK]
        rows = []
        for r in part:
            row = {c: r.get(c) for c in ROW_FIELDS}
            row["date_start"], row["date_end"] = date.fromisoformat(r["date_start"]), date.fromisoformat(r["date_end"])
            row.update(dataset=dataset, status="accepted", revision=1, author=author, created_at=at, updated_at=at)
            rows.append(row)
        conn.execute(sa.insert(t.events), rows)
        actors = [{"event_id": r["event_id"], "position": k, "actor": a} for r in part for k, a in enumerate(r["actors"])]
        if actors:
            conn.execute(sa.insert(t.event_actors), actors)
        regions = [{"event_id": r["event_id"], "region": g} for r in part for g in dict.fromkeys(r["regions"])]
        if regions:
            conn.execute(sa.insert(t.event_regions), regions)
        conn.execute(
            sa.insert(t.revisions),
            [
                {
                    "entity": "event",
                    "entity_id": r["event_id"],
                    "revision": 1,
                    "action": "add",
                    "author": author,
                    "at": at,
                    "before": None,
                    "after": as_json({**r, "dataset": dataset}),
                }
                for r in part
            ],
        )


def read_record(conn: sa.Connection, event_id: str) -> dict[str, Any] | None:
    """One event's stored record (groups and regions included), or ``None``."""
    row = conn.execute(sa.select(t.events).where(t.events.c.event_id == event_id)).one_or_none()
    if row is None:
        return None
    record = dict(row._mapping)
    for c in ("date_start", "date_end"):
        record[c] = record[c].isoformat()
    record["actors"] = lists(conn, t.event_actors, "actor", [event_id], order=t.event_actors.c.position).get(event_id, [])
    record["regions"] = lists(conn, t.event_regions, "region", [event_id], order=t.event_regions.c.region).get(event_id, [])
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
    conn.execute(
        sa.insert(t.revisions).values(
            entity="event",
            entity_id=event_id,
            revision=revision,
            action=action,
            author=author,
            at=at,
            before=as_json(before),
            after=as_json(after),
        )
    )
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
    conn.execute(
        sa.insert(t.revisions).values(
            entity="dataset",
            entity_id=dataset,
            revision=revision,
            action=action,
            author=author,
            at=at,
            before=as_json({"status": found.status}),
            after=as_json({"status": status}),
        )
    )
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
        conn.execute(
            sa.insert(t.revisions),
            [
                {
                    "entity": "event",
                    "entity_id": r.event_id,
                    "revision": r.revision + 1,
                    "action": action,
                    "author": author,
                    "at": at,
                    "before": as_json({"status": old}),
                    "after": as_json({"status": new}),
                }
                for r in part
            ],
        )
    return len(rows)
