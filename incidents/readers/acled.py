"""Reader for ACLED export CSV files, current (2023 onwards) and older layouts.

The current export has 31 columns (``event_id_cnty``, ``event_date``, ``year``,
``time_precision``, ``disorder_type``, ``event_type``, ``sub_event_type``, ``actor1``,
``assoc_actor_1``, ``inter1``, ``actor2``, ``assoc_actor_2``, ``inter2``, ``interaction``,
``civilian_targeting``, ``iso``, ``region``, ``country``, ``admin1``, ``admin2``, ``admin3``,
``location``, ``latitude``, ``longitude``, ``geo_precision``, ``source``, ``source_scale``,
``notes``, ``fatalities``, ``tags``, ``timestamp``). Exports before March 2023 also carry
``data_id``, ``event_id_no_cnty`` and ``iso3`` and lack ``disorder_type``,
``civilian_targeting`` and ``tags``; both are read, and header names are matched in any case.

Codes are mapped onto the event model so that precision is never overstated:

``time_precision``
    1 the day is known -> ``day``; 2 only the week is known -> ``week``, and the event may have
    happened from three days before to three days after ``event_date``; 3 only the month is
    known -> ``month``, covering the calendar month of ``event_date``. ``event_date`` itself is
    kept as the event's best single day (``date_best``).
``geo_precision``
    1 the named town or site -> ``exact``; 2 near a town, or part of a region, placed at the
    nearest town -> ``near``; 3 only a larger region is known, placed at its main town ->
    ``province`` (the point stands for the region, not a site).

``event_date`` may be written in any shape :mod:`incidents.model.dates` reads (ISO, ``15 March
2023``, ``9-May-20`` from a spreadsheet, day- or month-first numbers), one convention per file.

Variants read: the 2015-era Asia layout names associated actors ``ALLY_ACTOR_1``/``_2`` (read
as ``assoc_actor_1``/``_2``, reported); ``inter1``/``inter2`` may be numeric codes or names
(neither is part of the event model); the "long" shape writes an event once per actor (rows
sharing ``event_id_cnty`` and equal outside the actor columns), merged into one event with all
its groups and reported.

``event_type`` is ``event_type: sub_event_type``. The groups are ``actor1``, ``assoc_actor_1``,
``actor2`` and ``assoc_actor_2`` (associated actors are ``;``-separated lists). The excerpt is the
row's ``notes`` verbatim (ACLED's summary of the report); ``source`` is cited. ``country`` is used
only to repair swapped coordinates; ``admin1``/``admin2`` are derived again from the point.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pyarrow.compute as pc

from incidents.model.actors import ActorTable
from incidents.model.schema import DATE_PRECISIONS, GEO_PRECISIONS
from incidents.model.validate import parse_count, split_list
from incidents.readers._columnar import STR, Columns, code_of
from incidents.readers._csvfile import CsvLayout
from incidents.readers._format import Format, csv_text, has_header
from incidents.readers._rows import RowCheck

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "latitude",
    "longitude",
    "geo_precision",
    "notes",
)
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
GEO_PRECISION = {1: "exact", 2: "near", 3: "province"}
SOURCE_TITLE = "ACLED (Armed Conflict Location & Event Data)"


def matches(columns: set[str]) -> bool:
    """Whether a header (in any case) looks like an ACLED export."""
    return {"event_id_cnty", "event_date", "time_precision", "geo_precision", "actor1"} <= {c.strip().lower() for c in columns}


def _span(day: date, precision: str | None) -> tuple[date, date]:
    if precision == "week":
        return day - timedelta(days=3), day + timedelta(days=3)
    if precision == "month":
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return first, last
    return day, day


def _event_type(kind: str, sub: str) -> str:
    kind, sub = kind.strip(), sub.strip()
    return f"{kind}: {sub}" if kind and sub else (kind or sub or "unspecified")


def _groups(actors: ActorTable, actor1: str, assoc1: str, actor2: str, assoc2: str) -> tuple[str, ...]:
    names = [actor1, *split_list(assoc1), actor2, *split_list(assoc2)]
    return tuple(dict.fromkeys(actors.canonical(a) for a in names if a.strip()))


def _title(event_id: str, source: str) -> str:
    return f"{SOURCE_TITLE}, event {event_id}" + (f"; reported by {source}" if source else "")


def _parse_row(check: RowCheck, dataset: str, actors: ActorTable) -> dict[str, Any]:
    get, field = check.text, check.parse
    event_id = check.event_id("event_id_cnty")
    day = check.date("event_date")
    precision = check.code("time_precision", TIME_PRECISION, what="an ACLED")
    start, end = _span(day, precision) if day else (None, None)
    lat, lon = check.position("latitude", "longitude", country=get("country"))
    excerpt = get("notes")
    if not excerpt.strip():
        check.fail("notes", "", "notes are empty: every event must quote its source")
    return {
        "event_id": f"acled-{event_id}",
        "dataset": dataset,
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        "date_best": day,  # ACLED's own single day (a week's or a month's too)
        "event_type": _event_type(get("event_type"), get("sub_event_type")),
        "actors": _groups(actors, *(get(c) for c in GROUP_COLUMNS)),
        "location": get("location").strip(),
        "lon": lon,
        "lat": lat,
        "geo_precision": check.code("geo_precision", GEO_PRECISION, what="an ACLED"),
        "fatalities": field("fatalities", parse_count),
        "excerpt": excerpt,
        "source_id": "acled",
        "source_title": _title(event_id, get("source").strip()),
        "source_url": None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }


def _parse_columns(cols: Columns, dataset: str, actors: ActorTable) -> dict[str, Any]:
    """:func:`_parse_row` over whole columns; rows it cannot vouch for are left in doubt."""

    def dated(text: str, code: str) -> tuple[date, date, str, date]:
        precision = code_of(code, TIME_PRECISION)
        day = cols.dates.parse(text)
        return (*_span(day, precision), precision, day)

    ids = cols.stripped("event_id_cnty", required=True)
    kinds = ["datetime64[s]", "datetime64[s]", DATE_PRECISIONS, "datetime64[s]"]
    spans = cols.rule(("event_date", "time_precision"), dated, width=4, kind=kinds)
    lat, lon = cols.point("latitude", "longitude")
    cols.doubt |= cols.blank("notes")
    reported = cols.rule(("source",), lambda s: f"; reported by {s.strip()}" if s.strip() else "", kind=STR)
    return {
        "event_id": pc.binary_join_element_wise("acled-", ids, ""),
        "dataset": dataset,
        "date_start": spans[0],
        "date_end": spans[1],
        "date_precision": spans[2],
        "date_best": spans[3],
        "event_type": cols.rule(("event_type", "sub_event_type"), _event_type, kind=STR),
        "actors": cols.rule(GROUP_COLUMNS, lambda *names: _groups(actors, *names)),
        "location": cols.stripped("location"),
        "lon": lon,
        "lat": lat,
        "geo_precision": cols.rule(("geo_precision",), lambda code: code_of(code, GEO_PRECISION), kind=GEO_PRECISIONS),
        "fatalities": cols.rule(("fatalities",), parse_count, kind=float),
        "excerpt": cols.column("notes"),
        "source_id": "acled",
        "source_title": pc.binary_join_element_wise(f"{SOURCE_TITLE}, event ", ids, reported, ""),
        "source_url": None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }


#: The columns whose groups an event has, in order.
GROUP_COLUMNS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")
#: Other names of ACLED's columns: the 2015-era Asia layout's allies are the associated actors.
ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
#: The columns that differ between the rows of one event in ACLED's "long" shape (one row per actor).
ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction")

LAYOUT = CsvLayout(
    REQUIRED,
    "an ACLED export",
    _parse_row,
    lower=True,
    dates=("event_date",),
    aliases=ALIASES,
    key="event_id_cnty",
    actor_columns=ACTOR_COLUMNS,
    actor_names=GROUP_COLUMNS,
    parse_columns=_parse_columns,
)


#: ACLED exports, detected by their columns.
FORMAT = Format("acled", "ACLED export CSV", has_header(matches), read_text=csv_text(LAYOUT))
