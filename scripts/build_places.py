"""The town and city labels of ``data/geo/places.geojson``, for ``scripts/build_geo.py`` (which calls :func:`places`).

What the labels are, and why each shows from its zoom, is written up in ``data/geo/SOURCES.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

#: The zoom from which a place's label shows: national capitals, then provincial capitals, then towns.
#: GeoNames towns added below Natural Earth's places: at least this many people; and their zoom.
TOWN_POPULATION = 50_000
TOWN_ZOOM = 8


def places(raw: Path, clean: Callable[..., gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Town and city labels: Natural Earth's populated places (capitals first), then larger GeoNames towns.

    ``min_zoom`` is the zoom from which the map shows the label: national capitals at 4,
    provincial capitals at 5 (Natural Earth scale rank up to 5) or 6, other places at 6 (rank up
    to 4), 7 (up to 7) or 8; GeoNames towns of at least TOWN_POPULATION people farther than about 4 km from all of
    those, at 8 (200,000 or more) or 9.
    """
    ne = gpd.read_file(raw / "ne_10m_populated_places_region.geojson")
    kind = ne["FEATURECLA"].map({"Admin-0 capital": "national capital", "Admin-1 capital": "provincial capital"}).fillna("town")
    rank = ne["SCALERANK"]
    zoom = [
        4
        if k == "national capital"
        else (5 if r <= 5 else 6)
        if k == "provincial capital"
        else (6 if r <= 4 else 7 if r <= 7 else 8)
        for k, r in zip(kind, rank)
    ]
    first = gpd.GeoDataFrame(
        {
            "name": ne["NAME"].values,
            "admin_level": 0,
            "code": [f"NE-PP-{int(i)}" for i in ne.index],
            "kind": kind.values,
            "country": ne["ADM0NAME"].values,
            "min_zoom": zoom,
            "population": ne["POP_MAX"].astype(int).values,
        },
        geometry=gpd.points_from_xy(ne["LONGITUDE"], ne["LATITUDE"]),
        crs=4326,
    )
    towns = pd.read_csv(raw / "gazetteer_geonames_cities1000_region.csv", keep_default_na=False)
    towns = towns[towns["population"] >= TOWN_POPULATION]
    points = gpd.GeoSeries(gpd.points_from_xy(towns["longitude"], towns["latitude"]), crs=4326)
    near = shapely.STRtree(first.to_crs(3857).geometry.values).query(
        points.to_crs(3857).values, predicate="dwithin", distance=5_000
    )
    towns, points = towns.reset_index(drop=True), points.reset_index(drop=True)
    keep = ~pd.Series(range(len(towns))).isin(set(near[0]))
    towns, points = towns[keep.values], points[keep.values]
    countries = {"AF": "Afghanistan", "PK": "Pakistan", "IN": "India", "IR": "Iran", "CN": "China", "TJ": "Tajikistan"}
    second = gpd.GeoDataFrame(
        {
            "name": towns["name"].values,
            "admin_level": 0,
            "code": [f"GN-{int(i)}" for i in towns["geonameid"]],
            "kind": "town",
            "country": [countries.get(c, c) for c in towns["countrycode"]],
            "min_zoom": [TOWN_ZOOM if p >= 200_000 else TOWN_ZOOM + 1 for p in towns["population"]],
            "population": towns["population"].astype(int).values,
        },
        geometry=points.values,
        crs=4326,
    )
    gdf = pd.concat([first, second], ignore_index=True).sort_values(
        ["min_zoom", "population", "code"], ascending=[True, False, True]
    )
    return clean(gdf, simplify=False).reset_index(drop=True)
