"""Boundary layers: real, valid, normalised, small, reproducible; and the checks on bad files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import shapely

from incidents import IncidentDataError
from incidents.geo.boundaries import GEO_DIR, LAYERS, REQUIRED_PROPERTIES, area_point, boundary_layer, read_boundary_file
from tests.conftest import ROOT


@pytest.mark.parametrize("name", LAYERS)
def test_layer_is_valid_wgs84_with_normalised_properties(name):
    gdf = boundary_layer(name)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    assert set(REQUIRED_PROPERTIES) <= set(gdf.columns)
    assert gdf["name"].str.len().gt(0).all()
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 57.9 <= minx and maxx <= 82.1 and 17.9 <= miny and maxy <= 39.1  # the source clip box


def test_all_layers_together_stay_small():
    """The layers joined against, on disk (Afghanistan's 398 districts are 0.6 MB of them); what the page is sent is smaller."""
    total = sum((GEO_DIR / f"{n}.geojson").stat().st_size for n in LAYERS)
    assert total <= 2 * 1024 * 1024


def test_the_areas_drawn_in_counts_per_district_stay_small_and_close_to_the_joined_ones():
    from incidents.geo.areas import area_table
    from layers.areas import DISPLAY_TOLERANCE, area_shapes, display_shapes

    table = area_table()
    assert len(area_shapes(table)) <= 1_000_000  # base64 of the GeoJSON, sent with every rerun in that mode
    drawn = display_shapes(table)
    assert not shapely.is_empty(drawn).any() and shapely.is_valid(drawn).all()
    assert shapely.hausdorff_distance(table.frame.geometry.values, drawn).max() <= DISPLAY_TOLERANCE


def test_balochistan_and_its_35_districts():
    provinces = boundary_layer("pak_provinces")
    assert "Balochistan" in set(provinces["name"])
    assert "PK8" not in set(provinces["code"])  # Indian-administered J&K is drawn in the Kashmir layer
    districts = boundary_layer("pak_districts")
    bal = districts[districts["parent"] == "Balochistan"]
    assert len(bal) == 35
    assert sorted(bal.loc[bal["highlight"], "name"]) == ["Khuzdar", "Mastung"]
    assert set(bal.loc[bal["name"].isin(["Mastung", "Khuzdar"]), "code"]) == {"PK220", "PK213"}
    balochistan = provinces.loc[provinces["name"] == "Balochistan", "geometry"].iloc[0]
    for name in ("Mastung", "Khuzdar"):
        assert balochistan.contains(area_point("pak_districts", name))


def test_kashmir_parts_are_labelled_by_administration():
    kashmir = boundary_layer("kashmir")
    assert set(kashmir["administered_by"]) == {"India", "Pakistan", "China", "indeterminate"}
    assert len(kashmir) >= 4 and all("administered" in n or "indeterminate" in n for n in kashmir["name"])


def test_durand_line_and_line_of_control_are_labelled_lines():
    lines = boundary_layer("lines").set_index("name")
    assert {"Durand Line", "Line of Control"} <= set(lines.index)
    assert "not formally recognised by Afghanistan" in lines.loc["Durand Line", "label"]
    durand = lines.loc["Durand Line", "geometry"]
    pak = boundary_layer("countries").set_index("name").loc["Pakistan", "geometry"]
    afg = boundary_layer("countries").set_index("name").loc["Afghanistan", "geometry"]
    assert durand.distance(pak.boundary) < 0.01 and durand.distance(afg.boundary) < 0.01


def test_afghan_province_typos_are_corrected_and_kept():
    afg = boundary_layer("afg_provinces").set_index("name_source")
    assert afg.loc["Ghanzi", "name"] == "Ghazni"
    assert len(afg) == 34
    assert set(boundary_layer("afg_provinces")["code"].str.match(r"^AF-[A-Z]{3}$")) == {True}


def test_build_script_reproduces_the_shipped_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_geo.py"), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in LAYERS:
        assert (tmp_path / f"{name}.geojson").read_bytes() == (GEO_DIR / f"{name}.geojson").read_bytes(), name


def _fc(features):
    return json.dumps({"type": "FeatureCollection", "features": features})


_PROPS = {"name": "x", "admin_level": 1, "code": "c", "kind": "k"}
_BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def _feature(geometry, **props):
    return {"type": "Feature", "properties": {**_PROPS, **props}, "geometry": geometry}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.geojson: not valid JSON"),
        ('[{"type": "Feature"}]', "bad.geojson, field 'type': expected a GeoJSON FeatureCollection (value 'list')"),
        (
            json.dumps(
                {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32642"}}, "features": []}
            ),
            "bad.geojson, field 'crs': expected WGS 84 longitude/latitude (EPSG:4326); reproject first (value 'EPSG:32642')",
        ),
        (
            _fc(
                [
                    _feature({"type": "Point", "coordinates": [66, 29]}),
                    _feature({"type": "Point", "coordinates": [742000, 3300000]}),
                ]
            ),
            "bad.geojson, feature 2, field 'geometry': coordinates are not degrees (projected?) (value '[742000.0, 3300000.0]')",
        ),
        (_fc([_feature({"type": "Polygon", "coordinates": []})]), "bad.geojson, feature 1, field 'geometry': empty geometry"),
        (_fc([_feature(None)]), "bad.geojson, feature 1, field 'geometry': empty geometry"),
        (
            _fc([_feature({"type": "Point", "coordinates": [66, 29]}, name="")]),
            "bad.geojson, feature 1, field 'name': feature has no name",
        ),
        (
            _fc([_feature({"type": "Point", "coordinates": [66, 29]}, name=None)]),
            "bad.geojson, feature 1, field 'name': feature has no name",
        ),
        (
            _fc([{"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Point", "coordinates": [66, 29]}}]),
            "bad.geojson, field 'admin_level': required property is missing from every feature",
        ),
        (_fc(["nope"]), "bad.geojson, feature 1: expected a GeoJSON Feature (value 'nope')"),
    ],
)
def test_bad_boundary_files_name_file_feature_and_reason(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IncidentDataError) as info:
        read_boundary_file(path)
    assert message in str(info.value)


def test_invalid_polygons_and_heights_are_repaired_and_reported(tmp_path):
    path = tmp_path / "fixable.geojson"
    path.write_text(
        _fc([_feature(_BOWTIE, name="bow tie"), _feature({"type": "Point", "coordinates": [66, 29, 1200]}, name="peak")]),
        encoding="utf-8",
    )
    gdf = read_boundary_file(path)
    assert gdf.geometry.is_valid.all() and not gdf.geometry.has_z.any()
    assert gdf.geometry.iloc[0].geom_type == "MultiPolygon" and gdf.geometry.iloc[0].area == pytest.approx(0.5)
    assert [str(r) for r in gdf.attrs["repairs"]] == [
        "fixable.geojson, feature 1, field 'geometry': repaired: invalid geometry made valid (make_valid)"
        " (was 'Self-intersection[0.5 0.5]')",
        "fixable.geojson, feature 2, field 'geometry': repaired: dropped the third coordinate (height) (was '3-D coordinates')",
    ]
    assert all(boundary_layer(name).attrs["repairs"] == [] for name in LAYERS)  # the shipped layers need none


def test_label_points_are_inside_their_areas():
    from layers.boundaries import label_point

    for gdf in (boundary_layer("pak_districts"), boundary_layer("kashmir")):
        for geom in gdf.geometry:
            assert geom.contains(label_point(geom))
    for geom in boundary_layer("lines").geometry:
        assert geom.distance(label_point(geom)) < 1e-9
    assert isinstance(label_point(shapely.LineString([(0, 0), (2, 0)])), shapely.Point)


def test_the_join_split_over_two_threads_gives_the_same_admin_units(events, monkeypatch):
    import incidents.geo.joins as joins

    spread = events.copy()
    single = joins.assign_admin(spread)
    monkeypatch.setattr(joins, "PARALLEL_MIN", 10)  # split even the shipped events in two
    split = joins.assign_admin(spread)
    assert single["admin2"].notna().sum() > 30
    for column in ("admin1", "admin2", "regions"):
        assert split[column].tolist() == single[column].tolist(), column
