"""Source documents that events quote: ``data/documents/<source_id>.txt`` + ``.json`` metadata.

Offsets are Python string indices (Unicode code points) into the text read as UTF-8 with no
newline translation, so ``text[excerpt_start:excerpt_end]`` is the excerpt.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from incidents.model.errors import IncidentDataError, Rejection

DOCUMENTS_DIR = Path(__file__).resolve().parents[2] / "data" / "documents"


@dataclass(frozen=True)
class Document:
    """A stored source document and its metadata."""

    source_id: str
    text: str
    meta: dict[str, Any]

    @property
    def title(self) -> str:
        """The document's title (assigned where the text has none; see ``meta['title_note']``)."""
        return str(self.meta.get("title") or self.source_id)

    @property
    def url(self) -> str | None:
        """The document's URL, if known."""
        return self.meta.get("url") or None

    def citation(self) -> str:
        """One-line citation: title, publisher and date as far as they are known."""
        publisher = self.meta.get("publisher") or "publisher not stated"
        date = self.meta.get("date") or "date not stated"
        return f"{self.title} ({publisher}; {date}; stored as {self.source_id})"

    def context(self, start: int, end: int, *, chars: int = 400) -> tuple[str, str, str]:
        """Return ``(before, excerpt, after)`` with up to ``chars`` characters either side."""
        return (
            self.text[max(0, start - chars) : start],
            self.text[start:end],
            self.text[end : end + chars],
        )


def stored_document_ids(directory: Path = DOCUMENTS_DIR) -> list[str]:
    """Ids of every document stored in ``directory``."""
    return sorted(p.stem for p in directory.glob("*.txt"))


def read_document(source_id: str, directory: Path = DOCUMENTS_DIR) -> Document:
    """Read a stored document and check it against the checksum in its metadata.

    Raises
    ------
    IncidentDataError
        When the text or metadata is missing, or the text does not match its checksum.

    """
    text_path = directory / f"{source_id}.txt"
    meta_path = directory / f"{source_id}.json"
    for path in (text_path, meta_path):
        if not path.is_file():
            raise IncidentDataError(Rejection(path.name, None, None, "", "stored document file is missing"))
    raw = text_path.read_bytes()
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(raw).hexdigest()
    if meta.get("sha256") != digest:
        raise IncidentDataError(
            Rejection(text_path.name, None, "sha256", digest, "text does not match the checksum in its metadata")
        )
    return Document(source_id, raw.decode("utf-8"), meta)


@lru_cache(maxsize=64)
def load_document(source_id: str) -> Document:
    """The stored document ``source_id`` from ``data/documents/`` (read once)."""
    return read_document(source_id)


def stored_document(source_id: object) -> Document | None:
    """The stored document that ``source_id`` names, or ``None``.

    Only the id of a document in ``data/documents/`` names one: any other text (a path, a
    name too long for the file system, a null byte) is compared, never used to open a file.
    """
    if not isinstance(source_id, str) or source_id not in _stored_ids():
        return None
    return load_document(source_id)


@lru_cache(maxsize=1)
def _stored_ids() -> frozenset[str]:
    return frozenset(stored_document_ids())


def quote_problem(doc: Document, start: int | None, end: int | None, excerpt: str) -> tuple[str, str] | None:
    """``(field, reason)`` when an event quoting ``doc`` lacks offsets or its excerpt is not ``text[start:end]``."""
    if start is None or end is None:
        return "excerpt_start", "a stored document is quoted: offsets are required"
    if not 0 <= start < end or doc.text[start:end] != excerpt:
        return "excerpt", f"excerpt is not the text at {start}:{end} of document {doc.source_id}"
    return None


def offsets_without_document(source_id: str) -> str:
    """The reason given when offsets point into a document that is not stored."""
    return f"offsets given but no stored document {source_id!r}"
