"""Distances to lines agree with an independent geodesic computation; the distance facet reads links as documented."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely

from incidents import EventFilter, filter_mask, from_query, to_query
from incidents.geo.distance import LIMIT_KM, distance_km, line, line_names
from incidents.query.filters import remarks, split, where
from incidents.query.index import EventIndex
from incidents.query.near import DistanceFacet, distance_to
from tests.geodesic import distance_km as reference_km
from tests.geodesic import line_points

LINES = ["Durand Line", "Line of Control", "Working Boundary", "Iran-Pakistan boundary", "China-Pakistan boundary"]


def test_every_shipped_line_and_border_is_offered():
    names = line_names()
    assert names[:2] == ("Durand Line", "Line of Control")
    assert {"Working Boundary", "Siachen sector", "Iran-Pakistan boundary", "India-Pakistan boundary"} <= set(names)
    assert "Afghanistan-Pakistan boundary" not in names  # that line is the Durand Line, with its caveat
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", LINES)
def test_distances_agree_with_a_brute_force_geodesic_reference(name):
    """Points scattered within 600 km of the line, and some on it: within 10 m of the reference, never less."""
    geom = line(name)
    rng = np.random.default_rng(7)
    on_line = shapely.get_coordinates(shapely.line_interpolate_point(geom.geoms[0], rng.uniform(0, 1, 10), normalized=True))
    minx, miny, maxx, maxy = geom.bounds
    scattered = np.column_stack([rng.uniform(minx - 5, maxx + 5, 60), rng.uniform(miny - 5, maxy + 5, 60)])
    lonlat = np.vstack([on_line, scattered])
    got = distance_km(lonlat[:, 1], lonlat[:, 0], name)
    points = line_points(geom)
    expected = np.array([reference_km(x, y, points) for x, y in lonlat])
    near = expected < LIMIT_KM - 1
    assert near.sum() >= 40 and np.isfinite(got[near]).all()
    # within 15 m: the reference's own step (20 m, so up to 10 m over), and between vertices it follows the
    # geodesic where the shipped line runs straight in degrees (metres apart on the longest segments)
    assert np.abs(got[near] - expected[near]).max() < 0.015
    assert np.abs(got[:10]).max() < 0.01  # points on the line
    far = expected > LIMIT_KM + 100
    assert np.all(np.isinf(got[far]) | (got[far] > LIMIT_KM))


def test_missing_coordinates_give_nan_and_an_unknown_line_is_an_error():
    got = distance_km(np.array([np.nan, 30.0]), np.array([66.0, np.nan]), "Durand Line")
    assert np.isnan(got).all()
    with pytest.raises(KeyError):
        distance_km(np.array([30.0]), np.array([66.0]), "Maginot Line")


def test_the_index_measures_a_line_once_and_keeps_it(events):
    index = EventIndex.build(events)
    first = distance_to(index, "Durand Line")
    assert distance_to(index, "Durand Line") is first and not first.flags.writeable
    assert len(first) == len(events)


@pytest.mark.parametrize(
    ("query", "value", "notes"),
    [
        ({"near": ["Durand Line"]}, ("Durand Line", 50.0, False), []),
        ({"near": ["Durand Line"], "km": ["12.5"], "approx": ["1"]}, ("Durand Line", 12.5, True), []),
        ({"near": ["Line of Control"], "km": ["0"]}, ("Line of Control", 0.0, False), []),
        (
            {"near": ["Durand Line"], "km": ["900"]},
            ("Durand Line", 50.0, False),
            ["ignored km='900': expected a number of kilometres from 0 to 500"],
        ),
        (
            {"near": ["Durand Line"], "km": ["ten"], "approx": ["yes"]},
            ("Durand Line", 50.0, False),
            [
                "ignored km='ten': expected a number of kilometres from 0 to 500",
                "ignored approx='yes': expected 1 (include approximate locations) or 0",
            ],
        ),
        ({"km": ["30"]}, None, ["ignored km='30': no line chosen (near=)"]),
        ({"near": ["<b>Maginot</b>"], "km": ["5"]}, None, None),
    ],
)
def test_a_link_is_read_with_a_note_for_each_part_it_cannot_use(query, value, notes):
    got, got_notes = DistanceFacet().read(query, None)
    assert got == value
    if notes is None:  # an unknown line: named, with the lines there are
        assert got_notes[0].startswith("ignored near='<b>Maginot</b>': no such line (known: Durand Line, Line of Control")
        assert got_notes[1] == "ignored km='5': no line chosen (near=)"
    else:
        assert got_notes == notes


def test_a_link_round_trips_and_the_widget_gives_its_value_back(events):
    index = EventIndex.build(events)
    f = EventFilter(distance=("Working Boundary", 7.5, True), groups={"Lashkar-e-Taiba"})
    query = to_query(f)
    assert query == {"group": ["Lashkar-e-Taiba"], "near": "Working Boundary", "km": "7.5", "approx": "1"}
    params = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    assert from_query(params, index) == (f, [])
    facet = DistanceFacet()
    w = facet.widget(index)
    assert w.parts == ("line", "km", "approx") and "Durand Line" in w.options
    assert facet.from_widget(facet.to_widget(f["distance"], w), w) == f["distance"]
    assert facet.from_widget((None, 80.0, True), w) is None  # no line: no limit, whatever the distance says


def test_approximate_locations_are_left_out_unless_asked_for_and_counted(events):
    index = EventIndex.build(events)
    d = distance_to(index, "Durand Line")
    area = events["geo_precision"].isin(["district", "province", "region", "country"]).to_numpy()
    strict = filter_mask(index, EventFilter(distance=("Durand Line", 300, False)))
    loose = filter_mask(index, EventFilter(distance=("Durand Line", 300, True)))
    assert strict.tolist() == ((d <= 300) & ~area).tolist()
    assert loose.tolist() == (d <= 300).tolist()
    assert (loose & area).any()  # the shipped data has area-level events near the line
    f = EventFilter(distance=("Durand Line", 300, False), dates=(date(2000, 1, 1), None))
    others = filter_mask(index, EventFilter(dates=(date(2000, 1, 1), None)))
    n = int((others & area & (d <= 300)).sum())
    assert n > 0 and n < int((others & area).sum())  # only those the loose filter would keep
    (remark,) = remarks(index, f)
    assert remark.startswith(f"{n:,} incident") and "left out of the distance filter" in remark
    assert remarks(index, EventFilter(distance=("Durand Line", 300, True))) == []


def test_the_database_runs_what_it_can_and_memory_the_rest():
    f = EventFilter(distance=("Durand Line", 50, False), groups={"ISKP"})
    in_db, in_memory = split(f)
    assert in_db == EventFilter(groups={"ISKP"}) and in_memory == EventFilter(distance=("Durand Line", 50, False))
    where(in_db)
    with pytest.raises(ValueError, match="distance filter runs in memory"):
        where(f)


def test_positions_that_repeat_are_measured_once_each_and_give_what_measuring_every_row_gives(monkeypatch):
    from incidents.geo import joins

    rng = np.random.default_rng(7)
    places = np.column_stack([rng.uniform(60, 76, 300), rng.uniform(24, 37, 300)])
    which = rng.integers(0, len(places), 30_000)
    lon, lat = places[which, 0], places[which, 1]
    found = joins.distinct_positions(lon, lat)
    assert found is not None
    first, codes = found
    assert len(first) == 300 and np.array_equal(lon[first][codes], lon) and np.array_equal(lat[first][codes], lat)
    lat[::997] = np.nan  # a missing coordinate stays NaN (the others are still measured once per position)
    assert joins.distinct_positions(lon, lat) is None
    once = distance_km(lat, lon, "Durand Line")
    monkeypatch.setattr(joins, "REPEAT_SHARE", -1.0)  # never: every row measured
    assert joins.distinct_positions(lon, lat) is None
    assert np.array_equal(once, distance_km(lat, lon, "Durand Line"), equal_nan=True)
