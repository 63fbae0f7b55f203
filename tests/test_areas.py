"""Areas for counts: each event in at most one area, never more precisely than its place is known; clicks on areas."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from incidents import EventFilter, filter_mask, from_query, to_query
from incidents.geo.areas import CLASSES, OUTSIDE, area_table, class_labels, count_class
from incidents.query.area import AreaFacet, area_codes, area_counts, coarse_counts
from incidents.query.index import EventIndex
from layers.protocol import ref_text
from views.map import AREA_CLICK, AREA_WIDGET, apply_area_click, clicked_area

SITE_OR_DISTRICT = ("exact", "near", "district")


def _reference_area(point, precision: str, table) -> int:
    """Row by row: the first area (in precedence order) whose shape holds the point and whose level the place reaches."""
    for i, (geom, level) in enumerate(zip(table.frame.geometry, table.frame["level"])):
        reaches = precision in SITE_OR_DISTRICT or (precision == "province" and level == "province")
        if reaches and geom.intersects(point):
            return i
    return -1


@pytest.fixture(scope="module")
def index(events):
    return EventIndex.build(events)


def test_each_event_is_held_by_the_area_a_row_by_row_reading_gives(events, index):
    table = area_table()
    expected = [_reference_area(p, str(pr), table) for p, pr in zip(events.geometry, events["geo_precision"])]
    assert area_codes(index).tolist() == expected
    held = np.asarray(expected) >= 0
    assert 0 < held.sum() < len(events)


def test_no_event_is_counted_more_precisely_than_its_place(events, index):
    table = area_table()
    areas = area_codes(index)
    levels = table.frame["level"].to_numpy()
    for area, precision in zip(areas, events["geo_precision"].astype(str)):
        if area >= 0 and levels[area] == "district":
            assert precision in SITE_OR_DISTRICT
        if precision in ("region", "country"):
            assert area == -1


def test_counts_and_coarse_units_add_up_to_the_events_shown(events, index):
    rows = np.arange(len(events))
    for measure in ("events", "fatalities"):
        held = area_counts(index, rows, measure=measure).sum()
        coarse = coarse_counts(events, index, rows, measure=measure)["value"].sum()
        total = len(events) if measure == "events" else events["fatalities"].fillna(0).sum()
        assert held + coarse == pytest.approx(total)
    coarse = coarse_counts(events, index, rows).set_index(["unit", "level"])["value"]
    provincial = events[(events["geo_precision"] == "province") & (events["admin1"] == "Balochistan")]
    assert coarse.loc[("Balochistan", "province")] == len(provincial) > 0  # never spread into Balochistan's districts
    assert (OUTSIDE, "") in coarse.index


def test_the_mastung_base_is_counted_in_mastung(events, index):
    table = area_table()
    mastung = table.codes.index("PK220")
    in_mastung = (events["admin2"] == "Mastung") & events["geo_precision"].isin(SITE_OR_DISTRICT)
    assert in_mastung.sum() > 0
    assert area_counts(index, np.arange(len(events)))[mastung] == in_mastung.sum()


def test_classes_are_stated_and_applied():
    assert class_labels() == ["1", "2\u20135", "6\u201320", "21\u201350", "51\u2013200", "201\u20131,000", "1,001 or more"]
    values = np.array([0, 0.5, 1, 5, 6, 1000, 1001, 10**6])
    assert count_class(values).tolist() == [-1, -1, 0, 1, 2, 5, 6, 6]
    assert len(CLASSES) == len(class_labels())


def test_the_area_facet_reads_links_and_filters_to_the_events_an_area_holds(events, index):
    facet = AreaFacet()
    assert facet.read({"area": ["PK220", "<x>"]}, None) == (
        frozenset({"PK220"}),
        ["ignored area='<x>': no such area code (e.g. PK220 for Mastung)"],
    )
    f = EventFilter(areas={"PK220", "AF-KAB-kabul"})
    link = {"area": ["AF-KAB-kabul", "PK220"]}
    assert to_query(f) == link and from_query(link, index) == (f, [])
    table = area_table()
    wanted = {table.codes.index("PK220"), table.codes.index("AF-KAB-kabul")}
    assert filter_mask(index, f).tolist() == [a in wanted for a in area_codes(index)]
    w = facet.widget(index)
    assert w.labels["PK220"] == "Mastung (district, Balochistan)"
    assert w.labels["AF-KAB-kabul"] == "Kabul (district, Kabul)"


def test_a_click_on_an_area_chooses_it_once_and_only_inside_its_shape():
    table = area_table()
    i = table.codes.index("PK220")
    inside = table.frame.geometry.iloc[i].representative_point()
    popup = f"{ref_text('area', i)}Area #{i} \u00b7 Mastung"
    state = {"last_object_clicked_popup": popup, "last_object_clicked": {"lat": inside.y, "lng": inside.x}}
    assert clicked_area(state) == "PK220"
    assert clicked_area({**state, "last_object_clicked": {"lat": 35.0, "lng": 75.0}}) is None  # a stale popup elsewhere
    assert clicked_area({**state, "last_object_clicked_popup": ref_text("incident", 3)}) is None
    heading_only = f"Area #{i} \u00b7 Mastung"
    assert clicked_area({**state, "last_object_clicked_popup": heading_only}) is None  # a heading is not a reference
    session = {"map": {**state, "last_object_clicked_count": 4}}
    apply_area_click(session)
    assert session[AREA_WIDGET] == ["PK220"] and session[AREA_CLICK] == 4
    session[AREA_WIDGET] = []  # the analyst clears the filter: the same click is not applied again
    apply_area_click(session)
    assert session[AREA_WIDGET] == []
    assert shapely.Point(inside.x, inside.y).within(table.frame.geometry.iloc[i])


def test_positions_that_repeat_are_placed_once_each_by_precision_and_as_every_row_would_be(monkeypatch):
    from incidents.geo import joins
    from incidents.geo.areas import area_of

    rng = np.random.default_rng(8)
    places = np.column_stack([rng.uniform(60, 78, 200), rng.uniform(24, 37, 200)])
    which = rng.integers(0, len(places), 30_000)
    lon, lat = places[which, 0], places[which, 1]
    precision = rng.integers(0, 5, len(which)).astype(np.int8)  # one place, at several precisions
    once = area_of(lat, lon, precision)
    monkeypatch.setattr(joins, "REPEAT_SHARE", -1.0)
    assert np.array_equal(once, area_of(lat, lon, precision))
    assert (once[precision >= 4] == -1).all()  # a region or a country holds no area
