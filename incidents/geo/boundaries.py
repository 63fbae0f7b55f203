"""Boundary layers from ``data/geo/``: reading and checking boundary files, and the shipped layers.

All layers are EPSG:4326 GeoJSON with the normalised properties ``name``, ``admin_level``,
``code`` and ``kind`` (see ``data/geo/SOURCES.md``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import shapely

from incidents.model.errors import IncidentDataError, Rejection, Repair, shorten
from incidents.model.schema import CRS, foreign_crs

GEO_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"

#: The layers the dashboard draws or joins against, by file stem.
LAYERS: tuple[str, ...] = (
    "countries",
    "pak_provinces",
    "pak_districts",
    "afg_provinces",
    "afg_districts",
    "ind_union_territories",
    "ind_districts",
    "neighbour_admin1",
    "rivers",
    "kashmir",
    "lines",
    "borders",
    "places",
    "regions",
)
REQUIRED_PROPERTIES = ("name", "admin_level", "code", "kind")


class Districts(NamedTuple):
    """A district layer, the admin1 layer whose units it divides, and their country.

    ``parent_is_admin1``: a point's admin1 is its district's ``parent``, where the two layers come
    from different surveys and their lines differ (so the two always nest).
    """

    layer: str
    units: str
    country: str
    parent_is_admin1: bool = False


#: The theatre's district layers, in order of precedence where they overlap: Indian-administered Kashmir's first
#: (its districts end at the Line of Control the map draws; the OCHA districts of Azad Kashmir and Gilgit-Baltistan
#: reach a little past it). The admin join, the areas, the gazetteer and the map's own counts all read this list.
DISTRICT_LAYERS: tuple[Districts, ...] = (
    Districts("ind_districts", "ind_union_territories", "India"),
    Districts("pak_districts", "pak_provinces", "Pakistan"),
    Districts("afg_districts", "afg_provinces", "Afghanistan", parent_is_admin1=True),  # AIMS 2014 over 2007 provinces
)


def read_boundary_file(path: Path) -> gpd.GeoDataFrame:
    """Read and check one boundary file (GeoJSON, WGS 84 longitude/latitude).

    Two problems are repaired, because the repair is unambiguous, and listed in
    ``gdf.attrs["repairs"]`` (:class:`Repair` records naming the feature): an invalid polygon is
    made valid (``make_valid``, keeping its areas), and a third coordinate is dropped.

    Raises
    ------
    IncidentDataError
        Naming the file and every problem found: not JSON, not a FeatureCollection, a CRS other
        than WGS 84, coordinates that are not degrees, and per feature (1-based) an empty or
        unrepairable geometry or a missing required property.

    """
    name = path.name
    if not path.is_file():
        raise IncidentDataError(Rejection(name, None, None, "", "boundary file is missing"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IncidentDataError(Rejection(name, None, None, "", f"not valid JSON: {shorten(exc, 120)}")) from exc
    doc = feature_collection(text, name)
    problems: list[Rejection] = []
    repairs: list[Repair] = []
    for i, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Rejection(name, i, None, str(feature)[:80], "expected a GeoJSON Feature", "feature"))
    if problems:
        raise IncidentDataError(problems)
    gdf = (
        gpd.GeoDataFrame.from_features(doc["features"], crs=CRS)
        if doc["features"]
        else gpd.GeoDataFrame({p: [] for p in REQUIRED_PROPERTIES}, geometry=gpd.GeoSeries([], crs=CRS))
    )
    for prop in REQUIRED_PROPERTIES:
        if prop not in gdf.columns:
            problems.append(Rejection(name, None, prop, "", "required property is missing from every feature"))
    geoms = list(gdf.geometry)
    for i, geom in enumerate(geoms, start=1):
        if geom is None or geom.is_empty:
            problems.append(Rejection(name, i, "geometry", "", "empty geometry", "feature"))
            continue
        bad = first_not_degrees(shapely.get_coordinates(geom))
        if bad is not None:
            problems.append(
                Rejection(name, i, "geometry", f"[{bad[0]}, {bad[1]}]", "coordinates are not degrees (projected?)", "feature")
            )
            continue
        if geom.has_z:
            geom = shapely.force_2d(geom)
            repairs.append(Repair(name, i, "geometry", "3-D coordinates", "dropped the third coordinate (height)", "feature"))
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            fixed = made_valid(geom)
            if fixed is None:
                problems.append(
                    Rejection(name, i, "geometry", reason, "invalid geometry that make_valid cannot repair", "feature")
                )
                continue
            geom = fixed
            repairs.append(Repair(name, i, "geometry", reason, "invalid geometry made valid (make_valid)", "feature"))
        geoms[i - 1] = geom
    if "name" in gdf.columns:
        for i, value in enumerate(gdf["name"], start=1):
            if not isinstance(value, str) or not value.strip():
                problems.append(Rejection(name, i, "name", str(value), "feature has no name", "feature"))
    if problems:
        raise IncidentDataError(problems)
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=CRS))
    gdf.attrs["repairs"] = repairs
    return gdf


def made_valid(geom: shapely.Geometry) -> shapely.Geometry | None:
    """``make_valid(geom)`` keeping only parts of the original's dimension (areas stay areas), or ``None``."""
    dim = shapely.get_dimensions(geom)
    parts = [g for g in shapely.get_parts(shapely.make_valid(geom)) if shapely.get_dimensions(g) == dim and not g.is_empty]
    return shapely.union_all(parts) if parts else None


def first_not_degrees(coords: np.ndarray) -> np.ndarray | None:
    """The first ``(x, y)`` of ``coords`` that is not a finite longitude/latitude in degrees, or ``None``."""
    ok = np.isfinite(coords).all(axis=1) & (np.abs(coords[:, 0]) <= 180) & (np.abs(coords[:, 1]) <= 90)
    return None if ok.all() else coords[~ok][0]


def feature_collection(text: str, name: str) -> dict[str, Any]:
    """The GeoJSON FeatureCollection in ``text`` (from file ``name``), checked to be one and in WGS 84.

    Raises
    ------
    IncidentDataError
        When the text is not JSON, not a FeatureCollection, or declares another CRS.

    """
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise IncidentDataError(Rejection(name, None, None, "", f"not valid JSON: {shorten(exc, 120)}")) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise IncidentDataError(Rejection(name, None, "type", shorten(found), "expected a GeoJSON FeatureCollection"))
    crs_name = foreign_crs(doc.get("crs"))
    if crs_name is not None:
        reason = "expected WGS 84 longitude/latitude (EPSG:4326); reproject first"
        raise IncidentDataError(Rejection(name, None, "crs", shorten(crs_name, 120), reason))
    return doc


@cache
def boundary_layer(name: str) -> gpd.GeoDataFrame:
    """The shipped boundary layer ``data/geo/<name>.geojson`` (read and checked once).

    Do not modify the returned frame; copy it first.
    """
    if name not in LAYERS:
        raise KeyError(f"unknown boundary layer {name!r}; known: {', '.join(LAYERS)}")
    return read_boundary_file(GEO_DIR / f"{name}.geojson")


def area_point(layer: str, name: str) -> shapely.Point:
    """A point guaranteed inside the named area, for events known only to that area.

    Uses ``representative_point`` (inside the polygon), not the centroid (which can fall
    outside a concave shape).
    """
    gdf = boundary_layer(layer)
    match = gdf[gdf["name"] == name]
    if len(match) != 1:
        raise KeyError(f"{layer}: expected one feature named {name!r}, found {len(match)}")
    point: shapely.Point = match.geometry.iloc[0].representative_point()
    return point
