"""The dashboard run headless with AppTest: every filter by key, counts, and what the map is sent."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from incidents import EventFilter, apply_filter, load_all, to_query
from layers import decode_payload
from layers.markers import decode_incident_script
from layers.protocol import read_layer_call
from tests.conftest import DATA, ROOT
from tests.hostile import EVENTS, HOSTILE_FILE_NAME, PWNED_PATH, group, hostile_geojson, write_hostile_file

APP = str(ROOT / "dashboard.py")


@pytest.fixture
def app(clean_cache, monkeypatch):
    monkeypatch.delenv("INCIDENT_FILES", raising=False)

    def make(**query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for k, v in query.items():
            at.query_params[k] = v
        return at.run()

    return make


def component_args(at: AppTest) -> dict:
    (comp,) = [e for e in at.main if getattr(e, "type", None) == "component_instance"]
    return json.loads(comp.proto.json_args)


def sent_incidents(at: AppTest) -> dict:
    return decode_incident_script(component_args(at)["feature_group"])


def sent_ids(at: AppTest, events) -> list[str]:
    return sorted(events["event_id"].iloc[sent_incidents(at)["key"]])


def as_lists(query: dict) -> dict[str, list[str]]:
    """Query parameters with every value as a list (AppTest gives a single value as a string)."""
    return {k: v if isinstance(v, list) else [v] for k, v in query.items()}


def shown(at: AppTest) -> int:
    return int(at.metric[0].value.replace(",", ""))


def test_default_view_sends_every_incident_and_every_layer(app, events):
    at = app()
    assert not at.exception
    assert shown(at) == len(events) == 238
    sent = sent_incidents(at)
    assert sorted(sent["key"]) == list(range(238))
    assert sent["selected"] == {}
    args = component_args(at)
    assert args["script"].count("IncidentMap.boundaryLayer(") == 9  # the rivers among them, off until asked for
    assert args["js_links"] == [
        "/app/static/vendor/leaflet/leaflet.js",
        *(
            f"/app/static/map/{part}.js"
            for part in ("core", "boundaries", "places", "cluster", "markers", "incidents", "playback", "counts", "areas")
        ),
    ]
    assert args["css_links"] == ["/app/static/vendor/leaflet/leaflet.css", "/app/static/map/map.css"]
    assert args["returned_objects"] == ["last_object_clicked", "last_object_clicked_popup", "last_object_clicked_count"]
    table = at.dataframe[0].value
    assert len(table) == 238


@pytest.mark.parametrize(
    ("key", "value", "f"),
    [
        ("date_range", (date(2025, 3, 1), date(2025, 6, 30)), EventFilter(dates=(date(2025, 3, 1), date(2025, 6, 30)))),
        ("groups", ["Lashkar-e-Taiba"], EventFilter(groups=frozenset({"Lashkar-e-Taiba"}))),
        ("event_types", ["attack"], EventFilter(event_types=frozenset({"attack"}))),
        ("regions", ["Mastung", "Khuzdar"], EventFilter(regions=frozenset({"Mastung", "Khuzdar"}))),
        ("regions", ["Afghan border zone"], EventFilter(regions=frozenset({"Afghan border zone"}))),
        ("datasets", ["dossier"], EventFilter(datasets=frozenset({"dossier"}))),
        ("search", "Jirga", EventFilter(text="Jirga")),
    ],
)
def test_each_filter_changes_counts_table_and_map(app, events, key, value, f):
    at = app()
    widget = (
        at.sidebar.text_input(key=key)
        if key == "search"
        else at.sidebar.get("date_input" if key == "date_range" else "multiselect")
    )
    if key == "search":
        widget.input(value)
    else:
        widget = next(w for w in widget if w.key == key)
        widget.set_value(value)
    at.run()
    assert not at.exception
    expected = apply_filter(events, f)
    assert 0 < len(expected) < len(events)
    assert shown(at) == len(expected)
    assert len(at.dataframe[0].value) == len(expected)
    assert sent_ids(at, events) == sorted(expected["event_id"])
    assert as_lists(at.query_params) == as_lists(to_query(f))  # the view is in the URL, exactly


def test_group_filter_matches_any_actor(app, events):
    at = app()
    at.sidebar.multiselect(key="groups").set_value(["Lashkar-e-Taiba", "Islamic State Khorasan Province"]).run()
    ids = set(sent_ids(at, events))
    with_either = {
        e for e, a in zip(events["event_id"], events["actors"]) if {"Lashkar-e-Taiba", "Islamic State Khorasan Province"} & set(a)
    }
    assert ids == with_either and len(ids) == 9
    assert at.query_params["group"] == ["Islamic State Khorasan Province", "Lashkar-e-Taiba"]


def test_a_shared_link_restores_the_view_and_the_selected_incident(app):
    at = app(region="Mastung", incident="dossier-adc269e2-09")
    assert not at.exception
    assert at.sidebar.multiselect(key="regions").value == ["Mastung"]
    assert shown(at) == 3
    selected = sent_incidents(at)["selected"]  # the map opens the incident's popup with its excerpt
    assert selected["event_id"] == "dossier-adc269e2-09"
    assert selected["excerpt"] == "A March 2025 attack by Baloch fighters on the Mastung base, which killed 30 militants"
    texts = [t.value for t in at.text]
    assert "A March 2025 attack by Baloch fighters on the Mastung base, which killed 30 militants" in texts
    context = next(t for t in texts if "\u27e6" in t)
    assert "\u27e6A March 2025 attack by Baloch fighters on the Mastung base, which killed 30 militants\u27e7" in context
    assert any(t.startswith("Date: March 2025 (month precision)") for t in texts)
    assert any("district-level" in t for t in texts)


def test_a_bad_link_is_explained_not_obeyed(app):
    at = app(group="![x](http://example.invalid/beacon)", **{"from": "not-a-date"})
    assert not at.exception
    assert shown(at) == 238
    assert any("example.invalid" in t.value for t in at.sidebar.text)  # shown as plain text
    assert not any("example.invalid" in m.value for m in at.markdown)


def test_rejected_rows_are_shown(app, monkeypatch):
    monkeypatch.setenv("INCIDENT_FILES", str(DATA / "broken_events.csv"))
    at = app()
    assert shown(at) == 240
    rejected = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert len(rejected) == 7 and set(rejected["file"]) == {"broken_events.csv"}
    files = next(d.value for d in at.dataframe if "accepted" in d.value.columns)
    row = files[files["file"] == "broken_events.csv"].iloc[0]
    assert (row["rows"], row["accepted"], row["rejected"]) == (9, 2, 7)


def test_hostile_text_is_never_evaluated_on_the_server(app, monkeypatch, tmp_path):
    path = tmp_path / "hostile.csv"
    rows = write_hostile_file(path)
    named = tmp_path / HOSTILE_FILE_NAME  # a hostile file name, read like an upload
    named.write_bytes(hostile_geojson())
    marker = PWNED_PATH
    marker.unlink(missing_ok=True)
    monkeypatch.setenv("INCIDENT_FILES", os.pathsep.join([str(path), str(named)]))
    for i, row in enumerate(rows):
        at = app(dataset="hostile", incident=row["event_id"])
        assert not at.exception
        assert shown(at) == EVENTS
        payload = sent_incidents(at)
        assert payload["selected"]["excerpt"] == row["excerpt"]  # sent as data, unchanged
        assert group(i) and all(text in payload["selected"]["excerpt"] for text in group(i))
        args = component_args(at)
        for text in group(i):
            assert text not in args["feature_group"] and text not in args["script"] and text not in args["header"]
        panel = [t.value for t in at.text]
        assert row["excerpt"] in panel  # the panel shows it as text, literally
    assert not marker.exists()
    loaded = load_all([path, named], shipped=False).events
    names = {a for actors in loaded["actors"] for a in actors}
    legend = {g["name"] for g in payload["meta"]["legend"]["groups"]}
    assert legend and legend <= names | {"Other groups"}
    assert {s["groups"] for s in payload["meta"]["styles"]} <= {"; ".join(a) for a in loaded["actors"]}
    stem = HOSTILE_FILE_NAME.rsplit(".", 1)[0]
    assert f"upload: {stem}" not in at.sidebar.multiselect(key="datasets").options  # read from disk: not an upload
    assert stem in at.sidebar.multiselect(key="datasets").options  # shown as given: "{{ 7*7 }}", not 49
    files = next(d.value for d in at.dataframe if "accepted" in d.value.columns)
    assert HOSTILE_FILE_NAME in set(files["file"])
    repaired = next(d.value for d in at.dataframe if "reason" in d.value.columns and "unit" in d.value.columns)
    assert repaired["value"].str.contains("{{ 7*7 }}", regex=False).any()  # hostile property names, as text
    assert not at.exception and not marker.exists()


def test_too_many_incidents_are_counted_per_cell_and_said_so(app, monkeypatch, events):
    import views.map

    monkeypatch.setattr(views.map, "POINT_LIMIT", 100)
    at = app()
    assert not at.exception
    assert any("more than the map draws one by one" in w.value for w in at.warning)
    script = component_args(at)["feature_group"]
    assert "IncidentMap.countLayer(" in script and "IncidentMap.incidentLayer(" not in script
    cells = decode_payload(read_layer_call(script, "countLayer")["cells"])
    assert sum(cells["count"]) == cells["total"] == len(events)  # nothing left out
    at.sidebar.multiselect(key="datasets").set_value(["dossier"]).run()
    assert not at.warning  # few enough again: markers
    assert len(sent_incidents(at)["key"]) == 12
