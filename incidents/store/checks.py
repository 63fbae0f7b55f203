"""An edited event checked by the rules every importer applies, its admin units and regions derived again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from incidents.geo.joins import assign_admin
from incidents.model import tables as t
from incidents.model.actors import actor_table
from incidents.model.documents import Document, stored_document
from incidents.model.records import records_from_frame
from incidents.readers import project_csv
from incidents.readers._rows import RowCheck, events_from_records
from incidents.store.engine import StoreError

#: Record fields an edit may not change (the event's identity and where it is kept).
FIXED = ("event_id", "dataset")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def document_of(row: Any) -> Document:
    """A row of ``documents`` as a :class:`~incidents.model.documents.Document` (what events quote)."""
    meta = {"title": row.title, "publisher": row.publisher, "date": row.published, "url": row.url, "sha256": row.sha256}
    return Document(row.source_id, row.text, meta)


def quoted_document(conn: sa.Connection, source_id: object) -> Document | None:
    """The document ``source_id`` kept in the store, that an event quotes, or ``None`` (a file's source, not kept here)."""
    row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == source_id)).one_or_none()
    return None if row is None else document_of(row)


#: The fields ``admin1``, ``admin2`` and ``regions`` are derived from.
PLACING = ("lon", "lat", "geo_precision")


def checked_record(
    record: Mapping[str, Any], address: str, *, placed: Mapping[str, Any] | None = None, document: Document | None = None
) -> dict[str, Any]:
    """``record`` read as a row of the project CSV would be, with ``admin1``, ``admin2`` and ``regions`` derived.

    ``placed`` is a stored record: when ``record`` has its position and location precision,
    its admin units and regions are taken from it instead of joined again. ``document`` is a
    document kept in the store that the record may quote (its excerpt is checked against it).

    Raises
    ------
    StoreError
        Naming every field that breaks a rule (and what was expected).

    """
    cells = {
        c: _cell(record.get(c)) for c in (*project_csv.REQUIRED, *project_csv.OPTIONAL) if c not in ("latitude", "longitude")
    }
    cells["latitude"], cells["longitude"] = _cell(record.get("lat")), _cell(record.get("lon"))
    check = RowCheck(str(record.get("dataset")), 1, cells)

    def documents(source_id: object) -> Document | None:
        return document if document is not None and source_id == document.source_id else stored_document(source_id)

    parsed = project_csv.parse_row(check, str(record.get("dataset")), actor_table(), documents=documents)
    if check.problems:
        raise StoreError(
            f"store {address}: the edit is refused: " + "; ".join(f"{p.field}: {p.reason} ({p.value!r})" for p in check.problems)
        )
    parsed["_row"] = 1
    events = events_from_records([parsed])
    if placed is not None and all(_cell(placed.get(c)) == _cell(record.get(c)) for c in PLACING):
        events = events.assign(admin1=placed.get("admin1"), admin2=placed.get("admin2"))
        events["regions"] = [tuple(placed.get("regions") or ())]
    else:
        events = assign_admin(events)
    (out,) = records_from_frame(events)
    out["dataset"] = record.get("dataset")
    out["status"] = record.get("status", "accepted")
    return out
