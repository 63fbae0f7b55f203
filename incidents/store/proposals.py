"""What the review of documents keeps: stored documents, candidates, and the rows and records they become.

Pure helpers of :mod:`incidents.store.review` (no connection is opened here).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from incidents.extract import Candidate, extract
from incidents.model.documents import Document
from incidents.model.validate import FieldError, parse_date_bounds, parse_url
from incidents.store import writes as w
from incidents.store.engine import StoreError

#: The metadata a reviewer may set on a document.
METADATA = ("title", "publisher", "published", "url", "language")
#: Candidate fields a reviewer may change (the record's; ``actors`` as a list). The excerpt is never typed: moving
#: its offsets (to quote part of a sentence, or more of it) takes the document's words between them.
EDITABLE = (
    "date_start", "date_end", "date_precision", "date_best", "event_type", "actors", "location", "lon", "lat", "geo_precision",
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
    author: str  # who last changed it (who added it, at revision 1)
    dataset: str
    states: dict[str, int]
    revision: int = 1


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
class Described:
    """What changing a document's metadata did: the fields changed, candidates dated again or kept, events cited anew."""

    changed: tuple[str, ...]
    redated: int = 0
    kept: int = 0
    events: int = 0


#: The fields of a candidate its document's publication date decides.
DATED = ("date_start", "date_end", "date_precision", "date_best", "date_best_rule")


@dataclass(frozen=True)
class DocumentAdded:
    """What adding a document did: its id and dataset, how many candidates, whether it was stored already."""

    source_id: str
    dataset: str
    candidates: int
    already: bool = False


def meta_of(values: Mapping[str, Any], address: str) -> dict[str, str | None]:
    """The document's metadata, checked: a title, a date as ``YYYY[-MM[-DD]]``, an http/https URL."""
    out = {k: (str(values.get(k) or "").strip()[:500] or None) for k in METADATA}
    if not out["title"]:
        raise StoreError(f"store {address}: the document needs a title")
    for name, check in (("published", parse_date_bounds), ("url", parse_url)):
        try:
            if out[name]:
                check(str(out[name]))
        except FieldError as exc:
            raise StoreError(f"store {address}: the document's {name} {out[name]!r} is refused: {exc}") from exc
    return out


def record_of(c: Candidate, n: int, doc: Document, dataset: str) -> dict[str, Any]:
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
        "confidence": dict(c.confidence),  # how sure the extractor is of each field: for the reviewer (likewise)
        "date_best": c.date_best.isoformat() if c.date_best else None,  # the best single day, and its rule (likewise)
        "date_best_rule": c.date_best_rule,
    }


def published_of(doc: Document) -> date | None:
    """The first day of the document's stated publication date, or ``None``."""
    try:
        return parse_date_bounds(doc.meta["date"])[0] if doc.meta.get("date") else None
    except FieldError:
        return None


def row_of(
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


def quoted(text: str, start: Any, end: Any, address: str, candidate_id: str) -> str:
    """The document's words between new excerpt offsets (whole numbers, inside the text, not blank)."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not 0 <= start < end <= len(text):
        raise StoreError(
            f"store {address}: candidate {candidate_id!r}: excerpt offsets {start!r}–{end!r} are not a span of the text"
        )
    if not text[start:end].strip():
        raise StoreError(f"store {address}: candidate {candidate_id!r}: characters {start}–{end} are blank")
    return text[start:end]


def proposal_of(r: Any) -> Proposal:
    """A row of ``candidates`` as a :class:`Proposal`."""
    return Proposal(
        r.candidate_id, r.source_id, r.rank, r.origin, json.loads(r.fields), json.loads(r.evidence), r.event_id, r.status,
        r.revision, r.author,
    )  # fmt: skip


def described(
    p: Proposal, doc: Document, redo: Mapping[tuple[int, int], Candidate] | None, edited: bool
) -> tuple[dict[str, Any], dict[str, list[int]], str | None]:
    """A candidate's fields and evidence once its document's metadata changed, and whether it was ``redated`` or ``kept``.

    Its citation follows the document. ``redo`` (the document's candidates read against a new publication date, by
    excerpt span) dates again a candidate still under review that no reviewer has edited; the others keep their dates.
    """
    fields, evidence = {**p.fields, "source_title": doc.citation(), "source_url": doc.url}, dict(p.evidence)
    if redo is None or p.status != "candidate":
        return fields, evidence, None
    span = (int(fields["excerpt_start"]), int(fields["excerpt_end"]))
    if edited or (p.origin != "passage" and span not in redo):
        return fields, evidence, "kept"
    if p.origin == "passage":
        again, again_evidence = from_passage(doc, *span, str(fields["event_id"]), str(fields["dataset"]))
    else:
        again, again_evidence = record_of(redo[span], 0, doc, ""), redo[span].evidence
    fields.update({k: again[k] for k in DATED})
    evidence = {k: v for k, v in evidence.items() if k != "date"}
    if "date" in again_evidence:
        evidence["date"] = list(again_evidence["date"])
    return fields, evidence, "redated"


def from_passage(doc: Document, start: int, end: int, event_id: str, dataset: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields the extractor reads in a passage (dated against the document's date); the passage is the excerpt."""
    words = doc.text[start:end]
    pub = published_of(doc)
    found = extract(words, published=pub) if pub else extract(words)
    if found:
        c = found[0]
        fields = record_of(c, 0, doc, dataset)
        evidence = {k: [a + start, b + start] for k, (a, b) in c.evidence.items()}
    else:  # nothing the extractor reads: the reviewer fills the fields in
        none = Candidate(0, None, None, None, "unspecified", [], None, None, None, None, None, None, None, None, None, "", 0, 0)
        fields = record_of(none, 0, doc, dataset)
        evidence = {}
    fields.update(event_id=event_id, excerpt=words, excerpt_start=start, excerpt_end=end)
    evidence["excerpt"] = [start, end]
    return fields, evidence
