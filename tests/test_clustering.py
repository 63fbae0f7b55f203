"""The browser's clustering of incident markers, run in Chromium on the real map script.

No server: a blank page loads the installed Leaflet and the map script's parts, and builds
the incident layer from the payload the dashboard would send (the shipped events, and 20,000
synthetic ones). At every zoom each incident must belong to exactly one cluster, whose count
and extent hold it; the page must represent every incident in view; a selected incident must
come out of its cluster with its popup open.
"""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from benchmarks.synthetic import synthetic_events
from incidents import load_all
from incidents.query.index import EventIndex
from incidents.writers import write_events
from layers import group_colors
from layers.assets import CSS, STATIC_DIR, asset_paths, install_assets, js
from layers.basemap import CENTER, MAX_ZOOM, MIN_ZOOM, ZOOM
from layers.markers import IncidentLayer, incident_details
from tests.browser import incidents_on_map, launch
from views.modes import script_parts

#: Checks every zoom level of a layer, in the page: counts, membership and extents.
_LEVELS = """(layer) => {
  const out = [];
  for (let z = window.map.getMinZoom(); z <= window.map.getMaxZoom(); z++) {
    const lv = layer._level(z);
    const recount = new Array(lv.count.length).fill(0);
    let outside = 0, orphans = 0;
    for (let i = 0; i < lv.cellOf.length; i++) {
      const c = lv.cellOf[i];
      recount[c]++;
      if (!lv.count[c]) orphans++;
      if (layer._x[i] < lv.minx[c] || layer._x[i] > lv.maxx[c] || layer._y[i] < lv.miny[c] || layer._y[i] > lv.maxy[c]) outside++;
    }
    const mismatched = lv.count.filter((n, c) => n !== recount[c]).length;
    const total = lv.count.reduce((a, b) => a + b, 0);
    const clusters = lv.count.filter((n) => n > 0).length;
    out.push({zoom: z, total, clusters, mismatched, orphans, outside});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def page():
    install_assets()
    with sync_playwright() as p:
        browser = launch(p)
        pg = browser.new_page(viewport={"width": 1000, "height": 700})
        pg.set_content('<html><body style="margin:0"><div id="m" style="width:1000px;height:700px"></div></body></html>')
        served = asset_paths()
        for _, url in CSS:
            pg.add_style_tag(path=str(served[url]))
        for _, url in js(script_parts()):  # Leaflet, then the parts in the dashboard's order
            pg.add_script_tag(path=str(served[url]))
        yield pg
        browser.close()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = write_events(synthetic_events(20_000), tmp_path_factory.mktemp("syn") / "synthetic.parquet")
    return load_all([path], shipped=True).events


def show(page, index: EventIndex, selected: dict | None = None):
    """A fresh map at the dashboard's start view with the layer for every incident in ``index``."""
    layer = IncidentLayer(index, np.arange(index.n), group_colors(index.actors.counts()), selected=selected)
    page.evaluate(
        """([args, centre, zoom, minZoom, maxZoom]) => {
          if (window.map) window.map.remove();
          window.map = L.map("m", {minZoom, maxZoom}).setView(centre, zoom);
          window.layer = IncidentMap.incidentLayer(args).addTo(window.map);
        }""",
        [layer.payloads, list(CENTER), ZOOM, MIN_ZOOM, MAX_ZOOM],
    )
    return page.evaluate_handle("() => window.layer")


def unfold_legend(page, index: EventIndex) -> None:
    """Unfold the legend (it starts folded) so that later layers open with it unfolded: the clearance tests need its size."""
    show(page, index)
    page.evaluate("() => { document.querySelector('.inc-legend').open = true; }")
    page.wait_for_function("() => document.querySelector('.inc-legend').open === true")
    page.wait_for_timeout(100)  # the toggle event, which the map script listens to, fires after the change


@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_every_incident_is_in_exactly_one_cluster_at_every_zoom(page, events, synthetic, which):
    frame = events if which == "shipped" else synthetic
    index = EventIndex.build(frame)
    layer = show(page, index)
    levels = page.evaluate(_LEVELS, layer)
    assert [lv["zoom"] for lv in levels] == list(range(MIN_ZOOM, MAX_ZOOM + 1))
    for lv in levels:
        assert lv["total"] == len(frame), lv
        assert lv["mismatched"] == lv["orphans"] == lv["outside"] == 0, lv
    clusters = [lv["clusters"] for lv in levels]
    assert clusters == sorted(clusters) and clusters[0] < clusters[-1]  # zooming in only splits clusters
    # the whole region is in view at the lowest zoom: the page represents every incident, once
    page.evaluate("() => window.map.setZoom(window.map.getMinZoom(), {animate: false})")
    assert incidents_on_map(page) == len(frame)
    # and at any zoom the page holds a bounded number of elements, not one per incident
    for z in range(MIN_ZOOM, MAX_ZOOM + 1):
        page.evaluate("(z) => window.map.setZoom(z, {animate: false})", z)
        assert page.evaluate("() => document.querySelectorAll('.leaflet-marker-icon').length") < 2_000


def test_a_selected_incident_comes_out_of_its_cluster_with_its_popup(page, synthetic):
    index = EventIndex.build(synthetic)
    unfold_legend(page, index)
    rng = np.random.default_rng(7)
    for key in rng.choice(index.n, size=6, replace=False).tolist():
        details = incident_details(synthetic, key)
        show(page, index, selected=details)
        popup = page.locator(".leaflet-popup-content")
        assert popup.count() == 1
        text = popup.text_content()
        assert f"Incident #{key} \u00b7 {details['event_id']}" in text and details["excerpt"] in text
        inside = page.evaluate(
            """(key) => {
              const m = window.layer._markerOf(window.layer._row.get(key));
              return m !== null && m._incKey === key && window.map.getBounds().contains(m.getLatLng()) && m.isPopupOpen();
            }""",
            key,
        )
        assert inside, key
        clear = page.evaluate(
            """() => {
              const a = document.querySelector('.leaflet-popup').getBoundingClientRect();
              const b = document.querySelector('.inc-legend').getBoundingClientRect();
              return a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
            }"""
        )
        assert clear, key  # the popup opens clear of the legend in the bottom-left corner


def test_co_located_incidents_are_spread_out_when_their_cluster_is_opened(page, synthetic):
    index = EventIndex.build(synthetic)
    layer = show(page, index)
    # the largest group of incidents sharing one position (district-level events at a centroid)
    _, first, counts = np.unique(np.round(np.c_[index.lat, index.lon], 5), axis=0, return_index=True, return_counts=True)
    row = int(first[counts.argmax()])
    spread = page.evaluate(
        """([layer, row]) => {
          const map = window.map;
          map.setView([layer._lat[row], layer._lon[row]], map.getMaxZoom(), {animate: false});
          const lv = layer._level(map.getMaxZoom());
          layer._openCluster(lv, lv.cellOf[row]);
          const shown = layer._spread.rows.map((r) => layer._markerOf(r));
          const at = new Set(shown.map((m) => m.getLatLng().toString()));
          const true_ = layer._spread.rows.filter((r, k) => shown[k]._incLatLng.equals([layer._lat[r], layer._lon[r]]));
          return {n: lv.count[lv.cellOf[row]], shown: shown.filter((m) => m && m._map).length, places: at.size,
                  reported: true_.length};
        }""",
        [layer, row],
    )
    assert spread["n"] >= counts.max() > 20  # the cluster holds the whole stack (and any close neighbours)
    assert spread["shown"] == spread["places"] == spread["n"]  # every one on the map, each at its own place
    assert spread["reported"] == spread["n"]  # a click on any of them reports its incident's true position


def test_opening_a_cluster_shows_all_its_incidents_clear_of_the_legend(page, synthetic):
    index = EventIndex.build(synthetic)
    unfold_legend(page, index)
    layer = show(page, index)
    assert page.evaluate("() => document.querySelector('.inc-legend').open")  # unfolded, so the clearance is tested
    checked = page.evaluate(
        """(layer) => {
          const map = window.map, out = [];
          const start = layer._level(map.getZoom());
          // the ten largest clusters at the start view whose incidents do not share one position
          const cells = start.count.map((n, c) => [n, c])
            .filter(([n, c]) => n > 1 && (start.minx[c] !== start.maxx[c] || start.miny[c] !== start.maxy[c]))
            .sort((a, b) => b[0] - a[0]).slice(0, 10).map(([, c]) => c);
          const legend = document.querySelector('.inc-legend').getBoundingClientRect();
          const box = map.getContainer().getBoundingClientRect();
          for (const c of cells) {
            map.setView([30.5, 68.5], 5, {animate: false});
            const lv = layer._level(5);
            const rows = [];
            for (let i = 0; i < lv.cellOf.length; i++) if (lv.cellOf[i] === c) rows.push(i);
            layer._openCluster(lv, c);
            let hidden = 0;
            for (const r of rows) {
              const p = map.latLngToContainerPoint([layer._lat[r], layer._lon[r]]);
              const x = box.left + p.x, y = box.top + p.y;
              const inView = p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
              const underLegend = x >= legend.left && x <= legend.right && y >= legend.top && y <= legend.bottom;
              if (!inView || underLegend) hidden++;
            }
            out.push({n: rows.length, zoom: map.getZoom(), hidden});
          }
          return out;
        }""",
        layer,
    )
    assert len(checked) == 10
    for c in checked:
        assert c["zoom"] > 5 and c["hidden"] == 0, c


def test_the_clustering_part_runs_alone_with_no_leaflet_and_no_page(page, synthetic):
    """``static/map/cluster.js`` is pure: loaded by itself in an empty page, it clusters positions."""
    index = EventIndex.build(synthetic)
    x = ((index.lon + 180) / 360).tolist()
    pg = page.context.browser.new_page()
    try:
        pg.add_script_tag(path=str(STATIC_DIR / "map" / "cluster.js"))
        assert pg.evaluate("() => typeof window.L") == "undefined"
        out = pg.evaluate(
            """([lat, x]) => {
              const C = window.IncidentMap.cluster;
              const y = lat.map(C.mercY);
              const levels = [];
              for (let z = 4; z <= 13; z++) {
                const lv = C.buildLevel(x, y, z);
                const total = lv.count.reduce((a, b) => a + b, 0);
                const members = lv.count.map(() => 0);
                lv.cellOf.forEach((c) => members[c]++);
                levels.push({total, clusters: lv.count.filter((n) => n > 0).length,
                             agree: lv.count.every((n, c) => n === members[c])});
              }
              const back = C.unproject(C.mercX(66.5), C.mercY(30.25));
              return {levels, back, label: [C.countLabel(950), C.countLabel(12500), C.countLabel(2400000)]};
            }""",
            [index.lat.tolist(), x],
        )
    finally:
        pg.close()
    assert [lv["total"] for lv in out["levels"]] == [index.n] * 10
    assert all(lv["agree"] for lv in out["levels"])
    clusters = [lv["clusters"] for lv in out["levels"]]
    assert clusters == sorted(clusters) and clusters[0] < clusters[-1] <= index.n
    assert out["back"] == pytest.approx([30.25, 66.5], abs=1e-9)
    assert out["label"] == ["950", "12k", "2.4M"]


def _window_rows(index: EventIndex, lo: int, hi: int) -> list[int]:
    return np.flatnonzero((index.start_day <= hi) & (index.end_day >= lo)).tolist()


def test_playback_windows_are_calendar_weeks_months_and_quarters(page):
    from datetime import date, timedelta

    from incidents.query.index import to_day

    days = list(range(to_day(date(1999, 12, 20)), to_day(date(2001, 3, 10)), 5))
    got = page.evaluate(
        "(days) => ['week', 'month', 'quarter'].map((u) => days.map((d) => IncidentMap.playback.windowOf(d, u)))", days
    )
    for unit, windows in zip(["week", "month", "quarter"], got):
        for d, (lo, hi) in zip(days, windows):
            day = date(1970, 1, 1) + timedelta(days=d)
            if unit == "week":
                first = day - timedelta(days=day.weekday())
                last = first + timedelta(days=6)
            else:
                m = day.month if unit == "month" else day.month - (day.month - 1) % 3
                first = date(day.year, m, 1)
                span = 1 if unit == "month" else 3
                last = date(day.year + (m + span - 1) // 12, (m + span - 1) % 12 + 1, 1) - timedelta(days=1)
            assert (lo, hi) == (to_day(first), to_day(last)), (unit, day)


def test_playback_shows_exactly_the_incidents_of_each_window(page, synthetic):
    """Step a month at a time: the map represents exactly the incidents whose possible days meet the window."""
    index = EventIndex.build(synthetic)
    layer = show(page, index)
    page.evaluate("() => window.map.setZoom(window.map.getMinZoom(), {animate: false})")
    player = page.evaluate_handle("() => window.layer._player")
    seen = 0
    for _ in range(40):
        step = page.evaluate(
            "(p) => { p.step(true); return {w: p.state.window, label: document.querySelector('.play-label').textContent}; }",
            player,
        )
        lo, hi = step["w"]
        expected = _window_rows(index, lo, hi)
        assert len(expected) < index.n
        assert step["label"].endswith(f": {len(expected):,} incidents")
        assert incidents_on_map(page) == len(expected)
        members = page.evaluate(
            """(l) => { const lv = l._level(l._zoom()); const out = [];
                        lv.cellOf.forEach((c, i) => { if (c >= 0) out.push(i); }); return out; }""",
            layer,
        )
        assert members == expected
        seen += bool(expected)
    assert seen >= 3  # windows with incidents, not only empty ones
    page.evaluate("(p) => p.all()", player)
    assert incidents_on_map(page) == index.n
