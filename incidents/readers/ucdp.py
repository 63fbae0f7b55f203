"""Reader for UCDP Georeferenced Event Dataset (GED) CSV files.

Codes are mapped onto the event model as the GED codebook defines them:

``where_prec`` (spatial precision)
    1 exact location -> ``exact``; 2 within about 25 km -> ``near``; 3 second-order
    administrative division -> ``district``; 4 first-order division -> ``province``;
    5 linear feature or area larger than a province -> ``region``; 6 country -> ``country``;
    7 international waters or airspace -> ``region``.
``date_prec`` (temporal precision)
    1 exact day -> ``day``; 2 a span of 2-6 days -> ``week``; 3 week known -> ``week``;
    4 a span of 8-30 days or month known -> ``month``; 5 more than a month, or year -> ``year``.
``type_of_violence``
    1 state-based conflict; 2 non-state conflict; 3 one-sided violence.

Deaths: ``best`` -> ``fatalities``, ``low``/``high`` -> ``fatalities_low``/``fatalities_high``
(``best_est``/``low_est``/``high_est`` in files from UCDP's API). Dates in any shape
:mod:`incidents.model.dates` reads, one convention per file (HDX's copies write ``1990-10-04
00:00:00.000`` and add a row of HXL hashtags, which is skipped and reported).
The excerpt is the row's ``source_article`` verbatim (UCDP publishes no source text), so the
offsets are empty.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow.compute as pc

from incidents.model.actors import ActorTable
from incidents.model.schema import DATE_PRECISIONS, GEO_PRECISIONS
from incidents.model.validate import FieldError, parse_count
from incidents.readers._columnar import STR, Columns, code_of
from incidents.readers._csvfile import CsvLayout
from incidents.readers._format import Format, csv_text, has_header
from incidents.readers._rows import RowCheck

WHERE_PREC = {1: "exact", 2: "near", 3: "district", 4: "province", 5: "region", 6: "country", 7: "region"}
DATE_PREC = {1: "day", 2: "week", 3: "week", 4: "month", 5: "year"}
TYPE_OF_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

REQUIRED = (
    "id",
    "relid",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_article",
    "where_prec",
    "where_description",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
)
SOURCE_ID = "ucdp-ged"
SOURCE_TITLE = "UCDP Georeferenced Event Dataset (GED), CC BY 4.0"


def matches(columns: set[str]) -> bool:
    """Whether a header looks like UCDP GED."""
    return {"relid", "where_prec", "date_prec", "side_a", "side_b"} <= columns


def _sides(actors: ActorTable, side_a: str, side_b: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(actors.canonical(side) for side in (side_a, side_b) if side.strip()))


def _place(description: str, coordinates: str) -> str:
    return description.strip() or coordinates.strip()


def _title(relid: str, ged_id: str, office: str) -> str:
    return f"{SOURCE_TITLE}, event {relid or ged_id.strip()}" + (f"; reported by {office}" if office.strip() else "")


def _parse_row(check: RowCheck, dataset: str, actors: ActorTable) -> dict[str, Any]:
    get, field = check.text, check.parse
    ged_id = get("id").strip()
    if not ged_id.isdigit():
        check.fail("id", ged_id, "expected the GED event id (a whole number)")
    start = check.date("date_start")
    end = check.date("date_end")
    if start and end and end < start:
        check.fail("date_end", get("date_end"), "date_end is before date_start")
    lat, lon = check.position("latitude", "longitude", country=get("country"))
    best = field("best", parse_count)
    low = field("low", parse_count)
    high = field("high", parse_count)
    excerpt = get("source_article")
    if not excerpt.strip():
        check.fail("source_article", "", "empty: every event must quote its source")
    return {
        "event_id": f"ucdp-{ged_id}",
        "dataset": dataset,
        "date_start": start,
        "date_end": end,
        "date_precision": check.code("date_prec", DATE_PREC, what="a GED"),
        "event_type": check.code("type_of_violence", TYPE_OF_VIOLENCE, what="a GED"),
        "actors": _sides(actors, get("side_a"), get("side_b")),
        "location": _place(get("where_description"), get("where_coordinates")),
        "lon": lon,
        "lat": lat,
        "geo_precision": check.code("where_prec", WHERE_PREC, what="a GED"),
        "fatalities": best,
        "fatalities_low": low,
        "fatalities_high": high,
        "excerpt": excerpt,
        "source_id": SOURCE_ID,
        "source_title": _title(get("relid"), get("id"), get("source_office")),
        "source_url": None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }


def _parse_columns(cols: Columns, dataset: str, actors: ActorTable) -> dict[str, Any]:
    """:func:`_parse_row` over whole columns; rows it cannot vouch for are left in doubt."""

    def ged(text: str) -> str:
        if not text.strip().isdigit():
            raise FieldError("not a GED id")
        return text.strip()

    def span(start_text: str, end_text: str) -> tuple[date, date]:
        start, end = cols.dates.parse(start_text), cols.dates.parse(end_text)
        if end < start:
            raise FieldError("ends before it starts")
        return start, end

    ids = cols.rule(("id",), ged, kind=STR)
    start, end = cols.rule(("date_start", "date_end"), span, width=2, kind="datetime64[s]")
    lat, lon = cols.point("latitude", "longitude")
    cols.doubt |= cols.blank("source_article")
    return {
        "event_id": pc.binary_join_element_wise("ucdp-", ids, ""),
        "dataset": dataset,
        "date_start": start,
        "date_end": end,
        "date_precision": cols.rule(("date_prec",), lambda t: code_of(t, DATE_PREC), kind=DATE_PRECISIONS),
        "event_type": cols.rule(("type_of_violence",), lambda t: code_of(t, TYPE_OF_VIOLENCE), kind=STR),
        "actors": cols.rule(("side_a", "side_b"), lambda a, b: _sides(actors, a, b)),
        "location": cols.rule(("where_description", "where_coordinates"), _place, kind=STR),
        "lon": lon,
        "lat": lat,
        "geo_precision": cols.rule(("where_prec",), lambda t: code_of(t, WHERE_PREC), kind=GEO_PRECISIONS),
        "fatalities": cols.rule(("best",), parse_count, kind=float),
        "fatalities_low": cols.rule(("low",), parse_count, kind=float),
        "fatalities_high": cols.rule(("high",), parse_count, kind=float),
        "excerpt": cols.column("source_article"),
        "source_id": SOURCE_ID,
        "source_title": cols.rule(("relid", "id", "source_office"), _title, kind=STR),
        "source_url": None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }


#: UCDP's API names the death estimates otherwise.
ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}

LAYOUT = CsvLayout(
    REQUIRED, "a UCDP GED file", _parse_row, dates=("date_start", "date_end"), aliases=ALIASES, parse_columns=_parse_columns
)


#: UCDP GED exports, detected by their columns.
FORMAT = Format("ucdp", "UCDP GED CSV", has_header(matches), read_text=csv_text(LAYOUT))
