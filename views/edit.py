"""Editing a stored incident from the "Selected incident" panel, with who edits and what happens on a conflict.

An edit is made from the revision the form was opened at (kept in the session), so another
analyst's save in between is refused by the store (:class:`~incidents.store.ConflictError`):
the panel then names who changed it and when and shows both versions side by side.

:func:`fields`, :func:`changes` and :func:`versions` are pure (tested without Streamlit);
:func:`render` draws them. Every value shown comes from a source nobody here controls, so it
appears only in text inputs, ``st.text`` and a dataframe, never in Markdown, a label or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from incidents.model.schema import DATE_PRECISIONS, GEO_PRECISIONS
from incidents.store import ConflictError, Store, StoreError
from views.store import PREFIX

#: Session keys: the revision each event's form was opened at, a refused save per event, what the last save said.
BASE_KEY = "_edit_base"
CONFLICT_KEY = "_edit_conflict"
SAID_KEY = "_edit_said"


@dataclass(frozen=True)
class Field:
    """One editable field: its record name, its label, and its choices (a select box) if any."""

    name: str
    label: str
    choices: tuple[str, ...] = ()


#: What an analyst may change. The excerpt, its offsets and the source are not among them: an
#: excerpt is a verbatim slice of its source and stays one; a new reading is a new event.
FIELDS = (
    Field("event_type", "Event type"),
    Field("date_start", "First possible date (YYYY-MM-DD)"),
    Field("date_end", "Last possible date (YYYY-MM-DD)"),
    Field("date_precision", "Date known to the", DATE_PRECISIONS),
    Field("date_best", "Best single day, inside those dates (YYYY-MM-DD; empty: their middle)"),
    Field("actors", "Groups (separated by ;)"),
    Field("location", "Place"),
    Field("lat", "Latitude"),
    Field("lon", "Longitude"),
    Field("geo_precision", "Location precision", GEO_PRECISIONS),
    Field("fatalities", "Fatalities (best estimate)"),
    Field("fatalities_low", "Fatalities, low"),
    Field("fatalities_high", "Fatalities, high"),
    Field("injured", "Injured"),
    Field("detained", "Detained (arrested, captured)"),
    Field("coding_note", "Coding note"),
)
_INTS = ("fatalities", "fatalities_low", "fatalities_high", "injured", "detained", "excerpt_start", "excerpt_end")
_FLOATS = ("lat", "lon")


def store_event_id(dataset: str, event_id: str) -> str | None:
    """The store's id of an incident on the map, or ``None`` when it is not a store event."""
    return event_id if dataset.startswith(PREFIX) else None


def shown(record: Mapping[str, Any], name: str) -> str:
    """A record field as the form shows it (lists joined with "; ", nothing as "")."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def fields(record: Mapping[str, Any]) -> list[tuple[Field, str]]:
    """The form's fields with the record's values."""
    return [(f, shown(record, f.name)) for f in FIELDS]


def changes(record: Mapping[str, Any], entered: Mapping[str, str], fields: tuple[Field, ...] = FIELDS) -> dict[str, Any]:
    """The ``fields`` that ``entered`` changes, as record values (the store checks them by the importers' rules).

    A number that does not parse is passed on as typed, so the store's check names it.
    """
    out: dict[str, Any] = {}
    for f in fields:
        text = entered.get(f.name, shown(record, f.name)).strip()
        if text == shown(record, f.name).strip():
            continue
        value: Any = text
        if f.name == "actors":
            value = [a.strip() for a in text.split(";") if a.strip()]
        elif f.name in _INTS + _FLOATS:
            try:
                value = None if not text else (int(text) if f.name in _INTS else float(text))
            except ValueError:
                value = text
        elif f.name in ("coding_note", "date_best") and not text:
            value = None
        out[f.name] = value
    return out


def versions(current: Mapping[str, Any], proposed: Mapping[str, Any]) -> pd.DataFrame:
    """The fields two versions of an event differ in: stored now, and this edit's."""
    rows = [
        (f.label, shown(current, f.name), shown(proposed, f.name))
        for f in FIELDS
        if shown(current, f.name) != shown(proposed, f.name)
    ]
    return pd.DataFrame(rows, columns=["field", "stored now", "your edit"])


def base_revision(session: MutableMapping[Any, Any], event_id: str, record: Mapping[str, Any]) -> int:
    """The revision this session's form for ``event_id`` was opened at (the record's, the first time)."""
    bases = session.setdefault(BASE_KEY, {})
    return int(bases.setdefault(event_id, int(record["revision"])))


def render(area: Any, store: Store | None, author: str | None, dataset: str, event_id: str) -> None:
    """Under the panel: an "Edit" form for a store event, when the store can be written."""
    wanted = store_event_id(dataset, event_id)
    if store is None or store.readonly or wanted is None:
        return
    said = st.session_state.pop(SAID_KEY, None)
    if said:
        area.success(said)
    conflict = st.session_state.setdefault(CONFLICT_KEY, {}).get(wanted)
    with area.expander("Edit this incident (the store keeps every revision)", expanded=conflict is not None):
        if conflict is not None:
            _conflict(wanted, *conflict)
            return
        record = store.record(wanted)
        if record is None:
            st.text("This incident is no longer in the store.")
            return
        base = base_revision(st.session_state, wanted, record)
        if author is None:
            st.caption("Enter your name in the sidebar to edit.")
            return
        st.text(f"Recorded as: {author}. Editing revision {base} (stored: revision {record['revision']}).")
        with st.form(f"edit_{wanted}_{base}"):
            entered = {}
            for f, value in fields(record):
                if f.choices:
                    entered[f.name] = st.selectbox(f.label, f.choices, index=f.choices.index(value))
                else:
                    entered[f.name] = st.text_input(f.label, value)
            saved = st.form_submit_button("Save this edit")
        if saved:
            _save(store, wanted, record, entered, base, author)


def _conflict(event_id: str, message: str, current: dict[str, Any], proposed: dict[str, Any]) -> None:
    st.error("Not saved: someone else changed this incident since you opened it.")
    st.text(message)
    st.dataframe(versions(current, proposed), hide_index=True)
    if st.button("Start again from the stored version", key=f"edit_rebase_{event_id}"):
        st.session_state[BASE_KEY][event_id] = int(current["revision"])
        del st.session_state[CONFLICT_KEY][event_id]
        st.rerun()


def _save(store: Store, event_id: str, record: Mapping[str, Any], entered: Mapping[str, str], base: int, author: str) -> None:
    edit = changes(record, entered)
    if not edit:
        st.info("Nothing changed: nothing was saved.")
        return
    try:
        done = store.edit(event_id, edit, base_revision=base, author=author)
    except ConflictError as exc:
        st.session_state[CONFLICT_KEY][event_id] = (str(exc), exc.current, exc.proposed)
        st.rerun()
    except StoreError as exc:
        st.error("Not saved:")
        st.text(str(exc))
        return
    st.session_state[BASE_KEY][event_id] = int(done["revision"])
    st.session_state[SAID_KEY] = f"Saved as revision {done['revision']}."
    st.rerun()


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (BASE_KEY, CONFLICT_KEY, SAID_KEY)
SESSION_PREFIXES: tuple[str, ...] = ("edit_",)
