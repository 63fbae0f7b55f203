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
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from incidents.documents import Document
from incidents.extract import Candidate, extract
from incidents.intake import Intake
from incidents.store import tables as t
from incidents.store import writes as w
from incidents.store.checks import checked_record
from incidents.store.engine import ConflictError, StoreError
from incidents.validate import FieldError, parse_date_bounds, parse_url

if TYPE_CHECKING:
    from incidents.store.store import Store

#: The metadata a reviewer may set on a document.
METADATA = ("title", "publisher", "published", "url", "language")
#: Candidate fields a reviewer may change (the record's; ``actors`` as a list). The excerpt is never typed: moving
#: its offsets (to quote part of a sentence, or more of it) takes the document's words between them.
EDITABLE = (
    "date_start", "date_end", "date_precision", "event_type", "actors", "location", "lon", "lat", "geo_precision",
    "fatalities", "injured", "detained", "coding_note", "excerpt_start", "excerpt_end",
)  # fmt: skip


@dataclass(frozen=True)
class StoredDocument:
    """A document in the store, its dataset and how many of its candidates are in each state."""

    source_id: str
    title: str
    publisher: str | None
    published: str | None
    url: str | None
    language: str | None
    obtained: str
    sha256: str
    author: str
    dataset: str
    states: dict[str, int]


@dataclass(frozen=True)
class Proposal:
    """One candidate event under review: the proposed record, its evidence, and its state."""

    candidate_id: str
    source_id: str
    rank: int
    origin: str  # extractor / passage
    fields: dict[str, Any]
    evidence: dict[str, list[int]]
    event_id: str | None
    status: str  # candidate / accepted / rejected
    revision: int
    author: str


@dataclass(frozen=True)
class DocumentAdded:
    """What adding a document did: its id and dataset, how many candidates, whether it was stored already."""

    source_id: str
    dataset: str
    candidates: int
    already: bool = False


def _meta(values: Mapping[str, Any], where: str) -> dict[str, str | None]:
    """The document's metadata, checked: a title, a date as ``YYYY[-MM[-DD]]``, an http/https URL."""
    out = {k: (str(values.get(k) or "").strip()[:500] or None) for k in METADATA}
    if not out["title"]:
        raise StoreError(f"store {where}: the document needs a title")
    for name, check in (("published", parse_date_bounds), ("url", parse_url)):
        try:
            if out[name]:
                check(str(out[name]))
        except FieldError as exc:
            raise StoreError(f"store {where}: the document's {name} {out[name]!r} is refused: {exc}") from exc
    return out


def document_of(row: Any) -> Document:
    """A row of ``documents`` as a :class:`~incidents.documents.Document` (what events quote)."""
    meta = {"title": row.title, "publisher": row.publisher, "date": row.published, "url": row.url, "sha256": row.sha256}
    return Document(row.source_id, row.text, meta)


def _record(c: Candidate, n: int, doc: Document, dataset: str) -> dict[str, Any]:
    """A candidate as the event record it would become (admin units and regions are derived on accepting)."""
    return {
        "event_id": f"{doc.source_id}-{n}",
        "dataset": dataset,
        "date_start": c.date_start.isoformat() if c.date_start else None,
        "date_end": c.date_end.isoformat() if c.date_end else None,
        "date_precision": c.date_precision,
        "event_type": c.event_type,
        "actors": list(c.actors),
        "location": c.location or "",
        "lon": c.longitude,
        "lat": c.latitude,
        "geo_precision": c.geo_precision,
        "admin1": c.admin1,
        "admin2": c.admin2,
        "fatalities": c.fatalities,
        "fatalities_low": None,
        "fatalities_high": None,
        "injured": c.injured,
        "detained": c.detained,
        "excerpt": c.excerpt,
        "source_id": doc.source_id,
        "source_title": doc.citation(),
        "source_url": doc.url,
        "excerpt_start": c.excerpt_start,
        "excerpt_end": c.excerpt_end,
        "coding_note": None,
        "regions": [],
        "new_actors": list(c.new_actors),  # named, not in the alias table: for the reviewer (not a field of the event)
    }


def _published(doc: Document) -> date | None:
    try:
        return parse_date_bounds(doc.meta["date"])[0] if doc.meta.get("date") else None
    except FieldError:
        return None


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
        meta = _meta(metadata, where)
        sha, at = intake.sha256, w.now()
        source_id = source_id or f"doc-{sha[:16]}"
        d = t.documents
        with self.store._reading("look for the document") as conn:
            found = None if conn is None else conn.execute(sa.select(d.c.source_id).where(d.c.sha256 == sha)).scalar()
            if conn is not None and found is not None:
                return DocumentAdded(found, self._dataset(conn, found), 0, already=True)
        doc = Document(source_id, intake.text, {**meta, "date": meta["published"], "sha256": sha})
        pub = _published(doc)
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
                _row(doc, n, n, "extractor", _record(c, n, doc, dataset), c.evidence, author)
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
                    names.get(r.sha256, ""), states.get(r.source_id, {}),
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

    # ---- candidates ----------------------------------------------------------------------------

    def candidates(self, source_id: str) -> list[Proposal]:
        """The document's candidates in rank order (the main event first)."""
        with self.store._reading("read the candidates") as conn:
            if conn is None:
                return []
            c = t.candidates
            query = sa.select(c).where(c.c.source_id == source_id).order_by(c.c.rank, c.c.candidate_id)
            return [_proposal(r) for r in conn.execute(query)]

    def proposal_of(self, event_id: str) -> Proposal | None:
        """The accepted candidate an event was made from (its evidence), or ``None``."""
        with self.store._reading("read a candidate") as conn:
            if conn is None:
                return None
            found = conn.execute(sa.select(t.candidates).where(t.candidates.c.event_id == event_id)).one_or_none()
            return None if found is None else _proposal(found)

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
            fields, evidence = _from_passage(doc, start, end, f"{doc.source_id}-{n + 1}", self._dataset(conn, source_id))
            added, revision = _row(doc, n + 1, (rank or 0) + 1, "passage", fields, evidence, author)
            conn.execute(sa.insert(t.candidates).values(added))
            conn.execute(sa.insert(t.revisions).values(revision))
            found = conn.execute(sa.select(c).where(c.c.candidate_id == f"{source_id}:{n + 1}")).one()
        return _proposal(found)

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
            current = _proposal(row)
            fields = {**current.fields, **changes}
            if current.revision != base:
                raise ConflictError(
                    f"candidate {candidate_id!r} was changed by {current.author} (revision {current.revision}) since revision "
                    f"{base}, which this {action} was made from: nothing was written; look at it again",
                    current=current.__dict__,
                    proposed=fields,
                )
            allowed = {"edit": ("candidate",), "accept": ("candidate",), "reject": ("candidate",), "reopen": ("rejected",)}
            if current.status not in allowed[action]:
                raise StoreError(f"store {where}: candidate {candidate_id!r} is {current.status}: it cannot {action}")
            doc_row = conn.execute(sa.select(t.documents).where(t.documents.c.source_id == current.source_id)).one()
            if "excerpt_start" in changes or "excerpt_end" in changes:
                fields["excerpt"] = _quoted(doc_row.text, fields["excerpt_start"], fields["excerpt_end"], where, candidate_id)
            status = {"accept": "accepted", "reject": "rejected", "reopen": "candidate"}.get(action, current.status)
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
                    if w.taken(conn, [event_id]):
                        raise StoreError(f"store {where}: an event {event_id!r} is already stored")
                    w.insert(conn, checked["dataset"], [checked], author, w.now())
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
        return _proposal(found)


def _row(
    doc: Document, n: int, rank: int, origin: str, fields: dict[str, Any], evidence: Mapping[str, list[int]], author: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Candidate ``n`` of ``doc`` as a row of ``candidates``, and the revision that adds it."""
    at, cid = w.now(), f"{doc.source_id}:{n}"
    row = {
        "candidate_id": cid, "source_id": doc.source_id, "rank": rank, "origin": origin, "fields": w.as_json(fields),
        "evidence": w.as_json(dict(evidence)), "status": "candidate", "revision": 1, "author": author, "created_at": at,
        "updated_at": at,
    }  # fmt: skip
    return row, w.revision_row("candidate", cid, 1, "add", author, at, None, {"fields": fields, "origin": origin})


def _quoted(text: str, start: Any, end: Any, where: str, candidate_id: str) -> str:
    """The document's words between new excerpt offsets (whole numbers, inside the text, not blank)."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not 0 <= start < end <= len(text):
        raise StoreError(
            f"store {where}: candidate {candidate_id!r}: excerpt offsets {start!r}–{end!r} are not a span of the text"
        )
    if not text[start:end].strip():
        raise StoreError(f"store {where}: candidate {candidate_id!r}: characters {start}–{end} are blank")
    return text[start:end]


def _proposal(r: Any) -> Proposal:
    return Proposal(
        r.candidate_id, r.source_id, r.rank, r.origin, json.loads(r.fields), json.loads(r.evidence), r.event_id, r.status,
        r.revision, r.author,
    )  # fmt: skip


def _from_passage(doc: Document, start: int, end: int, event_id: str, dataset: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields the extractor reads in a passage (dated against the document's date); the passage is the excerpt."""
    words = doc.text[start:end]
    pub = _published(doc)
    found = extract(words, published=pub) if pub else extract(words)
    if found:
        c = found[0]
        fields = _record(c, 0, doc, dataset)
        evidence = {k: [a + start, b + start] for k, (a, b) in c.evidence.items()}
    else:  # nothing the extractor reads: the reviewer fills the fields in
        none = Candidate(0, None, None, None, "unspecified", [], None, None, None, None, None, None, None, None, None, "", 0, 0)
        fields = _record(none, 0, doc, dataset)
        evidence = {}
    fields.update(event_id=event_id, excerpt=words, excerpt_start=start, excerpt_end=end)
    evidence["excerpt"] = [start, end]
    return fields, evidence
