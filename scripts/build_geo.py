"""Rebuild every boundary layer in ``data/geo/`` from the raw files in ``data/geo/raw/``.

Run from anywhere::

    python scripts/build_geo.py

What it does, file by file, is written up in ``data/geo/SOURCES.md``. In short: properties are
normalised to ``name``, ``admin_level``, ``code``, ``kind`` (plus a few layer-specific fields),
geometries are made valid, simplified (tolerance below, in degrees), rounded to 4 decimals
(about 11 m) and written as RFC 7946 GeoJSON in EPSG:4326. The output is deterministic: running
the script twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from build_districts import afg_districts, ind_districts, ind_union_territories, rivers  # beyond Pakistan's districts
from build_places import places  # the town and city labels, in a script of their own
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "geo" / "raw"
OUT = ROOT / "data" / "geo"

#: Simplification tolerance in degrees (about 330 m at these latitudes).
TOLERANCE = 0.003
#: Decimal places kept in coordinates (4 decimals is about 11 m).
DECIMALS = 4
#: Half-width of the "Afghan border zone" analysis region around the Durand Line, in km.
BORDER_ZONE_KM = 50

HIGHLIGHT_DISTRICTS = {"Mastung", "Khuzdar"}

#: geoBoundaries AFG ADM1 typos, corrected in ``name``/``code`` (the published value stays in
#: ``name_source``/``code_source``).
AFG_FIXES = {"Ghanzi": "Ghazni"}
AFG_CODE_FIXES = {"AF_KAN": "AF-KAN"}

#: Neutral labels for the Kashmir-related disputed areas of Natural Earth (de facto depiction).
KASHMIR_AREAS = {
    "Jammu and Kashmir": ("Jammu and Kashmir (Indian-administered)", "India", "Pakistan"),
    "Azad Kashmir": ("Azad Jammu and Kashmir (Pakistani-administered)", "Pakistan", "India"),
    "Northern Areas": ("Gilgit-Baltistan (Pakistani-administered)", "Pakistan", "India"),
    "Aksai Chin": ("Aksai Chin (Chinese-administered)", "China", "India"),
    "Shaksam Valley": ("Shaksgam Valley (Chinese-administered)", "China", "India"),
    "Siachen Glacier": (
        "Siachen Glacier (status indeterminate)",
        "indeterminate",
        "India and Pakistan",
    ),
}

LINE_LABELS = {
    326: (
        "Durand Line",
        "de facto international boundary",
        "Afghanistan-Pakistan boundary (Durand Line); not formally recognised by Afghanistan",
    ),
    31: (
        "Line of Control",
        "line of control",
        "Line of Control (India-Pakistan, Kashmir): a de facto ceasefire line, not an agreed international boundary",
    ),
    457: (
        "Working Boundary",
        "line of control",
        "Jammu-Sialkot 'Working Boundary', coded by Natural Earth as part of the Line of Control",
    ),
}


def _round(geom):
    return shapely.set_precision(geom, 10**-DECIMALS, mode="valid_output")


def _clean(gdf: gpd.GeoDataFrame, *, simplify: bool = True) -> gpd.GeoDataFrame:
    """Make valid, simplify, round; drop empties; keep EPSG:4326."""
    gdf = gdf.to_crs(4326).copy()
    geoms = shapely.make_valid(gdf.geometry.values)
    if simplify:
        geoms = shapely.simplify(geoms, TOLERANCE, preserve_topology=True)
    geoms = _round(geoms)
    geoms = shapely.make_valid(geoms)
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=4326))
    # make_valid on a polygon can leave stray lines/points inside a GeometryCollection
    if gdf.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"]).all():
        gdf["geometry"] = gdf.geometry.apply(_polygonal)
    if gdf.geometry.is_empty.any() or not gdf.geometry.is_valid.all():
        bad = gdf[gdf.geometry.is_empty | ~gdf.geometry.is_valid]
        raise ValueError(f"invalid or empty geometry after cleaning: {bad.index.tolist()}")
    return gdf


def _polygonal(geom):
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts)
    return geom


def _write(gdf: gpd.GeoDataFrame, name: str, out: Path = OUT) -> Path:
    """Write RFC 7946 GeoJSON with sorted keys and no CRS member (deterministic)."""
    features = []
    props = [c for c in gdf.columns if c != "geometry"]
    for _, row in gdf.iterrows():
        properties = {}
        for col in props:
            value = row[col]
            if isinstance(value, float) and pd.isna(value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            properties[col] = value
        geom = shapely.geometry.polygon.orient(row.geometry) if row.geometry.geom_type == "Polygon" else row.geometry
        if geom.geom_type == "MultiPolygon":
            geom = shapely.MultiPolygon([shapely.geometry.polygon.orient(p) for p in geom.geoms])
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(geom)})
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path = out / f"{name}.geojson"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def countries() -> gpd.GeoDataFrame:
    """Country outlines (Natural Earth admin-0, clipped)."""
    raw = gpd.read_file(RAW / "ne_10m_admin_0_countries_deu_region.geojson")
    gdf = gpd.GeoDataFrame(
        {
            "name": raw["NAME"],
            "admin_level": 0,
            "code": raw["ISO_A3"],
            "kind": "country",
        },
        geometry=raw.geometry,
        crs=4326,
    )
    return _clean(gdf).sort_values("name").reset_index(drop=True)


def pak_provinces() -> gpd.GeoDataFrame:
    """Pakistan's provinces and territories, de facto (OCHA PK8 left out)."""
    raw = gpd.read_file(RAW / "pak_adm1_provinces_ocha_2022_dissolved.geojson")
    # PK8 is Indian-administered Jammu & Kashmir as Pakistan's official map shows it; the
    # de facto depiction draws it in the Kashmir layer instead.
    raw = raw[raw["ADM1_PCODE"] != "PK8"]
    kinds = {
        "PK1": "administered territory",
        "PK3": "administered territory",
        "PK4": "capital territory",
    }
    names = {"Gilgit Baltistan": "Gilgit-Baltistan"}
    gdf = gpd.GeoDataFrame(
        {
            "name": raw["ADM1_EN"].replace(names),
            "admin_level": 1,
            "code": raw["ADM1_PCODE"],
            "iso_3166_2": raw["iso_3166_2"],
            "kind": [kinds.get(c, "province") for c in raw["ADM1_PCODE"]],
            "country": "Pakistan",
        },
        geometry=raw.geometry.values,
        crs=4326,
    )
    return _clean(gdf).sort_values("code").reset_index(drop=True)


def pak_districts() -> gpd.GeoDataFrame:
    """Pakistan's districts (OCHA COD-AB ADM2), Mastung and Khuzdar flagged."""
    raw = gpd.read_file(RAW / "pak_adm2_districts_ocha_2022.geojson")
    raw = raw[raw["ADM1_PCODE"] != "PK8"]
    names = {"Gilgit Baltistan": "Gilgit-Baltistan"}
    gdf = gpd.GeoDataFrame(
        {
            "name": raw["ADM2_EN"].values,
            "admin_level": 2,
            "code": raw["ADM2_PCODE"].values,
            "kind": "district",
            "parent": raw["ADM1_EN"].replace(names).values,
            "parent_code": raw["ADM1_PCODE"].values,
            "highlight": raw["ADM2_EN"].isin(HIGHLIGHT_DISTRICTS).values,
        },
        geometry=raw.geometry.values,
        crs=4326,
    )
    return _clean(gdf).sort_values("code").reset_index(drop=True)


def afg_provinces() -> gpd.GeoDataFrame:
    """Afghanistan's provinces (geoBoundaries ADM1), typos corrected."""
    raw = gpd.read_file(RAW / "afg_adm1_provinces_geoboundaries.geojson")
    gdf = gpd.GeoDataFrame(
        {
            "name": raw["shapeName"].replace(AFG_FIXES),
            "admin_level": 1,
            "code": raw["shapeISO"].replace(AFG_CODE_FIXES),
            "kind": "province",
            "country": "Afghanistan",
            "name_source": raw["shapeName"],
            "code_source": raw["shapeISO"],
        },
        geometry=raw.geometry,
        crs=4326,
    )
    return _clean(gdf).sort_values("code").reset_index(drop=True)


def neighbour_admin1() -> gpd.GeoDataFrame:
    """States and provinces of the neighbouring countries (context, admin1 join)."""
    raw = gpd.read_file(RAW / "ne_10m_admin_1_neighbours_generalized_qgis_region.geojson")
    # NE's 'Kashmir' (Siachen) unit is drawn by the Kashmir layer.
    raw = raw[raw["admin"] != "Siachen Glacier"]
    gdf = gpd.GeoDataFrame(
        {
            "name": raw["name"],
            "admin_level": 1,
            "code": raw["iso_a2"] + "-" + raw["fips"].fillna(""),
            "kind": "state or province",
            "country": raw["admin"],
        },
        geometry=raw.geometry,
        crs=4326,
    )
    return _clean(gdf).sort_values(["country", "name"]).reset_index(drop=True)


def kashmir() -> gpd.GeoDataFrame:
    """Kashmir's parts by administering country, labelled neutrally."""
    raw = gpd.read_file(RAW / "ne_10m_admin_0_disputed_areas_region.geojson")
    raw = raw[raw["BRK_NAME"].isin(KASHMIR_AREAS)]
    rows = [KASHMIR_AREAS[n] for n in raw["BRK_NAME"]]
    gdf = gpd.GeoDataFrame(
        {
            "name": [r[0] for r in rows],
            "admin_level": 0,
            "code": raw["BRK_A3"].values,
            "kind": "disputed area",
            "administered_by": [r[1] for r in rows],
            "claimed_by": [r[2] for r in rows],
            "note": raw["NOTE_BRK"].values,
            "name_source": raw["BRK_NAME"].values,
        },
        geometry=raw.geometry.values,
        crs=4326,
    )
    return _clean(gdf).sort_values("code").reset_index(drop=True)


def lines() -> gpd.GeoDataFrame:
    """Durand Line, Line of Control, Working Boundary and the Siachen frontier."""
    raw = gpd.read_file(RAW / "ne_10m_durand_line_and_loc.geojson")
    rows = [LINE_LABELS[int(i)] for i in raw["source_index"]]
    gdf = gpd.GeoDataFrame(
        {
            "name": [r[0] for r in rows],
            "admin_level": 0,
            "code": [f"NE-BL-{int(i)}" for i in raw["source_index"]],
            "kind": [r[1] for r in rows],
            "label": [r[2] for r in rows],
            "note": raw["featurecla"].values,
        },
        geometry=raw.geometry.values,
        crs=4326,
    )
    land = gpd.read_file(RAW / "ne_10m_admin_0_boundary_lines_land_region.geojson")
    frontier = land[land["featurecla"] == "Indeterminant frontier"]
    extra = gpd.GeoDataFrame(
        {
            "name": "Siachen sector",
            "admin_level": 0,
            "code": [f"NE-BL-{int(i)}" for i in frontier.index],
            "kind": "indeterminate frontier",
            "label": "Siachen sector: indeterminate frontier (Natural Earth)",
            "note": frontier["featurecla"].values,
        },
        geometry=frontier.geometry.values,
        crs=4326,
    )
    gdf = pd.concat([gdf, extra], ignore_index=True)
    return _clean(gdf, simplify=False).reset_index(drop=True)


#: Boundary lines the borders layer leaves out: the Durand Line is in ``lines`` (with its caveat),
#: and Natural Earth's Siachen Glacier is not a country.
NOT_BORDERS = ("Afghanistan-Pakistan",)


def borders() -> gpd.GeoDataFrame:
    """International boundaries between the region's countries, one line per pair (Natural Earth).

    Only lines Natural Earth codes "International boundary"; disputed, indefinite and de facto
    lines are left to ``lines`` and ``kashmir``. Used for distances, not drawn (the country
    outlines show them).
    """
    land = gpd.read_file(RAW / "ne_10m_admin_0_boundary_lines_land_region.geojson")
    land = land[land["featurecla"] == "International boundary (verify)"]
    pair = ["-".join(sorted((str(a), str(b)))) for a, b in zip(land["adm0_left"], land["adm0_right"])]
    land = land.assign(pair=pair)
    land = land[~land["pair"].isin(NOT_BORDERS) & ~land["pair"].str.contains("Siachen")]
    rows = []
    for name, part in land.groupby("pair", sort=True):
        rows.append(
            {
                "name": f"{name} boundary",
                "admin_level": 0,
                "code": "NE-BL-" + "+".join(str(int(i)) for i in sorted(part.index)),
                "kind": "international boundary",
                "label": f"{name.replace('-', '–')} international boundary (Natural Earth)",
                "geometry": shapely.line_merge(shapely.union_all(part.geometry.values)),
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    return _clean(gdf, simplify=False).reset_index(drop=True)


def regions(
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    kashmir_areas: gpd.GeoDataFrame,
    boundary_lines: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """The analysis regions offered by the dashboard's region filter."""
    balochistan = provinces.loc[provinces["name"] == "Balochistan", "geometry"].iloc[0]
    mastung = districts.loc[districts["name"] == "Mastung", "geometry"].iloc[0]
    khuzdar = districts.loc[districts["name"] == "Khuzdar", "geometry"].iloc[0]
    kashmir_union = shapely.union_all(kashmir_areas.geometry.values)
    durand = boundary_lines.loc[boundary_lines["name"] == "Durand Line", "geometry"].iloc[0]
    # Buffer in an equal-distance projection centred on the line (azimuthal equidistant).
    c = durand.centroid
    aeqd = f"+proj=aeqd +lat_0={c.y:.4f} +lon_0={c.x:.4f} +datum=WGS84 +units=m"
    zone = (gpd.GeoSeries([durand], crs=4326).to_crs(aeqd).buffer(BORDER_ZONE_KM * 1000).to_crs(4326)).iloc[0]
    gdf = gpd.GeoDataFrame(
        {
            "name": ["Balochistan", "Mastung", "Khuzdar", "Kashmir", "Afghan border zone"],
            "admin_level": [1, 2, 2, 0, 0],
            "code": ["PK2", "PK220", "PK213", "KASHMIR", "DURAND-50KM"],
            "kind": "analysis region",
            "definition": [
                "Balochistan province (OCHA COD-AB ADM1 PK2)",
                "Mastung district (OCHA COD-AB ADM2 PK220)",
                "Khuzdar district (OCHA COD-AB ADM2 PK213)",
                "Union of the Kashmir disputed areas (Natural Earth), all administrations",
                f"Within {BORDER_ZONE_KM} km of the Durand Line, on either side",
            ],
        },
        geometry=[balochistan, mastung, khuzdar, kashmir_union, zone],
        crs=4326,
    )
    return _clean(gdf, simplify=True)


def main(out: Path = OUT) -> None:
    """Build all layers into ``out`` and print their sizes."""
    built = {
        "countries": countries(),
        "pak_provinces": pak_provinces(),
        "pak_districts": pak_districts(),
        "afg_provinces": afg_provinces(),
        "neighbour_admin1": neighbour_admin1(),
        "kashmir": kashmir(),
        "lines": lines(),
        "borders": borders(),
        "places": places(RAW, _clean),
        "rivers": rivers(RAW, _clean),
    }
    built["ind_districts"] = ind_districts(RAW, _clean, built["kashmir"])
    built["ind_union_territories"] = ind_union_territories(built["ind_districts"], _clean)
    built["afg_districts"] = afg_districts(RAW, _clean, built["afg_provinces"])
    built["regions"] = regions(built["pak_provinces"], built["pak_districts"], built["kashmir"], built["lines"])
    total = 0
    for name, gdf in built.items():
        path = _write(gdf, name, out)
        size = path.stat().st_size
        total += size
        print(f"{path.name:28s} {len(gdf):4d} features {size / 1024:8.1f} KiB")
    print(f"{'total':28s}      {total / 1024:17.1f} KiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: data/geo)")
    main(parser.parse_args().out)
