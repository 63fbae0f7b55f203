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
from incidents.schema import ADMIN1_PRECISIONS, ADMIN2_PRECISIONS, GEO_PRECISIONS

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


def _join_names(x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """For each point ``(x, y)``, the ``name`` of the polygon containing it (or the nearest within reach).

    Each polygon is tested only against the points inside its bounding box (found by binary
    search on the points sorted by x), with a prepared geometry: about ten times faster than a
    tree query on a million points. Where polygons overlap (slivers between neighbours) the
    first one in the layer wins.
    """
    result = np.full(len(x), None, dtype=object)
    if len(x) == 0:
        return result
    order = np.argsort(x, kind="stable")
    xs = x[order]
    names = polygons["name"].to_numpy()
    geoms = polygons.geometry.values
    for g in range(len(geoms) - 1, -1, -1):  # reversed: earlier polygons overwrite later ones
        geom = geoms[g]
        xmin, ymin, xmax, ymax = geom.bounds
        lo, hi = np.searchsorted(xs, [xmin, xmax], side="left")[0], np.searchsorted(xs, xmax, side="right")
        candidates = order[lo:hi]
        cy = y[candidates]
        candidates = candidates[(cy >= ymin) & (cy <= ymax)]
        if len(candidates):
            shapely.prepare(geom)
            result[candidates[shapely.contains_xy(geom, x[candidates], y[candidates])]] = names[g]
    xmin, ymin, xmax, ymax = polygons.total_bounds
    reach = NEAREST_MAX_DEG
    missing = np.flatnonzero(
        pd.isna(result) & (x >= xmin - reach) & (x <= xmax + reach) & (y >= ymin - reach) & (y <= ymax + reach)
    )
    if len(missing):
        tree = shapely.STRtree(geoms)
        near_p, near_g = tree.query_nearest(shapely.points(x[missing], y[missing]), max_distance=reach, all_matches=False)
        result[missing[near_p]] = names[near_g]
    return result


def assign_admin(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill ``admin1``, ``admin2`` and ``regions`` by spatial join against ``data/geo/``.

    A point only gets an admin unit its precision supports: ``admin2`` (Pakistani district) when
    ``geo_precision`` is exact, near or district; ``admin1`` when province or finer. Coarser
    events get neither, so a province-level event is never counted in a district.
    """
    events = events.copy(deep=False)  # columns are replaced, never changed in place
    precision = pd.Categorical(events["geo_precision"], categories=GEO_PRECISIONS)
    x, y = events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
    admin1 = np.full(len(events), None, dtype=object)
    admin2 = np.full(len(events), None, dtype=object)
    rows1 = np.flatnonzero(_is_one_of(precision, ADMIN1_PRECISIONS))
    admin1[rows1] = _join_names(x[rows1], y[rows1], _admin1_layer())
    # districts are Pakistani: only points not placed in another country's admin1 are joined
    in_pakistan = pd.isna(admin1) | np.isin(admin1, boundary_layer("pak_provinces")["name"].to_numpy())
    rows2 = np.flatnonzero(_is_one_of(precision, ADMIN2_PRECISIONS) & in_pakistan)
    admin2[rows2] = _join_names(x[rows2], y[rows2], boundary_layer("pak_districts"))
    events["admin1"] = admin1
    events["admin2"] = admin2

    regions_layer = boundary_layer("regions").set_index("name")
    in_region = {}
    for region, precisions in _REGION_POINT_PRECISIONS.items():
        inside = shapely.contains_xy(regions_layer.geometry[region], x, y)
        in_region[region] = inside & _is_one_of(precision, precisions)
    in_region["Balochistan"] = admin1 == "Balochistan"
    in_region["Mastung"] = admin2 == "Mastung"
    in_region["Khuzdar"] = admin2 == "Khuzdar"
    # one code per row (a bit per region), then one shared tuple per distinct code
    bits = np.zeros(len(events), dtype=np.int64)
    for i, r in enumerate(REGION_NAMES):
        bits |= in_region[r].astype(np.int64) << i
    table = np.empty(1 << len(REGION_NAMES), dtype=object)
    table[:] = [tuple(r for i, r in enumerate(REGION_NAMES) if code >> i & 1) for code in range(len(table))]
    events["regions"] = table[bits]
    return events


def _is_one_of(precision: pd.Categorical, allowed: frozenset[str]) -> np.ndarray:
    codes = [i for i, p in enumerate(precision.categories) if p in allowed]
    return np.isin(precision.codes, codes)


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
