"""One candidate event in the Documents view: its fields, the words each came from, and accept, edit, reject.

:func:`summary` and :func:`evidence_lines` are pure (tested without Streamlit). Values come from
a document or a reviewer: they are shown by ``st.text`` and in text inputs only.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from incidents.extract import NOTHING_PROPOSED
from incidents.model.schema import DATE_PRECISIONS, GEO_PRECISIONS
from incidents.store import ConflictError, Review, Store, StoreError
from incidents.store.review import Proposal
from views import edit
from views.edit import Field

#: Session key: what the last step said, shown at the top of the Documents view on the next run.
SAID_KEY = "_review_said"
#: The fields a reviewer edits (the excerpt and its offsets are the document's words and stay).
FIELDS = (
    Field("event_type", "Event type"),
    Field("date_start", "First possible date (YYYY-MM-DD)"),
    Field("date_end", "Last possible date (YYYY-MM-DD)"),
    Field("date_precision", "Date known to the", ("", *DATE_PRECISIONS)),
    Field("date_best", "Best single day, inside those dates (YYYY-MM-DD; empty: their middle)"),
    Field("actors", "Groups (separated by ;)"),
    Field("location", "Place"),
    Field("lat", "Latitude"),
    Field("lon", "Longitude"),
    Field("geo_precision", "Location precision", ("", *GEO_PRECISIONS)),
    Field("fatalities", "Killed"),
    Field("injured", "Injured"),
    Field("detained", "Detained (arrested, captured)"),
    Field("coding_note", "Coding note"),
    Field("excerpt_start", "Excerpt from character (the text's own words are quoted)"),
    Field("excerpt_end", "Excerpt to character"),
)
#: The evidence's names for the record's fields.
_EVIDENCE_OF = {"location": "place", "new_actors": "groups new to the alias table"}


def summary(p: Proposal) -> str:
    """One line: rank, state, what, when, where, how many."""
    f = p.fields
    when = f.get("date_start") or "no date"
    if f.get("date_end") and f.get("date_end") != f.get("date_start"):
        when += f" to {f['date_end']}"
    where = f"{f.get('location') or 'no place'} ({f.get('geo_precision') or 'precision not set'})"
    counts = ", ".join(f"{n} {k}" for k in ("fatalities", "injured", "detained") if (n := f.get(k)) is not None)
    return " · ".join(
        x for x in (f"{p.rank}. {p.status}", f.get("event_type"), when, where, counts, "; ".join(f.get("actors") or [])) if x
    )


def new_groups_line(p: Proposal) -> str:
    """What to tell the reviewer of groups the alias table does not know ("" when there are none)."""
    new = p.fields.get("new_actors") or []
    if not new:
        return ""
    return f"New to the alias table (add to data/actors.csv to recognise them): {'; '.join(new)}"


def unsure_line(p: Proposal) -> str:
    """The fields the extractor read with low confidence, for the reviewer to check ("" when none, or edited)."""
    low = [name for name, level in (p.fields.get("confidence") or {}).items() if level == "low"]
    if not low or p.revision > 1:
        return ""
    return f"Check these, read with low confidence: {', '.join(_FIELD_WORDS.get(n, n) for n in low)}"


#: The reviewer's words for the graded fields.
_FIELD_WORDS = {"admin1": "province", "admin2": "district", "fatalities": "killed", "event_type": "event type"}


def evidence_lines(p: Proposal, text: str, width: int = 90) -> list[str]:
    """Each field's evidence: the field and the words it came from (shortened to ``width``)."""
    out = []
    for field, (a, b) in sorted(p.evidence.items(), key=lambda kv: kv[1][0]):
        if field == "excerpt":
            continue
        words = " ".join(text[a:b].split())
        words = words if len(words) <= width else words[: width - 1] + "…"
        out.append(f"{_EVIDENCE_OF.get(field, field)} ← “{words}” (characters {a}–{b})")
    return out


#: Candidates shown at a time (a long document may give thousands).
PAGE = 20


def page(proposals: list[Proposal], source_id: str) -> list[Proposal]:
    """The candidates shown: all of them, or a page of :data:`PAGE` chosen in a select box."""
    n = len(proposals)
    if n <= PAGE:
        return proposals
    at = st.selectbox(
        "Candidates shown",
        list(range(0, n, PAGE)),
        format_func=lambda i: f"{i + 1:,}–{min(i + PAGE, n):,} of {n:,}",
        key=f"review_page_{source_id}",
    )
    return proposals[at : at + PAGE]


def choose(proposals: list[Proposal], source_id: str) -> Proposal | None:
    """The candidate whose evidence is marked in the text (a radio of ranks)."""
    if not proposals:
        st.text("The extractor found no event in this document: add one from a passage below.")
        st.caption(NOTHING_PROPOSED.removesuffix(" Add an event from a passage if one was missed."))  # why
        return None
    ranks = [p.rank for p in proposals]
    rank = st.radio("Mark the evidence of candidate", ranks, horizontal=True, key=f"review_focus_{source_id}")
    return next(p for p in proposals if p.rank == rank)


def card(store: Store, author: str | None, p: Proposal, text: str, focused: bool) -> None:
    """Draw one candidate with its buttons (``author`` is ``None`` where the reviewer cannot write)."""
    with st.container(border=True):
        st.text(summary(p))
        if new_groups_line(p):
            st.text(new_groups_line(p))
        if unsure_line(p):
            st.warning(unsure_line(p))
        if p.origin == "passage":
            st.caption("Added from a passage by a reviewer.")
        if focused:
            lines = evidence_lines(p, text)
            st.text("\n".join(lines) if lines else "No field of this candidate has evidence yet.")
        st.text(f"Excerpt: {p.fields.get('excerpt')}")
        st.caption(f"Revision {p.revision}, by {p.author}" if p.revision > 1 else "As the extractor proposed it")
        if p.status == "accepted":
            st.text(f"On the map as event {p.event_id}: edit it from the Selected incident panel.")
        if author is None:
            return
        if p.status == "accepted":
            if st.button("Withdraw (take it off the map)", key=f"review_withdraw_{p.candidate_id}_{p.revision}"):
                act(store, author, p, "withdraw")
            return
        left, right = st.columns(2)
        if p.status == "rejected":
            if left.button("Reopen", key=f"review_reopen_{p.candidate_id}_{p.revision}"):
                act(store, author, p, "reopen")
            return
        if left.button("Accept", key=f"review_accept_{p.candidate_id}_{p.revision}", type="primary"):
            act(store, author, p, "accept")
        if right.button("Reject", key=f"review_reject_{p.candidate_id}_{p.revision}"):
            act(store, author, p, "reject")
        with st.expander("Edit, then save or accept"), st.form(f"review_{p.candidate_id}_{p.revision}"):
            entered: dict[str, Any] = {}
            for f in FIELDS:
                value = edit.shown(p.fields, f.name)
                if f.choices:
                    entered[f.name] = st.selectbox(f.label, f.choices, index=f.choices.index(value) if value in f.choices else 0)
                else:
                    entered[f.name] = st.text_input(f.label, value)
            save, accept = st.columns(2)
            saved = save.form_submit_button("Save")
            accepted = accept.form_submit_button("Accept with these values")
        if saved or accepted:
            changes = edit.changes(p.fields, entered, FIELDS)
            if saved and not changes:
                st.info("Nothing changed: nothing was saved.")
                return
            act(store, author, p, "accept" if accepted else "edit", changes)


def said(kind: str, fixed: str, untrusted: str = "") -> None:
    """Say something at the top of the view on the next run (``untrusted`` shown as text)."""
    st.session_state[SAID_KEY] = (kind, fixed, untrusted)


def act(store: Store, author: str, p: Proposal, action: str, changes: dict[str, Any] | None = None) -> None:
    """Run one review step and say what it did (the map shows an accepted event on the rerun)."""
    try:
        if action == "accept":
            done = Review(store).accept(p.candidate_id, changes or {}, base_revision=p.revision, author=author)
            said("success", f"Accepted candidate {p.rank}: it is on the map.", f"event {done.event_id}")
        elif action == "edit":
            Review(store).edit(p.candidate_id, changes or {}, base_revision=p.revision, author=author)
            said("success", f"Saved the edits of candidate {p.rank}.")
        else:
            getattr(Review(store), action)(p.candidate_id, base_revision=p.revision, author=author)
            done_as = {"reject": "rejected", "reopen": "back under review", "withdraw": "withdrawn: off the map, rejected"}
            said("success", f"Candidate {p.rank}: {done_as[action]}.")
    except ConflictError as exc:
        said("warning", "Not done: someone else changed this candidate; it is shown as stored now.", str(exc))
    except StoreError as exc:
        st.error(f"Candidate {p.rank}: not done.")
        st.text(str(exc))
        return
    st.rerun()


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (SAID_KEY,)
SESSION_PREFIXES: tuple[str, ...] = ("review_",)
