"""Reading rows: the one mechanism every row-wise reader (CSV, GeoJSON) runs on.

A reader supplies ``parse_row(check) -> record``; :func:`read_rows` turns records into a model
frame and collects every rejection, repair and inference. CSV files: :mod:`incidents.readers._csvfile`.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import shapely

from incidents.geo.position import swapped_position
from incidents.model.dates import UNORDERED, DateReading
from incidents.model.errors import IncidentDataError, Inference, Rejection, Repair, shorten
from incidents.model.schema import CRS, conform, empty_events
from incidents.model.validate import FieldError, parse_float


@dataclass(frozen=True)
class ReadOptions:
    """What the user tells a reader that a file leaves open.

    Attributes
    ----------
    order : str, optional
        ``incidents.model.dates.DAY_FIRST`` or ``MONTH_FIRST``: how to read numeric dates that read
        both ways in every row (``--dayfirst`` / ``--monthfirst``). Checked against the file.
    columns : tuple of (field, column) pairs, optional
        A column mapping (``--columns``, a profile): the file is read as a mapped table
        (:mod:`incidents.readers.mapped`), these over the mapping suggested by name.
    sheet : str, optional
        The sheet of a workbook to read (``--sheet``; default: the first that holds data).

    """

    order: str | None = None
    columns: tuple[tuple[str, str], ...] | None = None
    sheet: str | None = None


#: No options: everything as the file says it.
AS_WRITTEN = ReadOptions()


@dataclass
class ReadResult:
    """Accepted events and rejected rows of one input file: ``len(events) + rejected_rows + merged == n_input``.

    ``repaired`` lists what was repaired in accepted rows (or in the file as a whole);
    ``inferred``, how the file was read where it left that open (its date convention, ...).
    """

    events: gpd.GeoDataFrame = field(default_factory=empty_events)
    rejected: list[Rejection] = field(default_factory=list)
    n_input: int = 0
    repaired: list[Repair] = field(default_factory=list)
    inferred: list[Inference] = field(default_factory=list)
    merged: int = 0  # rows merged into another row of the same event (accepted + rejected + merged == n_input)

    @property
    def rejected_rows(self) -> int:
        """How many input rows were rejected (a row with several problems counts once)."""
        return len({(r.file, r.row) for r in self.rejected if r.row is not None})


class RowCheck:
    """One input row being read: its cells as text, and every problem found in it so far."""

    def __init__(self, file: str, number: int, cells: Mapping[Any, Any], *, unit: str = "row", dates: DateReading = UNORDERED):
        self.file = file
        self.number = number
        self.cells = cells
        self.unit = unit
        self.dates = dates
        self.problems: list[Rejection] = []
        self.repairs: list[Repair] = []

    def event_id(self, key: str) -> str:
        """The row's id from cell ``key``, stripped; an empty id, or more cells than the header, is a problem."""
        beyond = self.cells.get(None)  # the csv module puts cells beyond the header under None
        if beyond and any(str(c).strip() for c in beyond):  # empty ones: a trailing delimiter
            self.fail(None, beyond, "row has more cells than the header")
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

    def date(self, key: str) -> date | None:
        """The day in cell ``key``, read in the file's date convention (``None`` and a problem when it is not one)."""
        return self.parse(key, self.dates.parse)  # type: ignore[no-any-return]

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
        :func:`incidents.geo.position.swapped_position`), they are swapped back and the repair recorded.
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
    reader: Iterable[Mapping[Any, Any]], name: str, parse_row: Callable[[RowCheck], dict[str, Any]], **given: Any
) -> ReadResult:
    """Run ``parse_row`` on every row: rows with no problem become events, the rest rejections.

    Keywords as :func:`read_numbered` takes them: ``unit``, ``repaired`` (file-level repairs
    made before the rows were read, e.g. the encoding), ``inferred`` (what was decided about
    the file as a whole), ``dates`` (its date convention). A row that is rejected reports its
    problems only, not the repairs made on the way.
    """
    numbered = list(numbered_rows(reader, name))
    return read_numbered(numbered, len(numbered), name, parse_row, **given)


def read_numbered(
    numbered: Iterable[tuple[int, Mapping[Any, Any]]],
    n_input: int,
    name: str,
    parse_row: Callable[[RowCheck], dict[str, Any]],
    *,
    unit: str = "row",
    repaired: Sequence[Repair] = (),
    inferred: Sequence[Inference] = (),
    dates: DateReading = UNORDERED,
    merged: int = 0,
) -> ReadResult:
    """:func:`read_rows` for rows already numbered, of ``n_input`` data rows (``merged`` of them merged into others)."""
    records: list[dict[str, Any]] = []
    rejected: list[Rejection] = []
    repairs: list[Repair] = list(repaired)
    for number, cells in numbered:
        check = RowCheck(name, number, cells, unit=unit, dates=dates)
        record = parse_row(check)
        if check.problems:
            rejected.extend(check.problems)
        else:
            repairs.extend(check.repairs)
            records.append({**record, "_row": number})
    return ReadResult(events_from_records(records), rejected, n_input, repairs, list(inferred), merged)


def numbered_rows(reader: Iterable[Mapping[Any, Any]], name: str) -> Iterable[tuple[int, Mapping[Any, Any]]]:
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


#: The UTF-8 bytes the last texts were decoded from, by the text's id (the text kept, to check it is the same object).
_BYTES: dict[int, tuple[str, bytes]] = {}


_BYTES_LOCK = threading.Lock()  # sessions read files in threads of their own


def utf8_of(text: str) -> bytes:
    """The UTF-8 bytes of ``text``: those :func:`decode_text` decoded it from (once), else encoded again."""
    with _BYTES_LOCK:
        kept = _BYTES.pop(id(text), None)
    return kept[1] if kept is not None and kept[0] is text else text.encode("utf-8")


def _keep_bytes(text: str, data: bytes) -> None:
    with _BYTES_LOCK:
        while len(_BYTES) >= 2:  # a reader that never asks (GeoJSON) leaves its entry: keep no more than two files' worth
            _BYTES.pop(next(iter(_BYTES)))
        _BYTES[id(text)] = (text, data)


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
        decoded = data.decode("utf-8-sig")
        _keep_bytes(decoded, data.removeprefix(b"\xef\xbb\xbf"))  # a reader splitting bytes need not encode it again
        return decoded, []
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
