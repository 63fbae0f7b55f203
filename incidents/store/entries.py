"""What the store reports: a dataset, a revision, what an add did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from incidents.model.errors import Rejection
from incidents.model.records import RECORD_FIELDS


@dataclass(frozen=True)
class DatasetInfo:
    """One dataset in the store: where it came from, who added it, how many events it has."""

    name: str
    source_file: str
    sha256: str
    format: str
    status: str
    events: int
    author: str
    created_at: datetime
    accounting: dict[str, Any]


@dataclass(frozen=True)
class Revision:
    """One change to an event, a document or a dataset: who, when, and the values before and after."""

    entity: str
    entity_id: str
    revision: int
    action: str
    author: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Added:
    """What one ``add`` did: the dataset, the events written, and the rows refused because their id was taken."""

    dataset: str
    added: int
    rejected: list[Rejection]
    already: DatasetInfo | None = None  # the same file was already stored: nothing was written


def as_first_stored(current: Mapping[str, Any], later: Sequence[Revision]) -> dict[str, Any]:
    """An event's values when it was added: its current values with each later change undone, newest first."""
    values = {c: current[c] for c in RECORD_FIELDS}
    for revision in reversed(later):
        values.update({c: v for c, v in (revision.before or {}).items() if c in values})
    return values
