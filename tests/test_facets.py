"""Every registered facet, one table: URL round trip, mask against a row-by-row count, words, widget."""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import pytest

from incidents import FACETS, EventFilter, describe, filter_mask, from_query, register, to_query
from incidents.geo.areas import area_table
from incidents.geo.distance import line
from incidents.model.grades import apply as apply_grades
from incidents.query.index import EventIndex
from tests.geodesic import distance_km as reference_km
from tests.geodesic import line_points
from views.sidebar import filter_from_state, initial_state, widgets

#: Per facet: a value, what it means for one event (independent of the index), its words, its query string.
CASES = {
    "dates": (
        (date(2025, 3, 1), date(2025, 6, 30)),
        lambda ev: ev["date_end"].date() >= date(2025, 3, 1) and ev["date_start"].date() <= date(2025, 6, 30),
        "Mar 2025\u2013Jun 2025",
        {"from": "2025-03-01", "to": "2025-06-30"},
    ),
    "groups": (
        frozenset({"Shafiq Mengal militia", "Lashkar-e-Taiba"}),
        lambda ev: bool({"Shafiq Mengal militia", "Lashkar-e-Taiba"} & set(ev["actors"])),
        "Lashkar-e-Taiba or Shafiq Mengal militia",
        {"group": ["Lashkar-e-Taiba", "Shafiq Mengal militia"]},
    ),
    "event_types": (
        frozenset({"one-sided violence"}),
        lambda ev: ev["event_type"] == "one-sided violence",
        "one-sided violence",
        {"type": ["one-sided violence"]},
    ),
    "regions": (
        frozenset({"Kashmir", "Mastung"}),
        lambda ev: bool({"Kashmir", "Mastung"} & set(ev["regions"])),
        "Kashmir or Mastung",
        {"region": ["Kashmir", "Mastung"]},
    ),
    "datasets": (
        frozenset({"dossier"}),
        lambda ev: ev["dataset"] == "dossier",
        "dossier",
        {"dataset": ["dossier"]},
    ),
    "grade": (
        ("C", 3),
        lambda ev: "ABCDEF".index(ev["reliability"]) <= 2 and ev["credibility"] <= 3,
        "graded C3 or better (fairly reliable or better; possibly true or better)",
        {"grade": "C3"},
    ),
    "text": (
        "quetta",
        lambda ev: "quetta" in ev["excerpt"].casefold() or "quetta" in ev["location"].casefold(),
        "matching \u201cquetta\u201d",
        {"q": "quetta"},
    ),
    "areas": (
        frozenset({"PK220", "AF-KAB-kabul"}),
        lambda ev: _area_of(ev) in ("PK220", "AF-KAB-kabul"),
        "Kabul or Mastung",
        {"area": ["AF-KAB-kabul", "PK220"]},
    ),
    "distance": (
        ("Durand Line", 120.0, False),
        lambda ev: ev["geo_precision"] in ("exact", "near") and _durand_km(ev.geometry) <= 120,
        "within 120 km of the Durand Line",
        {"near": "Durand Line", "km": "120"},
    ),
}


def _area_of(ev):
    """Row by row: Mastung and Kabul district hold the site- or district-level events in them, never province-level ones."""
    table = area_table()
    precision = str(ev["geo_precision"])
    for code in ("PK220", "AF-KAB-kabul"):
        geom = table.frame.geometry.iloc[table.codes.index(code)]
        reaches = precision in ("exact", "near", "district")
        if reaches and geom.intersects(ev.geometry):
            return code
    return None


@cache
def _durand_points():
    return line_points(line("Durand Line"))


def _durand_km(point):
    return reference_km(point.x, point.y, _durand_points())


@pytest.fixture(scope="module")
def index(events):
    return EventIndex.build(events)


def test_every_registered_facet_is_in_the_table():
    assert list(CASES) == list(FACETS)


def _params(query):
    return {k: v if isinstance(v, list) else [v] for k, v in query.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_a_facet_writes_its_value_to_the_url_and_reads_it_back(name, index):
    facet = FACETS[name]
    value, _, _, query = CASES[name]
    assert facet.write(facet.normalize(value)) == query
    assert facet.read(_params(query), index) == (facet.normalize(value), [])
    assert facet.read({}, index) == (None, [])
    f = EventFilter(**{name: value})
    assert to_query(f) == query and from_query(_params(query), index) == (f, [])


@pytest.mark.parametrize("name", list(CASES))
def test_a_facet_mask_agrees_with_a_row_by_row_reading(name, events, index):
    value, means, _, _ = CASES[name]
    if name == "grade":  # the shipped events are not graded: grade the dossier's source and two of its events
        events = apply_grades(
            events,
            {
                ("source", "000_adc269e28bd41553"): "B",
                ("event", "dossier-adc269e2-09"): "2",
                ("event", "dossier-adc269e2-11"): "4",
            },
        )
        index = EventIndex.build(events)
    expected = np.array([means(ev) for _, ev in events.iterrows()])
    mask = filter_mask(index, EventFilter(**{name: value}))
    assert 0 < expected.sum() < len(events)  # the case narrows, and not to nothing
    assert mask.tolist() == expected.tolist()


@pytest.mark.parametrize("name", list(CASES))
def test_a_facet_has_its_words_in_the_description(name):
    value, _, words, _ = CASES[name]
    assert describe(7, EventFilter(**{name: value})) == f"7 incidents, {words}"


@pytest.mark.parametrize("name", list(CASES))
def test_a_facet_widget_shows_its_value_and_gives_it_back(name, index):
    facet = FACETS[name]
    value = CASES[name][0]
    w = facet.widget(index)
    assert facet.from_widget(facet.to_widget(facet.normalize(value), w), w) == facet.normalize(value)
    assert facet.from_widget(facet.to_widget(None, w), w) is None  # an untouched widget limits nothing
    if w.kind == "multiselect":
        assert set(facet.normalize(value)) <= set(w.options)


def test_a_date_range_at_the_data_limits_is_no_limit_and_a_link_is_clamped(index):
    facet = FACETS["dates"]
    w = facet.widget(index)
    lo, hi = w.bounds
    assert facet.from_widget((lo, hi), w) is None
    assert facet.from_widget((date(2025, 3, 1),), w) == (date(2025, 3, 1), None)  # half-picked range
    assert facet.to_widget((date(1900, 1, 1), date(2999, 1, 1)), w) == (lo, hi)
    assert facet.to_widget((date(2999, 1, 1), None), w) == (hi, hi)


def test_the_sidebar_state_from_a_link_gives_the_link_filter_back(index):
    params = {"group": ["Lashkar-e-Taiba"], "region": ["Mastung"], "q": [" base "], "from": ["2025-01-01"]}
    state, notes = initial_state(params, index)
    assert notes == []
    assert state["groups"] == ["Lashkar-e-Taiba"] and state["regions"] == ["Mastung"] and state["search"] == "base"
    f = filter_from_state(state, widgets(index))
    assert f == EventFilter(groups={"Lashkar-e-Taiba"}, regions={"Mastung"}, text="base", dates=(date(2025, 1, 1), None))


def test_adding_a_facet_is_one_class_and_one_registration(events, index, readme_facet):
    """The README's example, run as written: a minimum death toll, with nothing else changed."""
    assert list(FACETS)[-1] == "min_deaths" and type(readme_facet).__name__ == "MinDeaths"
    f, notes = from_query({"killed": ["10"], "region": ["Kashmir"]}, index)
    assert notes == [] and f == EventFilter(min_deaths=10, regions={"Kashmir"})
    expected = sum(
        1
        for _, ev in events.iterrows()
        if "Kashmir" in ev["regions"] and not pd.isna(ev["fatalities"]) and ev["fatalities"] >= 10
    )
    assert filter_mask(index, f).sum() == expected > 0
    assert to_query(f) == {"region": ["Kashmir"], "killed": "10"}
    assert describe(expected, f).endswith("Kashmir, 10+ killed")
    assert widgets(index)["min_deaths"].label == "At least this many killed"  # the sidebar draws it


def test_the_registry_lists_the_built_in_facets_once_in_sidebar_order():
    from incidents.query.registry import DEFAULT_FACETS

    assert [cls.name for cls in DEFAULT_FACETS] == list(FACETS)
    assert list(FACETS) == ["dates", "groups", "event_types", "regions", "datasets", "grade", "text", "areas", "distance"]
    with pytest.raises(ValueError, match="reuses a name or query key"):
        register(type(FACETS["groups"]))


def test_a_facet_without_sql_runs_in_memory_and_says_so_by_returning_none():
    """``where`` is written once: a condition, or the default ``None`` (in memory). No flag can disagree with it."""
    from incidents.query.facets import Facet as Base

    in_memory = {name for name, facet in FACETS.items() if facet.where(CASES[name][0]) is None}
    assert in_memory == {"areas", "distance", "grade"}  # grade: the store's grades are laid over on loading
    assert type(FACETS["distance"]).where is Base.where  # the default says "in memory"


def test_every_widget_kind_has_a_drawer(index):
    from views.sidebar import DRAWERS

    assert {w.kind for w in widgets(index).values()} <= set(DRAWERS)
