"""The analysis views in a real browser: ``streamlit run`` + Debian Chromium, no internet."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date

import numpy as np
import pytest
import shapely
from playwright.sync_api import expect

from incidents import EventFilter, apply_filter, filter_mask, load_all
from incidents.geo.areas import area_table, count_class
from incidents.geo.boundaries import boundary_layer
from incidents.network import cited_documents, network, tie_rows
from incidents.query.area import area_counts
from incidents.query.index import EventIndex
from incidents.timeline import timeline
from layers.areas import CLASS_COLOURS
from tests.browser import MAP_FRAME, choose, map_frame, open_page, streamlit_server, wait_for_count, zoom_out


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def shipped():
    return load_all().events


def test_the_distance_filter_and_the_citations_download(server, browser, shipped):
    """Choose the Durand Line: the map keeps the events within 50 km, says what it left out; the export holds them."""
    page, watch = open_page(browser, server)
    frame = map_frame(page)
    choose(page, "Within a distance of a line", "Durand Line")
    near = apply_filter(shipped, EventFilter(distance=("Durand Line", 50, False)))
    approx = apply_filter(shipped, EventFilter(distance=("Durand Line", 50, True)))
    assert 0 < len(near) < len(approx) < len(shipped)
    zoom_out(frame)
    assert wait_for_count(frame, len(near)) == len(near)
    expect(page).to_have_url(re.compile(r"near=Durand\+Line&km=50"))
    expect(page.get_by_text(re.compile(r"within 50 km of the Durand Line"))).to_be_visible()
    left_out = len(approx) - len(near)
    expect(page.get_by_text(re.compile(rf"^{left_out} incidents? located only to a district or coarser"))).to_be_visible()

    page.get_by_text("Export this view").click()
    with page.expect_download() as got:
        page.get_by_role("button", name=re.compile("Citations")).click()
    download = got.value
    assert download.suggested_filename == "incidents.citations.csv"
    cited = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert sorted(r["event_id"] for r in cited) == sorted(near["event_id"])
    assert page.get_by_text(re.compile(r"near=Durand\+Line")).count() >= 1  # the share link shows the view

    page.get_by_test_id("stCheckbox").get_by_text("Include approximate locations").click()
    assert wait_for_count(frame, len(approx)) == len(approx)
    expect(page).to_have_url(re.compile(r"approx=1"))
    assert watch.blocked == [] and watch.errors == [] and watch.dialogs == []


_MARKS = """(chart) => Array.from(chart.querySelectorAll('g.role-mark path[aria-label]')).map(
  (p) => [p.closest('g.role-mark').getAttribute('class'), p.getAttribute('aria-label')])"""


def _fields(label: str) -> dict[str, str]:
    return dict(part.split(": ", 1) for part in label.split("; "))


def test_the_timeline_draws_the_counts_and_a_brush_sets_the_date_filter(server, browser, shipped):
    """Per year, every bar and span drawn is one the timeline computes; a brush on the bars becomes the date filter."""
    page, watch = open_page(browser, server + "/?by=year", height=2400)
    frame = map_frame(page)
    index = EventIndex.build(shipped)
    tl = timeline(index, np.arange(index.n), resolution="year")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("g.role-mark path[aria-label]").first).to_be_attached(timeout=30_000)
    marks = chart.evaluate(_MARKS)
    bars = sorted((f["Year"], f["group"], float(f["value"])) for c, f in ((c, _fields(a)) for c, a in marks) if "view_1" in c)
    spans = sorted(
        (f["From"], f["Before"], f["group"], int(f["Events"])) for c, f in ((c, _fields(a)) for c, a in marks) if "concat_1" in c
    )
    assert bars == sorted((str(s)[:10], g, float(v)) for s, g, v in zip(tl.bars["start"], tl.bars["group"], tl.bars["value"]))
    assert spans == sorted(
        (str(s)[:10], str(e)[:10], g, int(n))
        for s, e, g, n in zip(tl.spans["start"], tl.spans["end"], tl.spans["group"], tl.spans["events"])
    )
    assert sum(v for *_, v in bars) + sum(n for *_, n in spans) == len(shipped)

    box = chart.locator("svg").first.bounding_box()
    y = box["y"] + 120  # inside the bars' plot
    page.mouse.move(box["x"] + box["width"] * 0.45, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=8)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"), timeout=30_000)
    found = re.search(r"from=(\d{4}-\d\d-\d\d)&to=(\d{4}-\d\d-\d\d)", page.url)
    start, end = (date.fromisoformat(found.group(i)) for i in (1, 2))
    assert date(1995, 1, 1) < start < end < date(2025, 1, 1)
    shown = apply_filter(shipped, EventFilter(dates=(start, end)))
    assert 0 < len(shown) < len(shipped)
    zoom_out(frame)
    assert wait_for_count(frame, len(shown)) == len(shown)
    expect(page.get_by_text(f"{len(shown)} incidents, {start:%b %Y}\u2013{end:%b %Y}")).to_be_visible()
    assert watch.blocked == [] and watch.errors == [] and watch.dialogs == []


def _drawn_nodes(chart) -> dict[str, int]:
    marks = chart.evaluate(_MARKS)
    return {f["group"]: int(f["events"]) for c, f in ((c, _fields(a)) for c, a in marks) if "mark-symbol" in c}


def test_the_network_draws_its_groups_a_click_filters_and_a_tie_lists_its_evidence(server, browser, shipped):
    """Balochistan's network as computed; clicking Lashkar-e-Taiba filters to it; a tie lists the events naming both."""
    page, watch = open_page(browser, server + "/?view=Actor+network&region=Balochistan", height=2400)
    frame = map_frame(page)
    index = EventIndex.build(shipped)
    rows = np.flatnonzero(filter_mask(index, EventFilter(regions={"Balochistan"})))
    net = network(index, rows, cited_documents(shipped["source_id"].iloc[rows]))
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("g.mark-symbol path[aria-label]").first).to_be_attached(timeout=30_000)
    assert _drawn_nodes(chart) == dict(zip(net.nodes["group"], net.nodes["events"]))
    assert {"Lashkar-e-Taiba", "Islamic State Khorasan Province", "Inter-Services Intelligence", "Shafiq Mengal militia"} <= set(
        _drawn_nodes(chart)
    )

    node = chart.locator("g.mark-symbol path[aria-label*='group: Lashkar-e-Taiba;']")
    box = node.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"group=Lashkar-e-Taiba"), timeout=30_000)
    shown = apply_filter(shipped, EventFilter(regions={"Balochistan"}, groups={"Lashkar-e-Taiba"}))
    zoom_out(frame)
    assert wait_for_count(frame, len(shown)) == len(shown) > 0

    rows = np.flatnonzero(filter_mask(index, EventFilter(regions={"Balochistan"}, groups={"Lashkar-e-Taiba"})))
    tie = "Inter-Services Intelligence \u2014 Lashkar-e-Taiba: 2 events"
    choose(page, "Evidence for a tie", tie)
    evidence = page.locator(".st-key-tie_evidence [data-testid='stDataFrame']")
    expected = tie_rows(index, rows, "Inter-Services Intelligence", "Lashkar-e-Taiba")
    expect(evidence.locator("table[role='grid']")).to_have_attribute("aria-rowcount", str(len(expected) + 1))
    assert watch.blocked == [] and watch.errors == [] and watch.dialogs == []


_AREAS = """() => {
  const out = {};
  window.map.eachLayer((l) => {
    if (l.feature && l.feature.properties && l.feature.properties.i !== undefined && l.options.fillOpacity > 0)
      out[l.feature.properties.i] = l.options.fillColor;
  });
  return {filled: out, coarse: Array.from(document.querySelectorAll('.area-coarse')).map((e) => [e.textContent, e.title])};
}"""


def test_counts_per_district_fill_each_area_by_its_class_and_a_click_filters_to_it(server, browser, shipped):
    """Every area drawn in the colour of its count's class, the province's own count labelled; a click filters."""
    page, watch = open_page(browser, server + "/?map=Incidents+per+district")
    fl = page.frame_locator(MAP_FRAME)
    expect(fl.locator(".area-legend")).to_be_visible(timeout=60_000)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    index = EventIndex.build(shipped)
    rows = np.arange(index.n)
    values = area_counts(index, rows)
    classes = count_class(values)
    drawn = frame.evaluate(_AREAS)
    expected = {str(i): CLASS_COLOURS[c] for i, c in enumerate(classes) if c >= 0}
    assert drawn["filled"] == expected and len(expected) > 20
    provincial = int(((shipped["geo_precision"] == "province") & (shipped["admin1"] == "Balochistan")).sum())
    label = [f"Balochistan: {provincial}", f"Balochistan: {provincial} incidents located only to the province"]
    assert label in drawn["coarse"]  # short on the map, the sentence in its title

    # across the Line of Control: Kupwara (Indian-administered) is an area like any Pakistani district
    table = area_table()
    i = table.codes.index("IN01001")
    assert table.frame["name"].iloc[i] == "Kupwara" and drawn["filled"].get(str(i)) == CLASS_COLOURS[classes[i]]
    inside = table.frame.geometry.iloc[i].representative_point()
    frame.evaluate(f"() => window.map.setView([{inside.y}, {inside.x}], 8, {{animate: false}})")
    xy = frame.evaluate(f"() => {{ const p = window.map.latLngToContainerPoint([{inside.y}, {inside.x}]); return [p.x, p.y]; }}")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    expect(page).to_have_url(re.compile(r"area=IN01001"), timeout=30_000)
    kupwara = int(filter_mask(index, EventFilter(areas={"IN01001"})).sum())
    assert kupwara == values[i] > 0
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text(str(kupwara))
    assert watch.blocked == [] and watch.errors == [] and watch.dialogs == []


_LABELS = "() => Array.from(document.querySelectorAll('.place-label')).map((e) => e.textContent)"


def test_town_labels_orient_the_map_by_zoom_capitals_first(server, browser):
    """With no tiles: at the start zoom the capitals are named; smaller towns appear as the map zooms in."""
    places = boundary_layer("places")
    page, watch = open_page(browser, server)
    frame = map_frame(page)
    start = frame.evaluate("() => window.map.getZoom()")
    shown = set(frame.evaluate(_LABELS))
    assert shown == set(places.loc[places["min_zoom"] <= start, "name"])
    assert {"Kabul", "Islamabad", "Quetta", "Karachi"} <= shown
    town = places[places["min_zoom"] == 9].iloc[0]
    assert town["name"] not in shown
    frame.evaluate(f"() => window.map.setView([{town.geometry.y}, {town.geometry.x}], 9, {{animate: false}})")
    frame.wait_for_function(
        f"() => Array.from(document.querySelectorAll('.place-label')).some((e) => e.textContent === {town['name']!r})"
    )
    assert watch.blocked == [] and watch.errors == []


_COVERED = """() => {
  const box = (n) => n.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const icons = Array.from(document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')).map(box);
  const labels = Array.from(document.querySelectorAll('.boundary-label, .line-label'));
  return {
    names: labels.map((n) => n.textContent),
    covered: labels.filter((n) => icons.some((i) => hit(box(n), i))).map((n) => n.textContent),
    icons: icons.length,
  };
}"""


def test_no_marker_or_cluster_covers_a_district_or_line_label(server, browser):
    """At the first view and zoomed in on Balochistan: Mastung, Khuzdar and the lines stay readable beside the badges."""
    page, watch = open_page(browser, server, width=1600)
    frame = map_frame(page)
    for view in ("", "() => window.map.setView([29.0, 66.5], 7, {animate: false})"):
        if view:
            frame.evaluate(view)
        time.sleep(1.5)  # the labels move a moment after the map settles
        seen = frame.evaluate(_COVERED)
        assert seen["icons"] > 0 and {"Mastung", "Khuzdar"} <= set(seen["names"])
        assert seen["covered"] == [], seen
    assert watch.blocked == [] and watch.errors == []


def test_a_filter_change_fits_the_map_unless_the_analyst_turns_it_off(server, browser, shipped):
    page, watch = open_page(browser, server)
    frame = map_frame(page)
    frame.evaluate("() => { window.__same_map = true; }")
    start = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    page.get_by_test_id("stCheckbox").get_by_text("Fit to the filter").click()  # off
    box = page.get_by_label("Search excerpts and places")
    box.fill("Mastung")
    box.press("Enter")
    expected = apply_filter(shipped, EventFilter(text="Mastung"))
    expect(page.get_by_text(f"{len(expected)} incidents, matching")).to_be_visible()
    assert wait_for_count(frame, len(expected)) == len(expected)
    time.sleep(1)
    now = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    assert now == start and frame.evaluate("() => window.__same_map === true")  # not moved, not remounted
    page.get_by_test_id("stCheckbox").get_by_text("Fit to the filter").click()  # on again
    box.fill("Khuzdar")
    box.press("Enter")
    frame.wait_for_function(f"() => window.map.getZoom() > {start[0]}", timeout=30_000)
    # a chosen region: the map fits to the region's box, whatever its incidents
    box.fill("")
    box.press("Enter")
    page.locator("[data-testid='stMultiSelect']").filter(has_text="Regions").locator("input").click()
    page.keyboard.type("Khuzdar")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"region=Khuzdar"))
    west, south, east, north = shapely.bounds(boundary_layer("regions").set_index("name").loc["Khuzdar", "geometry"]).tolist()
    fits = f"() => window.map.getBounds().contains([[{south}, {west}], [{north}, {east}]]) && window.map.getZoom() >= 7"
    frame.wait_for_function(fits, timeout=30_000)
    assert frame.evaluate("() => window.__same_map === true") and watch.errors == []


@pytest.mark.parametrize("height", [900, 1400])
def test_the_map_takes_the_window_height(server, browser, height):
    page, _ = open_page(browser, server, height=height)
    frame = map_frame(page)
    frame_box = page.locator(MAP_FRAME).bounding_box()
    assert frame_box["height"] == max(420, height - 400)
    inner = frame.evaluate("() => [window.map.getSize().y, window.innerHeight]")
    assert inner == [frame_box["height"], frame_box["height"]]  # the map fills its frame
    page.close()
