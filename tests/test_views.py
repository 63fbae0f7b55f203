"""The views' pure parts, without Streamlit running: what each part of the page computes to show."""

from __future__ import annotations

import numpy as np
import pytest

from incidents import EventFilter, filter_mask, load_all
from incidents.loader import Upload
from incidents.model.documents import load_document
from incidents.query.index import EventIndex
from layers import group_colors, incident_details
from layers.counts import CountLayer
from layers.markers import IncidentLayer
from layers.protocol import ref_text
from tests.conftest import DATA
from views import accounting, headline, map_view, selected, selection, sidebar, table
from views.map import COUNTS, MARKERS


@pytest.fixture(scope="module")
def index(events):
    return EventIndex.build(events)


def rows_of(index, **facets):
    return np.flatnonzero(filter_mask(index, EventFilter(**facets)))


def test_headline_figures_count_what_is_shown(events, index):
    rows = rows_of(index, regions={"Balochistan"})
    shown = events.iloc[rows]
    figures = {f.label: f for f in headline.figures(index, rows)}
    assert figures["Incidents shown"].value == f"{len(shown):,}"
    assert figures["Incidents shown"].help == f"of {len(events):,} loaded"
    assert figures["Fatalities (best estimates)"].value == f"{int(shown['fatalities'].sum()):,}"
    assert figures["Fatalities (best estimates)"].help.startswith(f"{int(shown['fatalities'].isna().sum())} of")
    assert figures["Groups involved"].value == str(len({a for t in shown["actors"] for a in t}))
    area_only = shown["geo_precision"].isin(["district", "province", "region", "country"]).sum()
    assert figures["Located only to an area"].value == str(area_only) and 0 < area_only < len(shown)


def test_the_table_lists_the_most_recent_first_and_says_when_it_lists_fewer(events, index):
    rows = np.arange(index.n)
    listed, note = table.listed_rows(index, rows, limit=10)
    assert len(listed) == 10 and note.startswith(f"The table lists the 10 most recent of the {index.n:,} incidents shown")
    starts = events["date_start"].iloc[listed].tolist()
    assert starts == sorted(starts, reverse=True) and starts[0] == events["date_start"].max()
    all_listed, no_note = table.listed_rows(index, rows)
    assert len(all_listed) == index.n and no_note is None
    frame = table.table(events, listed)
    assert list(frame.columns)[:2] == ["event_id", "date_start"] and "groups" in frame.columns
    assert frame["groups"].tolist() == ["; ".join(t) for t in events["actors"].iloc[listed]]
    assert frame["date_precision"].tolist() == events["date_precision"].iloc[listed].astype(str).tolist()


def test_the_panel_quotes_the_excerpt_in_its_stored_document(events, index):
    key = index.key_of("dossier-adc269e2-09")
    blocks = selected.blocks(events, incident_details(events, key))
    texts = [t for kind, t in blocks if kind == "text"]
    ev = events.iloc[key]
    assert ev["excerpt"] in texts
    doc = load_document(ev["source_id"])
    start, end = int(ev["excerpt_start"]), int(ev["excerpt_end"])
    context = next(t for t in texts if "\u27e6" in t)
    assert "\u27e6" + doc.text[start:end] + "\u27e7" in context
    assert context.startswith("\u2026" + doc.text[start - 400 : start][:20])
    assert ("caption", f"In context (characters {start}\u2013{end}, excerpt between \u27e6 \u27e7)") in blocks
    assert ("caption", "Coding note") in blocks and not any(kind == "link" for kind, _ in blocks)
    assert blocks[-1] != ("caption", selected.OUTSIDE_FILTERS)
    assert selected.blocks(events, incident_details(events, key), shown=False)[-1] == ("caption", selected.OUTSIDE_FILTERS)
    assert selected.blocks(events, None) == [("info", selected.NOTHING_SELECTED)]


def test_the_panel_links_only_web_urls(tmp_path):
    csv = tmp_path / "links.csv"
    header = "event_id,date_start,latitude,longitude,geo_precision,excerpt,source_url\n"
    csv.write_text(header + "a,2020,30,66,exact,x,https://example.org/a\nb,2020,30,66,exact,y,\n", encoding="utf-8")
    frame = load_all([csv], shipped=False).events
    kinds = [[k for k, _ in selected.blocks(frame, incident_details(frame, i))] for i in range(2)]
    assert kinds[0].count("link") == 1 and "link" not in kinds[1]
    assert ("link", "https://example.org/a") in selected.blocks(frame, incident_details(frame, 0))


def test_a_click_selects_only_when_its_source_changed(events, index):
    session: dict = {}
    key = index.key_of("dossier-adc269e2-09")
    click = {
        "last_object_clicked": {"lat": float(index.lat[key]), "lng": float(index.lon[key])},
        "last_object_clicked_popup": f"{ref_text('incident', key)}Incident #{key} \u00b7 whatever",
        "last_object_clicked_count": 1,
    }
    session["map"] = click
    assert selection.apply_clicks(session, index) == key and session[selection.SELECTED] == events["event_id"].iloc[key]
    # a table row picked later wins, and the unchanged map click does not take it back
    session[selection.LISTED] = np.array([3, 7, 11])
    session["table"] = {"selection": {"rows": [1]}}
    assert selection.apply_clicks(session, index) == 7
    assert selection.apply_clicks(session, index) == 7
    # a click on a boundary (position not the marker's) selects nothing
    session["map"] = {**click, "last_object_clicked": {"lat": 0.0, "lng": 0.0}, "last_object_clicked_count": 2}
    assert selection.apply_clicks(session, index) == 7
    assert selection.table_pick({"selection": {"rows": [9]}}, np.array([3])) == ((9,), None)  # a stale row position


def test_the_link_selects_once_and_the_query_names_the_selection():
    session: dict = {}
    selection.from_link(session, {"incident": ["a", "b"]})
    selection.from_link(session, {"incident": ["c"]})
    assert session[selection.SELECTED] == "b"
    assert selection.query(EventFilter(text="x"), "b") == {"q": "x", "incident": "b"}
    assert selection.query(EventFilter(), None) == {}


def test_the_map_shows_counts_when_there_are_too_many_markers_and_says_so(index):
    colors = group_colors(index.actors.counts())
    rows = np.arange(index.n)
    group, notice = map_view.incident_layer(index, rows, colors, None, MARKERS, point_limit=100)
    (layer,) = group._children.values()
    assert isinstance(layer, CountLayer) and notice.startswith(f"{index.n:,} incidents are more than the map draws")
    group, notice = map_view.incident_layer(index, rows[:50], colors, None, MARKERS, point_limit=100)
    (layer,) = group._children.values()
    assert isinstance(layer, IncidentLayer) and notice is None
    group, notice = map_view.incident_layer(index, rows[:50], colors, None, COUNTS, point_limit=100)
    assert isinstance(next(iter(group._children.values())), CountLayer) and notice is None


def test_upload_reports_name_only_the_uploaded_files(tmp_path):
    good = "event_id,date_start,latitude,longitude,geo_precision,excerpt\na,2020,30,66,exact,x\nb,2020,95,66,exact,y\n"
    result = load_all([], uploads=[Upload("mine.csv", good.encode())])
    lines, rejected = accounting.upload_report(result, (("id-1", "mine.csv", None, None, None, None),))
    assert lines == ["mine.csv: 2 rows read as native: 1 accepted, 1 rejected"] and rejected
    assert accounting.upload_report(result, ()) == ([], False)
    assert accounting.accounting_title(result) == (
        f"Data accounting: {len(result.events):,} accepted, 1 problems, {len(result.repaired):,} repairs"
    )


def test_the_url_is_read_into_the_sidebar_once_per_session(index):
    session: dict = {}
    sidebar.read_url_once(session, {"region": ["Mastung"], "group": ["Nobody"]}, index)
    assert session["regions"] == ["Mastung"] and session[sidebar.URL_NOTES] == [
        "ignored group='Nobody': no such value in the loaded data"
    ]
    session["regions"] = ["Kashmir"]  # the user changed it since
    sidebar.read_url_once(session, {"region": ["Mastung"]}, index)
    assert session["regions"] == ["Kashmir"]
    assert session["date_range"] == index.date_bounds()  # no date in the link: the whole range


def test_an_edit_form_sends_only_what_changed_as_record_values():
    from views.edit import changes, fields, store_event_id

    record = {
        "event_type": "attack",
        "date_start": "2025-03-01",
        "date_end": "2025-03-31",
        "date_precision": "month",
        "actors": ["Lashkar-e-Taiba", "ISKP"],
        "location": "Mastung",
        "lat": 29.8,
        "lon": 66.85,
        "geo_precision": "district",
        "fatalities": None,
        "fatalities_low": None,
        "fatalities_high": None,
        "coding_note": "hand-coded",
        "revision": 4,
    }
    shown = dict((f.name, v) for f, v in fields(record))
    assert shown["actors"] == "Lashkar-e-Taiba; ISKP" and shown["fatalities"] == "" and shown["lat"] == "29.8"
    assert changes(record, shown) == {}  # the form as opened changes nothing
    entered = {**shown, "actors": " ISKP ;; Lashkar-e-Taiba ", "fatalities": "12", "lat": "29.81", "coding_note": " "}
    assert changes(record, entered) == {
        "actors": ["ISKP", "Lashkar-e-Taiba"],
        "fatalities": 12,
        "lat": 29.81,
        "coding_note": None,
    }
    assert changes(record, {**shown, "fatalities_low": "a few"}) == {"fatalities_low": "a few"}  # the store names it
    assert store_event_id("store: mine", "x-1") == "x-1" and store_event_id("ucdp_ged231", "x-1") is None


def test_a_refused_edit_shows_the_fields_the_two_versions_differ_in():
    from views.edit import base_revision, versions

    current = {"location": "Quetta", "actors": ["A"], "fatalities": 2, "revision": 3}
    proposed = {"location": "Kalat", "actors": ["A"], "fatalities": None}
    assert versions(current, proposed).to_dict("records") == [
        {"field": "Place", "stored now": "Quetta", "your edit": "Kalat"},
        {"field": "Fatalities (best estimate)", "stored now": "2", "your edit": ""},
    ]
    session: dict = {}
    assert base_revision(session, "e", {"revision": 3}) == 3
    assert base_revision(session, "e", {"revision": 5}) == 3  # kept from when the form was opened


def test_the_mapping_form_starts_from_the_suggestion_and_gives_back_what_was_chosen():
    from incidents.readers import mapped
    from views import mapping

    header = ["when", "where", "north", "east", "note"]
    state = mapping.form_state(header, {"location": "where", "latitude": "gone", "excerpt": "note"})
    assert state["location"] == "where" and state["latitude"] == mapping.NONE  # a column the file lacks is not offered
    assert set(state) == set(mapped.FIELDS)
    state = {**state, "date": "when", "latitude": "north", "longitude": "east"}
    assert mapping.chosen(state) == (
        ("date", "when"),
        ("latitude", "north"),
        ("longitude", "east"),
        ("location", "where"),
        ("excerpt", "note"),
    )
    session = {mapping.MAPPINGS: {"id-1": (("date", "when"),)}}
    assert mapping.applied(session, "id-1") == (("date", "when"),) and mapping.applied(session, "id-2") is None


def test_uploads_read_through_a_mapping_or_refused_for_want_of_one_get_the_form():
    from incidents.loader import Upload
    from views import mapping

    table = b"when,where,north,east\n2025-06-10,Mastung,29.8,66.85\n"
    refused = load_all([], shipped=False, uploads=[Upload("odd.csv", table)])
    assert mapping.needs_mapping(refused, "odd.csv")
    by_name = load_all([], shipped=False, uploads=[Upload("t.csv", b"date,lat,lon\n2025-06-10,29.8,66.85\n")])
    assert mapping.needs_mapping(by_name, "t.csv") and by_name.files[0].format == "mapped"
    broken = load_all([], shipped=False, uploads=[Upload("b.csv", b"\xff\x00\x00")])
    acled = load_all([], shipped=False, uploads=[Upload("u.csv", (DATA / "acled_style_ucdp_sample.csv").read_bytes())])
    assert not mapping.needs_mapping(broken, "b.csv") and not mapping.needs_mapping(acled, "u.csv")
    frame, summary = mapping.preview(table, "odd.csv", (("date", "when"), ("latitude", "north"), ("longitude", "east")), None)
    assert summary == "1 row: 1 would be accepted" and frame["location"].tolist() == ["Mastung"]


def test_the_map_fits_to_the_chosen_regions_and_areas_box():
    import shapely

    from incidents.geo.areas import area_table
    from incidents.geo.boundaries import boundary_layer
    from layers.markers import decode_incident_script
    from views.map import chosen_bounds

    regions = boundary_layer("regions").set_index("name")
    table = area_table()
    mastung = tuple(shapely.bounds(regions.loc["Mastung", "geometry"]).tolist())
    assert chosen_bounds(EventFilter()) is None and chosen_bounds(EventFilter(groups={"ISKP"})) is None
    assert chosen_bounds(EventFilter(regions={"Mastung"})) == pytest.approx(mastung)
    kabul = table.frame.geometry.iloc[table.codes.index("AF-KAB-kabul")]
    both = shapely.bounds(shapely.union_all([regions.loc["Mastung", "geometry"], kabul])).tolist()
    assert chosen_bounds(EventFilter(regions={"Mastung"}, areas={"AF-KAB-kabul"})) == pytest.approx(tuple(both))
    index = EventIndex.build(load_all().events)
    group, _ = map_view.incident_layer(index, np.arange(5), {}, None, map_view.MARKERS, fit=True, fit_to=mastung)
    (layer,) = [c for c in group._children.values()]
    sent = decode_incident_script(layer.call)
    assert sent["fit"] is True and sent["fit_to"] == pytest.approx(list(mastung))
