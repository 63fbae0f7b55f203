"""What a reader returns: accepted events as a model frame, plus every rejection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from incidents.errors import IncidentDataError, Rejection, shorten
from incidents.schema import CRS, conform, empty_events
from incidents.validate import FieldError


@dataclass
class ReadResult:
    """Accepted events and rejected rows of one input file: ``len(events) + rejected_rows == n_input``."""

    events: gpd.GeoDataFrame = field(default_factory=empty_events)
    rejected: list[Rejection] = field(default_factory=list)
    n_input: int = 0

    @property
    def rejected_rows(self) -> int:
        """How many input rows were rejected (a row with several problems counts once)."""
        return len({(r.file, r.row) for r in self.rejected if r.row is not None})


class RowCheck:
    """One input row being read: its cells as text, and every problem found in it so far."""

    def __init__(self, file: str, number: int, cells: Mapping[str | None, Any]):
        self.file = file
        self.number = number
        self.cells = cells
        self.problems: list[Rejection] = []

    def text(self, key: str) -> str:
        """The cell ``key`` as text (empty when missing)."""
        value = self.cells.get(key)
        return "" if value is None else str(value)

    def parse(self, key: str, parser: Callable[[str], Any]) -> Any:
        """``parser(cell)``, or ``None`` with the parser's reason recorded as a problem."""
        try:
            return parser(self.text(key))
        except FieldError as exc:
            self.fail(key, self.text(key), str(exc))
            return None

    def fail(self, field_name: str | None, value: object, reason: str) -> None:
        """Record a problem with ``field_name`` (``None`` for the row as a whole)."""
        self.problems.append(Rejection(self.file, self.number, field_name, shorten(value), reason))


def read_rows(
    reader: Iterable[Mapping[str | None, Any]], name: str, parse_row: Callable[[RowCheck], dict[str, Any]]
) -> ReadResult:
    """Run ``parse_row`` on every row: rows with no problem become events, the rest rejections."""
    records: list[dict[str, Any]] = []
    rejected: list[Rejection] = []
    n_input = 0
    for n_input, cells in enumerate(reader, start=1):
        check = RowCheck(name, n_input, cells)
        record = parse_row(check)
        if check.problems:
            rejected.extend(check.problems)
        else:
            records.append({**record, "_row": n_input})
    return ReadResult(events_from_records(records), rejected, n_input)


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
