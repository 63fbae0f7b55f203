"""What every run needs, built once: the offline assets, the loaded and indexed events, the boundaries.

Cached as resources, not data: the frame is shared, never copied per rerun (at a million rows a
copy would cost seconds), and never modified.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

from incidents import LoadResult, load_all
from incidents.geo.boundaries import LAYERS, boundary_layer
from incidents.loader import EVENTS_DIR, SHIPPED, Upload, env_files, merge
from incidents.model.grades import apply as apply_grades
from incidents.query.index import EventIndex
from incidents.readers import ReadOptions
from layers import BoundarySpec, boundary_specs, group_colors, install_assets
from layers.protocol import reword
from views.accounting import UploadKey
from views.store import PREFIX, StorePart

#: Per file named in INCIDENT_FILES: its path, size and modification time (-1 when unreadable).
FileSignature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Loaded:
    """The loaded events with their accounting, their index, each group's colour, and notes on what was shown once."""

    result: LoadResult
    index: EventIndex
    colors: dict[str, str]
    notes: tuple[str, ...] = ()
    store_error: str | None = None


def file_signature(paths: list[Path]) -> FileSignature:
    """Each path with its size and mtime, so an edited file is read again."""
    sig = []
    for p in paths:
        try:
            stat = p.stat()
            sig.append((str(p), stat.st_size, stat.st_mtime_ns))
        except OSError:
            sig.append((str(p), -1, -1))
    return tuple(sig)


@st.cache_resource(show_spinner=False)
def assets_installed() -> int:
    """Copy the map's offline assets into the static folder, once per process."""
    return len(install_assets())


#: A JSON file of the map's words to use instead of the English ones (keys: :data:`layers.protocol.WORDS`).
WORDS_ENV = "INCIDENT_MAP_WORDS"


@st.cache_resource(show_spinner=False)
def map_words() -> str | None:
    """Once per process, the map's words from the file ``INCIDENT_MAP_WORDS`` names; the file's name, or ``None``.

    A file that cannot be read, or that names no word of the map, stops the page with a message naming it.
    """
    path = os.environ.get(WORDS_ENV)
    if not path:
        return None
    try:
        words = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{WORDS_ENV}={path}: cannot read the map's words: {e}") from e
    reword(words, source=f"{WORDS_ENV}={path}")
    return path


@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def _load_files(
    signature: FileSignature, upload_keys: tuple[UploadKey, ...], _files: tuple[Any, ...]
) -> tuple[LoadResult, dict[str, str]]:
    """Load the shipped files, INCIDENT_FILES and uploads once per set; with each file's checksum (by file name).

    Uploads are keyed by Streamlit's id for each uploaded file (new on every upload), so one
    session's files never reach another's; their bytes (``_files``, the uploaded files in key
    order) are read only when the key is new.
    """
    uploads = [
        Upload(f.name, f.getvalue(), fmt, ReadOptions(order, columns, sheet))
        for f, (_, _, fmt, order, columns, sheet) in zip(_files, upload_keys)
    ]
    paths = [Path(p) for p, _, _ in signature]
    result = load_all(paths, uploads=uploads)
    sums = {}
    for path in [*(EVENTS_DIR / f for f, _ in SHIPPED), *paths]:
        try:
            sums[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # reported by the load as unreadable
    sums.update({u.name: hashlib.sha256(u.data).hexdigest() for u in uploads})
    return result, sums


def combine(files: LoadResult, sums: dict[str, str], part: StorePart) -> tuple[LoadResult, tuple[str, ...]]:
    """The files' events and the store's; a store dataset holding a file already loaded is shown once, and said so."""
    if part.result is None:
        return files, ()
    by_sum = {v: k for k, v in sums.items()}
    same = {name: by_sum[sha] for name, sha in part.sha256.items() if sha in by_sum}
    store = part.result
    if same:
        drop = store.events["dataset"].isin([PREFIX + n for n in same]).to_numpy()
        store = LoadResult(
            store.events[~drop], store.rejected, [f for f in store.files if f.dataset[len(PREFIX) :] not in same], []
        )
    notes = tuple(f"Store dataset “{n}” holds the same file as {f}, already loaded: shown once." for n, f in sorted(same.items()))
    return merge(files, store), notes


@st.cache_resource(show_spinner=False, max_entries=2)
def _combined(
    signature: FileSignature,
    upload_keys: tuple[UploadKey, ...],
    store_key: tuple[Any, ...],
    _files: tuple[Any, ...],
    _part: StorePart,
) -> Loaded:
    files, sums = _load_files(signature, upload_keys, _files)
    result, notes = combine(files, sums, _part)
    if _part.grades:  # the analysts' grades over the files' and the store's events alike
        result = replace(result, events=apply_grades(result.events, _part.grades))
    index = EventIndex.build(result.events)
    return Loaded(result, index, group_colors(index.actors.counts()), notes, _part.error)


def load(upload_keys: tuple[UploadKey, ...], files: tuple[Any, ...], part: StorePart, store_key: tuple[Any, ...]) -> Loaded:
    """The shipped events, those of INCIDENT_FILES, the session's uploads and the store's, loaded once per set.

    ``store_key`` identifies the store's content (URL and version): after a write only the
    store's part is read again, and the files' part comes from its cache.
    """
    return _combined(file_signature(env_files()), upload_keys, store_key, files, part)


@st.cache_resource(show_spinner=False)
def boundaries() -> list[BoundarySpec]:
    """Encoded boundary layers, built once per server process (immutable)."""
    return boundary_specs({name: boundary_layer(name) for name in LAYERS})
