"""The page <-> map protocol: references, layer calls, the shared words, and clicks with every heading reworded."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from incidents import EventFilter, apply_filter, load_all
from incidents.geo.areas import area_table
from layers import protocol
from layers.markers import IncidentLayer, decode_incident_script
from layers.payload import PayloadLayer
from layers.protocol import APPROXIMATE, PRECISION_LETTERS, WORDS, layer_call, parse_ref, read_layer_call, ref_text, reword
from tests.browser import MAP_FRAME, map_frame, open_page, popup_after_click, streamlit_server


def test_a_reference_reads_back_as_written_for_every_kind():
    for kind in protocol.REF_KINDS:
        for ident in (0, 7, 2_000_000_000):
            assert parse_ref(ref_text(kind, ident)) == (kind, ident)
            assert parse_ref("\n " + ref_text(kind, ident) + "Any heading at all") == (kind, ident)


def test_a_layer_call_names_its_arguments_and_reads_back():
    call = layer_call("incidentLayer", {"id": "YQ==", "meta": "e30="})
    assert call == 'IncidentMap.incidentLayer({"id":"YQ==","meta":"e30="})'
    assert read_layer_call("var x = " + call + ";", "incidentLayer") == {"id": "YQ==", "meta": "e30="}
    with pytest.raises(ValueError, match="expected one IncidentMap.countLayer call, found 0"):
        read_layer_call(call, "countLayer")
    with pytest.raises(ValueError, match="not a layer call"):
        layer_call("incidentLayer", {"bad name": "YQ=="})


class _TwoPayloads(PayloadLayer):
    factory = "areaLayer"
    args = ("shapes", "counts")


def test_a_layer_is_given_exactly_the_payloads_it_declares():
    with pytest.raises(ValueError, match=r"_TwoPayloads takes 2 payloads \(shapes, counts\), got 1"):
        _TwoPayloads(["YQ=="], [[0, 0], [1, 1]], name="x", control=False)
    layer = _TwoPayloads(["YQ==", "e30="], [[0, 0], [1, 1]], name="x", control=False)
    assert read_layer_call(layer.call, "areaLayer") == {"shapes": "YQ==", "counts": "e30="}


def test_the_words_and_codes_travel_in_the_payload(events_index):
    events, index = events_index
    layer = IncidentLayer(index, np.arange(index.n), {})
    meta = decode_incident_script(layer.call)["meta"]
    assert meta["words"] == WORDS and meta["precision_letters"] == PRECISION_LETTERS
    assert meta["approximate"] == list(APPROXIMATE) == ["district", "province", "region", "country"]
    assert meta["ref_format"].format(kind="incident", id=3) == ref_text("incident", 3)


def test_the_map_script_writes_no_heading_or_precision_letter_of_its_own():
    from layers.assets import STATIC_DIR

    parts = ("markers", "incidents", "areas")
    script = "\n".join((STATIC_DIR / "map" / f"{part}.js").read_text(encoding="utf-8") for part in parts)
    for text in ("Incident #", "Area #", '"Groups"', '"Location precision"', "Loading the source", 'district: "D"', '"exact"'):
        assert text not in script, text


def test_reword_checks_every_key_and_value(monkeypatch):
    monkeypatch.setattr(protocol, "WORDS", dict(WORDS))
    reword({"incident": "Vorfall"}, source="words.json")
    assert protocol.WORDS["incident"] == "Vorfall" and protocol.vocabulary()["words"]["incident"] == "Vorfall"
    with pytest.raises(ValueError, match=r"words.json: 'headline' is not a word of the map; 'area': expected text, found int"):
        reword({"headline": "x", "area": 3}, source="words.json")
    with pytest.raises(ValueError, match=r"words.json: expected an object of words by key"):
        reword(["incident"], source="words.json")
    assert protocol.WORDS["area"] == "Area"  # nothing changed by a refused file


def artifact(name: str):
    from tests.conftest import ROOT

    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    return out / name


@pytest.fixture(scope="module")
def events_index():
    from incidents.query.index import EventIndex

    events = load_all().events
    return events, EventIndex.build(events)


#: Every heading reworded, and the two kinds' headings swapped: a page that read the headings would select the wrong thing.
REWORDED = {
    **{k: f"\u00ab{k.upper()}\u00bb" for k in WORDS},
    "incident": "Area",
    "area": "Incident",
}


@pytest.fixture(scope="module")
def reworded_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "words.json"
    path.write_text(json.dumps(REWORDED), encoding="utf-8")
    with streamlit_server({"INCIDENT_MAP_WORDS": str(path)}) as url:
        yield url


def test_with_every_heading_reworded_clicks_still_select_what_was_clicked(reworded_server, browser, events_index):
    """A lone marker, the members of a spread cluster, an area and a network node each select what was clicked."""
    events, _ = events_index
    server = reworded_server

    # a lone marker: Khuzdar's one dossier incident
    page, watch = open_page(browser, server + "/?region=Khuzdar&dataset=dossier")
    frame = map_frame(page)
    fl = page.frame_locator(MAP_FRAME)
    (khuzdar,) = apply_filter(events, EventFilter(regions=frozenset({"Khuzdar"}), datasets=frozenset({"dossier"})))["event_id"]
    text = popup_after_click(fl, fl.locator(".inc-icon").first)  # once the rerun has sent the source: one popup
    expect(page).to_have_url(re.compile(r"[?&]incident=" + re.escape(khuzdar)), timeout=30_000)
    assert parse_ref(text) is not None and events["event_id"].iloc[parse_ref(text).id] == khuzdar
    head = fl.locator(".leaflet-popup-content .inc-head")
    expect(head).to_contain_text("Area #")  # the reworded heading is what shows
    expect(head).to_contain_text(khuzdar)
    expect(fl.locator(".leaflet-popup-content")).to_contain_text("\u00abFATALITIES\u00bb")
    page.screenshot(path=str(artifact("reworded-marker.png")))

    # the members of a cluster: Mastung's two dossier incidents share one point
    page, watch = open_page(browser, server + "/?region=Mastung&dataset=dossier")
    frame = map_frame(page)
    fl = page.frame_locator(MAP_FRAME)
    shown = apply_filter(events, EventFilter(regions=frozenset({"Mastung"}), datasets=frozenset({"dossier"})))
    fl.locator(".inc-cluster").click()
    icons = fl.locator(".inc-icon")
    expect(icons).to_have_count(2)
    page.wait_for_timeout(500)
    picked = []
    for i in range(2):
        text = popup_after_click(fl, icons.nth(i))
        ref = parse_ref(text)
        assert ref is not None and ref.kind == "incident"
        event_id = events["event_id"].iloc[ref.id]
        assert event_id in set(shown["event_id"]) and f"Area #{ref.id} \u00b7 {event_id}" in text
        expect(page).to_have_url(re.compile(r"[?&]incident=" + re.escape(event_id)), timeout=30_000)
        picked.append(event_id)
        frame.evaluate("() => { window.map.closePopup(); }")
    assert sorted(picked) == sorted(shown["event_id"])

    # an area of counts per district, whose popup now reads "Incident #..."
    page, watch = open_page(browser, server + "/?map=Incidents+per+district")
    fl = page.frame_locator(MAP_FRAME)
    expect(fl.locator(".area-legend")).to_be_visible(timeout=60_000)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    table = area_table()
    khuzdar = table.codes.index("PK213")
    # the popup the area carries, read from the layer itself (the rerun a click starts redraws the areas and may close it)
    head = frame.evaluate(
        """(i) => { let text = null; window.map.eachLayer((l) => {
             if (l.feature && l.feature.properties.i === i)
               text = l.getPopup().getContent().querySelector('.inc-head').textContent;
           }); return text; }""",
        khuzdar,
    )
    assert head.startswith(f"Incident #{khuzdar} \u00b7 ")  # the reworded heading; the click still selects the area
    inside = table.frame.geometry.iloc[khuzdar].representative_point()
    xy = frame.evaluate(f"() => {{ const p = window.map.latLngToContainerPoint([{inside.y}, {inside.x}]); return [p.x, p.y]; }}")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    expect(page).to_have_url(re.compile(r"area=PK213"), timeout=30_000)
    assert "incident=" not in page.url
    page.screenshot(path=str(artifact("reworded-area.png")))

    # a node of the actor network
    page, watch = open_page(browser, server + "/?view=Actor+network&region=Balochistan", height=2400)
    map_frame(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    node = chart.locator("g.mark-symbol path[aria-label*='group: Lashkar-e-Taiba;']")
    expect(node).to_be_attached(timeout=30_000)
    nb = node.bounding_box()
    page.mouse.click(nb["x"] + nb["width"] / 2, nb["y"] + nb["height"] / 2)
    expect(page).to_have_url(re.compile(r"group=Lashkar-e-Taiba"), timeout=30_000)
    assert watch.blocked == [] and watch.errors == [] and watch.dialogs == []
