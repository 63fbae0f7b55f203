"""Importers: ACLED (current and old layouts), GeoJSON, encodings, repairs and full accounting."""

from __future__ import annotations

import csv
import io
import json

import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from incidents import IncidentDataError, load_all
from incidents.geo.position import swapped_position
from incidents.loader import Upload
from incidents.readers import FORMATS, read_data, read_file
from tests.conftest import DATA
from tests.test_loader import UCDP_FILE

ACLED = DATA / "acled_style_ucdp_sample.csv"
ACLED_OLD = DATA / "acled_style_ucdp_sample_old.csv"


def _problems(result, kind="rejected"):
    return sorted((r.row or 0, r.field or "") for r in getattr(result, kind))


@pytest.mark.parametrize("path", [ACLED, ACLED_OLD], ids=["current", "pre-2023"])
def test_acled_layouts_read_every_row_and_never_overstate_precision(path):
    result, fmt = read_file(path)
    assert fmt == "acled" and result.rejected == [] and result.repaired == []
    assert len(result.events) == result.n_input == 215
    acled = result.events.assign(ged=result.events["event_id"].str[9:])  # acled-AFG133925 -> 133925
    ged, _ = read_file(UCDP_FILE)
    ged = ged.events.assign(ged=ged.events["event_id"].str[5:]).set_index("ged").loc[acled["ged"]]
    # same place, and a date window that holds the GED one at the same or a coarser precision
    assert (acled.geometry.values == ged.geometry.values).all()
    assert (acled["date_start"].to_numpy() <= ged["date_start"].to_numpy()).all()
    assert (acled["date_end"].to_numpy() >= ged["date_end"].to_numpy()).all()
    assert (acled["date_precision"].cat.codes.to_numpy() >= ged["date_precision"].cat.codes.to_numpy()).all()
    assert (acled["geo_precision"].cat.codes.to_numpy() >= ged["geo_precision"].cat.codes.to_numpy()).all()
    assert acled["excerpt"].tolist() == ged["excerpt"].tolist()
    row = acled.set_index("ged").loc["133925"]
    assert row["event_type"] == "Battles: Armed clash"
    assert row["actors"] == ("Government of Afghanistan", "Hizb-i Islami-yi Afghanistan - Khalis faction")
    assert (row["date_start"].date().isoformat(), row["date_end"].date().isoformat()) == ("1989-03-15", "1989-03-21")
    assert row["date_precision"] == "week"


def test_both_acled_layouts_give_the_same_events():
    new, _ = read_file(ACLED)
    old, _ = read_file(ACLED_OLD)
    assert_geodataframe_equal(new.events.drop(columns=["dataset"]), old.events.drop(columns=["dataset"]))


def test_broken_acled_file_names_every_problem_and_accounts_for_every_row():
    result = load_all([DATA / "broken_acled.csv"], shipped=False)
    (report,) = result.files
    assert (report.rows, report.accepted, report.rejected, report.repaired) == (13, 4, 9, 1)
    assert report.accepted + report.rejected == report.rows
    assert _problems(result) == [
        (3, "event_date"),
        (4, "time_precision"),
        (5, "geo_precision"),
        (6, "latitude"),
        (7, "notes"),
        (8, "fatalities"),
        (9, "event_id_cnty"),
        (10, "event_id"),
        *[(13, f) for f in ("", "event_date", "fatalities", "geo_precision", "latitude", "longitude", "time_precision")],
    ]
    (repair,) = result.repaired
    assert (repair.row, repair.field, repair.value) == (2, "latitude/longitude", "66.8455, 29.7997")
    assert "only the swapped point lies in Pakistan" in repair.reason
    events = result.events.set_index("event_id")
    fixed, unfixed = events.loc["acled-TST2"].geometry, events.loc["acled-TST11"].geometry
    assert (fixed.x, fixed.y) == (66.8455, 29.7997) and events.loc["acled-TST2", "admin2"] == "Mastung"
    assert (unfixed.x, unfixed.y) == (29.7997, 66.8455)  # no country named: left as given
    month = events.loc["acled-TST12"]
    assert (str(month["date_start"].date()), str(month["date_end"].date()), month["date_precision"]) == (
        "2025-03-01",
        "2025-03-31",
        "month",
    )
    assert "duplicate event_id: first loaded from broken_acled.csv, row 1" in str(result.rejected[0])


def test_broken_geojson_names_every_feature_and_accounts_for_all():
    result = load_all([DATA / "broken_events.geojson"], shipped=False)
    (report,) = result.files
    assert (report.format, report.rows, report.accepted, report.rejected, report.repaired) == ("geojson", 14, 4, 10, 3)
    assert _problems(result) == [
        (4, "geo_precision"),
        (6, "geometry"),
        (7, "geometry"),
        (8, "geometry"),
        (9, "geometry"),
        (10, "excerpt"),
        (11, "date_start"),
        (12, ""),
        (13, "event_id"),
        (14, "geometry"),
    ]
    assert {r.unit for r in result.rejected} == {"feature"}
    assert any(
        str(r).startswith("broken_events.geojson, feature 8, field 'geometry': expected longitude, latitude")
        for r in result.rejected
    )
    assert set(result.rejected_frame()["unit"]) == {"feature"}
    reasons = {r.row: r.reason for r in result.repaired}
    assert reasons[None] == "ignored properties that are not event-model columns"
    assert reasons[2].startswith("latitude and longitude swapped")
    assert reasons[3] == "invalid polygon made valid (make_valid)"
    assert reasons[5] == "dropped the third coordinate (height)"
    events = result.events.set_index("event_id")
    assert events.loc["g1", "actors"] == ("Lashkar-e-Taiba", "Islamic State Khorasan Province")
    assert events.loc["g1", "admin2"] == events.loc["g2", "admin2"] == events.loc["g5", "admin2"] == "Khuzdar"
    area = events.loc["g3"]
    assert area["geo_precision"] == "district" and area.geometry.within(shapely.box(66.4, 27.6, 66.9, 28.1))


@pytest.mark.parametrize(
    ("crs", "ok"),
    [
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, True),
        ({"type": "name", "properties": {"name": "EPSG:4326"}}, True),
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}}, False),
        ("EPSG:3857", False),
    ],
)
def test_geojson_crs_other_than_wgs84_rejects_the_file(crs, ok):
    doc = {"type": "FeatureCollection", "crs": crs, "features": []}
    if ok:
        result, fmt = read_data(json.dumps(doc).encode(), name="x.geojson")
        assert fmt == "geojson" and result.n_input == 0
    else:
        with pytest.raises(IncidentDataError, match=r"x.geojson, field 'crs': expected WGS 84"):
            read_data(json.dumps(doc).encode(), name="x.geojson")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [', "x.json: not valid JSON: Expecting value: line 1 column 44"),
        (
            b'{"type": "Feature", "properties": {}}',
            "x.json, field 'type': expected a GeoJSON FeatureCollection (value 'Feature')",
        ),
        (b'{"type": "FeatureCollection", "features": {}}', "expected a GeoJSON FeatureCollection"),
        (b"a,b\n1,2\n", "x.json: unrecognised columns"),
        (b"\x00\x01PK\x03\x04\x81\x8d", "x.json: not UTF-8 text"),
    ],
)
def test_unreadable_files_are_one_clear_error(data, message):
    with pytest.raises(IncidentDataError) as info:
        read_data(data, name="x.json")
    assert message in str(info.value)
    assert info.value.problems[0].row is None


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [
        (ACLED, None, "acled"),
        (ACLED_OLD, None, "acled"),
        (UCDP_FILE, None, "ucdp"),
        (DATA / "broken_events.geojson", None, "geojson"),
        (DATA / "broken_events.csv", None, "native"),
        (ACLED, "native", "not the project's event CSV: missing columns"),
        (UCDP_FILE, "acled", "not an ACLED export: missing columns"),
        (ACLED, "geojson", "not valid JSON"),
        (DATA / "broken_events.geojson", "ucdp", "not a UCDP GED file"),
        (ACLED, "geoparquet", "not a readable Parquet file"),
        (ACLED, "xml", "unknown format"),
    ],
)
def test_format_is_detected_from_content_and_can_be_forced(path, fmt, expected):
    if expected in FORMATS:
        assert read_file(path, fmt=fmt)[1] == expected
    else:
        with pytest.raises(IncidentDataError, match=expected):
            read_file(path, fmt=fmt)


def test_windows_1252_acled_file_is_read_and_the_repair_reported():
    text = ACLED.read_text(encoding="utf-8").replace("Kandahar town", "Kandahār town — café")
    result, fmt = read_data(text.encode("cp1252", "replace"), name="w.csv")
    assert fmt == "acled" and len(result.events) == 215
    assert "Kandah?r town — café" in result.events["location"].tolist()  # ā is not in cp1252; the rest round-trips
    (repair,) = result.repaired
    assert repair.row is None and repair.reason.startswith("read as Windows-1252")


def test_utf16_with_byte_order_mark_is_read_without_a_repair():
    result, fmt = read_data(ACLED.read_text(encoding="utf-8").encode("utf-16"), name="u.csv")
    assert fmt == "acled" and len(result.events) == 215 and result.repaired == []


@pytest.mark.parametrize(
    ("lat", "lon", "country", "swapped"),
    [
        (66.8455, 29.7997, "Pakistan", True),  # Mastung, entered lon-first
        (66.8455, 29.7997, "pak", True),  # ISO code, any case
        (66.8455, 29.7997, "", False),  # a real place in Russia: no evidence, left alone
        (66.8455, 29.7997, "India", False),  # swapped point is not in India either
        (29.7997, 66.8455, "Pakistan", False),  # already right
        (60.17, 24.94, "Finland", False),  # Helsinki: outside the region, country unknown to the layer
        (34.5, 69.2, "Afghanistan", False),
        (69.2, 34.5, "Afghanistan", True),  # Kabul swapped
    ],
)
def test_swap_is_repaired_only_with_evidence(lat, lon, country, swapped):
    assert (swapped_position(lat, lon, country) is not None) == swapped


def test_uploads_are_read_from_memory_and_marked_by_dataset():
    upload = Upload("field notes.csv", ACLED.read_bytes())
    result = load_all([], uploads=[upload])
    added = result.events[result.events["dataset"] == "upload: field notes"]
    assert len(added) == 215
    assert [f.file for f in result.files][-1] == "field notes.csv"
    assert len(result.events) == 238 + 215


def _ucdp_with(changes: dict[int, dict[str, str]]) -> bytes:
    """The real UCDP sample's first rows, with some cells changed (row number -> column -> value)."""
    with UCDP_FILE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [row for _, row in zip(range(max(changes)), reader)]
        columns = reader.fieldnames
    for n, cells in changes.items():
        rows[n - 1].update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_broken_ucdp_rows_are_each_named_and_swaps_repaired():
    data = _ucdp_with(
        {
            2: {"id": "x12"},
            3: {"date_start": "2022-13-01"},
            4: {"date_end": "1980-01-01"},
            5: {"where_prec": "8"},
            6: {"date_prec": "0"},
            7: {"type_of_violence": "4"},
            8: {"latitude": "95"},
            9: {"source_article": ""},
            10: {"best": "-1"},
            11: {"high": "many"},
            12: {"latitude": "65.705795", "longitude": "31.611795"},  # Kandahar, swapped; the row says Afghanistan
            13: {},
        }
    )
    result, fmt = read_data(data, name="ucdp_broken.csv")
    assert fmt == "ucdp" and result.n_input == 13 and len(result.events) == 3 and result.rejected_rows == 10
    assert _problems(result) == [
        (2, "id"),
        (3, "date_start"),
        (4, "date_end"),
        (5, "where_prec"),
        (6, "date_prec"),
        (7, "type_of_violence"),
        (8, "latitude"),
        (9, "source_article"),
        (10, "best"),
        (11, "high"),
    ]
    (repair,) = result.repaired
    assert repair.row == 12 and "only the swapped point lies in Afghanistan" in repair.reason
    kandahar = result.events.loc[12].geometry
    assert (kandahar.x, kandahar.y) == (65.705795, 31.611795)


def test_the_whole_ucdp_sample_reads_with_all_49_columns():
    result, fmt = read_file(UCDP_FILE)
    with UCDP_FILE.open(encoding="utf-8") as fh:
        assert len(next(csv.reader(fh))) == 49
    assert fmt == "ucdp" and len(result.events) == result.n_input == 226 and not result.rejected and not result.repaired


def test_check_command_takes_a_forced_format(capsys):
    from incidents.__main__ import main

    assert main(["check", "--format", "acled", str(ACLED)]) == 0
    assert "acled_style_ucdp_sample.csv: 215 rows read as acled: 215 accepted, 0 rejected" in capsys.readouterr().out
    assert main(["check", "--format", "ucdp", str(ACLED)]) == 2  # not a UCDP file: one clear error, exit 2
    assert "acled_style_ucdp_sample.csv: not a UCDP GED file: missing columns" in capsys.readouterr().out
    assert main(["check", str(DATA / "broken_events.geojson")]) == 1
    out = capsys.readouterr().out
    assert "14 features read as geojson: 4 accepted, 3 of them repaired, 10 rejected" in out
    assert "broken_events.geojson, feature 3, field 'geometry': repaired: invalid polygon made valid" in out


def test_a_format_declares_its_file_types_and_unit_and_the_registry_tells_everyone():
    """The upload box's types, the formats named when a file is not recognised and ``--format`` come from the registry."""
    from incidents.readers import FORMATS, READERS, Format, expected_formats, format_labels, register, upload_types

    assert [m.FORMAT.name for m in READERS] == list(FORMATS)[: len(READERS)]
    assert upload_types() == ["csv", "geojson", "json", "parquet", "xlsx"]
    assert FORMATS["geojson"].unit == "feature" and FORMATS["acled"].unit == "row"
    assert "mapped" not in expected_formats() and "GeoJSON FeatureCollection" in expected_formats()
    tsv = Format("tsv", "Tab-separated events", lambda s: False, read_text=lambda text, **kw: None, extensions=("tsv",))
    register(tsv)
    try:
        assert "tsv" in upload_types() and format_labels()["tsv"] == "Tab-separated events"
        assert "Tab-separated events" in expected_formats()
        with pytest.raises(ValueError, match="registered twice"):
            register(tsv)
    finally:
        del FORMATS["tsv"]
    with pytest.raises(IncidentDataError, match=r"x\.txt: .*unrecognised: expected ACLED export CSV, UCDP GED CSV"):
        read_data(b"just some words\n", name="x.txt")
