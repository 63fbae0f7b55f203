"""The benchmark's Chromium part: the real dashboard (or the naive build) in a real browser.

Times from navigation until markers are visible and from a filter change until the map shows
the new count, the server's peak memory, and at 100k a correctness pass (see :func:`measure_browser`).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from benchmarks.synthetic import GROUPS
from incidents import load_all

ROOT = Path(__file__).resolve().parents[1]
#: The filter change measured in the app and the browser: one group picked in the sidebar.
PICK = GROUPS[2]


def naive_dir(tmp: Path) -> Path:
    """The naive app in a folder of its own with the static assets Streamlit serves beside it."""
    from layers.assets import install_assets

    folder = tmp / "naive"
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "benchmarks" / "naive_app.py", folder / "naive_app.py")
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    install_assets(folder / "static")
    return folder


def _peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def measure_browser(path: Path, *, naive_dir: Path | None = None, check: bool = False) -> dict:
    """Chromium timings (and, with ``check``, the correctness pass) for one file."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import MAP_FRAME, incidents_on_map, launch, open_page, streamlit_server, zoom_out

    env = {"INCIDENT_FILES": str(path)}
    info: dict = {}
    kwargs = {"script": naive_dir / "naive_app.py", "cwd": naive_dir} if naive_dir else {}
    if naive_dir:
        env["PYTHONPATH"] = str(ROOT)
    shown = ".marker-cluster, .leaflet-marker-icon" if naive_dir else ".inc-icon, .inc-cluster, .count-label"
    out: dict = {}
    with streamlit_server(env, timeout=120, info=info, **kwargs) as url, sync_playwright() as p:
        browser = launch(p)
        # warm the server's cache (the load is measured apart), then time a fresh page
        warm, _ = open_page(browser, url)
        warm.frame_locator(MAP_FRAME).locator(shown).first.wait_for(timeout=600_000)
        warm.close()
        t = time.perf_counter()
        page, watch = open_page(browser, url)
        fl = page.frame_locator(MAP_FRAME)
        fl.locator(shown).first.wait_for(timeout=600_000)
        out["visible_after_navigation_s"] = time.perf_counter() - t
        frame = next(f for f in page.frames if "st_folium" in f.url)
        if not naive_dir:
            zoom_out(frame)  # the whole region in view: every incident is on the page as a marker or in a cluster
        frame.evaluate("() => { window.__same_map = true; }")
        metric = page.locator("[data-testid='stMetricValue']").first
        groups = page.locator("[data-testid='stMultiSelect']").filter(has_text="Groups")

        def until_shown(before: str) -> tuple[float, int, bool]:
            """Seconds from now until the map shows the headline count that replaces ``before``.

            Should the map's frame be replaced (a reload, which the result reports), the new one is followed.
            """
            nonlocal frame
            t = time.perf_counter()
            expect(metric).not_to_have_text(before, timeout=600_000)
            expected = int(metric.text_content().replace(",", ""))
            deadline = time.monotonic() + 600
            aggregate = False
            while time.monotonic() < deadline:
                try:
                    # counts per cell (above the marker limit) or markers and clusters, whichever the new view is
                    aggregate = bool(frame.evaluate("() => document.querySelectorAll('.count-label').length > 0"))
                    if aggregate:
                        if (
                            frame.evaluate(
                                "() => Object.values(window.map._layers).map((l) => l.incidentTotal).find((t) => t !== undefined)"
                            )
                            == expected
                        ):
                            break
                    elif incidents_on_map(frame) == expected:
                        break
                except PlaywrightError:  # the frame was replaced
                    frame = next((f for f in page.frames if "st_folium" in f.url), frame)
                time.sleep(0.05)
            return time.perf_counter() - t, expected, aggregate

        # a filter change that narrows the view (one group), then one back to every incident
        before = metric.text_content()
        t = time.perf_counter()
        groups.locator("input").click()
        page.keyboard.type(PICK)
        page.get_by_role("option", name=re.compile("^" + re.escape(PICK) + " ")).click()  # that one group only
        _, expected, aggregate = until_shown(before)
        out["visible_after_filter_s"] = time.perf_counter() - t
        if not naive_dir and not aggregate:
            out["markers_match_count"] = incidents_on_map(frame) == expected
        picked = metric.text_content()
        t = time.perf_counter()
        page.locator("h1").first.click()  # close the option list
        groups.locator("button[aria-label^='Remove ']").click()  # the group's tag: every incident again
        _, expected_all, aggregate = until_shown(picked)
        out["visible_after_clearing_s"] = time.perf_counter() - t
        out["shown_after_clearing"] = expected_all
        if not naive_dir and not aggregate:
            out["markers_match_count_all"] = incidents_on_map(frame) == expected_all
        out["map_not_reloaded"] = bool(frame.evaluate("() => window.__same_map === true"))
        if check:
            out.update(_correctness(page, frame, fl, expected))
        out["blocked_requests"] = len(watch.blocked)
        out["dialogs"] = len(watch.dialogs)
        out["server_peak_mb"] = _peak_mb(info["pid"])
        browser.close()
    return out


def _correctness(page, frame, fl, expected: int) -> dict:
    """At scale: a popup opens with the clicked incident's excerpt; the panel agrees."""
    from playwright.sync_api import expect

    from tests.browser import clickable, in_view

    for _ in range(8):
        if clickable(frame):
            break
        in_view(fl, frame, ".inc-cluster").click()
        time.sleep(1.5)
    in_view(fl, frame).click()
    popup = fl.locator(".leaflet-popup-content")
    t = time.perf_counter()
    expect(popup.locator(".inc-excerpt")).to_be_visible(timeout=60_000)
    source_after_click = time.perf_counter() - t
    expect(popup).to_have_count(1)  # the short popup it replaces fades out over 0.2 s
    head = popup.locator(".inc-head").text_content()
    excerpt = popup.locator(".inc-excerpt").text_content()
    event_id = head.split(" \u00b7 ", 1)[1]
    shipped = load_all([]).events.set_index("event_id")["excerpt"]  # the click may land on a shipped incident
    right = excerpt == shipped[event_id] if event_id in shipped.index else excerpt.startswith(f"[{event_id}] ")
    # the side panel shows the same excerpt (expect raises otherwise)
    expect(page.locator("[data-testid='stText']").filter(has_text=excerpt).first).to_be_visible(timeout=60_000)
    return {
        "popup_excerpt_matches_incident": bool(right),
        "source_text_after_click_s": source_after_click,
        "markers_after_filter": expected,
    }
