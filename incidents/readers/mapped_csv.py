"""A CSV table in no known layout, read through its column mapping (:mod:`incidents.readers.mapped`).

Large tables are read by columns (:mod:`incidents.readers._columnar`): the mapping's cell rules
run once per distinct value, and every row they cannot vouch for (a placement by name, a
problem, a repair) is read by :func:`incidents.readers.mapped.parse_row`, so the result is the
row reader's to the word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from incidents.model.actors import ActorTable, actor_table
from incidents.model.errors import Inference, Repair
from incidents.model.pauses import no_cycle_collection
from incidents.model.schema import DATE_PRECISIONS, GEO_PRECISIONS
from incidents.model.validate import FieldError, parse_choice, parse_count, parse_url, split_list
from incidents.readers import _columnar as columnar
from incidents.readers._columnar import STR, Columns
from incidents.readers._csvfile import csv_reader, dates_of, has_mojibake, mojibake
from incidents.readers._format import Format
from incidents.readers._rows import AS_WRITTEN, ReadOptions, ReadResult, numbered_rows, read_numbered, utf8_of
from incidents.readers.mapped import UNKNOWN, mapped_report, mapping_for, parse_row, parts_span, precision_of, read_through


def read_mapped(
    text: str, *, name: str, dataset: str, repaired: Sequence[Repair] = (), options: ReadOptions = AS_WRITTEN
) -> ReadResult:
    """Read a table in no known layout through a mapping: the one suggested, with ``options.columns`` over it.

    Raises
    ------
    IncidentDataError
        When the mapping names a column the header lacks, or cannot place and date an event
        (naming what is missing, and how to say it), or the dates do not say how to read them.

    """
    header, reader, inferred = csv_reader(text, name=name, required=(), what="a table")
    mapping, how = mapping_for(header, options, name)
    data = utf8_of(text)
    table = None if has_mojibake(text, data) else columnar.split(text, header, data)
    if table is not None:
        with no_cycle_collection():  # a million rows make millions of objects, none in a cycle
            return _read_columns(Columns(table, header), name, dataset, mapping, options, [*inferred, how], repaired)
    rows = [cells for _, cells in numbered_rows(reader, name)]
    repaired = [*repaired, *mojibake(rows, text, name)]
    return read_through(list(enumerate(rows, start=1)), name, dataset, mapping, options, [*inferred, how], repaired)


def _read_columns(
    cols: Columns,
    name: str,
    dataset: str,
    mapping: Mapping[str, str],
    options: ReadOptions,
    inferred: list[Inference],
    repaired: Sequence[Repair],
) -> ReadResult:
    if "date" in mapping:
        columns = [mapping[c] for c in ("date", "date_end") if c in mapping]
        cols.dates = dates_of(cols.in_order(columns), mapping["date"], name, options, inferred)
    actors, stem = actor_table(), Path(name).stem or name
    fields, unknown = _parse_columns(cols, mapping, dataset, stem, actors)
    placements: list[Inference] = []
    uncounted: dict[str, int] = {}  # the words for not known are counted over every row by the column parser
    slow = read_numbered(
        cols.doubtful_rows(),
        cols.n,
        name,
        lambda check: parse_row(check, mapping, dataset, stem, actors, uncounted, placements),
        repaired=repaired,
        inferred=inferred,
        dates=cols.dates,
    )
    slow.events = columnar.joined(columnar.events_from_columns(fields, ~cols.doubt), slow.events)
    return mapped_report(slow, mapping, unknown, placements, name, "row")


def _parse_columns(
    cols: Columns, m: Mapping[str, str], dataset: str, stem: str, actors: ActorTable
) -> tuple[dict[str, Any], dict[str, int]]:
    """:func:`incidents.readers.mapped.parse_row` over whole columns, and the words for not known counted over every row."""
    n = cols.n
    if "event_id" in m:
        ids = cols.stripped(m["event_id"], required=True)
    else:
        ids = pc.binary_join_element_wise(f"{stem}-", pa.array(np.arange(1, n + 1)).cast(pa.string()), "")
    dates = cols.dates

    def spanned(text: str, end_text: str = "") -> tuple[date, date, str]:
        day = dates.parse(text)
        end = dates.parse(end_text) if end_text.strip() else day
        if end < day:
            raise FieldError("the end date is before the start")
        return day, end, precision_of(day, end)

    given = [f for f in ("year", "month", "day") if f in m]

    def parts(*cells: str) -> tuple[date, date, str]:
        by_field = dict(zip(given, cells))
        try:
            return parts_span(*(by_field.get(f, "") for f in ("year", "month", "day")))
        except ValueError as exc:
            raise FieldError(str(exc)) from exc

    kinds = ["datetime64[s]", "datetime64[s]", DATE_PRECISIONS]
    if "date" in m:
        spans = cols.rule([m[f] for f in ("date", "date_end") if f in m], spanned, width=3, kind=kinds)
    else:
        spans = cols.rule([m[f] for f in given], parts, width=3, kind=kinds)
    if "latitude" in m and "longitude" in m:
        cols.doubt |= cols.blank(m["latitude"]) | cols.blank(m["longitude"])
        lat, lon = cols.point(m["latitude"], m["longitude"])
    else:  # every row is placed by its names: the row parser's work
        cols.doubt[:] = True
        lat = lon = np.full(n, np.nan)
    if "geo_precision" in m:
        precision = cols.rule(
            (m["geo_precision"],), lambda t: parse_choice(t, GEO_PRECISIONS) if t.strip() else "exact", kind=GEO_PRECISIONS
        )
    else:
        precision = columnar.constant_category("exact", GEO_PRECISIONS, n)
    fatalities, unknown = _counts(cols, m.get("fatalities"))
    return {
        "event_id": ids,
        "dataset": dataset,
        "date_start": spans[0],
        "date_end": spans[1],
        "date_precision": spans[2],
        "event_type": cols.rule((m["event_type"],), lambda t: t.strip() or "unspecified", kind=STR)
        if "event_type" in m
        else "unspecified",
        "actors": cols.rule((m["actors"],), lambda t: tuple(dict.fromkeys(actors.canonical(a) for a in split_list(t))))
        if "actors" in m
        else columnar.constant_tuple(n),
        "location": cols.stripped(m["location"]) if "location" in m else "",
        "lon": lon,
        "lat": lat,
        "geo_precision": precision,
        "fatalities": fatalities,
        "excerpt": cols.column(m["excerpt"]) if "excerpt" in m else "",
        "source_id": stem,
        "source_title": stem,
        "source_url": cols.rule((m["source_url"],), parse_url, kind=STR) if "source_url" in m else None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }, unknown


def _counts(cols: Columns, key: str | None) -> tuple[np.ndarray | None, dict[str, int]]:
    """A count column (``nan`` where not stated), and each word for not known with how many rows use it."""
    if key is None:
        return None, {}

    def count(text: str) -> float:
        value = parse_count(None if text.strip().lower() in UNKNOWN else text)
        return np.nan if value is None else float(value)

    values = cols.rule((key,), count, kind=float)
    codes, distinct = cols.distinct(key)
    per_value = np.bincount(codes, minlength=len(distinct))
    unknown: dict[str, int] = {}
    for i, text in enumerate(distinct):  # in order of first use, as the row reader meets them
        word = text.strip()
        if word.lower() in UNKNOWN:
            unknown[f"{key}: {word}"] = unknown.get(f"{key}: {word}", 0) + int(per_value[i])
    return values, unknown


#: Tables in no known layout, read through a column mapping: never detected, but the CSV that no other
#: format takes is tried this way (and ``--columns`` asks for it).
FORMAT = Format(
    "mapped", "Any table (columns mapped by name or as given)", lambda s: False, read_text=read_mapped, detected=False
)
