"""The store: datasets, events and their revisions, behind one interface for SQLite and PostGIS.

Every write is one transaction and records its author. Nothing is deleted in place: removing a
dataset marks it and its events ``removed`` (a revision each), so it can be restored. An edit
names the revision it was made from; if the event has moved on since, it is refused with
:class:`ConflictError`, naming who changed it and when.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import geopandas as gpd
import pyarrow.compute as pc
import sqlalchemy as sa

from incidents.model import tables as t
from incidents.model.pauses import no_cycle_collection
from incidents.model.records import DATE_FIELDS, TABLE_SCHEMA, frame_from_table, records_from_frame, table_from_rows
from incidents.model.schema import empty_events
from incidents.readers import FORMATS
from incidents.store import arrow, grading
from incidents.store import writes as w
from incidents.store.checks import FIXED, checked_record, quoted_document
from incidents.store.engine import (
    ConflictError,
    ReadOnlyError,
    StoreError,
    is_readonly,
    make_engine,
    masked,
    sqlite_path,
    store_url,
)
from incidents.store.entries import Added, DatasetInfo, Revision, as_first_stored

#: Review states of an event, and the state of a removed one.
STATUSES = ("candidate", "accepted", "rejected", "removed")


class Store:
    """A store at ``url`` (default: ``INCIDENT_STORE``, else the project's SQLite file).

    Parameters
    ----------
    url : str, optional
        ``sqlite:///FILE`` or ``postgresql://user:password@host:port/dbname``.
    readonly : bool, optional
        Refuse every write (default: ``INCIDENT_STORE_READONLY``).

    Raises
    ------
    StoreError
        When the store cannot be reached or read, or its schema is newer than this code.

    """

    def __init__(self, url: str | None = None, *, readonly: bool | None = None):
        self.url = url or store_url()
        self.address = masked(self.url)
        self.readonly = is_readonly() if readonly is None else readonly
        self._path = sqlite_path(self.url)
        self.engine = make_engine(self.url)
        self._ready = False
        if self._exists():
            self._prepare()

    # ---- connections ------------------------------------------------------------------------

    def _exists(self) -> bool:
        """Whether there is a store to read (a SQLite store is created only by the first write)."""
        return self._path is None or self._path.is_file()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"store {self.address}: could not {doing}: {reason}") from exc

    def _prepare(self) -> None:
        """Check the schema's version; bring an older store up to date (never when read-only)."""
        with self._errors("open the store"), self.engine.connect() as conn:
            version = t.current_version(conn)
        if version > t.VERSION:
            raise StoreError(f"store {self.address} has schema version {version}, newer than this code ({t.VERSION})")
        if version < t.VERSION:
            if self.readonly:
                raise StoreError(
                    f"store {self.address} has schema version {version}; this code needs {t.VERSION}. "
                    "Open it once without INCIDENT_STORE_READONLY to upgrade it"
                )
            with self._errors("upgrade the store"), self._write() as conn:
                t.upgrade(conn)
        self._ready = True

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One write transaction (SQLite: holding the write lock from its start)."""
        if self.readonly:
            raise ReadOnlyError(f"store {self.address} is read-only (INCIDENT_STORE_READONLY is set): nothing was written")
        with self.engine.connect() as conn:
            conn.info["write"] = True
            with conn.begin():
                yield conn

    @contextmanager
    def writing(self, doing: str) -> Iterator[sa.Connection]:
        """One write transaction; the store is made (or upgraded) first. ``doing`` names the step in any error."""
        with self._errors(doing):
            if not self._ready:
                if self.readonly:
                    raise ReadOnlyError(
                        f"store {self.address} is read-only (INCIDENT_STORE_READONLY is set): nothing was written"
                    )
                if self._path is not None:  # the first write creates the store
                    self._path.parent.mkdir(parents=True, exist_ok=True)
                self._prepare()
            with self._write() as conn:
                yield conn

    @contextmanager
    def reading(self, doing: str) -> Iterator[sa.Connection | None]:
        """A read connection, or ``None`` when there is no store yet (nothing stored). ``doing`` names the step in any error."""
        with self._errors(doing):
            if not self._ready:
                yield None
                return
            with self.engine.connect() as conn:
                yield conn

    # ---- reading ------------------------------------------------------------------------------

    def version(self) -> tuple[int, int]:
        """What identifies the store's content: the last revision's id and the number of revisions.

        Any write adds a revision, so a changed version means changed content (cheap to ask).
        """
        with self.reading("read the store's version") as conn:
            if conn is None:
                return 0, 0
            last, count = conn.execute(sa.select(sa.func.max(t.revisions.c.id), sa.func.count())).one()
            return int(last or 0), int(count)

    def datasets(self, *, include_removed: bool = False) -> list[DatasetInfo]:
        """The datasets, oldest first, with their count of accepted events."""
        with self.reading("list the datasets") as conn:
            if conn is None:
                return []
            counts: dict[str, int] = dict(
                conn.execute(
                    sa.select(t.events.c.dataset, sa.func.count())
                    .where(t.events.c.status == "accepted")
                    .group_by(t.events.c.dataset)
                ).all()
            )
            query = sa.select(t.datasets).order_by(t.datasets.c.created_at, t.datasets.c.name)
            if not include_removed:
                query = query.where(t.datasets.c.status == "active")
            return [
                DatasetInfo(
                    r.name,
                    r.source_file,
                    r.sha256,
                    r.format,
                    r.status,
                    int(counts.get(r.name, 0)),
                    r.author,
                    r.created_at,
                    json.loads(r.accounting),
                )
                for r in conn.execute(query)
            ]

    def records(
        self, *, statuses: Sequence[str] = ("accepted",), where: sa.ColumnElement[bool] | None = None
    ) -> list[dict[str, Any]]:
        """The stored events as records (with ``status``, ``revision``, ``author`` and times), in dataset and id order.

        ``where`` narrows them further (an expression over :data:`incidents.model.tables.events`).
        """
        with self.reading("read the events") as conn:
            if conn is None:
                return []
            e = t.events
            query = sa.select(e).where(e.c.status.in_(list(statuses))).order_by(e.c.dataset, e.c.event_id)
            if where is not None:
                query = query.where(where)
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for r in rows:
            r["actors"], r["regions"] = json.loads(r["actors"]), json.loads(r["regions"])
            w.dated(r)
        return rows

    def events(self, *, statuses: Sequence[str] = ("accepted",), where: sa.ColumnElement[bool] | None = None) -> gpd.GeoDataFrame:
        """The stored events (accepted ones by default) as a model frame; ``dataset`` is the store dataset's name.

        In event id order (code points), read into Arrow columns: on PostgreSQL by ADBC's binary ``COPY``
        (:mod:`incidents.store.arrow`), on SQLite from the driver's row tuples in one conversion.
        """
        e = t.events
        selected = [sa.cast(e.c[c], sa.Text) if c in DATE_FIELDS else e.c[c] for c in TABLE_SCHEMA.names]
        query = sa.select(*selected).where(e.c.status.in_(list(statuses)))
        if where is not None:
            query = query.where(where)
        with self.reading("read the events") as conn:
            if conn is None:
                return empty_events()
            if arrow.usable(self.url):
                conn.close()  # the Arrow driver opens its own connection
                table = arrow.read_events(self.url, self.address, query, TABLE_SCHEMA)
            else:
                with no_cycle_collection():  # 100k row tuples would set off collections that find nothing
                    # plain tuples: no column here needs SQLAlchemy's processing
                    table = table_from_rows(conn.execute(query).cursor.fetchall())
        # sorted here, not in SQL: the same code point order on both back-ends, whatever their collation
        return frame_from_table(table.take(pc.sort_indices(table, [("event_id", "ascending")])))

    def record(self, event_id: str) -> dict[str, Any] | None:
        """One event's record, whatever its status, or ``None``."""
        found = self.records(statuses=STATUSES, where=t.events.c.event_id == event_id)
        return found[0] if found else None

    def history(self, entity_id: str, *, entity: str = "event") -> list[Revision]:
        """Every revision of an event (or a dataset, a document), oldest first.

        An event's ``add`` from an import is stored without its values (they would double the
        store's size): its ``after`` is rebuilt here from the stored event, undoing every later
        revision's change with the values it recorded before (see :mod:`incidents.model.tables`).
        """
        with self.reading("read the history") as conn:
            if conn is None:
                return []
            r = t.revisions
            query = sa.select(r).where(r.c.entity == entity, r.c.entity_id == entity_id).order_by(r.c.revision, r.c.id)
            found = [
                Revision(
                    x.entity,
                    x.entity_id,
                    x.revision,
                    x.action,
                    x.author,
                    x.at,
                    json.loads(x.before) if x.before else None,
                    json.loads(x.after) if x.after else None,
                )
                for x in conn.execute(query)
            ]
            if entity == "event" and found and found[0].action == "add" and found[0].after is None:
                current = w.read_record(conn, entity_id)
                if current is not None:
                    found[0] = replace(found[0], after=as_first_stored(current, found[1:]))
        return found

    # ---- writing ------------------------------------------------------------------------------

    def add(
        self,
        events: gpd.GeoDataFrame,
        *,
        dataset: str,
        source_file: str,
        sha256: str,
        fmt: str,
        accounting: Mapping[str, Any],
        author: str,
    ) -> Added:
        """Store the accepted ``events`` of one file as the dataset ``dataset``, in one transaction.

        An event whose id is already in the store is refused (and reported), never merged. The
        same file (by sha256) already stored as an active dataset is not stored again.

        Raises
        ------
        StoreError
            When a dataset of that name holds another file, or the store cannot be written.

        """
        at = w.now()
        unit = FORMATS[fmt].unit if fmt in FORMATS else "row"  # what the file's records are called in messages
        # a record and a row per event: many objects and no cycles, so the cycle collector is paused
        with no_cycle_collection():
            records = records_from_frame(events)
            with self.writing(f"add dataset {dataset!r}") as conn:
                same = conn.execute(
                    sa.select(t.datasets.c.name).where(t.datasets.c.sha256 == sha256, t.datasets.c.status == "active")
                ).scalar()
                if same is not None:
                    return Added(same, 0, [], already=next(d for d in self._datasets(conn) if d.name == same))
                if conn.execute(sa.select(t.datasets.c.name).where(t.datasets.c.name == dataset)).scalar() is not None:
                    raise StoreError(f"store {self.address}: a dataset named {dataset!r} is already stored; give it another name")
                records, rejected = w.not_taken(conn, records, events.index, source_file, unit)
                conn.execute(
                    sa.insert(t.datasets).values(
                        name=dataset,
                        source_file=source_file,
                        sha256=sha256,
                        format=fmt,
                        accounting=json.dumps(dict(accounting), default=str),
                        status="active",
                        revision=1,
                        author=author,
                        created_at=at,
                        updated_at=at,
                    )
                )
                w.insert(conn, dataset, records, author, at)
                added = {"source_file": source_file, "sha256": sha256, "events": len(records)}
                conn.execute(sa.insert(t.revisions).values(w.revision_row("dataset", dataset, 1, "add", author, at, None, added)))
        return Added(dataset, len(records), rejected)

    def _datasets(self, conn: sa.Connection) -> list[DatasetInfo]:
        return [
            DatasetInfo(r.name, r.source_file, r.sha256, r.format, r.status, 0, r.author, r.created_at, json.loads(r.accounting))
            for r in conn.execute(sa.select(t.datasets))
        ]

    def edit(self, event_id: str, changes: Mapping[str, Any], *, base_revision: int, author: str) -> dict[str, Any]:
        """Change fields of one event, made from its revision ``base_revision``; returns the new record.

        ``changes`` are record fields (see :mod:`incidents.store.records`); the result is checked
        by the same rules as every importer (:func:`incidents.store.checks.checked_record`).

        Raises
        ------
        ConflictError
            When the event is at a later revision than ``base_revision``: names who changed it and
            when, and carries both versions. Nothing is written.
        StoreError
            When the event is not stored, or the edited record breaks a rule (every problem named).

        """
        with self.writing(f"edit event {event_id!r}") as conn:
            current = w.read_record(conn, event_id)
            if current is None:
                raise StoreError(f"store {self.address}: no event {event_id!r}")
            fixed = [c for c in FIXED if c in changes and changes[c] != current[c]]
            if fixed:
                raise StoreError(f"store {self.address}: an edit cannot change {', '.join(fixed)} of event {event_id!r}")
            document = quoted_document(conn, current["source_id"])  # a document kept here, that it quotes
            proposed = checked_record(w.with_changes(current, changes), self.address, placed=current, document=document)
            if current["revision"] != base_revision:
                raise ConflictError(
                    f"event {event_id!r} was changed by {current['author']} at {current['updated_at']:%Y-%m-%d %H:%M:%S %Z} "
                    f"(revision {current['revision']}) since revision {base_revision}, which this edit was made from: "
                    "nothing was written; compare both versions and edit again",
                    current=current,
                    proposed=proposed,
                )
            return w.update(self.address, conn, current, proposed, author, "edit")

    def remove(self, dataset: str, *, author: str) -> int:
        """Mark the dataset and its events removed (a revision each); returns how many events. Undone by :meth:`restore`."""
        return self._set_dataset(dataset, "removed", author)

    def restore(self, dataset: str, *, author: str) -> int:
        """Bring a removed dataset and its events back (a revision each); returns how many events."""
        return self._set_dataset(dataset, "active", author)

    def profiles(self) -> dict[str, dict[str, str]]:
        """The saved column mappings by name (see :mod:`incidents.readers.mapped`)."""
        with self.reading("read the column mappings") as conn:
            if conn is None:
                return {}
            p = t.profiles
            return {r.name: json.loads(r.columns) for r in conn.execute(sa.select(p.c.name, p.c.columns).order_by(p.c.name))}

    def save_profile(self, name: str, columns: Mapping[str, str], *, author: str) -> int:
        """Keep a column mapping under ``name`` (a new revision if it exists); returns its revision."""
        name = name.strip()
        if not name:
            raise StoreError(f"store {self.address}: a column mapping needs a name")
        with self.writing(f"save the column mapping {name!r}") as conn:
            return w.save_profile(conn, name, dict(columns), author)

    def grades(self) -> dict[tuple[str, str], grading.Grade]:
        """The analysts' grades, by ``(kind, key)``: ``("source", source_id)`` and ``("event", event_id)``."""
        with self.reading("read the grades") as conn:
            return grading.read(conn)

    def grade_values(self) -> dict[tuple[str, str], str]:
        """The analysts' grades by ``(kind, key)``, as :func:`incidents.model.grades.apply` lays them over events."""
        return {k: g.grade for k, g in self.grades().items()}

    def grade(self, kind: str, key: str, value: object, *, base_revision: int, author: str) -> grading.Grade:
        """Grade a source (A-F) or an event (1-6) from its revision ``base_revision`` (0: none yet): see grading.write."""
        with self.writing(f"grade {kind} {key!r}") as conn:
            return grading.write(conn, self.address, kind, key, value, base_revision=base_revision, author=author)

    def _set_dataset(self, dataset: str, status: str, author: str) -> int:
        action = "remove" if status == "removed" else "restore"
        with self.writing(f"{action} dataset {dataset!r}") as conn:
            return w.set_dataset_status(conn, self.address, dataset, status, author)
