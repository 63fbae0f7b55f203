"""Loading the shipped files and the accounting of every input row."""

from __future__ import annotations

import csv
import os

import pandas as pd
import pytest
import shapely

from incidents import IncidentDataError, load_all, load_events
from incidents.loader import EVENTS_DIR
from incidents.model.schema import COLUMN_NAMES, DATE_PRECISIONS, GEO_PRECISIONS
from incidents.readers import Sample, detect_format, read_file
from tests.conftest import DATA

UCDP_FILE = EVENTS_DIR / "ucdp_ged231_sample_pak_afg_ind.csv"


def test_shipped_files_load_completely(loaded):
    counts = {f.file: (f.rows, f.accepted, f.rejected) for f in loaded.files}
    assert counts["ucdp_ged231_sample_pak_afg_ind.csv"] == (226, 226, 0)
    assert counts["dossier_000_adc269e28bd41553.csv"] == (12, 12, 0)
    assert loaded.rejected == []
    assert len(loaded.events) == 238


def test_every_ucdp_row_appears_with_its_id(events):
    with UCDP_FILE.open(encoding="utf-8") as fh:
        ids = {f"ucdp-{row['id']}" for row in csv.DictReader(fh)}
    assert len(ids) == 226
    assert ids <= set(events["event_id"])


def test_frame_follows_the_model(events):
    assert tuple(events.columns) == COLUMN_NAMES
    assert events["event_id"].is_unique
    assert events.crs.to_epsg() == 4326
    assert (events.geom_type == "Point").all()
    assert set(events["date_precision"].astype(str)) <= set(DATE_PRECISIONS)
    assert set(events["geo_precision"].astype(str)) <= set(GEO_PRECISIONS)
    assert (events["date_end"] >= events["date_start"]).all()
    assert events["excerpt"].str.strip().str.len().gt(0).all()
    assert str(events["fatalities"].dtype) == "Int64"


@pytest.mark.parametrize(
    ("relid", "geo_precision", "admin1", "admin2", "date_precision"),
    [
        ("PAK-2010-1-774-1", "exact", "Balochistan", "Khuzdar", None),
        ("PAK-2011-1-639-4", "near", "Balochistan", "Mastung", "week"),
        # UCDP says "Sibi district" (2009); on the 2022 district set the point is in Harnai,
        # which the join reports: admin units are those of the shipped boundaries.
        ("PAK-2009-1-639-1", "district", "Balochistan", "Harnai", None),
    ],
)
def test_ucdp_precision_codes_and_admin_join(events, relid, geo_precision, admin1, admin2, date_precision):
    with UCDP_FILE.open(encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["relid"] == relid)
    ev = events.set_index("event_id").loc[f"ucdp-{row['id']}"]
    assert ev["geo_precision"] == geo_precision
    assert ev["admin1"] == admin1
    assert ev["admin2"] == admin2
    if date_precision:
        assert ev["date_precision"] == date_precision
    assert ev["fatalities"] == int(row["best"])
    assert ev["excerpt"] == row["source_article"]
    assert ev["excerpt_start"] is pd.NA


def test_ucdp_codes_map_as_the_codebook_says(events):
    ucdp = events[events["dataset"] == "ucdp-ged"]
    with UCDP_FILE.open(encoding="utf-8") as fh:
        rows = {f"ucdp-{r['id']}": r for r in csv.DictReader(fh)}
    where = {"1": "exact", "2": "near", "3": "district", "4": "province", "5": "region", "6": "country", "7": "region"}
    when = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
    for event_id, gp, dp in zip(ucdp["event_id"], ucdp["geo_precision"], ucdp["date_precision"]):
        assert gp == where[rows[event_id]["where_prec"]]
        assert dp == when[rows[event_id]["date_prec"]]


def test_coarse_events_get_no_finer_admin_unit(events):
    coarse = events[events["geo_precision"].isin(["province", "region", "country"])]
    assert coarse["admin2"].isna().all()
    assert events.loc[events["geo_precision"].isin(["region", "country"]), "admin1"].isna().all()
    # a province-level event in Balochistan is not counted in Mastung or Khuzdar
    bal = coarse[coarse["admin1"] == "Balochistan"]
    assert len(bal) >= 4
    assert not any({"Mastung", "Khuzdar"} & set(r) for r in bal["regions"])


def test_broken_file_is_fully_accounted_for():
    result = load_all([DATA / "broken_events.csv"], shipped=False)
    report = result.files[0]
    assert (report.rows, report.accepted, report.rejected) == (9, 2, 7)
    assert report.accepted + report.rejected == report.rows
    reasons = {(r.row, r.field): r.reason for r in result.rejected}
    assert reasons[(2, "date_start")].startswith("not a calendar date")
    assert "latitude" in reasons[(3, "latitude")]
    assert "exact" in reasons[(4, "geo_precision")]
    assert "every event must quote" in reasons[(5, "excerpt")]
    assert "is not the text at" in reasons[(6, "excerpt")]
    assert "http" in reasons[(7, "source_url")]
    assert "duplicate event_id" in reasons[(8, "event_id")]
    assert all(r.file == "broken_events.csv" for r in result.rejected)
    assert sorted(result.events["event_id"]) == ["ok-1", "ok-2"]
    ok2 = result.events.set_index("event_id").loc["ok-2"]
    assert (ok2["date_precision"], str(ok2["date_start"].date()), str(ok2["date_end"].date())) == (
        "year",
        "2024-01-01",
        "2024-12-31",
    )


def test_duplicate_ids_across_files_are_reported_not_merged(tmp_path):
    copy = tmp_path / "again.csv"
    copy.write_bytes(UCDP_FILE.read_bytes())
    result = load_all([copy])
    again = next(f for f in result.files if f.file == "again.csv")
    assert (again.rows, again.accepted, again.rejected) == (226, 0, 226)
    assert len(result.events) == 238
    assert all("first loaded from ucdp_ged231_sample_pak_afg_ind.csv" in r.reason for r in result.rejected)


def test_incident_files_env_var_adds_events(tmp_path, monkeypatch):
    extra = tmp_path / "extra.csv"
    extra.write_text(
        "event_id,date_start,latitude,longitude,geo_precision,excerpt,actors\n"
        "x-1,2025-06-02,29.8,66.85,exact,An analyst's note,Lashkar-e-Toiba\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("INCIDENT_FILES", os.pathsep.join([str(extra), str(tmp_path / "missing.csv")]))
    result = load_all()
    assert len(result.events) == 239
    added = result.events.set_index("event_id").loc["x-1"]
    assert added["dataset"] == "extra"
    assert added["actors"] == ("Lashkar-e-Taiba",)
    assert added["admin2"] == "Mastung"
    missing = [r for r in result.rejected if r.file == "missing.csv"]
    assert len(missing) == 1 and missing[0].row is None and missing[0].reason == "file not found"
    assert len(load_events()) == 239


def test_unknown_columns_and_bad_encoding_name_the_file(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IncidentDataError, match="odd.csv.*unrecognised columns"):
        read_file(odd)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("event_id,date_start,latitude,longitude,geo_precision,excerpt\nx,2020,1,1,exact,caf\xe9\n".encode("cp1252"))
    result, fmt = read_file(latin)  # Windows-1252 is read, and the repair reported
    assert fmt == "native" and result.events["excerpt"].tolist() == ["caf\xe9"]
    assert [str(r) for r in result.repaired] == [
        "latin.csv: repaired: read as Windows-1252: the file is not UTF-8 (invalid continuation byte at byte 81)"
    ]
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"event_id,date_start\n\x00\x81\xff\n")
    with pytest.raises(IncidentDataError, match="binary.csv.*not UTF-8.*not Windows-1252"):
        read_file(binary)
    assert issubclass(IncidentDataError, ValueError)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"relid", "where_prec", "date_prec", "side_a", "side_b", "id"}, "ucdp"),
        ({"event_id", "date_start", "latitude", "longitude", "geo_precision", "excerpt"}, "native"),
        ({"event_id", "date_start"}, None),
    ],
)
def test_format_is_detected_from_columns(columns, expected):
    header = ",".join(sorted(columns)) + "\n"
    assert detect_format(Sample(header[:4].encode(), header)) == expected
    assert detect_format(Sample(header[:4].encode())) is None  # a header is only seen once the text is decoded


def test_positions_are_where_the_files_say(events):
    ucdp = events[events["dataset"] == "ucdp-ged"]
    with UCDP_FILE.open(encoding="utf-8") as fh:
        coords = {f"ucdp-{r['id']}": (float(r["longitude"]), float(r["latitude"])) for r in csv.DictReader(fh)}
    for event_id, geom in zip(ucdp["event_id"], ucdp.geometry):
        assert shapely.equals_exact(geom, shapely.Point(coords[event_id]), tolerance=1e-9)


@pytest.mark.parametrize(("fmt", "what"), [("ucdp", "not a UCDP GED file"), ("native", "not the project's event CSV")])
def test_a_forced_format_names_the_missing_columns(fmt, what):
    with pytest.raises(IncidentDataError) as info:
        read_file(DATA / "broken_events.csv" if fmt == "ucdp" else UCDP_FILE, fmt=fmt)
    (problem,) = info.value.problems
    assert problem.row is None and problem.reason.startswith(what + ": missing columns")
