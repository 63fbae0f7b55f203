"""Event files into the store: read as ``check`` reads them, then stored as one dataset per file."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from incidents.loader import LoadResult, Upload, load_all
from incidents.readers._rows import AS_WRITTEN, ReadOptions
from incidents.store.entries import Added
from incidents.store.store import Store


@dataclass
class ReadFile:
    """One file read for the store: its accounting (the loader's), name and checksum."""

    result: LoadResult
    name: str
    sha256: str

    @property
    def readable(self) -> bool:
        """Whether the file could be read at all (otherwise nothing is stored)."""
        return self.result.files[0].format != "unreadable"


def read_data(data: bytes, *, name: str, fmt: str | None = None, options: ReadOptions = AS_WRITTEN) -> ReadFile:
    """Read one file's bytes as ``check`` does (no shipped data beside it)."""
    result = load_all([], shipped=False, uploads=[Upload(name, data, fmt, options)])
    return ReadFile(result, name, hashlib.sha256(data).hexdigest())


def accounting(result: LoadResult) -> dict[str, Any]:
    """A file's accounting as the store keeps it: the report, every rejected and repaired row."""
    return {
        "report": asdict(result.files[0]),
        "rejected": [asdict(r) for r in result.rejected],
        "repaired": [asdict(r) for r in result.repaired],
        "inferred": [asdict(r) for r in result.inferred],
    }


def store_read(store: Store, read: ReadFile, *, author: str, dataset: str | None = None) -> Added:
    """Store a read file's accepted events as the dataset ``dataset`` (default: the file's stem), in one transaction.

    Rows the store refuses (an id already stored) are added to the file's accounting.
    """
    result = read.result
    report = result.files[0]
    added = store.add(
        result.events,
        dataset=dataset or Path(read.name).stem or read.name,
        source_file=read.name,
        sha256=read.sha256,
        fmt=report.format,
        accounting=accounting(result),
        author=author,
    )
    result.rejected.extend(added.rejected)
    n = len(added.rejected)
    result.files[0] = replace(report, dataset=added.dataset, accepted=report.accepted - n, rejected=report.rejected + n)
    return added


def add_data(
    store: Store, data: bytes, *, name: str, author: str, fmt: str | None = None, dataset: str | None = None
) -> tuple[LoadResult, Added | None]:
    """Read one file's bytes and store its accepted events; ``None`` for a file that cannot be read (nothing stored)."""
    read = read_data(data, name=name, fmt=fmt)
    return read.result, store_read(store, read, author=author, dataset=dataset) if read.readable else None


def add_file(
    store: Store, path: Path, *, author: str, fmt: str | None = None, dataset: str | None = None
) -> tuple[LoadResult, Added | None]:
    """:func:`add_data` for a file on disk (read whole: the store keeps its checksum)."""
    return add_data(store, path.read_bytes(), name=path.name, author=author, fmt=fmt, dataset=dataset)
