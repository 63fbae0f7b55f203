"""Reading rows: the one mechanism every row-wise reader (CSV, GeoJSON) runs on.

A reader supplies ``parse_row(check) -> record``; :func:`read_rows` turns records into a model
frame and collects every rejection and repair. CSV formats are a :class:`CsvLayout` (required
columns, how the header is matched, the row parser) read by the one :func:`read_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely

from incidents.actors import ActorTable, actor_table
from incidents.errors import IncidentDataError, Rejection, Repair, shorten
from incidents.position import swapped_position
from incidents.schema import CRS, conform, empty_events
from incidents.validate import FieldError, parse_float


@dataclass
class ReadResult:
    """Accepted events and rejected rows of one input file: ``len(events) + rejected_rows == n_input``.

    ``repaired`` lists what was repaired in accepted rows (or in the file as a whole).
    """

    events: gpd.GeoDataFrame = field(default_factory=empty_events)
    rejected: list[Rejection] = field(default_factory=list)
    n_input: int = 0
    repaired: list[Repair] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """How many input rows were rejected (a row with several problems counts once)."""
        return len({(r.file, r.row) for r in self.rejected if r.row is not None})


class RowCheck:
    """One input row being read: its cells as text, and every problem found in it so far."""

    def __init__(self, file: str, number: int, cells: Mapping[Any, Any], *, unit: str = "row"):
        self.file = file
        self.number = number
        self.cells = cells
        self.unit = unit
        self.problems: list[Rejection] = []
        self.repairs: list[Repair] = []

    def event_id(self, key: str) -> str:
        """The row's id from cell ``key``, stripped; an empty id, or more cells than the header, is a problem."""
        if None in self.cells:  # the csv module puts cells beyond the header under None
            self.fail(None, self.cells[None], "row has more cells than the header")
        value = self.text(key).strip()
        if not value:
            self.fail(key, "", f"{key} is empty")
        return value

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

    def code(self, key: str, table: Mapping[int, str], *, what: str) -> str | None:
        """The model value for the numeric code in cell ``key`` (``what``: whose codes, for the reason)."""
        value = self.text(key).strip()
        try:
            return table[int(value)]
        except (ValueError, KeyError):
            self.fail(key, value, f"expected {what} code, one of {sorted(table)}")
            return None

    def fail(self, field_name: str | None, value: object, reason: str) -> None:
        """Record a problem with ``field_name`` (``None`` for the row as a whole)."""
        self.problems.append(Rejection(self.file, self.number, field_name, shorten(value), reason, self.unit))

    def repaired(self, field_name: str | None, value: object, action: str) -> None:
        """Record an unambiguous repair of ``field_name`` (``value`` is what the file said)."""
        self.repairs.append(Repair(self.file, self.number, field_name, shorten(value), action, self.unit))

    def position(self, lat_key: str, lon_key: str, *, country: str = "") -> tuple[float | None, float | None]:
        """Latitude and longitude from two cells, in WGS 84 degrees.

        When the two are swapped and the row says so unambiguously (see
        :func:`incidents.position.swapped_position`), they are swapped back and the repair recorded.
        """
        lat_text, lon_text = self.text(lat_key), self.text(lon_key)
        raw_lat: float | None
        raw_lon: float | None
        try:
            raw_lat, raw_lon = float(lat_text), float(lon_text)
        except ValueError:
            raw_lat = raw_lon = None
        if raw_lat is not None and raw_lon is not None:
            reason = swapped_position(raw_lat, raw_lon, country)
            if reason:
                self.repaired(f"{lat_key}/{lon_key}", f"{lat_text}, {lon_text}", reason)
                lat_text, lon_text = lon_text, lat_text
        lat = lon = None
        try:
            lat = parse_float(lat_text, lo=-90, hi=90, what="latitude")
        except FieldError as exc:
            self.fail(lat_key, lat_text, str(exc))
        try:
            lon = parse_float(lon_text, lo=-180, hi=180, what="longitude")
        except FieldError as exc:
            self.fail(lon_key, lon_text, str(exc))
        return lat, lon


def read_rows(
    reader: Iterable[Mapping[Any, Any]],
    name: str,
    parse_row: Callable[[RowCheck], dict[str, Any]],
    *,
    unit: str = "row",
    repaired: Sequence[Repair] = (),
) -> ReadResult:
    """Run ``parse_row`` on every row: rows with no problem become events, the rest rejections.

    ``repaired`` are file-level repairs made before the rows were read (e.g. the encoding).
    A row that is rejected reports its problems only, not the repairs made on the way.
    """
    records: list[dict[str, Any]] = []
    rejected: list[Rejection] = []
    repairs: list[Repair] = list(repaired)
    n_input = 0
    for n_input, cells in _rows(reader, name):
        check = RowCheck(name, n_input, cells, unit=unit)
        record = parse_row(check)
        if check.problems:
            rejected.extend(check.problems)
        else:
            repairs.extend(check.repairs)
            records.append({**record, "_row": n_input})
    return ReadResult(events_from_records(records), rejected, n_input, repairs)


def _rows(reader: Iterable[Mapping[Any, Any]], name: str) -> Iterable[tuple[int, Mapping[Any, Any]]]:
    """Number the rows; a CSV the csv module cannot split rejects the file, naming the row."""
    n = 0
    try:
        for n, cells in enumerate(reader, start=1):
            yield n, cells
    except csv.Error as exc:
        raise IncidentDataError(Rejection(name, n + 1, None, "", f"not readable as CSV ({exc})")) from exc


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


#: Longest CSV cell read, in characters (the csv module's default, 128 KiB, is less than a long excerpt).
FIELD_LIMIT = 16 * 1024 * 1024


def decode_text(data: bytes, name: str) -> tuple[str, list[Repair]]:
    """The text of a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM, else Windows-1252.

    Windows-1252 is the one repair made: spreadsheet exports on Windows write it. It is taken
    only when the bytes are not UTF-8, every byte is defined in Windows-1252 and the text holds
    no control characters other than tab and line breaks; the repair is reported. Anything else
    is refused.

    Raises
    ------
    IncidentDataError
        When the bytes are not text in any of these encodings.

    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise IncidentDataError(
                Rejection(name, None, None, "", f"not UTF-16 text despite its byte-order mark ({exc.reason})")
            ) from exc
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        raise IncidentDataError(Rejection(name, None, None, "", utf8_error + "; not Windows-1252 text either"))
    return text, [
        Repair(name, None, None, "", utf8_error.replace("not UTF-8 text", "read as Windows-1252: the file is not UTF-8"))
    ]


def csv_reader(text: str, *, name: str, required: Sequence[str], what: str, lower: bool = False) -> csv.DictReader[str]:
    """A CSV reader over ``text`` whose header has ``required`` (``lower``: header names lower-cased).

    Raises
    ------
    IncidentDataError
        Naming the file and the missing columns; ``what`` says which format was expected.

    """
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if lower and reader.fieldnames:
        reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    columns = set(reader.fieldnames or ())
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(sorted(columns))[:200]
        raise IncidentDataError(Rejection(name, None, None, found, f"not {what}: missing columns {missing}"))
    return reader


#: A row parser of a CSV layout: the row being read, the dataset name, the alias table -> model fields.
RowParser = Callable[[RowCheck, str, ActorTable], dict[str, Any]]


@dataclass(frozen=True)
class CsvLayout:
    """A CSV format: the columns it needs, how its header is matched, and how a row is read.

    Attributes
    ----------
    required : tuple of str
        Columns every file of the layout has (a file without one is refused, naming them).
    what : str
        The layout's name in messages ("an ACLED export").
    parse_row : RowParser
        One row's model fields; problems and repairs are recorded on the :class:`RowCheck`.
    lower : bool
        Match header names in any case (they are lower-cased before reading).

    """

    required: tuple[str, ...]
    what: str
    parse_row: RowParser
    lower: bool = False


def read_csv(layout: CsvLayout, text: str, *, name: str, dataset: str, repaired: Sequence[Repair] = ()) -> ReadResult:
    """Read the CSV ``text`` of file ``name`` in ``layout``; every event gets ``dataset``.

    ``repaired`` are repairs already made to the file as a whole (its encoding), carried into
    the result.

    Raises
    ------
    IncidentDataError
        When the header lacks a column the layout needs.

    """
    reader = csv_reader(text, name=name, required=layout.required, what=layout.what, lower=layout.lower)
    actors = actor_table()
    return read_rows(reader, name, lambda check: layout.parse_row(check, dataset, actors), repaired=repaired)
