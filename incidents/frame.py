"""What a reader returns: accepted events as a model frame, plus every rejection."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from incidents.errors import IncidentDataError, Rejection
from incidents.schema import CRS, conform, empty_events


@dataclass
class ReadResult:
    """Accepted events and rejected rows of one or more input files.

    ``len(events) + rejected_rows == n_input`` always holds (see :meth:`balanced`).
    """

    events: gpd.GeoDataFrame = field(default_factory=empty_events)
    rejected: list[Rejection] = field(default_factory=list)
    n_input: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """How many input rows were rejected (a row with several problems counts once)."""
        return len({(r.file, r.row) for r in self.rejected if r.row is not None})

    def balanced(self) -> bool:
        """Whether accepted + rejected rows equals input rows."""
        return len(self.events) + self.rejected_rows == self.n_input


def events_from_records(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Turn row dicts (model fields plus ``lon``, ``lat`` and ``_row``) into an event frame.

    The frame's index is each event's 1-based row number in its input file.
    """
    if not records:
        return empty_events()
    rows = [r.pop("_row") for r in records]
    geometry = shapely.points([r.pop("lon") for r in records], [r.pop("lat") for r in records])
    frame = gpd.GeoDataFrame(records, geometry=geometry, crs=CRS, index=rows)
    return conform(frame)


def csv_reader(path: Path, text: str | None, *, name: str, required: Sequence[str], what: str) -> csv.DictReader:
    """A CSV reader over ``text`` (or the UTF-8 file at ``path``) whose header has ``required``.

    Raises
    ------
    IncidentDataError
        Naming the file and the missing columns; ``what`` says which format was expected.

    """
    if text is None:
        text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = set(reader.fieldnames or ())
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(sorted(columns))[:200]
        raise IncidentDataError(Rejection(name, None, None, found, f"not {what}: missing columns {missing}"))
    return reader
