"""Grades in a real browser: set in the Selected incident panel, drawn on the marker, shown in the popup, filtered by."""

from __future__ import annotations

from playwright.sync_api import expect

from incidents.store import Store
from tests.browser import MAP_FRAME, choose, map_frame, open_page, streamlit_server, wait_for_count, zoom_out
from tests.conftest import ROOT

EVENT = "dossier-adc269e2-09"  # the March 2025 attack on the Mastung base

_RINGED = """() => document.querySelectorAll('.inc-icon .inc-marker.inc-cred-ringed').length"""


def _artifact(name: str):
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    return out / name


def test_grading_an_incident_in_the_panel_rings_its_marker_and_a_grade_link_keeps_it(browser, tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with streamlit_server({"INCIDENT_STORE": store_url}) as url:
        page, watch = open_page(browser, url + f"?incident={EVENT}")
        try:
            expect(page.get_by_text("Grade: not graded", exact=True)).to_be_visible(timeout=60_000)
            frame = map_frame(page)
            assert frame.evaluate(_RINGED) == 0
            name = page.locator("section[data-testid='stSidebar']").get_by_label(
                "Your name (recorded with what you add to the store)"
            )
            name.fill("Analyst <b>One</b>")
            name.press("Enter")
            page.get_by_text("Grade this incident and its source").click()
            form = page.locator("[data-testid='stForm']").last
            choose(form, "Reliability of the source (every incident it reports)", "B: usually reliable")
            choose(form, "Credibility of this incident", "2: probably true")
            form.get_by_role("button", name="Save the grades").click()
            expect(page.get_by_text("Saved: source graded B (revision 1), event graded 2 (revision 1)")).to_be_visible(
                timeout=30_000
            )
            expect(page.get_by_text("Grade: B2 (usually reliable; probably true)", exact=True)).to_be_visible(timeout=30_000)
            fl = page.frame_locator(MAP_FRAME)
            expect(fl.locator(".inc-icon .inc-marker.inc-cred-ringed")).to_have_count(1, timeout=30_000)
            popup = fl.locator(".leaflet-popup-content")
            expect(popup).to_contain_text("Grade: B2 (usually reliable; probably true)", timeout=30_000)
            fl.locator(".inc-legend-summary").click()
            expect(fl.locator(".inc-legend")).to_contain_text("ringed: confirmed or probably true (1-2)")
            page.screenshot(path=str(_artifact("grades-panel.png")), full_page=True)
            assert page.locator("b").filter(has_text="One").count() == 0  # the name stayed text
            assert not watch.blocked and not watch.errors
        finally:
            page.close()
        page, watch = open_page(browser, url + "?grade=B2")
        try:
            expect(page.get_by_text("graded B2 or better", exact=False).first).to_be_visible(timeout=60_000)
            frame = map_frame(page)
            zoom_out(frame)
            assert wait_for_count(frame, 1) == 1  # the one incident graded B2; every other is not graded
            assert not watch.blocked and not watch.errors
        finally:
            page.close()
    grades = Store(store_url).grades()
    assert {k: (g.grade, g.author) for k, g in grades.items()} == {
        ("source", "000_adc269e28bd41553"): ("B", "Analyst <b>One</b>"),
        ("event", EVENT): ("2", "Analyst <b>One</b>"),
    }
