"""The pieces that keep the dashboard fast at scale: index, GeoParquet, compact rows, counts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from benchmarks.synthetic import GROUPS, synthetic_events
from incidents import EventFilter, IncidentDataError, filter_mask, load_all
from incidents.model.schema import COLUMN_NAMES
from incidents.query.index import EventIndex
from incidents.readers import read_file
from incidents.readers.geoparquet import read_geoparquet
from incidents.writers import write_events
from layers.counts import count_cells
from layers.markers import decode_incident_script, pack_incidents
from layers.styles import group_colors


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_events(3000, seed=7)


def _oracle(frame: pd.DataFrame, f: EventFilter) -> np.ndarray:
    """The filter's meaning, row by row in plain Python."""
    out = []
    for _, ev in frame.iterrows():
        ok = True
        start, end = f.get("dates") or (None, None)
        if start:
            ok &= ev["date_end"].date() >= start
        if end:
            ok &= ev["date_start"].date() <= end
        if "groups" in f:
            ok &= bool(set(ev["actors"]) & f["groups"])
        if "event_types" in f:
            ok &= ev["event_type"] in f["event_types"]
        if "regions" in f:
            ok &= bool(set(ev["regions"]) & f["regions"])
        if "text" in f:
            needle = f["text"].strip().casefold()
            ok &= needle in ev["excerpt"].casefold() or needle in ev["location"].casefold()
        out.append(ok)
    return np.array(out)


@pytest.mark.parametrize(
    "f",
    [
        EventFilter(dates=(date(2019, 3, 1), date(2019, 3, 31))),
        EventFilter(groups=frozenset({GROUPS[0], GROUPS[5]})),
        EventFilter(groups=frozenset({"nobody"})),
        EventFilter(event_types=frozenset({"bombing"}), regions=frozenset({"Balochistan", "Kashmir"})),
        EventFilter(text="CHECKPOINT convoy"),
        EventFilter(dates=(date(2016, 1, 1), None), groups=frozenset({GROUPS[2]}), regions=frozenset({"Afghan border zone"})),
    ],
)
def test_indexed_filter_agrees_with_a_row_by_row_reading(synthetic, f):
    from incidents.geo.joins import assign_admin

    frame = assign_admin(synthetic).reset_index(drop=True)
    mask = filter_mask(EventIndex.build(frame), f)
    expected = _oracle(frame, f)
    assert mask.tolist() == expected.tolist()
    assert 0 < expected.sum() < len(frame) or f.get("groups") == frozenset({"nobody"})


def test_index_counts_groups_and_finds_ids(events):
    index = EventIndex.build(events)
    counts = index.actors.counts()
    assert counts["Lashkar-e-Taiba"] == sum("Lashkar-e-Taiba" in a for a in events["actors"])
    rows = np.flatnonzero(filter_mask(index, EventFilter(datasets=frozenset({"dossier"}))))
    assert sum(index.actors.counts(rows).values()) == sum(len(a) for a in events["actors"].iloc[rows])
    key = index.key_of("dossier-adc269e2-09")
    assert events["event_id"].iloc[key] == "dossier-adc269e2-09"
    assert index.key_of("no-such-id") is None and index.key_of(None) is None


def test_geoparquet_round_trip_keeps_every_event(tmp_path, synthetic):
    path = write_events(synthetic, tmp_path / "events.parquet")
    result, fmt = read_file(path)
    assert fmt == "geoparquet" and result.n_input == len(synthetic) and not result.rejected
    back = result.events
    assert list(back.columns) == list(COLUMN_NAMES)
    assert set(back["dataset"]) == {"events"}  # the file's stem; every other column as written
    assert_geodataframe_equal(back, synthetic.assign(dataset="events"))


@pytest.mark.parametrize("encoding", ["little-endian", "big-endian", "EWKB with SRID", "3-D"])
def test_geoparquet_points_read_the_same_whatever_the_wkb(tmp_path, synthetic, encoding):
    """Plain little-endian points are read from the bytes; every other WKB goes through shapely."""
    frame = synthetic.head(200).reset_index(drop=True)
    if encoding == "3-D":
        frame = frame.set_geometry(shapely.force_3d(frame.geometry.values, 5.0), crs=4326)
    path = write_events(frame, tmp_path / "events.parquet")
    if encoding in ("big-endian", "EWKB with SRID"):
        table = pq.read_table(path)
        geoms = frame.geometry.values
        if encoding == "big-endian":
            wkb = shapely.to_wkb(geoms, byte_order=0)
        else:
            wkb = shapely.to_wkb(shapely.set_srid(geoms, 4326), include_srid=True)
        table = table.set_column(table.schema.get_field_index("geometry"), "geometry", pa.array(wkb, pa.binary()))
        pq.write_table(table, path)
    result = read_geoparquet(path, dataset="x")
    if encoding == "3-D":
        assert not len(result.events) and {r.reason for r in result.rejected} == {"3-D coordinates; expected 2-D"}
        return
    assert not result.rejected
    assert shapely.equals_exact(result.events.geometry.values, frame.geometry.values, tolerance=0).all()


def _broken_frame():
    good = {"event_id": "ok-1", "date_start": date(2020, 1, 1), "date_end": date(2020, 1, 1), "date_precision": "day"}
    rows = [
        dict(good),
        {**good, "event_id": " "},
        {**good, "event_id": "ok-1"},
        {**good, "event_id": "d", "date_end": date(2019, 1, 1)},
        {**good, "event_id": "p", "date_precision": "hour"},
        {**good, "event_id": "x", "excerpt": "   "},
        {**good, "event_id": "f", "fatalities": -3},
        {**good, "event_id": "u", "source_url": "javascript:alert(1)"},
        {**good, "event_id": "g"},
        {**good, "event_id": "o", "excerpt_start": 5},
    ]
    geoms = [shapely.Point(66.7, 29.7)] * 8 + [shapely.LineString([(0, 0), (1, 1)]), shapely.Point(66.7, 29.7)]
    frame = pd.DataFrame(rows)
    frame["geo_precision"] = "exact"
    frame["excerpt"] = frame.get("excerpt", pd.Series(dtype=object)).fillna("words")
    frame["fatalities"] = frame["fatalities"].astype("Int64")
    import geopandas as gpd

    return gpd.GeoDataFrame(frame, geometry=geoms, crs=4326)


def test_geoparquet_rejects_each_bad_row_with_its_reason(tmp_path):
    path = tmp_path / "broken.parquet"
    _broken_frame().to_parquet(path)
    result = read_geoparquet(path, dataset="broken")
    assert result.n_input == 10
    assert len(result.events) + result.rejected_rows == 10
    assert result.events["event_id"].tolist() == ["ok-1"]
    by_row = {(r.row, r.field): r.reason for r in result.rejected}
    assert "event_id is empty" in by_row[(2, "event_id")]
    assert "duplicate event_id" in by_row[(3, "event_id")]
    assert "before date_start" in by_row[(4, "date_end")]
    assert "expected one of" in by_row[(5, "date_precision")]
    assert "excerpt is empty" in by_row[(6, "excerpt")]
    assert "whole number" in by_row[(7, "fatalities")]
    assert "http" in by_row[(8, "source_url")]
    assert "point" in by_row[(9, "geometry")]
    assert "no stored document" in by_row[(10, "excerpt_start")]
    assert all(r.file == "broken.parquet" for r in result.rejected)


def test_geoparquet_whole_file_problems_name_the_file(tmp_path, synthetic):
    other_crs = synthetic.head(3).to_crs(3857)
    other_crs.to_parquet(tmp_path / "metres.parquet")
    with pytest.raises(IncidentDataError, match=r"metres\.parquet.*EPSG:4326"):
        read_geoparquet(tmp_path / "metres.parquet", dataset="x")
    synthetic.head(3).drop(columns=["excerpt"]).to_parquet(tmp_path / "short.parquet")
    with pytest.raises(IncidentDataError, match=r"short\.parquet.*excerpt"):
        read_geoparquet(tmp_path / "short.parquet", dataset="x")
    pq.write_table(pa.table({"a": [1]}), tmp_path / "plain.parquet")
    with pytest.raises(IncidentDataError, match=r"plain\.parquet.*not GeoParquet"):
        read_geoparquet(tmp_path / "plain.parquet", dataset="x")
    result = load_all([tmp_path / "plain.parquet"], shipped=False)
    assert result.files[0].format == "unreadable" and result.rejected[0].file == "plain.parquet"


def test_compact_rows_round_trip(synthetic):
    frame = synthetic.reset_index(drop=True)
    index = EventIndex.build(frame)
    rows = np.flatnonzero(filter_mask(index, EventFilter(groups=frozenset({GROUPS[3]}))))
    from layers.markers import IncidentLayer

    layer = IncidentLayer(index, rows, group_colors(index.actors.counts()))
    sent = decode_incident_script(layer.call)
    assert sent["key"].tolist() == rows.tolist()
    assert np.abs(sent["lat"] - index.lat[rows]).max() <= 5e-6
    meta, packed = pack_incidents(index, rows, {})
    assert len(packed) == 22 * len(rows)  # 22 bytes per incident, whatever its texts
    assert all(GROUPS[3] in meta["styles"][s]["groups"] for s in sent["style"])
    assert sent["start"].tolist() == index.start_day[rows].tolist() and sent["end"].tolist() == index.end_day[rows].tolist()


def test_count_cells_count_every_incident_once(synthetic):
    index = EventIndex.build(synthetic.reset_index(drop=True))
    rows = np.arange(index.n)
    cells = count_cells(index, rows, cell=0.5)
    assert sum(cells["count"]) == cells["total"] == index.n
    i = int(np.argmax(cells["count"]))
    south, west = cells["south"][i], cells["west"][i]
    inside = (index.lat >= south) & (index.lat < south + 0.5) & (index.lon >= west) & (index.lon < west + 0.5)
    assert cells["count"][i] == int(inside.sum())
    area = index.precision[inside] >= 2
    assert cells["area_only"][i] == int(area.sum())


def test_command_line_checks_and_converts(tmp_path, capsys):
    from incidents.__main__ import main
    from tests.conftest import DATA

    assert main(["check", str(DATA / "broken_events.csv")]) == 1
    out = capsys.readouterr().out
    assert "broken_events.csv: 9 rows read as native: 2 accepted, 7 rejected" in out
    assert out.count("broken_events.csv, row ") >= 7
    target = tmp_path / "good.parquet"
    assert main(["convert", str(DATA / "broken_events.csv"), str(target)]) == 1
    assert main(["check", str(target)]) == 0
    assert "2 accepted, 0 rejected" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "missing.csv")]) == 2


def test_most_recent_rows_and_membership(synthetic):
    index = EventIndex.build(synthetic.reset_index(drop=True))
    rows = np.flatnonzero(filter_mask(index, EventFilter(groups=frozenset({GROUPS[1]}))))
    top = index.most_recent(rows, 50)
    assert len(top) == 50 and set(top) <= set(rows)
    days = index.start_day[top]
    assert (np.diff(days) <= 0).all() and days[-1] >= np.sort(index.start_day[rows])[-50]
    assert EventIndex.contains(rows, int(rows[7])) and not EventIndex.contains(
        rows, int(np.setdiff1d(np.arange(index.n), rows)[0])
    )


def test_day_numbers_round_trip():
    from incidents.query.index import from_day, to_day

    for d in (date(1970, 1, 1), date(2025, 3, 1), date(1989, 12, 31)):
        assert from_day(to_day(d)) == d
    assert to_day(date(1970, 1, 2)) == 1
