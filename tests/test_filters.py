"""Filters as tables of input -> expected output, on a small frame and on the real data."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
import shapely

from incidents import EventFilter, apply_filter, describe
from incidents.model.schema import conform
from incidents.query.filters import from_query, to_query
from incidents.query.index import EventIndex


@pytest.fixture(scope="module")
def frame():
    rows = [
        (
            "a",
            "2025-03-01",
            "2025-03-31",
            "attack",
            ("Lashkar-e-Taiba",),
            "Mastung base",
            ("Balochistan", "Mastung"),
            "Baloch fighters attacked",
        ),
        (
            "b",
            "2025-01-01",
            "2025-12-31",
            "alliance",
            ("Lashkar-e-Taiba", "Islamic State Khorasan Province"),
            "Balochistan",
            ("Balochistan",),
            "covert alliance",
        ),
        (
            "c",
            "2010-05-01",
            "2010-05-01",
            "state-based conflict",
            ("Government of Pakistan", "Baloch Republican Army"),
            "Khuzdar",
            ("Balochistan", "Khuzdar"),
            "Reuters report",
        ),
        (
            "d",
            "2019-02-14",
            "2019-02-14",
            "one-sided violence",
            ("Kashmir insurgents",),
            "Pulwama",
            ("Kashmir",),
            "convoy ATTACKED",
        ),
        ("e", "2008-01-01", "2008-12-31", "attack", (), "Mumbai", (), "Mumbai assaults"),
    ]
    data = [
        {
            "event_id": r[0],
            "dataset": "ucdp-ged" if r[0] in "cd" else "dossier",
            "date_start": r[1],
            "date_end": r[2],
            "event_type": r[3],
            "actors": r[4],
            "location": r[5],
            "regions": r[6],
            "excerpt": r[7],
            "date_precision": "day",
            "geo_precision": "exact",
        }
        for r in rows
    ]
    gdf = gpd.GeoDataFrame(data, geometry=[shapely.Point(66, 29)] * len(data), crs=4326)
    return conform(gdf)


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (EventFilter(), "abcde"),
        (EventFilter(dates=(date(2025, 6, 1), None)), "b"),
        (EventFilter(dates=(date(2025, 3, 15), date(2025, 3, 16))), "ab"),
        (EventFilter(dates=(None, date(2009, 12, 31))), "e"),
        (EventFilter(dates=(date(2010, 5, 1), date(2010, 5, 1))), "c"),
        (EventFilter(groups=frozenset({"Lashkar-e-Taiba"})), "ab"),
        (EventFilter(groups=frozenset({"Islamic State Khorasan Province", "Kashmir insurgents"})), "bd"),
        (EventFilter(groups=frozenset({"Nobody"})), ""),
        (EventFilter(event_types=frozenset({"attack"})), "ae"),
        (EventFilter(regions=frozenset({"Mastung", "Khuzdar"})), "ac"),
        (EventFilter(regions=frozenset({"Balochistan"})), "abc"),
        (EventFilter(regions=frozenset({"Kashmir"})), "d"),
        (EventFilter(datasets=frozenset({"ucdp-ged"})), "cd"),
        (EventFilter(text="attack"), "ad"),
        (EventFilter(text="  MUMBAI "), "e"),
        (EventFilter(text="khuzdar"), "c"),
        (EventFilter(text="(.*"), ""),
        (
            EventFilter(groups=frozenset({"Lashkar-e-Taiba"}), event_types=frozenset({"attack"}), dates=(date(2025, 1, 1), None)),
            "a",
        ),
    ],
)
def test_apply_filter(frame, f, expected):
    assert "".join(apply_filter(frame, f)["event_id"]) == expected


@pytest.mark.parametrize(
    ("n", "f", "expected"),
    [
        (238, EventFilter(), "238 incidents"),
        (1, EventFilter(), "1 incident"),
        (
            12,
            EventFilter(
                dates=(date(2025, 3, 1), date(2025, 6, 30)),
                groups=frozenset({"Lashkar-e-Taiba", "Islamic State Khorasan Province"}),
            ),
            "12 incidents, Mar 2025\u2013Jun 2025, Islamic State Khorasan Province or Lashkar-e-Taiba",
        ),
        (3, EventFilter(regions=frozenset({"Mastung"}), text="base"), "3 incidents, Mastung, matching \u201cbase\u201d"),
        (4, EventFilter(event_types=frozenset("abcde")), "4 incidents, a or b or c (+2 more)"),
    ],
)
def test_describe(n, f, expected):
    assert describe(n, f) == expected


def test_query_string_round_trip(frame):
    f = EventFilter(
        dates=(date(2025, 3, 1), None),
        groups=frozenset({"Lashkar-e-Taiba", "Islamic State Khorasan Province"}),
        regions=frozenset({"Mastung"}),
        text="base",
    )
    query = to_query(f)
    assert query == {
        "from": "2025-03-01",
        "group": ["Islamic State Khorasan Province", "Lashkar-e-Taiba"],
        "region": ["Mastung"],
        "q": "base",
    }
    params = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    back, notes = from_query(params, EventIndex.build(frame))
    assert back == f and notes == []


def test_query_string_ignores_what_it_cannot_use(frame):
    f, notes = from_query(
        {"from": ["2025-02-30"], "group": ["LeT", "Lashkar-e-Taiba"], "region": ["Atlantis"]},
        EventIndex.build(frame),
    )
    assert f == EventFilter(groups=frozenset({"Lashkar-e-Taiba"}))
    assert notes == [
        "ignored from='2025-02-30': not a YYYY-MM-DD date",
        "ignored group='LeT': no such value in the loaded data",
        "ignored region='Atlantis': no such value in the loaded data",
    ]


def test_a_filter_holds_only_what_limits_and_names_only_facets():
    assert EventFilter(groups=set(), text="  ", dates=(None, None), regions=None) == EventFilter()
    assert len(EventFilter()) == 0 and hash(EventFilter(text=" a ")) == hash(EventFilter(text="a"))
    with pytest.raises(TypeError, match="unknown facets"):
        EventFilter(group={"x"})


def test_filters_on_the_real_data(events):
    let_iskp = apply_filter(events, EventFilter(groups=frozenset({"Lashkar-e-Taiba", "Islamic State Khorasan Province"})))
    assert set(let_iskp["dataset"]) == {"dossier"}
    mastung = apply_filter(events, EventFilter(regions=frozenset({"Mastung"})))
    assert len(mastung) == 3  # the base, the March 2025 attack, UCDP's Dasht event
    assert len(apply_filter(events, EventFilter(regions=frozenset({"Kashmir"})))) == 31
