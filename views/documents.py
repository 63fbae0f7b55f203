"""The "Documents" view: add a report, read it with the evidence marked, review the events proposed from it.

A document is pasted or uploaded (:mod:`incidents.intake`), its metadata checked and edited,
then stored with the extractor's candidates (:mod:`incidents.store.review`). Each candidate is
accepted (on the map at once), edited, or rejected; a passage the extractor missed is added by
pasting it as it stands in the text. Everything that comes from a document, an upload or a name
entered is shown by ``st.text``, a text input, or escaped HTML (:mod:`views.marking`), never in
Markdown, a label or an alert.
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from incidents.extract import NOTHING_PROPOSED
from incidents.intake import MAX_FILE_BYTES, MAX_PDF_PAGES, MAX_TEXT_CHARS, SUFFIXES, Intake, from_paste, from_upload
from incidents.model.documents import Document
from incidents.model.errors import IncidentDataError
from incidents.query.facets import Params, Query
from incidents.store import ConflictError, Documents, Review, Store, StoreError
from incidents.store.proposals import METADATA, Proposal, StoredDocument
from views import review
from views.marking import Span, marked_html, occurrences
from views.page import Page
from views.selection import Session

#: The view's name in the switch and the link.
NAME = "Documents"
#: Session keys: the document chosen, one to choose on the next run, documents added (what a step said: views.review).
#: The chooser's own key changes with the documents' labels (a label changed under a kept key is not redrawn).
PICK_KEY = "doc_chosen"
PENDING_KEY = "_doc_pick_next"
ADDED_KEY = "_doc_added"
#: The query key of the chosen document (with ``view=Documents``), and the session key of the one the link named.
QUERY_KEY = "doc"
LINKED_KEY = "_doc_linked"
LIMITS = (
    f"Paste text, or upload {', '.join(SUFFIXES)} (at most {MAX_FILE_BYTES // 1_000_000} MB; "
    f"{MAX_TEXT_CHARS // 1_000_000:,} million characters of text; the first {MAX_PDF_PAGES:,} pages of a PDF). "
    "HTML is never shown: only its main text is kept. A PDF needs a text layer."
)


@st.cache_data(show_spinner="Reading the document…", max_entries=8)
def _read(name: str, data: bytes) -> Intake | str:
    """The upload's intake, or why it is refused (cached per file)."""
    try:
        return from_upload(name, data)
    except IncidentDataError as exc:
        return str(exc)


@st.cache_resource(show_spinner=False, max_entries=8)
def _kept(_store: Store, url: str, source_id: str, version: tuple[int, int]) -> Document | None:
    """A document kept in the store, read once per store version (a long text is not read on every rerun)."""
    return Documents(_store).get(source_id)


@st.cache_resource(show_spinner=False, max_entries=8)
def _candidates(_store: Store, url: str, source_id: str, version: tuple[int, int]) -> list[Proposal]:
    """A document's candidates, read once per store version (thousands for a long text)."""
    return Review(_store).candidates(source_id)


def from_link(session: Session, params: Params) -> None:
    """Once per session, choose the document the link names (``doc=``)."""
    if LINKED_KEY in session:
        return
    wanted = list(params.get(QUERY_KEY) or [])
    session[LINKED_KEY] = wanted[-1] if wanted else None
    if wanted:
        session[PENDING_KEY] = wanted[-1]


def query(session: Session, view: str) -> Query:
    """The chosen document as a query parameter, while this view is shown (``view``: the view shown)."""
    chosen = session.get(PICK_KEY) or session.get(PENDING_KEY)
    return {QUERY_KEY: chosen} if view == NAME and isinstance(chosen, str) else {}


def kept_document(store: Store, source_id: object) -> Document | None:
    """The store's document ``source_id`` (cached; ``None`` when there is none)."""
    return _kept(store, store.url, source_id, store.version()) if isinstance(source_id, str) else None


def render(store: Store | None, author: str | None) -> None:
    """Draw the view."""
    st.caption(
        "Add a report to get candidate events with the words each field came from; accept, edit or reject each. "
        "Accepted events are on the map in the dataset 'store: document: <title>'."
    )
    if store is None:
        st.info("Documents are kept in the store, and the store cannot be read: see the warning at the top.")
        return
    # always there, often empty: what comes after keeps its place, so an open expander stays open on a rerun
    notes = st.container()
    shown = st.session_state.pop(review.SAID_KEY, None)
    if shown:
        getattr(notes, shown[0])(shown[1])
        if shown[2]:
            notes.text(shown[2])
    if store.readonly:
        notes.info("The store is read-only here: documents and their review can be read, not changed.")
    elif author is None:
        notes.info("Enter your name in the sidebar to add documents and review them.")
    docs = Documents(store).list()
    n = st.session_state.get(ADDED_KEY, 0)  # a new key after each document stored: the boxes start empty again
    pending = st.session_state.get(f"doc_upload_{n}") is not None or bool(str(st.session_state.get(f"doc_paste_{n}", "")).strip())
    with st.expander("Add a document", expanded=not docs or pending):  # kept open while a document is in it
        _add(store, author, n)
    if not docs:
        st.text("No document is stored yet.")
        return
    wanted = st.session_state.pop(PENDING_KEY, None)
    if wanted in {d.source_id for d in docs}:
        st.session_state[PICK_KEY] = wanted
    elif wanted is not None:
        notes.text(f"The link names document {wanted!r}, which is not in this store: the newest one is shown.")
    by_id = {d.source_id: d for d in docs}
    ids, labels = list(by_id), {d.source_id: _label(d) for d in docs}
    signature = hashlib.sha256("\n".join(labels.values()).encode()).hexdigest()[:12]
    kept = st.session_state.get(PICK_KEY)
    chosen = st.selectbox(
        "Document",
        ids,
        index=ids.index(kept) if kept in by_id else 0,
        format_func=labels.__getitem__,
        key=f"doc_pick_{signature}",  # a new chooser when a label changes (a title edited, a candidate reviewed)
    )
    st.session_state[PICK_KEY] = chosen
    doc = kept_document(store, chosen)
    if doc is None:
        st.text("That document is no longer in the store.")
        return
    _document(store, author, by_id[chosen], doc.text)


def _label(d: StoredDocument) -> str:
    said = {"candidate": "to review"}  # "3 to review, 1 accepted, 2 rejected"
    states = ", ".join(f"{n} {said.get(s, s)}" for s, n in sorted(d.states.items())) or "no candidates"
    return f"{d.title} · {d.published or 'date not stated'} · {states}"


def _add(store: Store, author: str | None, n: int) -> None:
    st.caption(LIMITS)
    pasted = st.text_area("Paste the text", key=f"doc_paste_{n}", height=140)
    upload = st.file_uploader("or upload a file", type=[s.lstrip(".") for s in SUFFIXES], key=f"doc_upload_{n}")
    if upload is not None:
        intake: Intake | str = _read(upload.name, upload.getvalue())
    elif pasted.strip():
        try:
            intake = from_paste(pasted)
        except IncidentDataError as exc:
            intake = str(exc)
    else:
        return
    if isinstance(intake, str):
        st.error("This document cannot be stored:")
        st.text(intake)
        return
    st.text(f"{len(intake.text):,} characters; {intake.obtained}; sha256 {intake.sha256[:16]}…")
    st.text(intake.text[:600] + ("…" if len(intake.text) > 600 else ""))
    key = intake.sha256[:16]  # the fields are prefilled once per document
    prefill = {"title": intake.title, "publisher": intake.publisher, "published": intake.published, "url": intake.url}
    prefill["language"] = intake.language
    labels = {"published": "Published (YYYY-MM-DD, YYYY-MM or YYYY)", "url": "URL (http or https)"}
    meta = {m: st.text_input(labels.get(m, m.capitalize()), prefill.get(m) or "", key=f"doc_{m}_{key}") for m in METADATA}
    if st.button("Store it and propose events", key=f"doc_store_{key}", disabled=author is None or store.readonly):
        assert author is not None
        try:
            with st.spinner("Storing and extracting…"):
                added = Documents(store).add(intake, meta, author=author)
        except StoreError as exc:
            st.error("Nothing was stored:")
            st.text(str(exc))
            return
        if added.already:
            review.said("info", "This text is already stored (same sha256): it is chosen below.")
        elif added.candidates:
            review.said("success", f"Stored, with {added.candidates} candidate event(s) to review.", f"dataset {added.dataset}")
        else:  # say why, and what the analyst can do
            language = (meta.get("language") or "").strip()
            review.said("info", _NONE_FOUND, f"language {language}" if language else "")
        st.session_state[PENDING_KEY] = added.source_id
        st.session_state[ADDED_KEY] = n + 1
        st.rerun()


_NONE_FOUND = (
    "Stored, with no candidate event. "
    + NOTHING_PROPOSED.removesuffix(" Add an event from a passage if one was missed.")
    + " The extractor reads English only. Add events from passages below."
)


def _document(store: Store, author: str | None, d: StoredDocument, text: str) -> None:
    st.text(f"{d.title} · {d.publisher or 'publisher not stated'} · published {d.published or 'not stated'}")
    by = f"added by {d.author}" if d.revision == 1 else f"revision {d.revision}, last changed by {d.author}"
    st.text(f"{d.obtained}; {len(text):,} characters; sha256 {d.sha256}; {by}" + (f"; {d.url}" if d.url else ""))
    _details(store, author if not store.readonly else None, d)
    proposals = _candidates(store, store.url, d.source_id, store.version())
    text_col, review_col = st.columns([3, 2])
    with review_col:
        shown = review.page(proposals, d.source_id)
        focus = review.choose(shown, d.source_id)
        writable = author is not None and not store.readonly
        for p in shown:
            review.card(store, author if writable else None, p, text, focus is not None and p.candidate_id == focus.candidate_id)
        _passage(store, author if writable else None, d.source_id, text)
    with text_col:
        spans = [Span(p.fields["excerpt_start"], p.fields["excerpt_end"], f"candidate {p.rank}") for p in proposals]
        if focus is not None:
            spans += [Span(a, b, field, strong=True) for field, (a, b) in focus.evidence.items() if field != "excerpt"]
        body, lo, hi = marked_html(text, spans)
        if (lo, hi) != (0, len(text)):
            st.caption(f"Characters {lo:,}–{hi:,} of {len(text):,} are shown, around the chosen candidate.")
        st.caption("Marked: the candidates' excerpts (blue), and the words each field of the chosen one came from (yellow).")
        st.html(body)


def _details(store: Store, author: str | None, d: StoredDocument) -> None:
    """The document's metadata, editable: the citation of its events follows; a new date dates open candidates again."""
    with st.expander("Edit the document's details"):
        st.caption(
            "The title, publisher, date and URL are cited by every event from this document, and follow a change. "
            "A new publication date dates again the candidates under review that no one has edited; reviewed ones "
            "keep their dates. The dataset keeps its name, shown below: links, filters and exports name it."
        )
        st.text(f"dataset {d.dataset}")
        labels = {"published": "Published (YYYY-MM-DD, YYYY-MM or YYYY)", "url": "URL (http or https)"}
        stored = {m: getattr(d, m) for m in METADATA}  # the metadata fields are the record's own names
        key = f"{d.source_id}_{d.revision}"  # prefilled again after each change
        meta = {m: st.text_input(labels.get(m, m.capitalize()), stored[m] or "", key=f"doc_meta_{m}_{key}") for m in METADATA}
        if not st.button("Save the details", key=f"doc_meta_save_{key}", disabled=author is None):
            return
        assert author is not None
        try:
            done = Documents(store).describe(d.source_id, meta, base_revision=d.revision, author=author)
        except ConflictError as exc:
            review.said("warning", "Not saved: someone else changed the details; they are shown as stored now.", str(exc))
            st.rerun()
        except StoreError as exc:
            st.error("Not saved:")
            st.text(str(exc))
            return
        if not done.changed:
            st.text("Nothing changed.")
            return
        review.said(
            "success",
            f"Saved: {', '.join(done.changed)}. {done.redated} candidate(s) dated again, {done.kept} kept their dates; "
            f"{done.events} accepted event(s) cite the new details.",
        )
        st.rerun()


def _passage(store: Store, author: str | None, source_id: str, text: str) -> None:
    with st.expander("Add an event from a passage the extractor missed"):
        passage = st.text_area("Paste the passage exactly as it stands in the text", key=f"doc_passage_{source_id}")
        if not passage:
            return
        found = occurrences(text, passage)
        if not found:
            st.text("This passage is not in the document word for word: copy it from the text on the left.")
            return
        at = found[0]
        if len(found) > 1:
            at = st.selectbox(
                f"It occurs {len(found)} times: which one?",
                found,
                format_func=lambda a: f"at character {a:,}: …{text[max(0, a - 40) : a]}⟦…⟧",
                key=f"doc_passage_at_{source_id}",
            )
        if st.button("Add as a candidate", key=f"doc_passage_add_{source_id}", disabled=author is None):
            assert author is not None
            try:
                made = Review(store).add_passage(source_id, at, at + len(passage), author=author)
            except StoreError as exc:
                st.error("Not added:")
                st.text(str(exc))
                return
            review.said("success", f"Added as candidate {made.rank}: check its fields, then accept it.")
            st.rerun()


def for_panel(store: Store | None, events: Any, key: int | None) -> tuple[Any, list[str] | None]:
    """What the Selected incident panel needs of the documents: a lookup (shipped, then the store's), and the evidence.

    The evidence is that of the candidate the incident ``key`` (a row of ``events``) was accepted from, else ``None``.
    """
    from incidents.model.documents import stored_document

    event_id, source_id = (None, None) if key is None else (events["event_id"].iloc[key], events["source_id"].iloc[key])

    def documents(sid: object) -> Document | None:
        return stored_document(sid) or (kept_document(store, sid) if store is not None else None)

    if store is None or event_id is None or stored_document(source_id) is not None:
        return documents, None
    proposal = Review(store).proposal_of(event_id)
    doc = documents(source_id) if proposal is not None else None
    return documents, (review.evidence_lines(proposal, doc.text) if proposal is not None and doc is not None else None)


def show(page: Page) -> None:
    """The view: the documents kept in the store and their review."""
    render(page.store, page.author)


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (PICK_KEY, PENDING_KEY, ADDED_KEY, LINKED_KEY)
SESSION_PREFIXES: tuple[str, ...] = ("doc_",)
#: The query-string keys it reads and writes.
URL_KEYS: tuple[str, ...] = (QUERY_KEY,)
