"""The store in the dashboard: its accepted events beside the files, who writes, and the "Add to the store" buttons.

The store is read once per content version (any write adds a revision, so the next rerun
reloads the store's part only, not the files). A store that cannot be read leaves the page with
the shipped data and files, and a warning naming the store (password masked).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from incidents.loader import FileReport, LoadResult
from incidents.query.facets import STORE_PREFIX
from incidents.readers import ReadOptions
from incidents.store import Store, StoreError, is_readonly, store_url
from incidents.store.imports import read_data, store_read
from views.accounting import UploadKey

#: The dataset name store events carry on the map ("store: <name>").
PREFIX = STORE_PREFIX
#: Session keys: the name an analyst enters (when the deployment has no login), what the last add said.
AUTHOR_KEY = "store_author"
SAID_KEY = "_store_said"


@dataclass(frozen=True)
class StorePart:
    """The store's accepted events as a part of what is loaded, and what went wrong reading it."""

    result: LoadResult | None
    sha256: dict[str, str] = field(default_factory=dict)  # dataset name -> its file's checksum
    error: str | None = None
    grades: dict[tuple[str, str], str] = field(default_factory=dict)  # analysts' grades, laid over every event's


def author_from(user: Mapping[str, Any], entered: str | None) -> str | None:
    """Who writes: the logged-in user (name and e-mail) where a login is configured, else the name entered."""
    if user.get("is_logged_in"):
        parts = [str(user[k]) for k in ("name", "email") if user.get(k)]
        return " ".join(parts[:1] + [f"<{p}>" for p in parts[1:]]) or "logged-in user"
    name = (entered or "").strip()
    return name or None


@st.cache_resource(show_spinner=False, max_entries=4)
def open_store(url: str, readonly: bool) -> Store:
    """One store object per URL and mode, shared by the sessions (it holds a connection pool)."""
    return Store(url, readonly=readonly)


@st.cache_resource(show_spinner="Reading the store…", max_entries=2)
def _read(url: str, readonly: bool, version: tuple[int, int]) -> StorePart:
    store = open_store(url, readonly)
    events = store.events()
    infos = {d.name: d for d in store.datasets()}
    events["dataset"] = PREFIX + events["dataset"]  # conform keeps the column; names marked as the store's
    counts = events["dataset"].value_counts()
    reports = [
        FileReport(
            f"{PREFIX}{name}", f"{PREFIX}{name}", "store", int(counts.get(PREFIX + name, 0)), int(counts.get(PREFIX + name, 0)), 0
        )
        for name in infos
    ]
    sums = {name: d.sha256 for name, d in infos.items()}
    return StorePart(LoadResult(events, [], reports, []), sums, grades=store.grade_values())


def read_store(url: str | None = None) -> tuple[Store | None, StorePart, tuple[Any, ...]]:
    """The store, its part of the events, and what identifies its content (``None`` and the error when it cannot be read)."""
    url = url or store_url()
    readonly = is_readonly()
    try:
        store = open_store(url, readonly)
        version = store.version()
        return store, _read(url, readonly, version), (url, readonly, version)
    except StoreError as exc:
        return None, StorePart(None, error=str(exc)), (url, readonly, None, str(exc))


def author_box(area: Any, store: Store | None) -> str | None:
    """Who writes to the store (a name entered once per session where there is no login); drawn when the store can be written."""
    if store is None or store.readonly:
        return None
    user = dict(st.user)
    if user.get("is_logged_in"):
        return author_from(user, None)
    entered = area.text_input("Your name (recorded with what you add to the store)", key=AUTHOR_KEY)
    return author_from(user, entered)


def add_buttons(
    area: Any, store: Store | None, author: str | None, upload_keys: tuple[UploadKey, ...], files: tuple[Any, ...]
) -> None:
    """Under the uploads: "Add to the store" for each file, with its accounting once added.

    File and dataset names are untrusted, and Streamlit reads labels and alerts as Markdown
    (links, images): they appear only in ``text`` elements, never in a label or an alert.
    """
    if store is None or store.readonly or not files:
        return
    for n, ((file_id, name, fmt, order, columns, sheet), f) in enumerate(zip(upload_keys, files), start=1):
        area.text(f"File {n}: {name}")
        if area.button(f"Add file {n} to the store", key=f"store_add_{file_id}", disabled=author is None):
            assert author is not None
            try:
                read = read_data(f.getvalue(), name=name, fmt=fmt, options=ReadOptions(order, columns, sheet))
                if not read.readable:
                    area.error("That file could not be read: nothing was stored.")
                    continue
                added = store_read(store, read, author=author)
            except StoreError as exc:
                area.error("Nothing was stored:")
                area.text(str(exc))
                continue
            if added.already is not None:
                said = ("info", "Already in the store: nothing added.", f"dataset {added.already.name}")
            else:
                said = ("success", f"Stored {added.added:,} events: they are on the map.", f"dataset {added.dataset}")
            st.session_state[SAID_KEY] = (*said, read.result.files[0].summary())
            st.rerun()  # the page again, with the store's new content
    said = st.session_state.pop(SAID_KEY, None)
    if said:
        kind, message, dataset, summary = said
        (area.success if kind == "success" else area.info)(message)
        area.text(dataset)  # names are untrusted: plain text
        area.text(summary)
    if author is None:
        area.caption("Enter your name above to add uploaded files to the store.")


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (AUTHOR_KEY, SAID_KEY)
SESSION_PREFIXES: tuple[str, ...] = ("store_add_",)
