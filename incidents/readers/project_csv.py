"""Reader for the project CSV, the plain event CSV (the dossier's events are stored in it).

Columns (header names, any order; ``*`` = required):

====================  =========================================================================
``event_id`` *        unique id
``date_start`` *      ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a month or year alone covers all of it
``date_end``          same forms; defaults to the end of ``date_start``
``date_precision``    day/week/month/year; defaults to what the date forms say
``date_best``         the single most likely day, ``YYYY-MM-DD`` inside the span; defaults to its middle
``event_type``        free text; defaults to ``unspecified``
``actors``            group names separated by ``;`` (aliases are mapped to canonical names)
``location``          place as the source names it
``latitude`` *        WGS 84 decimal degrees
``longitude`` *       WGS 84 decimal degrees
``geo_precision`` *   exact/near/district/province/region/country
``fatalities``        whole number or empty
``fatalities_low``    low estimate where the source gives a range (whole number or empty)
``fatalities_high``   high estimate (whole number or empty)
``injured``           people injured (whole number or empty)
``detained``          people detained, arrested or captured (whole number or empty)
``excerpt`` *         the source's words, verbatim
``source_id``         a stored document's id (then offsets are checked) or any source label
``source_title``      citation; taken from the stored document when ``source_id`` names one
``source_url``        http/https only
``excerpt_start``     offset into the stored document
``excerpt_end``       end offset (exclusive)
``coding_note``       how the coder read the text
``reliability``       the source's reliability, A to F (Admiralty); default F, not graded
``credibility``       the event's credibility, 1 to 6 (Admiralty); default 6, not graded
``country``           country name or ISO code; only used to repair swapped coordinates
====================  =========================================================================

This is also the plain CSV for analysts' own files: the six starred columns are the minimal set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from incidents.model.actors import ActorTable
from incidents.model.documents import Document, offsets_without_document, quote_problem, stored_document
from incidents.model.grades import parse_credibility, parse_reliability
from incidents.model.schema import DATE_PRECISIONS, GEO_PRECISIONS
from incidents.model.validate import (
    FieldError,
    parse_choice,
    parse_count,
    parse_date_bounds,
    parse_url,
    split_list,
)
from incidents.readers._columnar import STR, Columns
from incidents.readers._csvfile import CsvLayout
from incidents.readers._format import Format, csv_text, has_header
from incidents.readers._rows import RowCheck

REQUIRED = ("event_id", "date_start", "latitude", "longitude", "geo_precision", "excerpt")
OPTIONAL = (
    "date_end",
    "date_precision",
    "date_best",
    "event_type",
    "actors",
    "location",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "injured",
    "detained",
    "source_id",
    "source_title",
    "source_url",
    "excerpt_start",
    "excerpt_end",
    "coding_note",
    "reliability",
    "credibility",
    "country",
)


def matches(columns: set[str]) -> bool:
    """Whether a header looks like this format."""
    return set(REQUIRED) <= columns


def parse_row(
    check: RowCheck,
    dataset: str,
    actors: ActorTable,
    *,
    position: Callable[[RowCheck], tuple[float | None, float | None]] | None = None,
    documents: Callable[[object], Document | None] = stored_document,
) -> dict[str, Any]:
    """One row of this format as model fields (problems recorded on ``check``).

    ``position`` reads the row's latitude and longitude (default: the two columns); the GeoJSON
    reader passes one that reads the feature's geometry. ``documents`` finds the stored document
    a ``source_id`` names (default: the shipped ones; the store adds its own).
    """
    get, field = check.text, check.parse
    event_id = check.event_id("event_id")
    start = field("date_start", parse_date_bounds)
    end = field("date_end", parse_date_bounds) if get("date_end").strip() else start
    precision = None
    if get("date_precision").strip():
        precision = field("date_precision", lambda t: parse_choice(t, DATE_PRECISIONS))
    elif start and end:
        precision = _span_precision(start, end)
    if start and end and end[1] < start[0]:
        check.fail("date_end", get("date_end"), "date_end is before date_start")
    best = field("date_best", lambda t: _best(t, start[0], end[1])) if start and end and get("date_best").strip() else None
    if position is None:
        lat, lon = check.position("latitude", "longitude", country=get("country"))
    else:
        lat, lon = position(check)
    geo_precision = field("geo_precision", lambda t: parse_choice(t, GEO_PRECISIONS))
    fatalities = field("fatalities", parse_count)
    low, high = field("fatalities_low", parse_count), field("fatalities_high", parse_count)
    url = field("source_url", parse_url)
    excerpt = get("excerpt")
    if not excerpt.strip():
        check.fail("excerpt", "", "excerpt is empty: every event must quote its source")
    source_id = get("source_id").strip() or check.file
    source_title = get("source_title").strip() or source_id
    offsets = (get("excerpt_start").strip(), get("excerpt_end").strip())
    start_off = end_off = None
    doc = documents(source_id)
    if doc is not None:
        source_title = doc.citation()
        url = url or doc.url
        try:
            start_off, end_off = int(offsets[0]), int(offsets[1])
        except ValueError:
            pass  # reported by quote_problem as missing offsets
        problem = quote_problem(doc, start_off, end_off, excerpt)
        if problem:
            check.fail(problem[0], offsets if problem[0] == "excerpt_start" else excerpt, problem[1])
    elif any(offsets):
        check.fail("excerpt_start", offsets, offsets_without_document(source_id))
    return {
        "event_id": event_id,
        "dataset": dataset,
        "date_start": start[0] if start else None,
        "date_end": end[1] if end else None,
        "date_precision": precision,
        "date_best": best,
        "event_type": get("event_type").strip() or "unspecified",
        "actors": tuple(dict.fromkeys(actors.canonical(a) for a in split_list(get("actors")))),
        "location": get("location").strip(),
        "lon": lon,
        "lat": lat,
        "geo_precision": geo_precision,
        "fatalities": fatalities,
        "fatalities_low": low,
        "fatalities_high": high,
        "injured": field("injured", parse_count),
        "detained": field("detained", parse_count),
        "excerpt": excerpt,
        "source_id": source_id,
        "source_title": source_title,
        "source_url": url,
        "excerpt_start": start_off,
        "excerpt_end": end_off,
        "coding_note": get("coding_note").strip() or None,
        "reliability": field("reliability", parse_reliability) if get("reliability").strip() else None,
        "credibility": field("credibility", parse_credibility) if get("credibility").strip() else None,
    }


def _span_precision(start: tuple[Any, Any, str], end: tuple[Any, Any, str]) -> str:
    """The precision of a span whose ends are written at ``start``'s and ``end``'s (the coarser when they differ)."""
    return start[2] if start[2] == end[2] else "year"


def _best(text: str, first: date, last: date) -> date:
    """A best single day written ``YYYY-MM-DD``, inside ``first``..``last``."""
    day, _, precision = parse_date_bounds(text)
    if precision != "day":
        raise FieldError("expected one day as YYYY-MM-DD")
    if not first <= day <= last:
        raise FieldError("date_best is outside date_start..date_end")
    return day


def _dates(start_text: str, end_text: str, precision_text: str, best_text: str) -> tuple[Any, Any, str, Any]:
    """:func:`parse_row`'s dates: the span, its precision and the best day (``FieldError``: the row parser says why)."""
    start = parse_date_bounds(start_text)
    end = parse_date_bounds(end_text) if end_text.strip() else start
    if precision_text.strip():
        precision = parse_choice(precision_text, DATE_PRECISIONS)
    else:
        precision = _span_precision(start, end)
    if end[1] < start[0]:
        raise FieldError("date_end is before date_start")
    return start[0], end[1], precision, _best(best_text, start[0], end[1]) if best_text.strip() else None


def _parse_columns(cols: Columns, dataset: str, actors: ActorTable) -> dict[str, Any]:
    """:func:`parse_row` over whole columns; rows quoting a stored document (their offsets are checked) stay in doubt."""

    def source(source_id: str, title: str) -> tuple[str, str]:
        sid = source_id.strip() or cols.name
        if stored_document(sid) is not None:
            raise FieldError("quotes a stored document: the row parser checks the quote")
        return sid, title.strip() or sid

    kinds = ["datetime64[s]", "datetime64[s]", DATE_PRECISIONS, "datetime64[s]"]
    dates = ("date_start", "date_end", "date_precision", "date_best")
    start, end, precision, best = cols.rule(dates, _dates, width=4, kind=kinds)
    lat, lon = cols.point("latitude", "longitude")
    cols.doubt |= cols.blank("excerpt") | ~cols.blank("excerpt_start") | ~cols.blank("excerpt_end")
    source_id, source_title = cols.rule(("source_id", "source_title"), source, width=2, kind=STR)
    return {
        "event_id": cols.stripped("event_id", required=True),
        "dataset": dataset,
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        "date_best": best,
        "event_type": cols.rule(("event_type",), lambda t: t.strip() or "unspecified", kind=STR),
        "actors": cols.rule(("actors",), lambda t: tuple(dict.fromkeys(actors.canonical(a) for a in split_list(t)))),
        "location": cols.stripped("location"),
        "lon": lon,
        "lat": lat,
        "geo_precision": cols.rule(("geo_precision",), lambda t: parse_choice(t, GEO_PRECISIONS), kind=GEO_PRECISIONS),
        "fatalities": cols.rule(("fatalities",), parse_count, kind=float),
        "fatalities_low": cols.rule(("fatalities_low",), parse_count, kind=float),
        "fatalities_high": cols.rule(("fatalities_high",), parse_count, kind=float),
        "injured": cols.rule(("injured",), parse_count, kind=float),
        "detained": cols.rule(("detained",), parse_count, kind=float),
        "excerpt": cols.column("excerpt"),
        "source_id": source_id,
        "source_title": source_title,
        "source_url": cols.rule(("source_url",), parse_url, kind=STR),
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": cols.rule(("coding_note",), lambda t: t.strip() or None, kind=STR),
        "reliability": cols.rule(("reliability",), lambda t: parse_reliability(t) if t.strip() else None, kind=STR),
        "credibility": cols.rule(("credibility",), lambda t: parse_credibility(t) if t.strip() else None, kind=float),
    }


LAYOUT = CsvLayout(REQUIRED, "the project's event CSV", parse_row, parse_columns=_parse_columns)


#: The project's own event CSV (and plain event CSVs with its columns).
FORMAT = Format("native", "Project / plain event CSV", has_header(matches), read_text=csv_text(LAYOUT))
