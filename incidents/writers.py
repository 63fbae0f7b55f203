"""Writing events out, in formats the readers read back: the project CSV, GeoJSON (RFC 7946), GeoParquet.

A written file re-imports to the same events: the project CSV and GeoJSON carry every model
field that is not derived (``admin1``, ``admin2``, ``regions`` and ``dataset`` are derived again
on reading), with dates as ``YYYY-MM-DD`` and ``date_precision`` stated.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import geopandas as gpd

from incidents.readers import project_csv
from incidents.readers.geoparquet import write_events
from incidents.records import records_from_frame

#: The project CSV's columns, as written: the reader's own, less ``country`` (used only to repair swaps).
CSV_COLUMNS: tuple[str, ...] = tuple(c for c in (*project_csv.REQUIRED, *project_csv.OPTIONAL) if c != "country")
#: Suffix -> the format written.
FORMATS = {".csv": "project CSV", ".geojson": "GeoJSON", ".parquet": "GeoParquet"}


def _csv_row(record: dict[str, Any]) -> dict[str, str]:
    row = {c: record.get(c) for c in CSV_COLUMNS}
    row["latitude"], row["longitude"] = repr(record["lat"]), repr(record["lon"])
    row["actors"] = "; ".join(record["actors"])
    return {c: "" if v is None else str(v) for c, v in row.items()}


def write_project_csv(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` as the project CSV (UTF-8, a header, one row per event)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(_csv_row(r) for r in records_from_frame(events))
    return path


def geojson_collection(events: gpd.GeoDataFrame) -> dict[str, Any]:
    """``events`` as an RFC 7946 FeatureCollection: a Point per event, the project CSV's fields as properties."""
    features = []
    for r in records_from_frame(events):
        props = {c: r.get(c) for c in CSV_COLUMNS if c not in ("latitude", "longitude")}
        props["actors"] = list(r["actors"])
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]}, "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` as a GeoJSON FeatureCollection (WGS 84, no ``crs`` member)."""
    path.write_text(json.dumps(geojson_collection(events), ensure_ascii=False), encoding="utf-8")
    return path


def write(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` in the format ``path``'s suffix names (see :data:`FORMATS`).

    Raises
    ------
    ValueError
        For a suffix that names no format.

    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: expected a .csv, .geojson or .parquet file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        return write_project_csv(events, path)
    if suffix == ".geojson":
        return write_geojson(events, path)
    return write_events(events, path)
