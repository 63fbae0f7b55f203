"""The "Selected incident" panel: the popup's facts, the excerpt in its stored document, the source.

:func:`blocks` computes what the panel shows as a list of ``(kind, text)``; :func:`render` draws
each kind with a Streamlit call that shows text as text (``st.text``, never Markdown).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from incidents.model.documents import Document, stored_document
from layers.protocol import IncidentDetails

#: Finds the document a ``source_id`` names: a shipped one, or one kept in the store.
Documents = Callable[[object], Document | None]

#: Shown when no incident is selected.
NOTHING_SELECTED = "Click a marker on the map, or a row in the table, to read its source here."
#: Shown when the selected incident is not among those the filters show.
OUTSIDE_FILTERS = "This incident is outside the current filters."


def in_context(doc: Document, start: int, end: int) -> str:
    """The excerpt ``doc.text[start:end]`` between ⟦ ⟧ in its surroundings (see :meth:`Document.context`)."""
    before, quote, after = doc.context(start, end)
    return ("…" if before else "") + before + "⟦" + quote + "⟧" + after + ("…" if after else "")


def blocks(
    events: pd.DataFrame,
    details: IncidentDetails | None,
    *,
    shown: bool = True,
    documents: Documents = stored_document,
    evidence: list[str] | None = None,
) -> list[tuple[str, str]]:
    """What the panel shows for the incident ``details`` describe (``None``: none selected).

    Kinds: ``info``, ``text``, ``caption`` and ``link`` (an http/https URL). ``shown`` says
    whether the incident is among those the filters show.
    """
    if details is None:
        return [("info", NOTHING_SELECTED)]
    ev = events.iloc[details["key"]]
    out = [
        ("text", f"{details['event_id']} · {details['event_type']} · dataset {ev['dataset']}"),
        ("text", "Date: " + details["date_text"]),
        ("text", "Groups: " + details["actors_text"]),
        ("text", "Place: " + details["place_text"]),
        ("text", "Fatalities: " + details["fatalities_text"]),
        ("text", "Grade: " + details["grade_text"]),
    ]
    out += (
        [("caption", details["no_text"])]
        if details["no_text"]
        else [("caption", "Excerpt (verbatim)"), ("text", details["excerpt"])]
    )
    doc = documents(ev["source_id"]) if not pd.isna(ev["excerpt_start"]) else None  # offsets: a stored document
    if doc is not None:
        start, end = int(ev["excerpt_start"]), int(ev["excerpt_end"])
        out += [
            ("caption", f"In context (characters {start}–{end}, excerpt between ⟦ ⟧)"),
            ("text", in_context(doc, start, end)),
        ]
    if evidence:
        out += [("caption", "Evidence: the words each field came from"), ("text", "\n".join(evidence))]
    out += [("caption", "Source"), ("text", details["source_title"])]
    if details["source_url"]:  # set only for http/https links
        out.append(("link", details["source_url"]))
    if isinstance(ev["coding_note"], str):
        out += [("caption", "Coding note"), ("text", ev["coding_note"])]
    if not shown:
        out.append(("caption", OUTSIDE_FILTERS))
    return out


def render(
    events: pd.DataFrame,
    details: IncidentDetails | None,
    *,
    shown: bool = True,
    documents: Documents = stored_document,
    evidence: list[str] | None = None,
) -> None:
    """Draw the panel (``evidence``: the lines of :func:`views.review.evidence_lines` of a reviewed event)."""
    st.subheader("Selected incident")
    for kind, text in blocks(events, details, shown=shown, documents=documents, evidence=evidence):
        if kind == "info":
            st.info(text)
        elif kind == "caption":
            st.caption(text)
        elif kind == "link":
            st.link_button("Open source", text)
        else:
            st.text(text)
