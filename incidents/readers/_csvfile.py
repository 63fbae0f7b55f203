"""CSV files: the header (its names checked, variant names mapped), the layouts, and the one reader of them all.

A CSV format is a :class:`CsvLayout` (required columns, how the header is matched, the row
parser, its date columns, the other names of its columns); :func:`read_csv` reads any of them
and decides from all the rows what the file leaves open (see :func:`read_csv`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ftfy
from ftfy import badness

from incidents.model.actors import ActorTable, actor_table
from incidents.model.dates import UNORDERED, AmbiguousDates, DateReading, infer
from incidents.model.errors import IncidentDataError, Inference, Rejection, Repair
from incidents.model.pauses import no_cycle_collection
from incidents.readers import _columnar as columnar
from incidents.readers._columnar import Columns
from incidents.readers._rows import (
    AS_WRITTEN,
    FIELD_LIMIT,
    ReadOptions,
    ReadResult,
    RowCheck,
    numbered_rows,
    read_numbered,
    utf8_of,
)


def csv_reader(
    text: str,
    *,
    name: str,
    required: Sequence[str],
    what: str,
    lower: bool = False,
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[str], Iterator[dict[Any, Any]], list[Inference]]:
    """The header of CSV ``text`` (it must have ``required``), its rows as ``name -> cell``, and what was inferred of the header.

    The rows are split only when they are read (a file read by columns never is).

    Header names are stripped (``lower``: lower-cased too). ``aliases`` maps a variant name to
    the layout's own (``best_est`` -> ``best``); a rename is reported, never made over a column
    the header already has.

    Raises
    ------
    IncidentDataError
        Naming the file and the missing columns (``what`` says which format was expected), or
        a column the header names twice, with both positions.

    """
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    names = [f.strip().lower() if lower else f.strip() for f in _header(text)]
    first: dict[str, int] = {}
    for position, column in enumerate(names, start=1):
        if column and column in first:
            raise IncidentDataError(
                Rejection(
                    name,
                    None,
                    column,
                    "",
                    f"the header names column {column!r} twice (columns {first[column]} and {position}): "
                    "which one to read is unclear",
                )
            )
        first.setdefault(column, position)
    renamed = []
    for i, column in enumerate(names):
        own = (aliases or {}).get(column)
        if own is not None and own not in first:
            names[i] = own
            renamed.append(f"{own} ← {column}")
    inferred = [Inference(name, None, None, "", "columns read by another name: " + ", ".join(renamed))] if renamed else []
    columns = set(names)
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(sorted(columns))[:200]
        raise IncidentDataError(Rejection(name, None, None, found, f"not {what}: missing columns {missing}"))
    return names, _rows(text, names), inferred


def _header(text: str) -> list[str]:
    """The first row of CSV ``text``, split from its start alone when that holds it whole."""
    start = text[: 1 << 16]
    if len(start) < len(text):
        try:
            rows = csv.reader(io.StringIO(start, newline=""))
            first = next(rows, [])
            if next(rows, None) is not None:  # a second row began: the first is whole
                return first
        except csv.Error:  # cut inside a quoted cell: read from the whole text
            pass
    return next(csv.reader(io.StringIO(text, newline="")), [])


def _rows(text: str, names: list[str]) -> Iterator[dict[Any, Any]]:
    """The data rows of CSV ``text`` as the csv module's DictReader gives them, with the header ``names``."""
    reader = csv.DictReader(io.StringIO(text, newline=""), fieldnames=names)
    next(reader.reader, None)  # the header row
    yield from reader


#: A row parser of a CSV layout: the row being read, the dataset name, the alias table -> model fields.
RowParser = Callable[[RowCheck, str, ActorTable], dict[str, Any]]
#: Its column parser (optional): the file's columns, the dataset name, the alias table -> model fields as whole
#: columns, rows it cannot vouch for left in doubt (see :mod:`incidents.readers._columnar`).
ColumnParser = Callable[[Columns, str, ActorTable], dict[str, Any]]


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
    dates : tuple of str
        Columns of whole dates: their convention is inferred from the file's values together
        (:func:`incidents.model.dates.infer`) and read by :meth:`RowCheck.date`.
    aliases : mapping
        Other names of the layout's columns (a variant name -> the layout's name).
    key, actor_columns, actor_names : str and tuples of str
        Rows sharing ``key`` that differ only in ``actor_columns`` are one event written once per
        actor (a "long" export): they are merged into the first, the groups in the later rows'
        ``actor_names`` columns added to the first's last one, and reported.

    """

    required: tuple[str, ...]
    what: str
    parse_row: RowParser
    lower: bool = False
    dates: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    key: str | None = None
    actor_columns: tuple[str, ...] = ()
    actor_names: tuple[str, ...] = ()
    parse_columns: ColumnParser | None = None


def read_csv(
    layout: CsvLayout,
    text: str,
    *,
    name: str,
    dataset: str,
    repaired: Sequence[Repair] = (),
    options: ReadOptions = AS_WRITTEN,
) -> ReadResult:
    """Read the CSV ``text`` of file ``name`` in ``layout``; every event gets ``dataset``.

    ``repaired`` are repairs already made to the file as a whole (its encoding), carried into
    the result. What the file leaves open is decided from all its rows and reported: its date
    convention (or ``options``'), an HXL hashtag row (skipped), rows of one event written once
    per actor (merged; see :class:`CsvLayout`); cells with mojibake are repaired and reported.

    Raises
    ------
    IncidentDataError
        When the header lacks a column the layout needs or names one twice, or the file's dates
        do not say how to read them.

    """
    names, reader, inferred = csv_reader(
        text, name=name, required=layout.required, what=layout.what, lower=layout.lower, aliases=layout.aliases
    )
    actors = actor_table()
    if layout.parse_columns is not None:
        data = utf8_of(text)
        table = None if has_mojibake(text, data) else columnar.split(text, names, data)
        if table is not None:
            with no_cycle_collection():  # a million rows make millions of objects, none in a cycle
                by_columns = _read_columns(layout, table, names, name, dataset, options, repaired, inferred)
            if by_columns is not None:
                return by_columns
    rows = [cells for _, cells in numbered_rows(reader, name)]
    if rows and _is_hxl(rows[0]):
        tags = ", ".join(str(v).strip() for v in rows[0].values() if isinstance(v, str) and v.strip())
        inferred.append(Inference(name, None, None, tags, HXL_SKIPPED))
        rows = rows[1:]
    repaired = [*repaired, *mojibake(rows, text, name)]
    numbered = list(enumerate(rows, start=1))
    dates = UNORDERED
    if layout.dates:
        dates = file_dates(numbered, layout.dates, "/".join(layout.dates), name, options, inferred)
    merged = 0
    if layout.key is not None and layout.actor_names:
        numbered, merges = _merge_per_actor(numbered, layout.key, layout.actor_columns, layout.actor_names)
        merged = len(merges)
        inferred += [
            Inference(name, n, layout.key, str(rows[n - 1].get(layout.key) or ""), f"merged into row {into}: {why}")
            for n, into, why in merges
        ]
    return read_numbered(
        numbered,
        len(rows),
        name,
        lambda check: layout.parse_row(check, dataset, actors),
        repaired=repaired,
        inferred=inferred,
        dates=dates,
        merged=merged,
    )


def _read_columns(
    layout: CsvLayout,
    table: Any,
    names: list[str],
    name: str,
    dataset: str,
    options: ReadOptions,
    repaired: Sequence[Repair],
    inferred: list[Inference],
) -> ReadResult | None:
    """:func:`read_csv` by columns (``None``: the file has rows of one event written per actor, read row by row)."""
    assert layout.parse_columns is not None
    inferred = list(inferred)
    first = {n: table.column(i)[0].as_py() for i, n in enumerate(names)} if table.num_rows else {}
    skip = 1 if first and _is_hxl(first) else 0
    if skip:
        tags = ", ".join(str(v).strip() for v in first.values() if isinstance(v, str) and v.strip())
        inferred.append(Inference(name, None, None, tags, HXL_SKIPPED))
    cols = columnar.Columns(table, names, skip=skip, name=name)
    if layout.key is not None and layout.actor_names and cols.has(layout.key):
        _, values = cols.distinct(layout.key)
        if len(values) < cols.n or len({v.strip() for v in values} if cols.padded(layout.key) else values) < len(values):
            return None  # ids repeat: the row reader merges or reports them
    if layout.dates:
        cols.dates = dates_of(cols.in_order(layout.dates), "/".join(layout.dates), name, options, inferred)
    actors = actor_table()
    fields = layout.parse_columns(cols, dataset, actors)
    slow = read_numbered(
        cols.doubtful_rows(),
        cols.n,
        name,
        lambda check: layout.parse_row(check, dataset, actors),
        repaired=repaired,
        inferred=inferred,
        dates=cols.dates,
    )
    fast = columnar.events_from_columns(fields, ~cols.doubt)
    slow.events = columnar.joined(fast, slow.events)
    return slow


#: UTF-8 read as Latin-1 or Windows-1252: a lead byte's character (Â..ô) before a continuation byte's (\x80..¿ or
#: the Windows-1252 characters those bytes become).
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")


def file_dates(
    numbered: Sequence[tuple[int, Mapping[Any, Any]]],
    columns: Sequence[str],
    field_name: str,
    name: str,
    options: ReadOptions,
    inferred: list[Inference],
    *,
    unit: str = "row",
) -> DateReading:
    """The date convention of a file's ``columns``, from all its rows (reported in ``inferred`` when inferred).

    Raises
    ------
    IncidentDataError
        When the dates do not say, or contradict, which comes first (naming ``field_name``).

    """
    values = ((n, str(cells.get(c) or "")) for n, cells in numbered for c in columns)
    return dates_of(values, field_name, name, options, inferred, unit=unit)


def dates_of(
    values: Iterable[tuple[int, str]],
    field_name: str,
    name: str,
    options: ReadOptions,
    inferred: list[Inference],
    *,
    unit: str = "row",
) -> DateReading:
    """:func:`file_dates` from ``(row, text)`` pairs of the date columns, in row order."""
    try:
        dates = infer(((n, v) for n, v in values if v.strip()), order=options.order, unit=unit)
    except AmbiguousDates as exc:
        raise IncidentDataError(Rejection(name, None, field_name, "", str(exc), unit)) from exc
    if dates.note:
        inferred.append(Inference(name, None, field_name, "", dates.note, unit))
    return dates


def mojibake(rows: list[Mapping[Any, Any]], text: str, name: str) -> list[Repair]:
    """Repair cells whose UTF-8 was once decoded as Latin-1 or Windows-1252 (``autoritÃ``), in place.

    ``ftfy`` finds such text and undoes it only where the repair is unambiguous (its
    ``fix_encoding`` alone: no other change to the text). Only cells with the mark of it (a
    Latin-1 reading of a UTF-8 lead byte followed by one of a continuation byte: ``Ã`` then a no-break space)
    are shown to ftfy, and a file without any is not looked at cell by cell (ftfy's own test
    on a whole large file took seconds). Each repaired cell is reported with what the file said.
    """
    if not has_mojibake(text):
        return []
    repairs = []
    for number, cells in enumerate(rows, start=1):
        fixed = {
            k: ftfy.fix_encoding(v) for k, v in cells.items() if isinstance(v, str) and _MOJIBAKE.search(v) and badness.is_bad(v)
        }
        fixed = {k: v for k, v in fixed.items() if v != cells[k]}
        if fixed:
            rows[number - 1] = {**cells, **fixed}
            for key, value in fixed.items():
                what = f"mojibake undone (UTF-8 once read as Latin-1): {value[:80]!r}"
                repairs.append(Repair(name, number, key, cells[key], what))
    return repairs


#: The UTF-8 bytes of :data:`_MOJIBAKE`'s first character (U+00C2..U+00F4), before one of the second's.
_MOJIBAKE_BYTES = re.compile(
    rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c]"
    rb"|\xe2\x80[\x93-\xbf]|\xe2[\x81-\x83][\x80-\xbf]|\xe2\x84[\x80-\xa2])"
)


def has_mojibake(text: str, data: bytes | None = None) -> bool:
    """Whether ``text`` (whose UTF-8 is ``data``, when known) has the mark of mojibake anywhere (fast on large files)."""
    if text.isascii():
        return False
    if data is not None:
        return _MOJIBAKE_BYTES.search(data) is not None
    return _MOJIBAKE.search(text) is not None


HXL_SKIPPED = "the row after the header is HXL hashtags: metadata, skipped (not a data row)"


def _is_hxl(cells: Mapping[Any, Any]) -> bool:
    """Whether a row is HXL hashtags (``#date+start``, ``#geo+lat``): every filled cell one."""
    values = [str(v).strip() for k, v in cells.items() if k is not None and isinstance(v, str) and v.strip()]
    return bool(values) and all(v.startswith("#") and " " not in v for v in values)


def _merge_per_actor(
    numbered: list[tuple[int, Mapping[Any, Any]]], key: str, actor_columns: tuple[str, ...], actor_names: tuple[str, ...]
) -> tuple[list[tuple[int, Mapping[Any, Any]]], list[tuple[int, int, str]]]:
    """Rows sharing ``key`` and equal outside ``actor_columns`` as one row with every group.

    The groups in the later rows' ``actor_names`` are added to the first row's last one (a ``;``
    list, in row order). Rows that share the key but differ elsewhere, or not at all, are left as
    they are (the loader rejects the later ones as duplicates). Returns the rows, and ``(row, into, why)``
    for each row merged.
    """
    last = actor_names[-1]
    first_of: dict[str, int] = {}
    out: list[tuple[int, Mapping[Any, Any]]] = []
    originals: list[Mapping[Any, Any]] = []
    merges: list[tuple[int, int, str]] = []
    for number, cells in numbered:
        ident = str(cells.get(key) or "").strip()
        at = first_of.get(ident) if ident else None
        if at is not None and _same_outside(cells, originals[at], actor_columns) and cells != originals[at]:
            into, kept = out[at]
            names = [str(kept.get(last) or "").strip(), *(str(cells.get(c) or "").strip() for c in actor_names)]
            out[at] = (into, {**kept, last: "; ".join(v for v in names if v)})
            merges.append((number, into, "the same event written once per actor; its groups were added"))
            continue
        if ident and ident not in first_of:
            first_of[ident] = len(out)
        out.append((number, cells))
        originals.append(cells)
    return out, merges


def _same_outside(a: Mapping[Any, Any], b: Mapping[Any, Any], columns: tuple[str, ...]) -> bool:
    return all(a.get(c) == b.get(c) for c in set(a) | set(b) if c not in columns)
