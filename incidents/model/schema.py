"""The event model: one row per incident, one column table shared by every reader.

Coordinates are WGS 84 longitude/latitude (EPSG:4326). Dates are calendar dates (no time of
day). The table :data:`COLUMNS` is the single description of the model; the README's column
table is generated from it (``python -m incidents schema``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

CRS = "EPSG:4326"

#: Names a GeoJSON ``crs`` member may give for WGS 84 longitude/latitude (lower case).
_WGS84_NAMES = frozenset(
    {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326"}
)


def foreign_crs(crs: object) -> str | None:
    """The CRS a GeoJSON ``crs`` member declares when it is not WGS 84 longitude/latitude, else ``None``.

    RFC 7946 dropped the member: absent, the coordinates are WGS 84. A named CRS is returned by
    name, anything else as its JSON.
    """
    if crs is None:
        return None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = str(crs["properties"].get("name", ""))
    else:
        name = json.dumps(crs, default=str)[:200]
    return None if name.lower() in _WGS84_NAMES else name


#: How precisely an event's date is known, finest first.
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")

#: How precisely an event's place is known, finest first. ``near`` is a named settlement or a
#: point known to within about 25 km; ``district``/``province`` mean the point stands for the
#: whole administrative unit; ``region`` for a named area larger than a province (e.g. Kashmir);
#: ``country`` for a whole country.
GEO_PRECISIONS: tuple[str, ...] = ("exact", "near", "district", "province", "region", "country")

#: Reliability grades of a source, best first (the Admiralty system; see :mod:`incidents.model.grades`).
RELIABILITY_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")

#: Geo precisions at which a point may be assigned a district (admin2) and a province (admin1).
ADMIN2_PRECISIONS = frozenset({"exact", "near", "district"})
ADMIN1_PRECISIONS = frozenset({"exact", "near", "district", "province"})


@dataclass(frozen=True)
class Column:
    """One column of the event model."""

    name: str
    dtype: str
    nullable: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "str", False, "Unique id across all loaded datasets (e.g. `ucdp-133925`)."),
    Column("dataset", "str", False, "Which dataset the event came from (`dossier`, `ucdp-ged`, or the imported file's name)."),
    Column("date_start", "date", False, "First day the event may have happened on."),
    Column("date_end", "date", False, "Last day the event may have happened on (>= `date_start`)."),
    Column("date_precision", "category", False, "How precisely the date is known: " + ", ".join(DATE_PRECISIONS) + "."),
    Column(
        "date_best",
        "date",
        False,
        "The single most likely day, inside `date_start`..`date_end` (as ACLED's `event_date`): as the source gives it "
        "(ACLED's day, a reviewed report's best day), else the day at day precision and the middle of the span otherwise.",
    ),
    Column(
        "event_type", "str", False, "What happened (attack, base, meeting, alliance, publication, ...; UCDP: type of violence)."
    ),
    Column("actors", "tuple[str]", False, "Canonical group names (see `data/actors.csv`); may be empty."),
    Column("location", "str", False, "Place as the source names it."),
    Column("geometry", "Point", False, "Where the marker is drawn, EPSG:4326. For coarse precisions it stands for a whole area."),
    Column("geo_precision", "category", False, "How precisely the place is known: " + ", ".join(GEO_PRECISIONS) + "."),
    Column(
        "admin1",
        "str",
        True,
        "Province/state from a spatial join against `data/geo/` (only when `geo_precision` is province or finer).",
    ),
    Column("admin2", "str", True, "Pakistani district from a spatial join (only when `geo_precision` is district or finer)."),
    Column(
        "regions",
        "tuple[str]",
        False,
        "Analysis regions the event falls in (Balochistan, Mastung, Khuzdar, Kashmir, Afghan border zone).",
    ),
    Column("fatalities", "Int64", True, "Best estimate of deaths; empty when the source gives none."),
    Column("fatalities_low", "Int64", True, "Low estimate of deaths, where the source gives a range."),
    Column("fatalities_high", "Int64", True, "High estimate of deaths, where the source gives a range."),
    Column("injured", "Int64", True, "People injured, where the source counts them (ACLED and UCDP give none: empty)."),
    Column("detained", "Int64", True, "People detained, arrested or captured, where the source counts them; else empty."),
    Column(
        "reliability",
        "category",
        False,
        "Its source's reliability (Admiralty grade): A completely reliable .. F cannot be judged; F until graded.",
    ),
    Column(
        "credibility",
        "Int64",
        False,
        "The event's credibility (Admiralty grade): 1 confirmed by other sources .. 6 cannot be judged; 6 until graded.",
    ),
    Column("excerpt", "str", False, "The source's words the event was coded from, verbatim."),
    Column("source_id", "str", False, "Id of the source (a stored document's id, or the dataset's)."),
    Column("source_title", "str", False, "Human-readable citation of the source."),
    Column("source_url", "str", True, "Link to the source (http/https only)."),
    Column(
        "excerpt_start",
        "Int64",
        True,
        "Character offset of the excerpt in the stored document (empty when the source text is not stored).",
    ),
    Column("excerpt_end", "Int64", True, "End offset (exclusive): `document[excerpt_start:excerpt_end] == excerpt`."),
    Column("coding_note", "str", True, "How the coder read dates and places that the text leaves open."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
INT_COLUMNS = [c.name for c in COLUMNS if c.dtype == "Int64"]
_STR_NULLABLE = [c.name for c in COLUMNS if c.dtype == "str" and c.nullable]


def empty_events() -> gpd.GeoDataFrame:
    """Return an event frame with the model's columns and no rows."""
    data = {c.name: pd.Series([], dtype=object) for c in COLUMNS if c.name != "geometry"}
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    return conform(frame)


def conform(frame: gpd.GeoDataFrame, *, tuples: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Return ``frame`` with exactly the model's columns, in order, with the model's dtypes.

    ``tuples`` names list columns the caller has already filled with tuples (skips a per-row pass).
    """
    frame = frame.copy(deep=False)  # columns are replaced below, never changed in place
    for name in COLUMN_NAMES:
        if name not in frame.columns:
            frame[name] = None
    frame = frame[list(COLUMN_NAMES)]
    for name in ("date_start", "date_end", "date_best"):
        if frame[name].dtype != "datetime64[s]":
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[s]")
    missing = frame["date_best"].isna().to_numpy()
    if missing.any():  # not given: the middle of the span (the day itself at day precision)
        best = frame["date_best"].to_numpy().copy()
        best[missing] = middle_days(frame["date_start"].to_numpy()[missing], frame["date_end"].to_numpy()[missing])
        frame["date_best"] = best
    for name, categories in (
        ("date_precision", DATE_PRECISIONS),
        ("geo_precision", GEO_PRECISIONS),
        ("reliability", RELIABILITY_GRADES),
    ):
        dtype = frame[name].dtype
        if not (isinstance(dtype, pd.CategoricalDtype) and tuple(dtype.categories) == categories and not dtype.ordered):
            frame[name] = pd.Categorical(frame[name], categories=categories)
    if frame["reliability"].isna().any():  # not graded ("" or none): F, "cannot be judged"
        frame["reliability"] = frame["reliability"].fillna("F")
    for name in INT_COLUMNS:
        if frame[name].dtype != "Int64":
            frame[name] = _nullable_ints(frame[name])
    if frame["credibility"].isna().any():  # not graded: 6, "cannot be judged"
        frame["credibility"] = frame["credibility"].fillna(6)
    for name in _STR_NULLABLE:  # object arrays with None (not NaN or pd.NA) where empty
        values = frame[name].to_numpy(dtype=object)
        missing = pd.isna(values)
        if frame[name].dtype != object or missing.any():
            values = values.copy()
            values[missing] = None
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
    for name in ("actors", "regions"):
        if name not in tuples:
            frame[name] = [tuple(v) if isinstance(v, (list, tuple, np.ndarray)) else () for v in frame[name]]
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS)
    return frame


def middle_day(first: date, last: date) -> date:
    """The middle day of the span ``first``..``last``, rounded down: the best single day when no source gives one."""
    return first + (last - first) // 2


def middle_days(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The middle day of each span (``datetime64``), rounded down: the best single day when no source gives one."""
    first, last = start.astype("datetime64[D]"), end.astype("datetime64[D]")
    return (first + (last - first) // 2).astype("datetime64[s]")  # type: ignore[no-any-return]


def _nullable_ints(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    """``values`` as nullable integers, built from their numbers and a mask where that is exact (no cell by cell)."""
    array = values.to_numpy()
    if array.dtype.kind in "iu":
        return pd.arrays.IntegerArray(array.astype(np.int64), np.zeros(len(array), dtype=bool))
    missing = pd.isna(array)
    if missing.all():  # a column the frame did not have, or one left empty
        return pd.arrays.IntegerArray(np.zeros(len(array), dtype=np.int64), np.ones(len(array), dtype=bool))
    if array.dtype.kind == "f":
        whole = array[~missing]
        if np.array_equal(whole, np.trunc(whole)) and np.all(np.abs(whole) < 2.0**63):
            return pd.arrays.IntegerArray(np.where(missing, 0, array).astype(np.int64), missing)
        return pd.array(array, dtype="Int64")  # refused as pandas refuses a fraction
    cells = values.to_numpy(dtype=object).copy()
    cells[missing] = None
    ints: pd.api.extensions.ExtensionArray = pd.array(cells, dtype="Int64")
    return ints


def markdown_table() -> str:
    """The column table of the event model, as Markdown (for the README)."""
    lines = ["| column | type | nullable | meaning |", "|---|---|---|---|"]
    for c in COLUMNS:
        lines.append(f"| `{c.name}` | {c.dtype} | {'yes' if c.nullable else 'no'} | {c.description} |")
    return "\n".join(lines)
