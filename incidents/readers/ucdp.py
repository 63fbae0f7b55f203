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
:mod:`incidents.dates` reads, one convention per file (HDX's copies write ``1990-10-04
00:00:00.000`` and add a row of HXL hashtags, which is skipped and reported).
The excerpt is the row's ``source_article`` verbatim (UCDP publishes no source text), so the
offsets are empty.
"""

from __future__ import annotations

from typing import Any

from incidents.actors import ActorTable
from incidents.readers.csvfile import CsvLayout
from incidents.readers.rows import RowCheck
from incidents.validate import parse_count

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
        "actors": tuple(dict.fromkeys(actors.canonical(get(k)) for k in ("side_a", "side_b") if get(k).strip())),
        "location": get("where_description").strip() or get("where_coordinates").strip(),
        "lon": lon,
        "lat": lat,
        "geo_precision": check.code("where_prec", WHERE_PREC, what="a GED"),
        "fatalities": best,
        "fatalities_low": low,
        "fatalities_high": high,
        "excerpt": excerpt,
        "source_id": SOURCE_ID,
        "source_title": f"{SOURCE_TITLE}, event {get('relid') or ged_id}"
        + (f"; reported by {get('source_office')}" if get("source_office").strip() else ""),
        "source_url": None,
        "excerpt_start": None,
        "excerpt_end": None,
        "coding_note": None,
    }


#: UCDP's API names the death estimates otherwise.
ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}

LAYOUT = CsvLayout(REQUIRED, "a UCDP GED file", _parse_row, dates=("date_start", "date_end"), aliases=ALIASES)
