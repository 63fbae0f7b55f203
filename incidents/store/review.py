"""The review of the events the extractor proposed from a stored document (:mod:`incidents.store.documents`).

A reviewer accepts, edits or rejects each candidate, or adds one from a passage the extractor
missed. Accepting checks the event by the rules of every importer, against the document's text,
and stores it as an accepted event of the document's dataset: on the map at the next load. Every
step is a revision with its author; a step made from an older revision of a candidate than the
stored one is refused (:class:`~incidents.store.engine.ConflictError`). Built on a
:class:`~incidents.store.store.Store` and its public :meth:`~incidents.store.store.Store.reading`
and :meth:`~incidents.store.store.Store.writing`: ``Review(store).accept(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from incidents.model import tables as t
from incidents.store import proposals as cand
from incidents.store import writes as w
from incidents.store.checks import checked_record, document_of
from incidents.store.documents import dataset_of
from incidents.store.engine import ConflictError, StoreError
from incidents.store.proposals import EDITABLE, Proposal
from incidents.store.store import Store


class Review:
    """The candidates of the documents of ``store``, and every step of their review."""

    def __init__(self, store: Store):
        self.store = store

    # ---- candidates ----------------------------------------------------------------------------

    def candidates(self, source_id: str) -> list[Proposal]:
        """The document's candidates in rank order (the main event first)."""
        with self.store.reading("read the candidates") as conn:
            if conn is None:
                return []
            c = t.candidates
            query = sa.select(c).where(c.c.source_id == source_id).order_by(c.c.rank, c.c.candidate_id)
            return [cand.proposal_of(r) for r in conn.execute(query)]

    def proposal_of(self, event_id: str) -> Proposal | None:
        """The accepted candidate an event was made from (its evidence), or ``None``."""
        with self.store.reading("read a candidate") as conn:
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
        with self.store.writing(f"add a passage of document {source_id!r}") as conn:
            row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == source_id)).one_or_none()
            if row is None:
                raise StoreError(f"store {self.store.address}: no document {source_id!r}")
            doc = document_of(row)
            if not (0 <= start < end <= len(doc.text)) or not doc.text[start:end].strip():
                raise StoreError(f"store {self.store.address}: characters {start}–{end} are not a passage of {source_id!r}")
            c = t.candidates
            n, rank = conn.execute(sa.select(sa.func.count(), sa.func.max(c.c.rank)).where(c.c.source_id == source_id)).one()
            fields, evidence = cand.from_passage(doc, start, end, f"{doc.source_id}-{n + 1}", dataset_of(conn, source_id))
            added, revision = cand.row_of(doc, n + 1, (rank or 0) + 1, "passage", fields, evidence, author)
            conn.execute(sa.insert(t.candidates).values(added))
            conn.execute(sa.insert(t.revisions).values(revision))
            found = conn.execute(sa.select(c).where(c.c.candidate_id == f"{source_id}:{n + 1}")).one()
        return cand.proposal_of(found)

    def _step(self, candidate_id: str, changes: Mapping[str, Any], base: int, author: str, action: str) -> Proposal:
        address = self.store.address
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise StoreError(f"store {address}: a review cannot change {', '.join(unknown)}")
        with self.store.writing(f"{action} candidate {candidate_id!r}") as conn:
            c = t.candidates
            row = conn.execute(sa.select(c).where(c.c.candidate_id == candidate_id)).one_or_none()
            if row is None:
                raise StoreError(f"store {address}: no candidate {candidate_id!r}")
            current = cand.proposal_of(row)
            fields = w.with_changes(current.fields, changes)
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
                raise StoreError(f"store {address}: candidate {candidate_id!r} is {current.status}: it cannot {action}")
            doc_row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == current.source_id)).one()
            if "excerpt_start" in changes or "excerpt_end" in changes:
                start, end = fields["excerpt_start"], fields["excerpt_end"]
                fields["excerpt"] = cand.quoted(doc_row.text, start, end, address, candidate_id)
            status = {"accept": "accepted", "reject": "rejected", "reopen": "candidate", "withdraw": "rejected"}.get(
                action, current.status
            )
            if action == "withdraw":  # its event leaves the map (kept as removed, with a revision)
                stored = w.read_record(conn, str(current.event_id))
                if stored is not None and stored["status"] == "accepted":
                    w.update(address, conn, stored, {**stored, "status": "removed"}, author, "remove")
            event_id = None
            if action in ("edit", "accept"):
                if action == "accept" and not fields.get("coding_note"):
                    fields["coding_note"] = f"Proposed by the extractor ({current.origin}); reviewed and accepted by {author}."
                try:
                    checked = checked_record({**fields, "status": "accepted"}, address, document=document_of(doc_row))
                except StoreError as exc:
                    problems = str(exc).split("the edit is refused: ", 1)[-1]
                    raise StoreError(f"store {address}: candidate {candidate_id!r} is not {action}ed: {problems}") from exc
                if action == "accept":
                    event_id = checked["event_id"]
                    stored = w.read_record(conn, event_id)
                    if stored is None:
                        w.insert(conn, checked["dataset"], [checked], author, w.now())
                    elif stored["status"] == "removed" and stored["dataset"] == checked["dataset"]:  # accepted again
                        w.update(address, conn, stored, {**checked, "status": "accepted"}, author, "restore")
                    else:
                        raise StoreError(f"store {address}: an event {event_id!r} is already stored")
                fields = {k: checked.get(k, v) for k, v in fields.items()}
            at, revision = w.now(), current.revision + 1
            done = conn.execute(
                sa.update(c).where(c.c.candidate_id == candidate_id, c.c.revision == base)
                .values(fields=w.as_json(fields), status=status, event_id=event_id or current.event_id, revision=revision,
                        author=author, updated_at=at)
            )  # fmt: skip
            if done.rowcount != 1:
                raise StoreError(
                    f"store {address}: candidate {candidate_id!r} changed while it was reviewed; nothing was written"
                )
            before = {k: v for k, v in current.fields.items() if fields.get(k) != v}
            after = {k: fields.get(k) for k in before}
            before["status"], after["status"] = current.status, status
            change = w.revision_row("candidate", candidate_id, revision, action, author, at, before, after)
            conn.execute(sa.insert(t.revisions).values(change))
            found = conn.execute(sa.select(c).where(c.c.candidate_id == candidate_id)).one()
        return cand.proposal_of(found)


__all__ = ["EDITABLE", "Proposal", "Review"]
