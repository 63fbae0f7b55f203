"""A new document's text and metadata from what an analyst pastes or uploads (no Streamlit here).

Accepted: pasted text, and ``.txt``, ``.md``, ``.html``/``.htm`` and ``.pdf`` files.

- **Text and Markdown** are decoded as UTF-8 (a byte-order mark is dropped), or UTF-16 with its
  mark; a file that is not UTF-8 is read as Windows-1252 when every byte is defined there, and
  the record says so; else it is refused.
- **HTML is never rendered.** trafilatura parses it and returns the main text: scripts, styles,
  navigation, markup and attributes (event handlers, ``javascript:`` links) are dropped.
  Its title, site name, date and canonical URL, and the page's ``lang``, prefill the metadata.
- **PDF**: the text layer of at most :data:`MAX_PDF_PAGES` pages, read by pypdf. A PDF with no
  text layer (a scan) is refused: it needs OCR first.

When a document does not state its language (an HTML page's ``lang``), it is detected by py3langid
(BSD-3-Clause; its model ships in the package) from the first :data:`LANGUAGE_SAMPLE` characters,
and kept only when the model is at least :data:`LANGUAGE_CONFIDENCE` sure; the record says it was
detected, and the reviewer may change it.

Line ends become newlines. The text returned is the text that is stored and quoted: offsets refer
to it, and its sha256 (of its UTF-8 bytes) is the document's identity.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from incidents.extract import when
from incidents.model.errors import IncidentDataError, Rejection

#: The largest file accepted (bytes), and the longest text kept (characters).
MAX_FILE_BYTES = 20_000_000
MAX_TEXT_CHARS = 10_000_000
#: Pages of a PDF read at most (a PDF may claim any number).
MAX_PDF_PAGES = 2_000
#: Characters a language is detected from, the fewest it is detected from, and the least probability kept.
LANGUAGE_SAMPLE = 20_000
LANGUAGE_MIN_CHARS = 40
LANGUAGE_CONFIDENCE = 0.95
#: File types by suffix.
SUFFIXES = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_HEADING = re.compile(r"^\s*#{0,6}\s*(\S.{0,199})$", re.MULTILINE)


@dataclass(frozen=True)
class Intake:
    """A document's text as it will be stored, and the metadata found in it (all editable before storing)."""

    name: str  # the file's name, or "pasted text"
    text: str
    title: str | None
    publisher: str | None
    published: str | None  # YYYY-MM-DD, YYYY-MM or YYYY, as the document states it
    url: str | None
    language: str | None
    obtained: str  # how the text was obtained, for the record

    @property
    def sha256(self) -> str:
        """The checksum of the text's UTF-8 bytes (what identifies a stored document)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _refuse(name: str, reason: str, value: str = "") -> IncidentDataError:
    return IncidentDataError(Rejection(name, None, None, value, reason))


def _checked(name: str, text: str, obtained: str) -> tuple[str, str]:
    """The text as it is stored, and a note of what was changed (NUL characters, which no store keeps)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    if not text.strip():
        raise _refuse(name, f"no text: the {obtained} is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise _refuse(name, f"the text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are kept: split it")
    controls = len(_CONTROL.findall(text))
    if controls > max(10, len(text) // 100):
        raise _refuse(name, f"not text: {controls:,} control characters in {len(text):,} (a binary file?)")
    nuls = text.count("\x00")
    note = f"; {nuls} NUL character(s) replaced by U+FFFD" if nuls else ""
    return text.replace("\x00", "\ufffd"), note


def _stated(checked: tuple[str, str], name: str, obtained: str) -> Intake:
    """Metadata a plain text states: its first line as the title, the date in its header."""
    text, note = checked
    obtained += note
    heading = _HEADING.search(text)
    pub = when.published(text)
    published = None if pub is None else pub.start.isoformat()[: 7 if pub.precision == "month" else 10]
    return Intake(name, text, heading.group(1).strip() if heading else None, None, published, None, None, obtained)


def from_paste(text: str) -> Intake:
    """A pasted text."""
    name = "pasted text"
    return _with_language(_stated(_checked(name, text, "pasted text"), name, "pasted"))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detected_language(text: str) -> tuple[str, float] | None:
    """The language of ``text`` (an ISO 639-1 code) and the model's probability, or ``None`` when it is not sure."""
    sample = text[:LANGUAGE_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < LANGUAGE_MIN_CHARS:
        return None
    code, probability = _identifier().classify(sample)
    return (str(code), float(probability)) if probability >= LANGUAGE_CONFIDENCE else None


def _with_language(intake: Intake) -> Intake:
    """The intake, with its language detected when the document does not state one."""
    if intake.language:
        return intake
    found = detected_language(intake.text)
    if found is None:
        return intake
    code, probability = found
    note = f"; language {code} detected by py3langid ({probability:.2f})"
    return replace(intake, language=code, obtained=intake.obtained + note)


def from_upload(name: str, data: bytes) -> Intake:
    """An uploaded file, by its suffix.

    Raises
    ------
    IncidentDataError
        Naming the file and why: an unknown type, empty, over the limit, not text, a PDF
        without a text layer or one that cannot be read.

    """
    name = PurePath(name).name or "upload"
    kind = SUFFIXES.get(PurePath(name).suffix.lower())
    if kind is None:
        raise _refuse(name, f"not a document type this reads: {', '.join(SUFFIXES)}", PurePath(name).suffix)
    if not data:
        raise _refuse(name, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(name, f"the file has {len(data):,} bytes; at most {MAX_FILE_BYTES:,} are read")
    if kind == "pdf":
        return _with_language(_pdf(name, data))
    text, encoding = _decoded(name, data)
    via = "" if encoding == "utf-8" else f", decoded as {encoding}"
    if kind == "html":
        return _with_language(_html(name, text, via))
    return _with_language(_stated(_checked(name, text, f"{kind} file"), name, f"uploaded {kind} file {name}{via}"))


def _decoded(name: str, data: bytes) -> tuple[str, str]:
    """The file's text: UTF-8 (or UTF-16 with its byte-order mark), else Windows-1252 where every byte is defined."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise _refuse(name, f"not text: a UTF-16 mark, but byte {exc.start} is not UTF-16") from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252"), "Windows-1252 (it is not UTF-8)"
        except UnicodeDecodeError:
            raise _refuse(name, f"not text: byte {exc.start} is neither UTF-8 nor Windows-1252; save the file as UTF-8") from exc


def _html(name: str, markup: str, via: str) -> Intake:
    """The main text of an HTML page (never rendered), with the metadata the page states."""
    import lxml.html
    import trafilatura

    found = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=True)
    meta: dict[str, object] = {} if found is None else found if isinstance(found, dict) else found.as_dict()
    text = meta.get("text") if isinstance(meta.get("text"), str) else None
    obtained = f"main text of HTML file {name} extracted by trafilatura{via}"
    text, note = _checked(name, str(text or ""), obtained + " (no main text found)")
    obtained += note
    try:
        language = lxml.html.document_fromstring(markup).get("lang")
    except (ValueError, lxml.etree.ParserError):
        language = None

    def text_of(key: str) -> str | None:
        value = meta.get(key)
        return str(value).strip()[:500] or None if isinstance(value, str) else None

    return Intake(
        name,
        text,
        text_of("title"),
        text_of("sitename"),
        text_of("date"),
        text_of("url"),
        (language or "").strip()[:20] or None,
        obtained,
    )


def _pdf(name: str, data: bytes) -> Intake:
    """The text layer of a PDF, page by page (pages joined by a blank line)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(name, "the PDF is encrypted: save it without a password first")
        pages, texts = 0, []
        for page in reader.pages:
            if pages == MAX_PDF_PAGES:
                break
            texts.append((page.extract_text() or "").strip())
            pages += 1
        info = reader.metadata
    except IncidentDataError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise _refuse(name, f"the PDF cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    if not any(texts):
        raise _refuse(name, f"the PDF has no text layer on its {pages} page(s) (a scan?): run OCR on it first")
    limit = f"; only the first {MAX_PDF_PAGES:,} pages were read" if pages == MAX_PDF_PAGES else ""
    obtained = f"text layer of PDF file {name} ({pages} page(s){limit}) read by pypdf"
    intake = _stated(_checked(name, "\n\n".join(t for t in texts if t), obtained), name, obtained)
    title = str(info.title).strip()[:500] if info is not None and info.title else None
    return replace(intake, title=title or intake.title)
