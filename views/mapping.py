"""The column mapping form: an upload in no known layout, its columns mapped onto the event model.

For each uploaded file read as a mapped table, or refused for want of one, the page offers a
form (above the map) with the mapping suggested by name (or saved, or applied earlier) filled in, a preview of
its first rows as they would load, and a way to keep the mapping under a name (in the store,
where it can be written). Applying a mapping reads the upload again through it.

:func:`needs_mapping`, :func:`form_state` and :func:`chosen` are pure; :func:`render` draws.
Column names come from the file: they appear as select box options and in ``st.text`` only.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from incidents.loader import LoadResult
from incidents.model.errors import IncidentDataError
from incidents.readers import ReadOptions, mapped, profiles, read_data
from incidents.store import Store, StoreError

#: Session key: the mapping applied to each upload (by Streamlit's file id), as (field, column) pairs.
MAPPINGS = "_mappings"
#: The select box choice for a field the table does not have.
NONE = "(not in this table)"
#: What the preview shows of each event.
PREVIEW = ["event_id", "date_start", "date_end", "date_precision", "location", "geo_precision", "actors", "fatalities", "excerpt"]


def applied(session: Mapping[Any, Any], file_id: str) -> tuple[tuple[str, str], ...] | None:
    """The mapping applied to upload ``file_id`` in this session, if any."""
    return dict(session.get(MAPPINGS) or {}).get(file_id)


def needs_mapping(result: LoadResult, name: str) -> bool:
    """Whether the upload ``name`` was read through a mapping, or refused for want of one."""
    report = next((f for f in result.files if f.file == name), None)
    if report is None:
        return False
    if report.format == "mapped":
        return True
    return report.format == "unreadable" and any(
        r.file == name and r.reason.startswith("unrecognised columns: no column for") for r in result.rejected
    )


def form_state(header: Sequence[str], current: Mapping[str, str]) -> dict[str, str]:
    """What each field's select box shows: its column in ``current`` when the header has it, else :data:`NONE`."""
    return {f: current[f] if current.get(f) in header else NONE for f in mapped.FIELDS}


def chosen(state: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The mapping the form's select boxes stand for, as (field, column) pairs."""
    return tuple((f, c) for f, c in state.items() if c != NONE)


def preview(data: bytes, name: str, columns: tuple[tuple[str, str], ...], order: str | None) -> tuple[pd.DataFrame, str]:
    """The first events of the file as they would load with ``columns``, and its one-line accounting (or why not)."""
    try:
        result, _ = read_data(data, name=name, options=ReadOptions(order=order, columns=columns or None))
    except IncidentDataError as exc:
        return pd.DataFrame(columns=PREVIEW), str(exc)
    frame = result.events.head(5)[PREVIEW].copy()
    frame["actors"] = frame["actors"].map("; ".join)
    for c in ("date_start", "date_end"):
        frame[c] = frame[c].dt.strftime("%Y-%m-%d")
    rejected = f", {result.rejected_rows:,} rejected" if result.rejected_rows else ""
    rows = f"{result.n_input:,} row" + ("" if result.n_input == 1 else "s")
    return frame, f"{rows}: {len(result.events):,} would be accepted{rejected}"


def render(
    area: Any,
    session: MutableMapping[Any, Any],
    store: Store | None,
    author: str | None,
    uploads: Sequence[Any],
    result: LoadResult,
) -> None:
    """A mapping form for each upload that needs one, in ``area``. ``uploads`` are (key, file) pairs."""
    for n, ((file_id, name, _fmt, order, _cols, _sheet), f) in enumerate(uploads, start=1):
        if not needs_mapping(result, name):
            continue
        with area.expander(f"Map the columns of file {n}", expanded=applied(session, file_id) is None):
            st.text(f"File {n}: {name}")
            _form(session, store, author, file_id, f.getvalue(), name, order)


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_preview(
    file_id: str, name: str, columns: tuple[tuple[str, str], ...], order: str | None, _data: bytes
) -> tuple[pd.DataFrame, str]:
    """:func:`preview` once per upload, mapping and date order (not on every rerun of the page)."""
    return preview(_data, name, columns, order)


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_header(file_id: str, name: str, _data: bytes) -> list[str]:
    return mapped.header_of(_data, name)


def _form(
    session: MutableMapping[Any, Any],
    store: Store | None,
    author: str | None,
    file_id: str,
    data: bytes,
    name: str,
    order: str | None,
) -> None:
    try:
        header = _cached_header(file_id, name, data)
    except IncidentDataError as exc:
        st.text(str(exc))
        return
    saved = store.profiles() if store is not None else {}
    current = dict(applied(session, file_id) or mapped.suggest(header))
    if saved:
        start = st.selectbox(
            "Start from a saved mapping",
            [None, *saved],
            key=f"mapping_profile_{file_id}",
            format_func=lambda p: "(none)" if p is None else p,
        )
        if start is not None:
            current = {**current, **saved[start]}
    state = form_state(header, current)
    with st.form(f"map_{file_id}"):
        grid = st.columns(4)
        entered = {
            field: grid[i % 4].selectbox(
                field, [NONE, *header], index=[NONE, *header].index(state[field]), key=f"mapping_{file_id}_{field}"
            )
            for i, field in enumerate(mapped.FIELDS)
        }
        apply = st.form_submit_button("Read the file with this mapping")
    columns = chosen(entered)
    if apply:
        session.setdefault(MAPPINGS, {})[file_id] = columns
        st.rerun()
    frame, summary = _cached_preview(file_id, name, columns, order, data)
    st.caption("Preview: the first events as they would load")
    st.text(summary)
    st.dataframe(frame, hide_index=True)
    if store is None or store.readonly:
        st.download_button(
            "Download this mapping (JSON)", profiles.profile_text(dict(columns)), "mapping.json", "application/json"
        )
        return
    label = st.text_input("Keep this mapping as", key=f"mapping_name_{file_id}")
    if st.button("Save the mapping in the store", key=f"mapping_save_{file_id}", disabled=author is None or not label.strip()):
        assert author is not None
        try:
            revision = store.save_profile(label, dict(columns), author=author)
        except StoreError as exc:
            st.text(str(exc))
        else:
            st.success(f"Saved (revision {revision}).")
    if author is None:
        st.caption("Enter your name in the sidebar to keep mappings in the store.")


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (MAPPINGS,)
SESSION_PREFIXES: tuple[str, ...] = ("mapping_",)
