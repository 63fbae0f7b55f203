"""Event files in the shapes real exports come in (``tests/data/wild/``, written by ``scripts/make_wild_fixtures.py``).

Each is read as ``check`` reads it: what is accepted, what was inferred and reported, and that
nothing is lost (accepted + rejected + merged = data rows).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hst

from incidents import load_all
from incidents.loader import Upload
from incidents.model.dates import DAY_FIRST, MONTH_FIRST
from incidents.readers import ReadOptions, mapped, profiles, read_data
from incidents.readers.xlsx import cell_text
from tests.conftest import DATA, ROOT

WILD = DATA / "wild"


def _read(name, **options):
    result = load_all([WILD / name], shipped=False, options=ReadOptions(**options))
    (report,) = result.files
    assert report.accepted + report.rejected + report.merged == report.rows
    return result, report


def _notes(result):
    return [i.reason for i in result.inferred]


def test_the_script_writes_the_fixtures_as_they_are_in_the_repository(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_wild_fixtures
    finally:
        sys.path.pop(0)
    made = make_wild_fixtures.files()
    assert sorted([*made, "ucdp_workbook.xlsx"]) == sorted(p.name for p in WILD.iterdir())
    for name, text in made.items():
        assert (WILD / name).read_bytes() == text.encode("utf-8"), name
    # a workbook's bytes carry the time it was written: compared by its cells
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(WILD / "ucdp_workbook.xlsx"))
    assert book.sheet_names == list(make_wild_fixtures.sheets())

    def cells(rows):
        return [[cell_text(v) for v in r] for r in rows if any(cell_text(v) for v in r)]

    for title, rows in make_wild_fixtures.sheets().items():
        assert cells(book.get_sheet_by_name(title).to_python(skip_empty_area=True)) == cells(rows), title


def test_spreadsheet_dates_d_mon_yy_are_read_with_the_stated_pivot():
    result, report = _read("acled_spreadsheet_d_mon_yy.csv")
    assert (report.rows, report.accepted) == (3, 3)
    assert sorted(result.events["date_start"].dt.date) == [date(1999, 1, 17), date(2020, 5, 9), date(2024, 8, 5)]
    assert _notes(result) == ["two-digit years 00-68 read as 2000-2068, 69-99 as 1969-1999"]


def test_one_day_over_12_makes_the_whole_file_day_first():
    result, report = _read("acled_spreadsheet_dd_mm_yy.csv")
    assert report.accepted == 3
    assert sorted(result.events["date_start"].dt.date) == [date(2019, 4, 3), date(2019, 12, 31), date(2020, 6, 5)]
    assert _notes(result)[0].startswith("numeric dates read day first (row 2 has '31-12-19')")


def test_ambiguous_numeric_dates_refuse_the_file_until_the_order_is_given():
    result, report = _read("acled_ambiguous_dates.csv")
    assert report.format == "unreadable" and "--dayfirst or --monthfirst" in result.rejected[0].reason
    assert result.rejected[0].field == "event_date"
    days = {
        order: sorted(_read("acled_ambiguous_dates.csv", order=order)[0].events["date_start"].dt.date)
        for order in (DAY_FIRST, MONTH_FIRST)
    }
    assert days[DAY_FIRST] == [date(2019, 4, 3), date(2019, 6, 5), date(2019, 12, 11)]
    assert days[MONTH_FIRST] == [date(2019, 3, 4), date(2019, 5, 6), date(2019, 11, 12)]


def test_the_long_shape_merges_one_event_per_actor_and_keeps_true_duplicates_out():
    result, report = _read("acled_long.csv")
    assert (report.rows, report.accepted, report.rejected, report.merged) == (5, 3, 1, 1)
    merged = result.events.set_index("event_id").loc["acled-PAK1001", "actors"]
    assert {"Balochistan Liberation Army", "Baloch Raaji Aajoi Sangar"} <= set(merged)
    (note,) = result.inferred
    assert (note.row, note.value) == (2, "PAK1001") and note.reason.startswith("merged into row 1")
    (dup,) = result.rejected  # the same id with another date is not the same event
    assert dup.row == 4 and dup.reason.startswith("duplicate event_id")


def test_the_2015_asia_layout_keeps_its_allied_actors():
    result, report = _read("acled_2015_asia.csv")
    assert report.accepted == 2 and all("Lashkar-e-Jhangvi" in a for a in result.events["actors"])
    assert _notes(result) == ["columns read by another name: assoc_actor_1 ← ally_actor_1, assoc_actor_2 ← ally_actor_2"]


def test_ucdp_from_hdx_skips_its_hashtag_row_without_counting_it():
    result, report = _read("ucdp_hdx.csv")
    assert (report.rows, report.accepted, report.rejected) == (3, 3, 0)
    assert sorted(result.events["date_start"].dt.date) == [date(1990, 10, 1), date(1990, 10, 2), date(1990, 10, 3)]
    (note,) = result.inferred
    assert note.reason.startswith("the row after the header is HXL hashtags") and note.value.startswith("#id, #relid")


def test_ucdp_from_its_api_reads_its_names_us_dates_and_trailing_delimiters():
    result, report = _read("ucdp_api.csv")
    assert (report.accepted, report.rejected) == (2, 0)
    assert sorted(result.events["date_start"].dt.date) == [date(1990, 3, 27), date(1990, 4, 2)]
    assert sorted(result.events["fatalities_high"].tolist()) == [1, 2]
    assert _notes(result) == [
        "columns read by another name: best ← best_est, low ← low_est, high ← high_est",
        "numeric dates read month first (row 1 has '03/27/1990 00:00:00')",
    ]


def test_old_mac_line_endings_non_breaking_spaces_and_mojibake():
    result, report = _read("acled_mac_nbsp.csv")
    assert (report.accepted, report.repaired) == (2, 1)
    assert result.events["location"].tolist() == ["Mastung", "Mastung"] and result.events["fatalities"].tolist() == [2, 2]
    assert result.events["excerpt"].iloc[1] == "Le autorità locali hanno detto: attacco vicino a Mastung."
    (repair,) = result.repaired
    assert (repair.row, repair.field, repair.value) == (
        2,
        "notes",
        "Le autoritÃ\xa0 locali hanno detto: attacco vicino a Mastung.",
    )
    clean, _ = _read("acled_spreadsheet_d_mon_yy.csv")
    assert clean.repaired == []  # text without mojibake is left alone


def test_a_header_naming_a_column_twice_is_refused_naming_both_positions():
    result, report = _read("duplicate_header.csv")
    assert report.format == "unreadable"
    assert "names column 'event_id' twice (columns 1 and 2)" in result.rejected[0].reason


@pytest.mark.parametrize(("flag", "first"), [("--dayfirst", "2019-04-03"), ("--monthfirst", "2019-03-04")])
def test_the_command_line_takes_the_date_order_and_prints_how_the_file_was_read(flag, first, tmp_path):
    def check(*args):
        return subprocess.run([sys.executable, "-m", "incidents", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)

    refused = check("check", str(WILD / "acled_ambiguous_dates.csv"))
    assert refused.returncode == 2 and "--dayfirst or --monthfirst" in refused.stdout
    done = check("convert", flag, str(WILD / "acled_ambiguous_dates.csv"), str(tmp_path / "out.parquet"))
    assert done.returncode == 0, done.stderr
    assert f"read as: numeric dates read {flag.strip('-').replace('first', ' first')}, as asked" in done.stderr
    back = load_all([tmp_path / "out.parquet"], shipped=False).events
    assert str(back["date_start"].min().date()) == first


def test_the_accounting_panel_says_how_each_file_was_read_and_offers_it_as_a_download(clean_cache, monkeypatch):
    from streamlit.testing.v1 import AppTest

    files = [WILD / "ucdp_api.csv", WILD / "acled_long.csv"]
    monkeypatch.setenv("INCIDENT_FILES", os.pathsep.join(str(f) for f in files))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "reason" in d.value.columns]
    (table,) = [t for t in tables if any(str(r).startswith("merged into row") for r in t["reason"])]
    reasons = table["reason"].tolist()
    assert "numeric dates read month first (row 1 has '03/27/1990 00:00:00')" in reasons
    assert any(r.startswith("merged into row 1: the same event written once per actor") for r in reasons)
    assert set(table["file"]) == {"ucdp_api.csv", "acled_long.csv"}
    labels = [b.label for b in at.get("download_button")]
    assert "Download the report of how the files were read (CSV)" in labels
    report = next(d.value for d in at.dataframe if "merged" in d.value.columns)
    row = report[report["file"] == "acled_long.csv"].iloc[0]
    assert (row["rows"], row["accepted"], row["rejected"], row["merged"]) == (5, 3, 1, 1)


def test_a_table_in_no_known_layout_is_mapped_by_name_with_honest_defaults():
    result, report = _read("gtd_style.csv")
    assert (report.format, report.rows, report.accepted) == ("mapped", 3, 3)
    ev = result.events.set_index("event_id")
    assert list(ev.index) == ["gtd_style-1", "gtd_style-2", "gtd_style-3"]  # ids from the file and row
    assert set(ev["geo_precision"]) == {"exact"} and set(ev["excerpt"]) == {""}
    assert ev.loc["gtd_style-1", "actors"] == ("Lashkar-e-Jhangvi",) and ev.loc["gtd_style-1", "location"] == "Quetta"
    assert pd.isna(ev.loc["gtd_style-2", "fatalities"])  # "Unknown" in a count: not stated, and said so
    assert _notes(result) == [
        "columns mapped (by name): date ← date, latitude ← lat, longitude ← lon, location ← city, "
        "actors ← perpetrator_group, fatalities ← fatalities",
        "a word for not known, taken as not stated (1 row)",
        "no source text in this dataset: nothing maps to excerpt",
    ]


def test_year_month_day_columns_cover_the_year_or_month_when_a_part_is_zero():
    result, _ = _read("gtd_parts.csv")
    ev = result.events.set_index("event_id")
    spans = {i: (str(r.date_start.date()), str(r.date_end.date()), r.date_precision) for i, r in ev.iterrows()}
    assert spans == {
        "201406080001": ("2014-06-08", "2014-06-08", "day"),
        "201409000001": ("2014-09-01", "2014-09-30", "month"),
        "201400000001": ("2014-01-01", "2014-12-31", "year"),
    }


def test_a_drone_strike_table_reads_its_day_first_dates_and_unreported_counts():
    result, report = _read("drone_strikes.csv")
    assert report.accepted == 3
    assert sorted(result.events["date_start"].dt.date) == [date(2004, 6, 18), date(2006, 1, 13), date(2009, 8, 5)]
    assert result.events["fatalities"].isna().sum() == 1
    assert "numeric dates read day first (row 1 has '18/06/2004')" in _notes(result)


def test_columns_the_names_do_not_map_are_named_by_the_user_or_a_profile(tmp_path):
    result, report = _read("odd_table.csv")
    assert report.format == "unreadable" and "no column for date (or year)" in result.rejected[0].reason
    given = (("date", "when"), ("latitude", "north"), ("longitude", "east"), ("excerpt", "note"))
    result, report = _read("odd_table.csv", columns=given)
    assert report.accepted == 1 and result.events["excerpt"].tolist() == ["a meeting was reported"]
    table = b"date,lat,lon,notes\n2025-01-01,29.8,66.85,\n2025-01-02,29.8,66.85,said\n"
    gaps = load_all([], shipped=False, uploads=[Upload("gaps.csv", table)])
    assert "1 row has no source text (an empty excerpt)" in _notes(gaps)
    result, report = _read("odd_table.csv", columns=(("latitude", "nope"),))
    assert report.format == "unreadable" and "no such column for latitude=nope" in result.rejected[0].reason
    profile = tmp_path / "odd.json"
    profile.write_text(profiles.profile_text(dict(given)), encoding="utf-8")
    assert profiles.read_profile(profile) == dict(given)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "incidents",
            "check",
            "--profile",
            str(profile),
            "--columns",
            "location=where",
            str(WILD / "odd_table.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "columns mapped (as given and by name): location ← where, date ← when, latitude ← north" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "incidents", "check", "--columns", "lattitude=north", str(WILD / "odd_table.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "'lattitude' is not a field" in bad.stderr


def test_an_event_without_source_text_says_so_in_the_panel_and_popup():
    from layers import incident_details
    from layers.markers import NO_SOURCE_TEXT
    from views import selected

    result, _ = _read("gtd_style.csv")
    details = incident_details(result.events, 0)
    assert details["no_text"] == NO_SOURCE_TEXT
    blocks = selected.blocks(result.events, details)
    assert ("caption", NO_SOURCE_TEXT) in blocks and ("caption", "Excerpt (verbatim)") not in blocks


LATS, LONS, DATES = ("lat", "Latitude", "y"), ("lon", "LNG", "long", "Longitude", "x"), ("date", "Event Date", "event_date")
OTHERS = ("city", "notes", "killed", "group", "colour", "remarks", "weight")


@given(
    hst.sampled_from(LATS),
    hst.sampled_from(LONS),
    hst.sampled_from(DATES),
    hst.lists(hst.sampled_from(OTHERS), unique=True, max_size=5),
    hst.randoms(use_true_random=False),
)
def test_any_header_with_a_position_and_a_date_is_mapped_and_every_row_accounted_for(lat, lon, day, others, rnd):
    header = [lat, lon, day, *others]
    rnd.shuffle(header)
    m = mapped.suggest(header)
    assert (m["latitude"], m["longitude"], m["date"]) == (lat, lon, day) and mapped.usable(m) == []
    assert len(set(m.values())) == len(m)  # a column is used once
    cells = {lat: "29.8", lon: "66.85", day: "2025-06-10"}
    rows = [",".join(cells.get(c, "") for c in header), ",".join(cells.get(c, "") if c != lat else "north" for c in header)]
    result, fmt = read_data(("\n".join([",".join(header), *rows]) + "\n").encode(), name="t.csv")
    assert fmt == "mapped" and len(result.events) + result.rejected_rows == result.n_input == 2
    assert len(result.events) == 1 and result.rejected[0].field == lat


def test_a_workbook_reads_its_first_sheet_with_data_or_the_one_named():
    result, report = _read("ucdp_workbook.xlsx")
    assert (report.format, report.rows, report.accepted) == ("xlsx", 2, 2)
    ev = result.events.sort_values("event_id")
    assert [str(d.date()) for d in ev["date_start"]] == ["1990-10-04", "1991-02-28"]
    assert ev["fatalities"].tolist() == [2, 3] and ev["event_id"].tolist() == ["ucdp-9000", "ucdp-9001"]  # 9000.0 read as 9000
    assert _notes(result)[0] == "sheet 'GED' of 3 read (the first with data), as ucdp"
    drones, report = _read("ucdp_workbook.xlsx", sheet="Drones")
    assert report.accepted == 2 and drones.events["fatalities"].isna().sum() == 1
    assert _notes(drones)[0] == "sheet 'Drones' of 3 read (as named), as mapped"
    missing, report = _read("ucdp_workbook.xlsx", sheet="Nope")
    assert (
        report.format == "unreadable"
        and "no sheet of that name; the sheets are ['Empty', 'GED', 'Drones']" in missing.rejected[0].reason
    )
    empty, report = _read("ucdp_workbook.xlsx", sheet="Empty")
    assert report.format == "unreadable" and empty.rejected[0].reason == "the sheet holds no data"


def test_a_zip_that_is_not_a_workbook_is_refused_clearly(tmp_path):
    import zipfile

    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    result, report = _read_path(path)
    assert report.format == "unreadable" and result.rejected[0].reason.startswith("not readable as an .xlsx workbook")


def _read_path(path):
    result = load_all([path], shipped=False)
    return result, result.files[0]


def test_a_geojson_event_map_in_its_own_properties_is_mapped_with_its_geometries():
    result, report = _read("event_map.geojson")
    assert (report.format, report.rows, report.accepted, report.rejected) == ("geojson", 4, 3, 1)
    ev = result.events.set_index("event_id")
    assert list(ev.index) == ["event_map-1", "event_map-2", "event_map-4"]
    assert ev["geo_precision"].tolist() == ["exact", "region", "near"]  # a point, an area, a town by name
    assert [str(d.date()) for d in ev["date_start"]] == ["2025-10-26", "2025-11-02", "2025-11-04"]
    assert ev.loc["event_map-2", "excerpt"] == "Clashes were reported in the hills around Mastung."  # nested properties
    assert ev.loc["event_map-1", "source_url"] == "https://example.org/a"
    assert "1 feature has no source text (an empty excerpt)" not in _notes(result)  # every feature has a description
    (line,) = result.rejected
    assert (line.row, line.unit, line.field, line.value) == (3, "feature", "geometry", "LineString")
    notes = _notes(result)
    assert notes[0] == "properties mapped (by name): date ← date, location ← location, excerpt ← description, source_url ← link"
    assert "nested properties.properties read as properties (1 feature)" in notes
    assert any(n.startswith("numeric dates read day first (feature 1 has '26/10/25')") for n in notes)
    assert "areas (Polygon, MultiPolygon) read as geo_precision region: an area of unstated size (1 feature)" in notes
