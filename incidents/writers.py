"""Writing events out, in formats the readers read back: the project CSV, GeoJSON (RFC 7946), GeoParquet.

A written file re-imports to the same events: the project CSV and GeoJSON carry every model
field that is not derived (``admin1``, ``admin2``, ``regions`` and ``dataset`` are derived again
on reading), with dates as ``YYYY-MM-DD`` and ``date_precision`` stated.

A citations file (``*.citations.csv``) lists, per event, its source and the excerpt it was coded
from with its offsets in the stored document: what a footnote needs. Text is written verbatim,
as everywhere: a spreadsheet should open these files with every column as text.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import orjson

from incidents.acled_layout import write_acled_csv
from incidents.model.records import record_columns
from incidents.model.schema import conform
from incidents.readers import project_csv

#: The project CSV's columns, as written: the reader's own, less ``country`` (used only to repair swaps).
CSV_COLUMNS: tuple[str, ...] = tuple(c for c in (*project_csv.REQUIRED, *project_csv.OPTIONAL) if c != "country")
#: Suffix -> the format written.
FORMATS = {
    ".csv": "project CSV",
    ".geojson": "GeoJSON",
    ".parquet": "GeoParquet",
    ".citations.csv": "citations",
    ".acled.csv": "ACLED-style CSV",
}
#: The citations file's columns.
CITATION_COLUMNS: tuple[str, ...] = (
    "event_id",
    "dataset",
    "date_start",
    "date_end",
    "date_precision",
    "date_best",
    "location",
    "geo_precision",
    "source_id",
    "source_title",
    "source_url",
    "excerpt",
    "excerpt_start",
    "excerpt_end",
)


def write_events(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write a model frame as GeoParquet (LZ4: four times faster to read than zstd, 60% larger)."""
    out = conform(events).copy()
    for name in ("actors", "regions"):
        out[name] = [list(v) for v in out[name]]
    for name in ("date_start", "date_end", "date_best"):
        out[name] = out[name].dt.date
    for name in ("date_precision", "geo_precision", "reliability"):
        out[name] = out[name].astype(str)
    out = out.reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_parquet(path, compression="lz4", index=False, geometry_encoding="WKB")
    return path


def _text(values: list[Any]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _csv_columns(events: gpd.GeoDataFrame, columns: Sequence[str]) -> list[list[str]]:
    """The cells of ``columns`` as the CSV writes them, column by column (the position as ``repr``, groups joined)."""
    fields = ["lat" if c == "latitude" else "lon" if c == "longitude" else c for c in columns]
    values = record_columns(events, fields)
    out = []
    for c, f in zip(columns, fields):
        if c in ("latitude", "longitude"):
            out.append([repr(v) for v in values[f]])
        elif c == "actors":
            out.append(["; ".join(a) for a in values[f]])
        else:
            out.append(_text(values[f]))
    return out


def _write_csv(events: gpd.GeoDataFrame, path: Path, columns: Sequence[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(zip(*_csv_columns(events, columns)))
    return path


def write_project_csv(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` as the project CSV (UTF-8, a header, one row per event)."""
    return _write_csv(events, path, CSV_COLUMNS)


def geojson_collection(events: gpd.GeoDataFrame) -> dict[str, Any]:
    """``events`` as an RFC 7946 FeatureCollection: a Point per event, the project CSV's fields as properties."""
    names = [c for c in CSV_COLUMNS if c not in ("latitude", "longitude")]
    values = record_columns(events, [*names, "lon", "lat"])
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": dict(zip(names, props))}
        for lon, lat, *props in zip(values["lon"], values["lat"], *(values[c] for c in names))
    ]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` as a GeoJSON FeatureCollection (WGS 84, no ``crs`` member; UTF-8, text as it is)."""
    path.write_bytes(orjson.dumps(geojson_collection(events)))
    return path


def write_citations(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write each event's source and excerpt, with the excerpt's offsets in its stored document (CSV)."""
    return _write_csv(events, path, CITATION_COLUMNS)


def format_of(name: str) -> str:
    """The suffix of :data:`FORMATS` that the file name ``name`` ends with.

    Raises
    ------
    ValueError
        For a name that ends with none.

    """
    lowered = name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if lowered.endswith(suffix):
            return suffix
    raise ValueError(f"{name}: expected a .csv, .geojson, .parquet, .citations.csv or .acled.csv file name")


def write(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` in the format ``path``'s name ends with (see :data:`FORMATS`).

    Raises
    ------
    ValueError
        For a name that names no format.

    """
    suffix = format_of(path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = {
        ".csv": write_project_csv,
        ".geojson": write_geojson,
        ".parquet": write_events,
        ".citations.csv": write_citations,
        ".acled.csv": write_acled_csv,
    }[suffix]
    return writer(events, path)


def encode(events: gpd.GeoDataFrame, name: str) -> bytes:
    """The bytes of the file ``name`` (its format from its suffix) holding ``events``: for a download."""
    with tempfile.TemporaryDirectory() as tmp:
        return write(events, Path(tmp) / Path(name).name).read_bytes()
