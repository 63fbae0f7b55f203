"""Boundary layers from ``data/geo/`` and the spatial joins that place events in them.

All layers are EPSG:4326 GeoJSON with the normalised properties ``name``, ``admin_level``,
``code`` and ``kind`` (see ``data/geo/SOURCES.md``).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from incidents.errors import IncidentDataError, Rejection, Repair, shorten
from incidents.schema import ADMIN1_PRECISIONS, ADMIN2_PRECISIONS, CRS, GEO_PRECISIONS, foreign_crs

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


def feature_collection(text: str, name: str) -> dict:
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


@lru_cache(maxsize=1)
def _admin1_layer() -> gpd.GeoDataFrame:
    parts = [boundary_layer(n)[["name", "geometry"]] for n in ("pak_provinces", "afg_provinces", "neighbour_admin1")]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)


def _subset_order(order: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Positions within ``mask``'s true rows, sorted as ``order`` (an argsort of all rows) sorts them."""
    rank = np.cumsum(mask) - 1
    return rank[order[mask[order]]]


#: Points per thread above which a join is split in two (shapely releases the GIL while testing).
PARALLEL_MIN = 50_000


def _join_parallel(x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame, order: np.ndarray) -> np.ndarray:
    """:func:`_join`, on the two halves of the points (by longitude) in two threads for large inputs."""
    if len(x) < 2 * PARALLEL_MIN or (os.cpu_count() or 1) < 2:
        return _join(x, y, polygons, order)
    shapely.prepare(polygons.geometry.values)  # once, before the threads share them
    halves = (order[: len(order) // 2], order[len(order) // 2 :])
    result = np.empty(len(x), dtype=np.int32)
    with ThreadPoolExecutor(2) as pool:
        parts = pool.map(lambda h: _join(x[h], y[h], polygons, np.arange(len(h))), halves)
        for h, part in zip(halves, parts):
            result[h] = part
    return result


def _join(x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame, order: np.ndarray | None = None) -> np.ndarray:
    """For each point ``(x, y)``, the position of the polygon containing it (or the nearest within reach), or -1.

    Each polygon is tested only against the points inside its bounding box (found by binary
    search on the points sorted by x), with a prepared geometry: about ten times faster than a
    tree query on a million points. Where polygons overlap (slivers between neighbours) the
    first one in the layer wins. ``order``, when given, is ``np.argsort(x)``.
    """
    result = np.full(len(x), -1, dtype=np.int32)
    if len(x) == 0:
        return result
    order = np.argsort(x, kind="stable") if order is None else order
    xs = x[order]
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
            result[candidates[shapely.contains_xy(geom, x[candidates], y[candidates])]] = g
    xmin, ymin, xmax, ymax = polygons.total_bounds
    reach = NEAREST_MAX_DEG
    missing = np.flatnonzero((result < 0) & (x >= xmin - reach) & (x <= xmax + reach) & (y >= ymin - reach) & (y <= ymax + reach))
    if len(missing):
        tree = shapely.STRtree(geoms)
        near_p, near_g = tree.query_nearest(shapely.points(x[missing], y[missing]), max_distance=reach, all_matches=False)
        result[missing[near_p]] = near_g
    return result


def assign_admin(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill ``admin1``, ``admin2`` and ``regions`` by spatial join against ``data/geo/``.

    A point only gets an admin unit its precision supports: ``admin2`` (Pakistani district) when
    ``geo_precision`` is exact, near or district; ``admin1`` when province or finer. Coarser
    events get neither, so a province-level event is never counted in a district.
    """
    events = events.copy(deep=False)  # columns are replaced, never changed in place
    precision = pd.Categorical(events["geo_precision"], categories=GEO_PRECISIONS)
    coords = shapely.get_coordinates(events.geometry.values)  # one (x, y) per point, in row order
    x, y = coords[:, 0].copy(), coords[:, 1].copy()
    by_x = np.argsort(x, kind="stable")  # sorted once, shared by both joins
    # each join gives a polygon position per row (-1: none); names are looked up at the end
    layer1, layer2 = _admin1_layer(), boundary_layer("pak_districts")
    names1 = np.append(layer1["name"].to_numpy(dtype=object), None)  # position -1 is None
    names2 = np.append(layer2["name"].to_numpy(dtype=object), None)
    i1 = np.full(len(events), -1, dtype=np.int32)
    i2 = np.full(len(events), -1, dtype=np.int32)
    mask1 = _is_one_of(precision, ADMIN1_PRECISIONS)
    rows1 = np.flatnonzero(mask1)
    i1[rows1] = _join_parallel(x[rows1], y[rows1], layer1, _subset_order(by_x, mask1))
    # districts are Pakistani: only points not placed in another country's admin1 are joined
    provinces = set(boundary_layer("pak_provinces")["name"])
    in_pakistan = np.array([n is None or n in provinces for n in names1], dtype=bool)[i1]
    mask2 = _is_one_of(precision, ADMIN2_PRECISIONS) & in_pakistan
    rows2 = np.flatnonzero(mask2)
    i2[rows2] = _join_parallel(x[rows2], y[rows2], layer2, _subset_order(by_x, mask2))
    events["admin1"] = pd.Series(names1[i1], index=events.index, dtype=object)
    events["admin2"] = pd.Series(names2[i2], index=events.index, dtype=object)

    regions_layer = boundary_layer("regions").set_index("name")
    in_region = {}
    for region, precisions in _REGION_POINT_PRECISIONS.items():
        geom = regions_layer.geometry[region]
        xmin, ymin, xmax, ymax = geom.bounds
        candidates = np.flatnonzero(_is_one_of(precision, precisions) & (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))
        inside = np.zeros(len(events), dtype=bool)
        shapely.prepare(geom)
        inside[candidates] = shapely.contains_xy(geom, x[candidates], y[candidates])
        in_region[region] = inside
    in_region["Balochistan"] = (names1 == "Balochistan")[i1]
    in_region["Mastung"] = (names2 == "Mastung")[i2]
    in_region["Khuzdar"] = (names2 == "Khuzdar")[i2]
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
