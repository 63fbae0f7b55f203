"""Spatial joins that place events in the boundary layers: admin units and analysis regions.

A point gets only the units its precision supports (see :func:`assign_admin`), so a coarse
event is never counted in a smaller unit.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from incidents.geo.boundaries import DISTRICT_LAYERS, boundary_layer
from incidents.model.schema import ADMIN1_PRECISIONS, ADMIN2_PRECISIONS, GEO_PRECISIONS

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


#: The admin1 layers, in order of precedence: Indian-administered Kashmir's union territories come first,
#: so that along the Line of Control a point takes the unit of the side that administers it (their
#: polygons end at the Kashmir parts the map draws; Pakistan's coarser provinces reach past them).
ADMIN1_LAYERS: tuple[str, ...] = ("ind_union_territories", "pak_provinces", "afg_provinces", "neighbour_admin1")


@lru_cache(maxsize=1)
def _admin1_layer() -> gpd.GeoDataFrame:
    parts = [boundary_layer(n)[["name", "geometry"]] for n in ADMIN1_LAYERS]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)


def _subset_order(order: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Positions within ``mask``'s true rows, sorted as ``order`` (an argsort of all rows) sorts them."""
    rank = np.cumsum(mask) - 1
    return np.asarray(rank[order[mask[order]]])


#: Points per thread above which a join is split in two (shapely releases the GIL while testing).
PARALLEL_MIN = 5_000


def _join_parallel(
    x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame, order: np.ndarray, *, nearest: bool = True, edges: bool = False
) -> np.ndarray:
    """:func:`_join`, on the two halves of the points (by longitude) in two threads for large inputs.

    Each call, and each thread, tests against geometries of its own: a prepared geometry builds its index on first
    use, and GEOS does not guard that against two threads (sharing the layers' geometries between the two halves,
    or between two sessions of the app, can corrupt memory: seen once as a crash). A copy takes milliseconds.
    """
    wkb = shapely.to_wkb(polygons.geometry.values)  # the same coordinates, exactly
    if len(x) < 2 * PARALLEL_MIN or (os.cpu_count() or 1) < 2:
        return _join(x, y, polygons, order, nearest=nearest, edges=edges, geoms=shapely.from_wkb(wkb))
    halves = (order[: len(order) // 2], order[len(order) // 2 :])
    result = np.empty(len(x), dtype=np.int32)

    def half(h: np.ndarray) -> np.ndarray:
        own = shapely.from_wkb(wkb)
        return _join(x[h], y[h], polygons, np.arange(len(h)), nearest=nearest, edges=edges, geoms=own)

    with ThreadPoolExecutor(2) as pool:
        parts = pool.map(half, halves)
        for h, part in zip(halves, parts):
            result[h] = part
    return result


#: Positions looked at to judge whether they repeat (the first ones), and the share of distinct ones below which
#: work per position (not per event) pays: real exports place many events at one town's coordinates.
REPEAT_SAMPLE, REPEAT_SHARE = 50_000, 0.5


def distinct_positions(x: np.ndarray, y: np.ndarray, *, key: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """The first row of each distinct position (with ``key``, if given), and each row's index into them.

    ``None`` when positions do not repeat enough for it to pay (the work is then done per row), are few, or are not
    all finite.
    """
    if len(x) < REPEAT_SAMPLE // 5 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        return None
    both = x + 1j * y if key is None else x + 1j * (y + 1000.0 * key)  # a key apart: 1000 degrees apart
    head = both[:REPEAT_SAMPLE]
    if len(pd.unique(head)) > REPEAT_SHARE * len(head):
        return None
    codes, uniques = pd.factorize(both)
    first = np.full(len(uniques), len(x), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(x)))
    return first, codes


def polygon_of(
    x: np.ndarray, y: np.ndarray, polygons: gpd.GeoDataFrame, *, nearest: bool = True, edges: bool = False
) -> np.ndarray:
    """For each point ``(x, y)``, the position in ``polygons`` of the first that holds it, or -1 (see :func:`_join`)."""
    return _join_parallel(x, y, polygons, np.argsort(x, kind="stable"), nearest=nearest, edges=edges)


def _join(
    x: np.ndarray,
    y: np.ndarray,
    polygons: gpd.GeoDataFrame,
    order: np.ndarray | None = None,
    *,
    nearest: bool = True,
    edges: bool = False,
    geoms: np.ndarray | None = None,
) -> np.ndarray:
    """For each point ``(x, y)``, the position of the polygon containing it (or the nearest within reach), or -1.

    ``geoms``: the polygons' geometries to test with (a thread's own copy), by default ``polygons``'.

    ``nearest=False``: no nearest polygon for a point outside them all; ``edges=True``: a point on a polygon's edge
    is in it (as ``intersects`` has it; ``contains`` leaves it out).

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
    geoms = polygons.geometry.values if geoms is None else geoms
    for g in range(len(geoms) - 1, -1, -1):  # reversed: earlier polygons overwrite later ones
        geom = geoms[g]
        xmin, ymin, xmax, ymax = geom.bounds
        lo, hi = np.searchsorted(xs, [xmin, xmax], side="left")[0], np.searchsorted(xs, xmax, side="right")
        candidates = order[lo:hi]
        cy = y[candidates]
        candidates = candidates[(cy >= ymin) & (cy <= ymax)]
        if len(candidates):
            shapely.prepare(geom)
            test = shapely.intersects_xy if edges else shapely.contains_xy
            result[candidates[test(geom, x[candidates], y[candidates])]] = g
    if not nearest:
        return result
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

    A point only gets an admin unit its precision supports: ``admin2`` (a district of Pakistan,
    of Indian-administered Jammu and Kashmir or Ladakh, or of Afghanistan) when ``geo_precision``
    is exact, near or district; ``admin1`` when province or finer. Coarser events get neither, so
    a province-level event is never counted in a district. A district is looked for among those
    of the country the point's admin1 belongs to (a point with no admin1: Pakistan's). Where an
    Afghan district (AIMS 2014) lies across the older province line (geoBoundaries 2007), the
    district's province is taken as admin1, so the two always nest.
    """
    events = events.copy(deep=False)  # columns are replaced, never changed in place
    precision = pd.Categorical(events["geo_precision"], categories=GEO_PRECISIONS)
    coords = shapely.get_coordinates(events.geometry.values)  # one (x, y) per point, in row order
    x, y = coords[:, 0].copy(), coords[:, 1].copy()
    by_x = np.argsort(x, kind="stable")  # sorted once, shared by every join
    layer1 = _admin1_layer()
    names1 = np.append(layer1["name"].to_numpy(dtype=object), [None])  # position -1 is None
    i1 = np.full(len(events), -1, dtype=np.int32)
    mask1 = _is_one_of(precision, ADMIN1_PRECISIONS)
    rows1 = np.flatnonzero(mask1)
    i1[rows1] = _join_parallel(x[rows1], y[rows1], layer1, _subset_order(by_x, mask1))
    admin1 = names1[i1]
    admin2 = np.full(len(events), None, dtype=object)
    fine = _is_one_of(precision, ADMIN2_PRECISIONS)
    for d in DISTRICT_LAYERS:  # a point's districts are those of its admin1's country (no admin1: Pakistan's)
        districts = boundary_layer(d.layer)
        units = set(boundary_layer(d.units)["name"])
        of_country = np.array([n in units or (n is None and d.country == "Pakistan") for n in names1], dtype=bool)[i1]
        mask2 = fine & of_country
        rows2 = np.flatnonzero(mask2)
        i2 = _join_parallel(x[rows2], y[rows2], districts, _subset_order(by_x, mask2))
        found = i2 >= 0
        admin2[rows2[found]] = districts["name"].to_numpy(dtype=object)[i2[found]]
        if d.parent_is_admin1:
            admin1[rows2[found]] = districts["parent"].to_numpy(dtype=object)[i2[found]]
    events["admin1"] = pd.Series(admin1, index=events.index, dtype=object)
    events["admin2"] = pd.Series(admin2, index=events.index, dtype=object)

    regions_layer = boundary_layer("regions").set_index("name")
    in_region = {}
    for region, precisions in _REGION_POINT_PRECISIONS.items():
        geom = shapely.from_wkb(shapely.to_wkb(regions_layer.geometry[region]))  # its own copy (see _join_parallel)
        xmin, ymin, xmax, ymax = geom.bounds
        candidates = np.flatnonzero(_is_one_of(precision, precisions) & (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))
        inside = np.zeros(len(events), dtype=bool)
        shapely.prepare(geom)
        inside[candidates] = shapely.contains_xy(geom, x[candidates], y[candidates])
        in_region[region] = inside
    in_region["Balochistan"] = admin1 == "Balochistan"
    in_region["Mastung"] = (admin2 == "Mastung") & in_region["Balochistan"]
    in_region["Khuzdar"] = (admin2 == "Khuzdar") & in_region["Balochistan"]
    # one code per row (a bit per region), then one shared tuple per distinct code
    bits = np.zeros(len(events), dtype=np.int64)
    for i, r in enumerate(REGION_NAMES):
        bits |= in_region[r].astype(np.int64) << i
    table = np.empty(1 << len(REGION_NAMES), dtype=object)
    table[:] = [tuple(r for i, r in enumerate(REGION_NAMES) if code >> i & 1) for code in range(len(table))]
    events["regions"] = table[bits]
    return events


def admin_of_points(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``admin1`` and ``admin2`` of places given as points (towns), by :func:`assign_admin`'s join.

    The gazetteer's towns and the extractor's place names take their units from here, so a town's
    district is the one an event at that town gets on import.
    """
    points = gpd.GeoDataFrame(
        {"geo_precision": np.full(len(lat), "near", dtype=object)}, geometry=gpd.points_from_xy(lon, lat), crs=4326
    )
    placed = assign_admin(points)
    return placed["admin1"].to_numpy(dtype=object), placed["admin2"].to_numpy(dtype=object)


def _is_one_of(precision: pd.Categorical, allowed: frozenset[str]) -> np.ndarray:
    codes = [i for i, p in enumerate(precision.categories) if p in allowed]
    return np.isin(precision.codes, codes)
