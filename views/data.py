"""What every run needs, built once: the offline assets, the loaded and indexed events, the boundaries.

Cached as resources, not data: the frame is shared, never copied per rerun (at a million rows a
copy would cost seconds), and never modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from incidents import LoadResult, load_all
from incidents.boundaries import LAYERS, boundary_layer
from incidents.index import EventIndex
from incidents.loader import Upload, env_files
from layers import BoundarySpec, boundary_specs, group_colors, install_assets
from views.accounting import UploadKey

#: Per file named in INCIDENT_FILES: its path, size and modification time (-1 when unreadable).
FileSignature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Loaded:
    """The loaded events with their accounting, their index, and each group's colour."""

    result: LoadResult
    index: EventIndex
    colors: dict[str, str]


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


@st.cache_resource(show_spinner="Loading incidents…", max_entries=2)
def _load(signature: FileSignature, upload_keys: tuple[UploadKey, ...], _files: tuple[Any, ...]) -> Loaded:
    """Load and index once per set of files and uploads.

    Uploads are keyed by Streamlit's id for each uploaded file (new on every upload), so one
    session's files never reach another's; their bytes (``_files``, the uploaded files in key
    order) are read only when the key is new.
    """
    uploads = [Upload(f.name, f.getvalue(), fmt) for f, (_, _, fmt) in zip(_files, upload_keys)]
    result = load_all([Path(p) for p, _, _ in signature], uploads=uploads)
    index = EventIndex.build(result.events)
    return Loaded(result, index, group_colors(index.actors.counts()))


def load(upload_keys: tuple[UploadKey, ...], files: tuple[Any, ...]) -> Loaded:
    """The shipped events, those of INCIDENT_FILES and the session's uploads, loaded once per set."""
    return _load(file_signature(env_files()), upload_keys, files)


@st.cache_resource(show_spinner=False)
def boundaries() -> list[BoundarySpec]:
    """Encoded boundary layers, built once per server process (immutable)."""
    return boundary_specs({name: boundary_layer(name) for name in LAYERS})
