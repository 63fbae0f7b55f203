"""Documents kept in the store: add, get, list and describe them.

Adding a document stores its text once (by sha256), makes its dataset ``document: <title>``,
and keeps the extractor's candidates (:mod:`incidents.extract`), each with the evidence for every
field, for their review (:mod:`incidents.store.review`). Every step is a revision with its
author. Built on a :class:`~incidents.store.store.Store`: ``Documents(store).add(...)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from incidents.extract import extract
from incidents.intake import Intake
from incidents.model import tables as t
from incidents.model.documents import Document
from incidents.store import proposals as cand
from incidents.store import writes as w
from incidents.store.checks import document_of
from incidents.store.engine import ConflictError, StoreError
from incidents.store.proposals import METADATA, Described, DocumentAdded, StoredDocument
from incidents.store.store import Store


def dataset_of(conn: sa.Connection, source_id: str) -> str:
    """The name of the dataset of the stored document ``source_id`` (its events and candidates belong to it)."""
    sha = conn.execute(sa.select(t.documents.c.sha256).where(t.documents.c.source_id == source_id)).scalar()
    ds = t.datasets
    found = conn.execute(sa.select(ds.c.name).where(ds.c.sha256 == sha, ds.c.format == "document")).scalar()
    return str(found)


class Documents:
    """The documents kept in ``store``."""

    def __init__(self, store: Store):
        self.store = store

    def add(self, intake: Intake, metadata: Mapping[str, Any], *, author: str, source_id: str | None = None) -> DocumentAdded:
        """Store a document (once, by sha256) with its dataset and the extractor's candidates, in one transaction.

        ``source_id`` names it (default ``doc-`` and the start of its sha256); the shipped dossier keeps its own.
        """
        address = self.store.address
        meta = cand.meta_of(metadata, address)
        sha, at = intake.sha256, w.now()
        source_id = source_id or f"doc-{sha[:16]}"
        d = t.documents
        with self.store.reading("look for the document") as conn:
            found = None if conn is None else conn.execute(sa.select(d.c.source_id).where(d.c.sha256 == sha)).scalar()
            if conn is not None and found is not None:
                return DocumentAdded(found, dataset_of(conn, found), 0, already=True)
        doc = Document(source_id, intake.text, {**meta, "date": meta["published"], "sha256": sha})
        pub = cand.published_of(doc)
        # before the write begins: a long text takes seconds, and the write holds the store's lock
        found_events = extract(intake.text, published=pub) if pub else extract(intake.text)
        with self.store.writing(f"add document {meta['title']!r}") as conn:
            found = conn.execute(sa.select(d.c.source_id).where(d.c.sha256 == sha)).scalar()
            if found is not None:  # stored by someone else meanwhile
                return DocumentAdded(found, dataset_of(conn, found), 0, already=True)
            dataset = f"document: {meta['title']}"[:200]
            if conn.execute(sa.select(t.datasets.c.name).where(t.datasets.c.name == dataset)).scalar() is not None:
                dataset = f"{dataset} ({source_id})"
            row = {**meta, "source_id": source_id, "text": intake.text, "sha256": sha, "obtained": intake.obtained}
            conn.execute(sa.insert(d).values(**row, status="active", revision=1, author=author, created_at=at, updated_at=at))
            accounting = {"obtained": intake.obtained, "characters": len(intake.text), "candidates": len(found_events)}
            conn.execute(
                sa.insert(t.datasets).values(
                    name=dataset, source_file=intake.name, sha256=sha, format="document", accounting=json.dumps(accounting),
                    status="active", revision=1, author=author, created_at=at, updated_at=at,
                )
            )  # fmt: skip
            stated = {k: v for k, v in row.items() if k != "text"}
            revisions = [
                w.revision_row("document", source_id, 1, "add", author, at, None, stated),
                w.revision_row("dataset", dataset, 1, "add", author, at, None, {"source_file": intake.name, "sha256": sha}),
            ]
            rows = [
                cand.row_of(doc, n, n, "extractor", cand.record_of(c, n, doc, dataset), c.evidence, author)
                for n, c in enumerate(found_events, 1)
            ]
            if rows:  # one statement for all (a long document gives thousands)
                conn.execute(sa.insert(t.candidates), [r for r, _ in rows])
            conn.execute(sa.insert(t.revisions), revisions + [r for _, r in rows])
        return DocumentAdded(source_id, dataset, len(found_events))

    def list(self) -> list[StoredDocument]:
        """The stored documents, newest first, with their candidates' states."""
        with self.store.reading("list the documents") as conn:
            if conn is None:
                return []
            c, d, ds = t.candidates, t.documents, t.datasets
            states: dict[str, dict[str, int]] = {}
            by_state = sa.select(c.c.source_id, c.c.status, sa.func.count()).group_by(c.c.source_id, c.c.status)
            for sid, status, count in conn.execute(by_state):
                states.setdefault(sid, {})[status] = int(count)
            names = dict(conn.execute(sa.select(ds.c.sha256, ds.c.name).where(ds.c.format == "document")).all())
            listed = sa.select(*[d.c[k] for k in d.c.keys() if k != "text"])
            rows = conn.execute(listed.order_by(d.c.created_at.desc(), d.c.source_id))
            return [
                StoredDocument(
                    r.source_id, r.title, r.publisher, r.published, r.url, r.language, r.obtained, r.sha256, r.author,
                    names.get(r.sha256, ""), states.get(r.source_id, {}), r.revision,
                )
                for r in rows
            ]  # fmt: skip

    def get(self, source_id: object) -> Document | None:
        """The stored document ``source_id`` (text and metadata), or ``None``."""
        if not isinstance(source_id, str):
            return None
        with self.store.reading("read a document") as conn:
            if conn is None:
                return None
            row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == source_id)).one_or_none()
            return None if row is None else document_of(row)

    def describe(self, source_id: str, metadata: Mapping[str, Any], *, base_revision: int, author: str) -> Described:
        """Change a stored document's metadata, checked as when it was added (a step from an older revision is refused).

        The citation (title, publisher, date, URL) of its candidates and of its accepted events follows. When the
        publication date changes, the candidates still under review that no reviewer has edited are dated again
        against it ("yesterday" moves with it); the others keep their dates. The dataset keeps its name: links,
        filters and exports name it.
        """
        address = self.store.address
        meta = cand.meta_of(metadata, address)
        stored = self.get(source_id)
        if stored is None:
            raise StoreError(f"store {address}: no document {source_id!r}")
        redo: dict[tuple[int, int], Any] | None = None
        if meta["published"] != stored.meta.get("date"):  # read before the write begins: a long text takes seconds
            pub = cand.published_of(Document(source_id, stored.text, {"date": meta["published"]}))
            redo = {
                (c.excerpt_start, c.excerpt_end): c
                for c in (extract(stored.text, published=pub) if pub else extract(stored.text))
            }
        with self.store.writing(f"describe document {source_id!r}") as conn:
            d, c = t.documents, t.candidates
            row = conn.execute(sa.select(d).where(d.c.source_id == source_id)).one_or_none()
            if row is None:
                raise StoreError(f"store {address}: no document {source_id!r}")
            if row.revision != base_revision:
                raise ConflictError(
                    f"document {source_id!r} was changed by {row.author} (revision {row.revision}) since revision "
                    f"{base_revision}, which this change was made from: nothing was written; look at it again",
                    current={k: getattr(row, k) for k in METADATA},
                    proposed=meta,
                )
            before = {k: getattr(row, k) for k in METADATA if getattr(row, k) != meta[k]}
            if not before:
                return Described(())
            at, revision = w.now(), row.revision + 1
            conn.execute(
                sa.update(d).where(d.c.source_id == source_id).values(**meta, revision=revision, author=author, updated_at=at)
            )
            changes = [w.revision_row("document", source_id, revision, "edit", author, at, before, {k: meta[k] for k in before})]
            doc = document_of(conn.execute(sa.select(d).where(d.c.source_id == source_id)).one())
            rows = [cand.proposal_of(r) for r in conn.execute(sa.select(c).where(c.c.source_id == source_id))]
            r = t.revisions
            ids = [p.candidate_id for p in rows]
            reviewed = r.c.action.in_(("edit", "accept"))
            edited = set(
                conn.execute(
                    sa.select(r.c.entity_id).where(r.c.entity == "candidate", reviewed, r.c.entity_id.in_(ids))
                ).scalars()
            )
            outcomes = {"redated": 0, "kept": 0, "events": 0}
            for p in rows:
                fields, evidence, outcome = cand.described(p, doc, redo, p.candidate_id in edited)
                if outcome:
                    outcomes[outcome] += 1
                if fields == p.fields and evidence == p.evidence:
                    continue
                values = {"fields": w.as_json(fields), "evidence": w.as_json(evidence), "revision": p.revision + 1}
                conn.execute(
                    sa.update(c).where(c.c.candidate_id == p.candidate_id).values(**values, author=author, updated_at=at)
                )
                was = {k: v for k, v in p.fields.items() if fields.get(k) != v}
                now = {k: fields[k] for k in was}
                changes.append(w.revision_row("candidate", p.candidate_id, p.revision + 1, "describe", author, at, was, now))
                event = w.read_record(conn, p.event_id) if p.status == "accepted" and p.event_id else None
                cited = {"source_title": doc.citation(), "source_url": doc.url}
                if event is not None and event["status"] == "accepted" and any(event.get(k) != v for k, v in cited.items()):
                    w.update(address, conn, event, {**event, **cited}, author, "edit")  # its citation follows the document
                    outcomes["events"] += 1
            conn.execute(sa.insert(t.revisions), changes)
        return Described(tuple(before), **outcomes)
