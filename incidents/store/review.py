"""Documents kept in the store, and the review of the events the extractor proposes from them.

Adding a document stores its text once (by sha256), makes its dataset ``document: <title>``,
and keeps the extractor's candidates (:mod:`incidents.extract`), each with the evidence for every
field. A reviewer then accepts, edits or rejects each one, or adds one from a passage the
extractor missed. Accepting checks the event by the rules of every importer, against the
document's text, and stores it as an accepted event of the document's dataset: on the map at the
next load. Every step is a revision with its author; a step made from an older revision of a
candidate than the stored one is refused (:class:`~incidents.store.engine.ConflictError`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from incidents.extract import extract
from incidents.intake import Intake
from incidents.model.documents import Document
from incidents.store import proposals as cand
from incidents.store import tables as t
from incidents.store import writes as w
from incidents.store.checks import checked_record
from incidents.store.engine import ConflictError, StoreError
from incidents.store.proposals import EDITABLE, METADATA, Described, DocumentAdded, Proposal, StoredDocument, document_of

if TYPE_CHECKING:
    from incidents.store.store import Store


class Review:
    """The documents of ``store`` and their candidates (``Store.review``)."""

    def __init__(self, store: Store):
        self.store = store

    # ---- documents -----------------------------------------------------------------------------

    def add(self, intake: Intake, metadata: Mapping[str, Any], *, author: str, source_id: str | None = None) -> DocumentAdded:
        """Store a document (once, by sha256) with its dataset and the extractor's candidates, in one transaction.

        ``source_id`` names it (default ``doc-`` and the start of its sha256); the shipped dossier keeps its own.
        """
        where = self.store.where
        meta = cand.meta_of(metadata, where)
        sha, at = intake.sha256, w.now()
        source_id = source_id or f"doc-{sha[:16]}"
        d = t.documents
        with self.store._reading("look for the document") as conn:
            found = None if conn is None else conn.execute(sa.select(d.c.source_id).where(d.c.sha256 == sha)).scalar()
            if conn is not None and found is not None:
                return DocumentAdded(found, self._dataset(conn, found), 0, already=True)
        doc = Document(source_id, intake.text, {**meta, "date": meta["published"], "sha256": sha})
        pub = cand.published_of(doc)
        # before the write begins: a long text takes seconds, and the write holds the store's lock
        found_events = extract(intake.text, published=pub) if pub else extract(intake.text)
        with self.store._writing(f"add document {meta['title']!r}") as conn:
            found = conn.execute(sa.select(d.c.source_id).where(d.c.sha256 == sha)).scalar()
            if found is not None:  # stored by someone else meanwhile
                return DocumentAdded(found, self._dataset(conn, found), 0, already=True)
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

    def _dataset(self, conn: sa.Connection, source_id: str) -> str:
        sha = conn.execute(sa.select(t.documents.c.sha256).where(t.documents.c.source_id == source_id)).scalar()
        ds = t.datasets
        found = conn.execute(sa.select(ds.c.name).where(ds.c.sha256 == sha, ds.c.format == "document")).scalar()
        return str(found)

    def documents(self) -> list[StoredDocument]:
        """The stored documents, newest first, with their candidates' states."""
        with self.store._reading("list the documents") as conn:
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

    def document(self, source_id: object) -> Document | None:
        """The stored document ``source_id`` (text and metadata), or ``None``."""
        if not isinstance(source_id, str):
            return None
        with self.store._reading("read a document") as conn:
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
        where = self.store.where
        meta = cand.meta_of(metadata, where)
        stored = self.document(source_id)
        if stored is None:
            raise StoreError(f"store {where}: no document {source_id!r}")
        redo: dict[tuple[int, int], Any] | None = None
        if meta["published"] != stored.meta.get("date"):  # read before the write begins: a long text takes seconds
            pub = cand.published_of(Document(source_id, stored.text, {"date": meta["published"]}))
            redo = {
                (c.excerpt_start, c.excerpt_end): c
                for c in (extract(stored.text, published=pub) if pub else extract(stored.text))
            }
        with self.store._writing(f"describe document {source_id!r}") as conn:
            d, c = t.documents, t.candidates
            row = conn.execute(sa.select(d).where(d.c.source_id == source_id)).one_or_none()
            if row is None:
                raise StoreError(f"store {where}: no document {source_id!r}")
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
                    w.update(where, conn, event, {**event, **cited}, author, "edit")  # its citation follows the document
                    outcomes["events"] += 1
            conn.execute(sa.insert(t.revisions), changes)
        return Described(tuple(before), **outcomes)

    # ---- candidates ----------------------------------------------------------------------------

    def candidates(self, source_id: str) -> list[Proposal]:
        """The document's candidates in rank order (the main event first)."""
        with self.store._reading("read the candidates") as conn:
            if conn is None:
                return []
            c = t.candidates
            query = sa.select(c).where(c.c.source_id == source_id).order_by(c.c.rank, c.c.candidate_id)
            return [cand.proposal_of(r) for r in conn.execute(query)]

    def proposal_of(self, event_id: str) -> Proposal | None:
        """The accepted candidate an event was made from (its evidence), or ``None``."""
        with self.store._reading("read a candidate") as conn:
            if conn is None:
                return None
            found = conn.execute(sa.select(t.candidates).where(t.candidates.c.event_id == event_id)).one_or_none()
            return None if found is None else cand.proposal_of(found)

    def edit(self, candidate_id: str, changes: Mapping[str, Any], *, base_revision: int, author: str) -> Proposal:
        """Save a reviewer's changes to a candidate (checked as every importer checks an event)."""
        return self._step(candidate_id, changes, base_revision, author, "edit")

    def accept(self, candidate_id: str, changes: Mapping[str, Any], *, base_revision: int, author: str) -> Proposal:
        """Accept a candidate, with ``changes``: its event is stored, accepted, in the document's dataset."""
        return self._step(candidate_id, changes, base_revision, author, "accept")

    def reject(self, candidate_id: str, *, base_revision: int, author: str) -> Proposal:
        """Reject a candidate (kept, and reopened by :meth:`reopen`)."""
        return self._step(candidate_id, {}, base_revision, author, "reject")

    def reopen(self, candidate_id: str, *, base_revision: int, author: str) -> Proposal:
        """Bring a rejected candidate back under review."""
        return self._step(candidate_id, {}, base_revision, author, "reopen")

    def withdraw(self, candidate_id: str, *, base_revision: int, author: str) -> Proposal:
        """Undo an acceptance: the event leaves the map (marked removed) and the candidate is rejected (reopen it to redo)."""
        return self._step(candidate_id, {}, base_revision, author, "withdraw")

    def add_passage(self, source_id: str, start: int, end: int, *, author: str) -> Proposal:
        """A candidate from a passage a reviewer chose (``text[start:end]``, its excerpt), read by the extractor."""
        with self.store._writing(f"add a passage of document {source_id!r}") as conn:
            row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == source_id)).one_or_none()
            if row is None:
                raise StoreError(f"store {self.store.where}: no document {source_id!r}")
            doc = document_of(row)
            if not (0 <= start < end <= len(doc.text)) or not doc.text[start:end].strip():
                raise StoreError(f"store {self.store.where}: characters {start}–{end} are not a passage of {source_id!r}")
            c = t.candidates
            n, rank = conn.execute(sa.select(sa.func.count(), sa.func.max(c.c.rank)).where(c.c.source_id == source_id)).one()
            fields, evidence = cand.from_passage(doc, start, end, f"{doc.source_id}-{n + 1}", self._dataset(conn, source_id))
            added, revision = cand.row_of(doc, n + 1, (rank or 0) + 1, "passage", fields, evidence, author)
            conn.execute(sa.insert(t.candidates).values(added))
            conn.execute(sa.insert(t.revisions).values(revision))
            found = conn.execute(sa.select(c).where(c.c.candidate_id == f"{source_id}:{n + 1}")).one()
        return cand.proposal_of(found)

    def _step(self, candidate_id: str, changes: Mapping[str, Any], base: int, author: str, action: str) -> Proposal:
        where = self.store.where
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise StoreError(f"store {where}: a review cannot change {', '.join(unknown)}")
        with self.store._writing(f"{action} candidate {candidate_id!r}") as conn:
            c = t.candidates
            row = conn.execute(sa.select(c).where(c.c.candidate_id == candidate_id)).one_or_none()
            if row is None:
                raise StoreError(f"store {where}: no candidate {candidate_id!r}")
            current = cand.proposal_of(row)
            fields = {**current.fields, **changes}
            if current.revision != base:
                raise ConflictError(
                    f"candidate {candidate_id!r} was changed by {current.author} (revision {current.revision}) since revision "
                    f"{base}, which this {action} was made from: nothing was written; look at it again",
                    current=current.__dict__,
                    proposed=fields,
                )
            allowed = {"edit": ("candidate",), "accept": ("candidate",), "reject": ("candidate",), "reopen": ("rejected",),
                       "withdraw": ("accepted",)}  # fmt: skip
            if current.status not in allowed[action]:
                raise StoreError(f"store {where}: candidate {candidate_id!r} is {current.status}: it cannot {action}")
            doc_row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == current.source_id)).one()
            if "excerpt_start" in changes or "excerpt_end" in changes:
                fields["excerpt"] = cand.quoted(doc_row.text, fields["excerpt_start"], fields["excerpt_end"], where, candidate_id)
            status = {"accept": "accepted", "reject": "rejected", "reopen": "candidate", "withdraw": "rejected"}.get(
                action, current.status
            )
            if action == "withdraw":  # its event leaves the map (kept as removed, with a revision)
                stored = w.read_record(conn, str(current.event_id))
                if stored is not None and stored["status"] == "accepted":
                    w.update(where, conn, stored, {**stored, "status": "removed"}, author, "remove")
            event_id = None
            if action in ("edit", "accept"):
                if action == "accept" and not fields.get("coding_note"):
                    fields["coding_note"] = f"Proposed by the extractor ({current.origin}); reviewed and accepted by {author}."
                try:
                    checked = checked_record({**fields, "status": "accepted"}, where, document=document_of(doc_row))
                except StoreError as exc:
                    problems = str(exc).split("the edit is refused: ", 1)[-1]
                    raise StoreError(f"store {where}: candidate {candidate_id!r} is not {action}ed: {problems}") from exc
                if action == "accept":
                    event_id = checked["event_id"]
                    stored = w.read_record(conn, event_id)
                    if stored is None:
                        w.insert(conn, checked["dataset"], [checked], author, w.now())
                    elif stored["status"] == "removed" and stored["dataset"] == checked["dataset"]:  # accepted again
                        w.update(where, conn, stored, {**checked, "status": "accepted"}, author, "restore")
                    else:
                        raise StoreError(f"store {where}: an event {event_id!r} is already stored")
                fields = {k: checked.get(k, v) for k, v in fields.items()}
            at, revision = w.now(), current.revision + 1
            done = conn.execute(
                sa.update(c).where(c.c.candidate_id == candidate_id, c.c.revision == base)
                .values(fields=w.as_json(fields), status=status, event_id=event_id or current.event_id, revision=revision,
                        author=author, updated_at=at)
            )  # fmt: skip
            if done.rowcount != 1:
                raise StoreError(f"store {where}: candidate {candidate_id!r} changed while it was reviewed; nothing was written")
            before = {k: v for k, v in current.fields.items() if fields.get(k) != v}
            after = {k: fields.get(k) for k in before}
            before["status"], after["status"] = current.status, status
            change = w.revision_row("candidate", candidate_id, revision, action, author, at, before, after)
            conn.execute(sa.insert(t.revisions).values(change))
            found = conn.execute(sa.select(c).where(c.c.candidate_id == candidate_id)).one()
        return cand.proposal_of(found)


__all__ = ["EDITABLE", "METADATA", "Described", "DocumentAdded", "Proposal", "Review", "StoredDocument", "document_of"]
