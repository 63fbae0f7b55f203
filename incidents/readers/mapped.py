"""Any table with a date and a position: its columns mapped onto the event model, by name or as the user says.

When a CSV matches no known layout, :func:`suggest` maps its columns by their names
(``lat``/``latitude``/``y``, ``lon``/``lng``/``long``/``longitude``/``x``, ``date``/``event_date``
or ``iyear`` + ``imonth`` + ``iday``, and actor-, text-, place- and count-like names). The user
can override any of it (``--columns field=column,...``, or a saved profile). The mapping is
reported ("columns mapped by name: latitude ← lat, ...").

Fields a table lacks get honest defaults:

- ``geo_precision`` is ``exact`` (the table gives coordinates), unless a column gives it;
- ``event_id`` is the file's stem and the row number;
- the dates follow the file's one convention (:mod:`incidents.model.dates`); with ``iyear``/``imonth``/
  ``iday``, a month or day of 0 (GTD's "unknown") makes the event cover the year or month;
- no excerpt: such rows are accepted and shown as having no source text in this dataset;
- a count written as a word for "not known" (``Unreported``, ``unknown``, ``n/a``, ``-``) is
  read as not stated, and reported.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from incidents.geo import gazetteer
from incidents.model.actors import ActorTable, actor_table
from incidents.model.dates import UNORDERED
from incidents.model.errors import IncidentDataError, Inference, Rejection, Repair
from incidents.model.schema import GEO_PRECISIONS
from incidents.model.validate import parse_choice, parse_count, parse_url, split_list
from incidents.readers._csvfile import file_dates
from incidents.readers._rows import ReadOptions, ReadResult, RowCheck, decode_text, read_numbered

#: What a mapping may name, with the header names taken for it (compared lower-cased, with
#: spaces, dashes and dots read as ``_``), in order of preference.
NAMES: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "eventid", "event_id_cnty", "id", "uid"),
    "date": ("date", "event_date", "date_start", "start_date", "date_of_event", "incident_date", "datetime"),
    "date_end": ("date_end", "end_date"),
    "year": ("iyear", "year"),
    "month": ("imonth", "month"),
    "day": ("iday", "day"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "geo_precision": ("geo_precision",),
    "location": ("location", "city", "place", "town", "village", "locality", "where", "location_name"),
    "actors": ("actors", "actor", "actor1", "perpetrator_group", "perpetrator", "gname", "group", "groups", "organisation"),
    "event_type": ("event_type", "type", "attacktype1_txt", "attack_type", "category", "incident_type"),
    "fatalities": (
        "fatalities",
        "killed",
        "deaths",
        "nkill",
        "dead",
        "minimum_total_reported_killed",
        "total_killed",
        "best",
    ),
    "excerpt": ("excerpt", "notes", "summary", "description", "details", "text", "title", "headline"),
    "source_url": ("source_url", "url", "link", "source_link"),
    "admin2": ("admin2", "district"),
    "admin1": ("admin1", "province", "provstate", "state"),
    "country": ("country", "country_txt"),
}
FIELDS = tuple(NAMES)
#: Words a count column uses for "not known".
UNKNOWN = frozenset({"unreported", "unknown", "n/a", "na", "-", "--", "?", "not reported", "none reported"})


def _key(column: str) -> str:
    return re.sub(r"[\s\-./()]+", "_", column.strip().lower()).strip("_")


def suggest(header: Sequence[str]) -> dict[str, str]:
    """A mapping of model fields to the header's columns, by name (each column used once)."""
    by_key: dict[str, str] = {}
    for column in header:
        by_key.setdefault(_key(column), column)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for field, names in NAMES.items():
        found = next((by_key[n] for n in names if n in by_key and by_key[n] not in used), None)
        if found is not None:
            mapping[field] = found
            used.add(found)
    if "date" in mapping:  # a whole date wins over its parts
        for part in ("year", "month", "day"):
            used.discard(mapping.pop(part, ""))
    return mapping


#: Fields that name where an event was, for rows without coordinates (see :mod:`incidents.geo.gazetteer`).
PLACE_FIELDS = ("location", "admin2", "admin1", "country")


def usable(mapping: Mapping[str, str]) -> list[str]:
    """What a mapping lacks to place and date an event (empty: it can be read)."""
    missing = [] if any(f in mapping for f in PLACE_FIELDS) else [f for f in ("latitude", "longitude") if f not in mapping]
    if "date" not in mapping and "year" not in mapping:
        missing.append("date (or year)")
    return missing


def _count(check: RowCheck, key: str | None, unknown: dict[str, int]) -> int | None:
    if key is None:
        return None
    text = check.text(key).strip()
    if text.lower() in UNKNOWN:
        unknown[f"{key}: {text}"] = unknown.get(f"{key}: {text}", 0) + 1
        return None
    return check.parse(key, parse_count)  # type: ignore[no-any-return]


def parts_span(year_text: str, month_text: str, day_text: str) -> tuple[date, date, str]:
    """The span of a year with optional month and day (empty or 0: not known).

    Raises
    ------
    ValueError
        When they are not numbers of a calendar date.

    """
    year = int(year_text.strip())
    month = int(month_text.strip() or 0)
    day = int(day_text.strip() or 0)
    if month == 0:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if day == 0:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    return date(year, month, day), date(year, month, day), "day"


def _parts(check: RowCheck, m: Mapping[str, str]) -> tuple[date, date, str] | None:
    """The span of a year with optional month and day columns (0 or empty: not known)."""
    try:
        return parts_span(*(check.text(m[k]) if k in m else "" for k in ("year", "month", "day")))
    except ValueError as exc:
        check.fail(m["year"], "/".join(check.text(m[k]) for k in ("year", "month", "day") if k in m), f"not a date ({exc})")
        return None


def precision_of(start: date, end: date) -> str:
    """The precision a span of days stands for (never finer than the span)."""
    days = (end - start).days
    return "day" if days == 0 else "week" if days <= 6 else "month" if days <= 31 else "year"


def _placed(check: RowCheck, m: Mapping[str, str], placements: list[Inference]) -> tuple[float | None, float | None, str | None]:
    """A row without coordinates placed by the place names it gives (reported), or its problem recorded."""
    names = {f: check.text(m[f]) for f in PLACE_FIELDS if f in m}
    try:
        found = gazetteer.place(names)
    except gazetteer.Ambiguous as exc:
        assert exc.field is not None  # place() names the field
        check.fail(m[exc.field], names[exc.field], exc.reason)
        return None, None, None
    if found is None:
        given = {m[f]: v for f, v in names.items() if v.strip()}
        check.fail(None, given, "no coordinates, and no place name the gazetteer or the boundaries know")
        return None, None, None
    p, field_name = found
    what = f"placed at {p.name} ({p.kind}, {p.admin1 or p.country}; {p.source}): geo_precision {p.precision}"
    placements.append(Inference(check.file, check.number, m[field_name], names[field_name], what, check.unit))
    return p.lat, p.lon, p.precision


def parse_row(
    check: RowCheck,
    m: Mapping[str, str],
    dataset: str,
    stem: str,
    actors: ActorTable,
    unknown: dict[str, int],
    placements: list[Inference],
) -> dict[str, Any]:
    """One row's model fields through mapping ``m`` (problems, words for not known and placements recorded)."""
    get = check.text
    event_id = check.event_id(m["event_id"]) if "event_id" in m else f"{stem}-{check.number}"
    if "date" in m:
        day = check.date(m["date"])
        end = check.date(m["date_end"]) if "date_end" in m and get(m["date_end"]).strip() else day
        span = (day, end, precision_of(day, end)) if day and end else None
        if day and end and end < day:
            check.fail(m["date_end"], get(m["date_end"]), "the end date is before the start")
            span = None
    else:
        span = _parts(check, m)
    has_position = all(f in m and get(m[f]).strip() for f in ("latitude", "longitude"))
    precision: str | None = "exact"
    if has_position:
        lat, lon = check.position(m["latitude"], m["longitude"], country=get(m["country"]) if "country" in m else "")
    else:
        lat, lon, precision = _placed(check, m, placements)
    if "geo_precision" in m and get(m["geo_precision"]).strip():
        precision = check.parse(m["geo_precision"], lambda t: parse_choice(t, GEO_PRECISIONS))
    names = split_list(get(m["actors"])) if "actors" in m else []
    return {
        "event_id": event_id,
        "dataset": dataset,
        "date_start": span[0] if span else None,
        "date_end": span[1] if span else None,
        "date_precision": span[2] if span else None,
        "event_type": get(m["event_type"]).strip() if "event_type" in m and get(m["event_type"]).strip() else "unspecified",
        "actors": tuple(dict.fromkeys(actors.canonical(a) for a in names)),
        "location": get(m["location"]).strip() if "location" in m else "",
        "lon": lon,
        "lat": lat,
        "geo_precision": precision,
        "fatalities": _count(check, m.get("fatalities"), unknown),
        "excerpt": get(m["excerpt"]) if "excerpt" in m else "",
        "source_id": stem,
        "source_title": stem,
        "source_url": check.parse(m["source_url"], parse_url) if "source_url" in m else None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }


def mapping_for(
    header: Sequence[str],
    options: ReadOptions,
    name: str,
    *,
    position: bool = False,
    unit: tuple[str, str] = ("column", "columns"),
) -> tuple[dict[str, str], Inference]:
    """The mapping for ``header`` (by name, ``options.columns`` over it) and its report.

    ``position``: the rows have a position of their own (a GeoJSON geometry), so only a date is
    needed. ``unit``: what the header's names are, singular and plural (columns, properties).

    Raises
    ------
    IncidentDataError
        When a given column is not in the header, or the mapping cannot date (and place) an event.

    """
    given = dict(options.columns or ())
    mapping = {**suggest(header), **given}
    if "date" in given:
        for part in ("year", "month", "day"):
            mapping.pop(part, None)
    absent = [f"{f}={c}" for f, c in given.items() if c not in header]
    if absent:
        raise IncidentDataError(
            Rejection(name, None, None, ", ".join(header)[:200], f"no such {unit[0]} for {', '.join(absent)}")
        )
    missing = [m for m in usable(mapping) if not (position and m in ("latitude", "longitude"))]
    if missing:
        found = ", ".join(f"{f} ← {c}" for f, c in mapping.items()) or "nothing"
        raise IncidentDataError(
            Rejection(
                name,
                None,
                None,
                ", ".join(header)[:200],
                f"unrecognised {unit[1]}: no {unit[0]} for {', '.join(missing)} (mapped by name: {found}); "
                "name them with --columns field=column,... (fields: " + ", ".join(FIELDS) + ")",
            )
        )
    how = ", ".join(f"{f} ← {c}" for f, c in mapping.items())
    return mapping, Inference(name, None, None, "", f"{unit[1]} mapped ({'as given and ' if given else ''}by name): {how}")


#: Reads one row through a mapping: ``(check, mapping, dataset, stem, actors, unknown, placements) -> record``.
MappedRow = Callable[..., dict[str, Any]]


def read_through(
    numbered: list[tuple[int, Mapping[Any, Any]]],
    name: str,
    dataset: str,
    mapping: Mapping[str, str],
    options: ReadOptions,
    inferred: list[Inference],
    repaired: Sequence[Repair] = (),
    *,
    unit: str = "row",
    parse: MappedRow | None = None,
) -> ReadResult:
    """Read numbered rows (or features) through ``mapping``: dates in the file's one convention, every inference reported.

    ``parse`` reads one row (default: :func:`parse_row`); a GeoJSON feature adds its geometry.

    Raises
    ------
    IncidentDataError
        When the dates do not say how to read them.

    """
    dates = UNORDERED
    if "date" in mapping:
        columns = [mapping[c] for c in ("date", "date_end") if c in mapping]
        dates = file_dates(numbered, columns, mapping["date"], name, options, inferred, unit=unit)
    actors, stem = actor_table(), Path(name).stem or name
    unknown: dict[str, int] = {}
    placements: list[Inference] = []
    reader = parse or parse_row
    result = read_numbered(
        numbered,
        len(numbered),
        name,
        lambda check: reader(check, mapping, dataset, stem, actors, unknown, placements),
        unit=unit,
        repaired=repaired,
        inferred=inferred,
        dates=dates,
    )
    return mapped_report(result, mapping, unknown, placements, name, unit)


def mapped_report(
    result: ReadResult, mapping: Mapping[str, str], unknown: dict[str, int], placements: list[Inference], name: str, unit: str
) -> ReadResult:
    """Add to a mapped table's result what was inferred on the way: words for not known, placements, missing source text.

    ``unknown`` counts each ``column: word`` for not known over every row (in order of first use).
    """
    for what, n in unknown.items():
        column, _, word = what.partition(": ")
        rows = f"{n:,} {unit}" + ("" if n == 1 else "s")
        result.inferred.append(Inference(name, None, column, word, f"a word for not known, taken as not stated ({rows})", unit))
    kept = set(result.events.index.tolist())
    result.inferred += [p for p in placements if p.row in kept]  # a refused row's placement is not one
    if "excerpt" not in mapping:
        result.inferred.append(Inference(name, None, None, "", "no source text in this dataset: nothing maps to excerpt", unit))
    else:
        empty = int((result.events["excerpt"].str.strip() == "").sum())
        if empty:
            what = f"{empty:,} {unit}" + (" has" if empty == 1 else "s have") + " no source text (an empty excerpt)"
            result.inferred.append(Inference(name, None, mapping["excerpt"], "", what, unit))
    return result


def header_of(data: bytes, name: str) -> list[str]:
    """The column names of a table's bytes (its first CSV line), as the mapping sees them.

    Raises
    ------
    IncidentDataError
        When the bytes are not text (see :func:`incidents.readers._rows.decode_text`).

    """
    text, _ = decode_text(data, name)
    first = next(csv.reader(io.StringIO(text[:65536], newline="")), [])
    return [h.strip() for h in first if h.strip()]
