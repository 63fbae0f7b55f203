"""Analysts' grades in the store: a source's reliability, an event's credibility, each change a revision.

A grade is set from the revision the analyst saw (``base_revision``, 0 for a grade not yet set):
a grade changed since is refused, as an edit is, and nothing is written. A grade outside A-F
(a source) or 1-6 (an event) is refused with a message naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from incidents.model import tables as t
from incidents.model.grades import parse
from incidents.model.validate import FieldError
from incidents.store.engine import ConflictError, StoreError
from incidents.store.writes import now, revision_row


@dataclass(frozen=True)
class Grade:
    """One grade as stored: what it grades, the grade, its revision, who set it and when."""

    kind: str  # source / event
    key: str  # the source_id or event_id
    grade: str
    revision: int
    author: str
    at: datetime


def read(conn: sa.Connection | None) -> dict[tuple[str, str], Grade]:
    """Every grade in the store, by ``(kind, key)``."""
    if conn is None or not sa.inspect(conn).has_table("grades"):
        return {}
    g = t.grades
    rows = conn.execute(sa.select(g.c.kind, g.c.key, g.c.grade, g.c.revision, g.c.author, g.c.updated_at))
    return {(r.kind, r.key): Grade(r.kind, r.key, r.grade, r.revision, r.author, r.updated_at) for r in rows}


def write(conn: sa.Connection, address: str, kind: str, key: str, value: object, *, base_revision: int, author: str) -> Grade:
    """Set the grade of ``kind`` ``key`` to ``value``, made from its revision ``base_revision``; returns the new grade."""
    key = str(key).strip()
    if not key:
        raise StoreError(f"store {address}: a grade needs the {kind} it grades")
    try:
        grade = parse(kind, value)
    except FieldError as exc:
        raise StoreError(f"store {address}: the grade of {kind} {key!r} is refused: {exc}") from exc
    g, at = t.grades, now()
    found = conn.execute(sa.select(g).where(g.c.kind == kind, g.c.key == key)).one_or_none()
    current = found.revision if found is not None else 0
    if current != base_revision:
        who = f"by {found.author} at {found.updated_at:%Y-%m-%d %H:%M:%S}" if found is not None else ""
        raise ConflictError(
            f"store {address}: the grade of {kind} {key!r} changed (revision {current} {who}) since revision "
            f"{base_revision} was read; nothing was written",
            current={"grade": found.grade if found is not None else None, "revision": current},
            proposed={"grade": grade, "revision": base_revision},
        )
    if found is None:
        values = {"kind": kind, "key": key, "grade": grade, "revision": 1, "author": author, "created_at": at, "updated_at": at}
        conn.execute(sa.insert(g).values(values))
    else:
        done = conn.execute(
            sa.update(g)
            .where(g.c.kind == kind, g.c.key == key, g.c.revision == current)
            .values(grade=grade, revision=current + 1, author=author, updated_at=at)
        )
        if done.rowcount != 1:
            raise StoreError(f"store {address}: the grade of {kind} {key!r} changed while it was set; nothing was written")
    before = {"grade": found.grade} if found is not None else None
    action = "add" if found is None else "edit"
    row = revision_row("grade", f"{kind}:{key}", current + 1, action, author, at, before, {"grade": grade})
    conn.execute(sa.insert(t.revisions).values(row))
    return Grade(kind, key, grade, current + 1, author, at)
