"""Districts beyond Pakistan's and the main rivers, for ``scripts/build_geo.py`` (which calls these).

- :func:`ind_districts`: the 22 Census 2011 districts of Indian-administered Jammu and Kashmir and
  Ladakh (DataMeet), each kept only where India administers it: the "Data Not Available" polygon
  (India's claim over Pakistani-administered Kashmir and the Shaksgam) is dropped, and each
  district loses what lies in the Kashmir parts India does not administer (Natural Earth's
  Gilgit-Baltistan, Azad Kashmir, Aksai Chin, the Shaksgam and the Siachen Glacier, as the map
  draws them), so a point on either side of the Line of Control takes the district of the side
  that administers it. ``parent`` is the union territory (Jammu and Kashmir, or Ladakh, since 2019).
- :func:`ind_union_territories`: the two union territories, dissolved from those districts (admin1).
- :func:`afg_districts`: Afghanistan's 398 districts (AIMS 2014 via geoBoundaries), named with their province.
- :func:`rivers`: the main rivers (Natural Earth), named, with the zoom from which each is labelled.

Written up in ``data/geo/SOURCES.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import shapely

#: Natural Earth Kashmir parts India does not administer (their codes in the kashmir layer).
NOT_INDIAN = ("B06", "B07", "B08", "B09", "B45")
#: Rivers kept (Natural Earth names, as spelled there), and the zoom from which each is labelled: never at
#: the map's first view (zoom 5), where Balochistan's district labels are.
RIVERS = {
    "Indus": 6,
    "Helmand": 6,
    "Amu  Darya": 6,
    "Panj": 6,
    "Chenab": 6,
    "Jhelum": 7,
    "Sutlej": 6,
    "Ravi": 7,
    "Beas": 7,
    "Harirud": 6,
}


def slug(text: str) -> str:
    """ASCII lower-case words joined by hyphens: ``Deh Bala`` -> ``deh-bala``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def ind_districts(raw: Path, clean: Callable[..., gpd.GeoDataFrame], kashmir: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Jammu and Kashmir's and Ladakh's districts, de facto (see the module docstring). Codes: ``IN`` + the census codes."""
    src = gpd.read_file(raw / "ind_jk_ladakh_adm2_districts_datameet_census2011.geojson")
    src = src[src["unit_type"] == "district"]
    other = shapely.union_all(kashmir.loc[kashmir["code"].isin(NOT_INDIAN), "geometry"].values)
    geoms = [shapely.make_valid(g).difference(other) for g in src.geometry]
    gdf = gpd.GeoDataFrame(
        {
            "name": src["district_std"].values,
            "admin_level": 2,
            "code": [f"IN{int(s):02d}{int(d):03d}" for s, d in zip(src["st_cen_cd"], src["dt_cen_cd"])],
            "kind": "district",
            "parent": src["ut_2019"].values,
            "parent_code": ["IN-LA" if u == "Ladakh" else "IN-JK" for u in src["ut_2019"]],
            "name_source": src["district"].values,
        },
        geometry=geoms,
        crs=4326,
    )
    return clean(gdf).sort_values("code").reset_index(drop=True)


def ind_union_territories(districts: gpd.GeoDataFrame, clean: Callable[..., gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The union territories (admin1), dissolved from :func:`ind_districts` so that the two nest."""
    parts = districts.dissolve(by=["parent", "parent_code"], as_index=False)
    gdf = gpd.GeoDataFrame(
        {
            "name": parts["parent"].values,
            "admin_level": 1,
            "code": parts["parent_code"].values,
            "kind": "union territory",
            "country": "India",
        },
        geometry=parts.geometry.values,
        crs=4326,
    )
    return clean(gdf, simplify=False).sort_values("code").reset_index(drop=True)


def afg_districts(raw: Path, clean: Callable[..., gpd.GeoDataFrame], provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Afghanistan's districts, each with its province (as the provinces layer names it). Codes: province ISO + name."""
    src = gpd.read_file(raw / "afg_adm2_districts_geoboundaries.geojson")
    code_of = dict(zip(provinces["name"], provinces["code"]))
    missing = sorted(set(src["adm1_name"]) - set(code_of))
    if missing:
        raise ValueError(f"afg_adm2_districts_geoboundaries.geojson: provinces not in the provinces layer: {missing}")
    codes = [f"{code_of[p]}-{slug(n)}" for p, n in zip(src["adm1_name"], src["shapeName"])]
    if len(set(codes)) != len(codes):
        raise ValueError("afg_adm2_districts_geoboundaries.geojson: two districts of one province share a name")
    gdf = gpd.GeoDataFrame(
        {
            "name": src["shapeName"].values,
            "admin_level": 2,
            "code": codes,
            "kind": "district",
            "parent": src["adm1_name"].values,
            "parent_code": [code_of[p] for p in src["adm1_name"]],
            "source_id": src["shapeID"].values,
        },
        geometry=src.geometry.values,
        crs=4326,
    )
    return clean(gdf).sort_values("code").reset_index(drop=True)


def rivers(raw: Path, clean: Callable[..., gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The main rivers of the theatre, one feature per river (its pieces merged), with ``min_zoom`` for the label."""
    src = gpd.read_file(raw / "ne_10m_rivers_lake_centerlines_region.geojson")
    src = src[src["name"].isin(list(RIVERS))]
    merged = src.dissolve(by="name", as_index=False)
    names = [" ".join(n.split()) for n in merged["name"]]  # "Amu  Darya" -> "Amu Darya"
    gdf = gpd.GeoDataFrame(
        {
            "name": names,
            "admin_level": 0,
            "code": [f"river-{slug(n)}" for n in names],
            "kind": "river",
            "min_zoom": [RIVERS[n] for n in merged["name"]],
        },
        geometry=[shapely.line_merge(g) if g.geom_type == "MultiLineString" else g for g in merged.geometry],
        crs=4326,
    )
    return clean(gdf).sort_values("name").reset_index(drop=True)
