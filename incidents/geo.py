"""Boundary layers from ``data/geo/`` and the spatial joins that place events in them.

All layers are EPSG:4326 GeoJSON with the normalised properties ``name``, ``admin_level``,
``code`` and ``kind`` (see ``data/geo/SOURCES.md``).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from incidents.errors import IncidentDataError, Rejection
from incidents.schema import ADMIN1_PRECISIONS, ADMIN2_PRECISIONS

GEO_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"

#: The layers the dashboard draws or joins against, by file stem.
LAYERS: tuple[str, ...] = (
    "countries",
    "pak_provinces",
    "pak_districts",
    "afg_provinces",
    "neighbour_admin1",
    "kashmir",
    "lines",
    "regions",
)
REQUIRED_PROPERTIES = ("name", "admin_level", "code", "kind")

#: Analysis regions offered by the region filter, in display order.
REGION_NAMES: tuple[str, ...] = ("Balochistan", "Mastung", "Khuzdar", "Kashmir", "Afghan border zone")

#: Which geo precisions may place an event in each analysis region by a point-in-polygon test.
#: Balochistan, Mastung and Khuzdar go by the admin1/admin2 join instead.
_REGION_POINT_PRECISIONS = {
    "Kashmir": frozenset({"exact", "near", "district", "province", "region"}),
    "Afghan border zone": frozenset({"exact", "near", "region"}),
}

#: Points that fall just outside the simplified polygons (coast, borders) are matched to the
#: nearest polygon within this distance, in degrees (about 5 km).
NEAREST_MAX_DEG = 0.05


def read_boundary_file(path: Path) -> gpd.GeoDataFrame:
    """Read and check one boundary file.

    Raises
    ------
    IncidentDataError
        Naming the file and each feature whose geometry is empty or invalid or that lacks a
        required property.

    """
    if not path.is_file():
        raise IncidentDataError(Rejection(path.name, None, None, "", "boundary file is missing"))
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IncidentDataError(Rejection(path.name, None, None, "", f"not valid JSON: {exc}")) from exc
    gdf = gpd.read_file(path)
    problems: list[Rejection] = []
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(Rejection(path.name, None, "crs", str(gdf.crs), "expected EPSG:4326"))
    for prop in REQUIRED_PROPERTIES:
        if prop not in gdf.columns:
            problems.append(Rejection(path.name, None, prop, "", "required property is missing"))
    for i, geom in enumerate(gdf.geometry, start=1):
        if geom is None or geom.is_empty:
            problems.append(Rejection(path.name, i, "geometry", "", "empty geometry"))
        elif not geom.is_valid:
            problems.append(Rejection(path.name, i, "geometry", shapely.is_valid_reason(geom), "invalid geometry"))
        elif geom.has_z:
            problems.append(Rejection(path.name, i, "geometry", "", "3-D coordinates; expected 2-D"))
    if "name" in gdf.columns:
        for i, name in enumerate(gdf["name"], start=1):
            if not isinstance(name, str) or not name.strip():
                problems.append(Rejection(path.name, i, "name", str(name), "feature has no name"))
    if problems:
        raise IncidentDataError(problems)
    return gdf


@cache
def boundary_layer(name: str) -> gpd.GeoDataFrame:
    """The shipped boundary layer ``data/geo/<name>.geojson`` (read and checked once).

    Do not modify the returned frame; copy it first.
    """
    if name not in LAYERS:
        raise KeyError(f"unknown boundary layer {name!r}; known: {', '.join(LAYERS)}")
    return read_boundary_file(GEO_DIR / f"{name}.geojson")


@lru_cache(maxsize=1)
def _admin1_layer() -> gpd.GeoDataFrame:
    parts = [boundary_layer(n)[["name", "geometry"]] for n in ("pak_provinces", "afg_provinces", "neighbour_admin1")]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)


def _join_names(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """For each point, the ``name`` of the polygon containing it (or the nearest within reach)."""
    result = np.full(len(points), None, dtype=object)
    if len(points) == 0:
        return result
    tree = shapely.STRtree(polygons.geometry.values)
    pts = points.values
    p_idx, g_idx = tree.query(pts, predicate="within")
    names = polygons["name"].to_numpy()
    # first match wins; order of polygons decides ties (slivers between neighbours)
    order = np.lexsort((g_idx, p_idx))
    p_idx, g_idx = p_idx[order], g_idx[order]
    first = np.unique(p_idx, return_index=True)[1]
    result[p_idx[first]] = names[g_idx[first]]
    missing = np.flatnonzero(pd.isna(result))
    if len(missing):
        near_p, near_g = tree.query_nearest(pts[missing], max_distance=NEAREST_MAX_DEG, all_matches=False)
        result[missing[near_p]] = names[near_g]
    return result


def assign_admin(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill ``admin1``, ``admin2`` and ``regions`` by spatial join against ``data/geo/``.

    A point only gets an admin unit its precision supports: ``admin2`` (Pakistani district) when
    ``geo_precision`` is exact, near or district; ``admin1`` when province or finer. Coarser
    events get neither, so a province-level event is never counted in a district.
    """
    events = events.copy()
    precision = events["geo_precision"].astype(object).to_numpy()
    geoms = events.geometry
    admin1 = _join_names(geoms, _admin1_layer())
    admin2 = _join_names(geoms, boundary_layer("pak_districts"))
    admin1[~np.isin(precision, list(ADMIN1_PRECISIONS))] = None
    admin2[~np.isin(precision, list(ADMIN2_PRECISIONS))] = None
    events["admin1"] = admin1
    events["admin2"] = admin2

    regions_layer = boundary_layer("regions").set_index("name")
    in_region = {}
    for region, precisions in _REGION_POINT_PRECISIONS.items():
        inside = shapely.contains_xy(regions_layer.geometry[region], geoms.x.to_numpy(), geoms.y.to_numpy())
        in_region[region] = inside & np.isin(precision, list(precisions))
    in_region["Balochistan"] = admin1 == "Balochistan"
    in_region["Mastung"] = admin2 == "Mastung"
    in_region["Khuzdar"] = admin2 == "Khuzdar"
    events["regions"] = [tuple(r for r in REGION_NAMES if in_region[r][i]) for i in range(len(events))]
    return events


def area_point(layer: str, name: str) -> shapely.Point:
    """A point guaranteed inside the named area, for events known only to that area.

    Uses ``representative_point`` (inside the polygon), not the centroid (which can fall
    outside a concave shape).
    """
    gdf = boundary_layer(layer)
    match = gdf[gdf["name"] == name]
    if len(match) != 1:
        raise KeyError(f"{layer}: expected one feature named {name!r}, found {len(match)}")
    return match.geometry.iloc[0].representative_point()
