"""Under the Selected incident panel: grade the incident's credibility and its source's reliability.

Any incident can be graded (shipped, imported or stored) when the store can be written: the
grades are kept in the store, each change a revision with its author, and laid over the events
on the next run. A grade is saved from the revision the form showed: one changed since by
someone else is refused, as an edit is, and the form says who changed it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from incidents.model.grades import CREDIBILITY, RELIABILITY
from incidents.store import ConflictError, Store, StoreError

#: Session key: what the last save said, shown on the next run.
SAID_KEY = "_grading_said"

#: The choices offered, as the form shows them.
RELIABILITY_CHOICES = tuple(f"{g}: {words}" for g, words in RELIABILITY.items())
CREDIBILITY_CHOICES = tuple(f"{g}: {words}" for g, words in CREDIBILITY.items())


def changes(
    source: tuple[str, str], event: tuple[str, str], chosen_reliability: str, chosen_credibility: str
) -> list[tuple[str, str, str]]:
    """The grades the form changes, as ``(kind, key, grade)``: ``source`` and ``event`` are (key, grade shown)."""
    out = []
    for (kind, (key, was)), choice in (("source", source), chosen_reliability), (("event", event), chosen_credibility):
        grade = choice.split(":", 1)[0]
        if grade != was:
            out.append((kind, key, grade))
    return out


def render(area: Any, store: Store | None, author: str | None, events: pd.DataFrame, key: int) -> None:
    """The "Grade" form for the incident at row ``key``, when the store can be written."""
    if store is None or store.readonly:
        return
    said = st.session_state.pop(SAID_KEY, None)
    if said:
        kind, text = said
        (area.success if kind == "saved" else area.error)(text.split("\n", 1)[0])
        if "\n" in text:
            area.text(text.split("\n", 1)[1])  # the store's words name people and keys: plain text
    ev = events.iloc[key]
    event_id, source_id = str(ev["event_id"]), str(ev["source_id"])
    with area.expander("Grade this incident and its source"):
        if author is None:
            st.caption("Enter your name in the sidebar to grade.")
            return
        kept = store.grades()
        base = {
            kind: (kept[(kind, k)].revision if (kind, k) in kept else 0)
            for kind, k in (("source", source_id), ("event", event_id))
        }
        st.text(f"Source: {source_id}")  # untrusted names: plain text
        with st.form(f"grading_{event_id}_{base['source']}_{base['event']}"):
            reliability = st.selectbox(
                "Reliability of the source (every incident it reports)",
                RELIABILITY_CHOICES,
                index=list(RELIABILITY).index(str(ev["reliability"])),
            )
            credibility = st.selectbox("Credibility of this incident", CREDIBILITY_CHOICES, index=int(ev["credibility"]) - 1)
            saved = st.form_submit_button("Save the grades")
        if saved:
            todo = changes((source_id, str(ev["reliability"])), (event_id, str(ev["credibility"])), reliability, credibility)
            _save(store, todo, base, author)


def _save(store: Store, todo: list[tuple[str, str, str]], base: dict[str, int], author: str) -> None:
    if not todo:
        st.info("Nothing changed: nothing was saved.")
        return
    done = []
    for kind, key, grade in todo:
        try:
            done.append(store.grade(kind, key, grade, base_revision=base[kind], author=author))
        except ConflictError as exc:  # the next run shows their grade in the form
            st.session_state[SAID_KEY] = ("refused", f"Not saved: someone else graded it since the form was shown.\n{exc}")
            st.rerun()
        except StoreError as exc:
            st.error("Not saved:")
            st.text(str(exc))
            return
    st.session_state[SAID_KEY] = (
        "saved",
        "Saved: " + ", ".join(f"{g.kind} graded {g.grade} (revision {g.revision})" for g in done),
    )
    st.rerun()


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (SAID_KEY,)
SESSION_PREFIXES: tuple[str, ...] = ("grading_",)
