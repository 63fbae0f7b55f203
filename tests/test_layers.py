"""Layer builders, checked on the folium objects and on the rendered HTML."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from incidents import load_all
from incidents.geo.boundaries import LAYERS, boundary_layer
from incidents.query.index import EventIndex
from layers import (
    base_map,
    boundary_specs,
    clicked_incident,
    decode_payload,
    encode_payload,
    group_colors,
    incident_feature_group,
)
from layers.assets import CORE_PARTS, CSS, JS, asset_paths, install_assets, js
from layers.basemap import ZOOM
from layers.boundaries import BoundaryLayer
from layers.labels import date_text, fatalities_text, offsets_text, place_text
from layers.markers import IncidentLayer, decode_incident_script, incident_details
from layers.payload import checked
from layers.protocol import Ref, layer_call, parse_ref, ref_text
from tests.hostile import group, write_hostile_file
from views.modes import script_parts

CDN = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.cloudflare|code\.jquery\.com|maxcdn\.|netdna\.|d3js\.org")


@pytest.fixture(scope="module")
def boundaries():
    return boundary_specs({name: boundary_layer(name) for name in LAYERS})


@pytest.fixture(scope="module")
def index(events):
    return EventIndex.build(events)


@pytest.fixture(scope="module")
def rendered(boundaries, events, index):
    m = base_map(boundaries)
    incident_feature_group(index, np.arange(len(events)), group_colors(events["actors"])).add_to(m)
    return m, m.get_root().render()


def _payloads(html: str, factory: str) -> list[dict]:
    calls = re.findall(rf"IncidentMap\.{factory}\((\{{[^()]*\}})\)", html)
    return [decode_payload(json.loads(args)["data"]) for args in calls]


def test_the_page_loads_nothing_from_the_internet(rendered):
    m, html = rendered
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/app/static/") for u in urls)
    assert not CDN.search(html)
    assert m.default_js == JS == js(CORE_PARTS) and m.default_css == CSS
    with_modes = base_map([], parts=script_parts())  # the dashboard's map loads every mode's part, once, after the core
    assert [name for name, _ in with_modes.default_js] == ["leaflet", *(f"incident_map_{p}" for p in script_parts())]
    assert script_parts()[: len(CORE_PARTS)] == CORE_PARTS and len(set(script_parts())) == len(script_parts())


def test_every_asset_url_is_served_from_an_installed_package(tmp_path):
    install_assets(tmp_path)
    (tmp_path / "map").mkdir()
    for part in [*script_parts(), "map"]:  # the app's own files live in static/map/
        (tmp_path / "map" / f"{part}.{'css' if part == 'map' else 'js'}").write_text("x")
    for url, path in asset_paths(tmp_path).items():
        assert path.is_file() and not path.is_symlink(), url
    assert "Leaflet 1.9.3" in (tmp_path / "vendor/leaflet/leaflet.js").read_text()
    assert (tmp_path / "vendor/leaflet/images/marker-icon.png").is_file()


def test_boundary_layers_are_toggleable_and_marked(rendered):
    m, html = rendered
    names = [c.layer_name for c in m._children.values() if isinstance(c, BoundaryLayer)]
    assert names == [
        "Countries",
        "Neighbouring states and provinces",
        "Afghanistan provinces",
        "Other Pakistan provinces and territories",
        "Balochistan province",
        "Balochistan districts (Mastung, Khuzdar marked)",
        "Kashmir: administered parts (de facto)",
        "Durand Line, Line of Control (labelled)",
        "Main rivers (labels by zoom)",
        "Towns and cities (labels by zoom)",
    ]
    assert "L.control.layers" in html
    assert len(_payloads(html, "placeLayer")) == 1  # the labels are drawn by their own function
    for name in names:
        assert f'"{name}"' in html  # every layer is listed in the layer control
    payloads = _payloads(html, "boundaryLayer")
    rivers = next(p for p in payloads if p["label_class"] == "river-label")
    assert {"Indus", "Helmand", "Jhelum", "Chenab"} <= {lab["text"] for lab in rivers["labels"]}
    assert all(ZOOM < lab["min_zoom"] <= 7 for lab in rivers["labels"])  # labelled by zoom, none at the first view
    districts = next(p for p in payloads if p["highlight_property"] == "highlight")
    assert sorted(lab["text"] for lab in districts["labels"]) == ["Khuzdar", "Mastung"]
    assert len(districts["geojson"]["features"]) == 35
    lines = next(p for p in payloads if p["label_class"] == "line-label")
    assert [lab["text"] for lab in lines["labels"]] == ["Durand Line", "Line of Control", "Siachen sector", "Working Boundary"]
    bounds = m.get_bounds()
    assert bounds[0][0] < 25 and bounds[1][0] > 36 and bounds[0][1] < 61 and bounds[1][1] > 77


def test_pack_incidents_carry_every_event_compactly(rendered, events):
    _, html = rendered
    sent = decode_incident_script(html)
    meta = sent["meta"]
    assert sent["key"].tolist() == list(range(len(events)))
    assert np.allclose(sent["lat"], events.geometry.y, atol=1e-5) and np.allclose(sent["lon"], events.geometry.x, atol=1e-5)
    precisions = [meta["precisions"][meta["styles"][s]["precision"]] for s in sent["style"]]
    assert precisions == events["geo_precision"].astype(str).tolist()
    groups = [meta["styles"][s]["groups"] for s in sent["style"]]
    assert groups == ["; ".join(a) if a else "no group named" for a in events["actors"]]
    legend = [g["name"] for g in meta["legend"]["groups"]]
    assert "Lashkar-e-Taiba" in legend and "Islamic State Khorasan Province" in legend
    let = int(np.flatnonzero(events["event_id"] == "dossier-adc269e2-11")[0])
    style = meta["styles"][sent["style"][let]]
    assert meta["palette"][style["colors"][0]] == group_colors(events["actors"])["Lashkar-e-Taiba"]
    assert "dossier-adc269e2-11" not in html and events["excerpt"].iloc[let] not in html  # long texts are not sent
    assert sent["selected"] == {}
    assert len(re.findall(r"IncidentMap\.incidentLayer\(", html)) == 1


def test_the_selected_incident_travels_with_its_full_source(events, index):
    let = int(np.flatnonzero(events["event_id"] == "dossier-adc269e2-11")[0])
    details = incident_details(events, let)
    assert details["excerpt"] == events["excerpt"].iloc[let]
    assert details["date_text"] == "June 2025 (month precision)"
    assert details["place_text"].startswith("Balochistan \u2014 province-level")
    layer = IncidentLayer(index, np.arange(len(events)), {}, selected=details)
    sent = decode_incident_script(layer.call)
    assert sent["selected"] == details
    same_rows = IncidentLayer(index, np.arange(len(events)), {}, selected=None)
    assert same_rows.data_id == layer.data_id  # the browser reuses its markers when only the selection changes
    assert IncidentLayer(index, np.arange(3), {}).data_id != layer.data_id


def test_group_colours_do_not_depend_on_the_filter(events):
    full = group_colors(events["actors"])
    one = group_colors(events.head(3)["actors"])
    assert full["Lashkar-e-Taiba"] == one["Lashkar-e-Taiba"]
    assert len(set(full.values())) == len(full)


def test_hostile_text_is_inert_in_the_rendered_page(tmp_path, boundaries):
    path = tmp_path / "hostile.csv"
    rows = write_hostile_file(path)
    result = load_all([path], shipped=False)
    assert len(result.events) == len(rows) and not result.rejected
    index = EventIndex.build(result.events)
    colors = group_colors(result.events["actors"])
    for i, row in enumerate(rows):
        m = base_map(boundaries)
        layer = IncidentLayer(index, np.arange(index.n), colors, selected=incident_details(result.events, i))
        layer.add_to(m)
        html = m.get_root().render()
        assert not [text for text in group(i) if text in html]
        for needle in ("onerror", "onload", "<svg", "${", "{{", "{%", "javascript:", "__pwned"):
            assert needle not in html.split("IncidentMap.incidentLayer(")[1].split(")")[0]
        sent = decode_incident_script(html)
        assert sent["selected"]["excerpt"] == row["excerpt"]  # "{{ 7*7 }}" stays, no 49
        assert group(i) and all(text in sent["selected"]["excerpt"] for text in group(i))


def test_payload_round_trip_and_guard():
    data = {"text": "\u202e{{ x }}</script>\u0000", "n": [1, 2.5, None]}
    assert decode_payload(encode_payload(data)) == data
    assert checked(encode_payload(data)) == encode_payload(data)
    with pytest.raises(ValueError):
        checked('abc");alert(1);("')


def test_empty_selection_still_renders(boundaries, index):
    m = base_map(boundaries)
    group = incident_feature_group(index, np.array([], dtype=np.int64), {})
    group.add_to(m)
    sent = decode_incident_script(m.get_root().render())
    assert sent["meta"]["n"] == 0 and len(sent["key"]) == 0


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        (ref_text("incident", 104) + "\nIncident #104 \u00b7 ucdp-58473\nState-based conflict", Ref("incident", 104)),
        ("  " + ref_text("incident", 0) + "Incident #0 \u00b7 x", Ref("incident", 0)),
        (ref_text("area", 12) + "\nArea #12 \u00b7 Mastung", Ref("area", 12)),
        (ref_text("incident", 12) + " whatever the heading says, in any language", Ref("incident", 12)),
        ("\u27e6incident:12x\u27e7", None),
        ("\u27e6district:3\u27e7", None),  # not a kind of the protocol
        ("Incident #12 \u00b7 x", None),  # a heading alone is prose, not a reference
        ("Excerpt: " + ref_text("incident", 5), None),  # a reference quoted in a text selects nothing
        (None, None),
    ],
)
def test_parse_ref(text, ref):
    assert parse_ref(text) == ref


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        ("2025-06-01", "2025-06-30", "month", "June 2025 (month precision)"),
        ("2025-03-01", "2025-06-30", "month", "March 2025 to June 2025 (month precision)"),
        ("2015-01-01", "2025-12-31", "year", "2015 to 2025 (year precision)"),
        ("2008-01-01", "2008-12-31", "year", "2008 (year precision)"),
        ("2011-05-16", "2011-05-16", "day", "2011-05-16 (exact day)"),
        ("2011-05-16", "2011-05-17", "week", "2011-05-16 to 2011-05-17 (week precision)"),
    ],
)
def test_date_text(start, end, precision, expected):
    assert date_text(start, end, precision) == expected


def test_place_fatalities_offsets_text():
    assert place_text("Mastung", "district", "Balochistan", "Mastung") == (
        "Mastung \u2014 district-level: the marker stands for the whole district [Mastung, Balochistan]"
    )
    assert place_text("", "country", None, None) == "unnamed place \u2014 country-level: the marker stands for the whole country"
    assert fatalities_text(30, None, None) == "30"
    assert fatalities_text(3, 2, 5) == "3 (estimates 2 to 5)"
    assert fatalities_text(None, None, None) == "not stated"
    assert offsets_text(10, 20) == "characters 10\u201320 of the stored document"
    assert offsets_text(None, None) == ""


def test_a_click_selects_an_incident_only_on_its_marker(events, index):
    key = int(np.flatnonzero(events["event_id"] == "dossier-adc269e2-09")[0])
    point = events.geometry.iloc[key]
    popup = f"{ref_text('incident', key)}\nIncident #{key} \u00b7 dossier-adc269e2-09\nattack"
    on_marker = {"last_object_clicked": {"lat": round(point.y, 5), "lng": round(point.x, 5)}, "last_object_clicked_popup": popup}
    assert clicked_incident(index, on_marker) == key
    brief = {**on_marker, "last_object_clicked_popup": f"{ref_text('incident', key)}\nIncident #{key}\nGroups: x\nLoading"}
    assert clicked_incident(index, brief) == key  # the popup before the full text arrives
    on_boundary = {**on_marker, "last_object_clicked": {"lat": point.y + 0.3, "lng": point.x}}
    assert clicked_incident(index, on_boundary) is None
    assert clicked_incident(index, {**on_marker, "last_object_clicked_popup": ref_text("incident", 999999)}) is None
    assert clicked_incident(index, {**on_marker, "last_object_clicked_popup": ref_text("area", key)}) is None
    assert clicked_incident(index, {**on_marker, "last_object_clicked_popup": popup.split("\n", 1)[1]}) is None  # prose only
    assert clicked_incident(index, {**on_marker, "last_object_clicked": None}) is None
    assert clicked_incident(index, None) is None


def test_only_layers_shown_at_start_are_added_to_the_map(boundaries, rendered):
    _, html = rendered
    hidden = [s for s in boundaries if not s.show]
    assert hidden and len(hidden) < len(boundaries)
    for spec in boundaries:
        call = re.escape(layer_call(spec.factory, {"data": spec.payload}))
        (var,) = re.findall(rf"var (\w+) = {call};", html)
        assert (f"{var}.addTo(" in html) == spec.show, spec.name  # hidden ones wait in the layer control
        assert f'"{spec.name}" : {var}' in html


def test_place_labels_go_capitals_first_and_their_names_travel_as_data():
    from layers.boundaries import place_spec

    places = boundary_layer("places")
    spec = place_spec(places)
    sent = decode_payload(spec.payload)
    assert spec.factory == "placeLayer" and len(sent["name"]) == len(places)
    assert sent["min_zoom"] == sorted(sent["min_zoom"])  # capitals first, towns as the map zooms in
    capitals = {n for n, k in zip(sent["name"], sent["kind"]) if k == "national capital"}
    assert {"Kabul", "Islamabad", "New Delhi"} <= capitals
    assert all(z == 4 for z, k in zip(sent["min_zoom"], sent["kind"]) if k == "national capital")
    assert all(z >= 5 for z, k in zip(sent["min_zoom"], sent["kind"]) if k != "national capital")
