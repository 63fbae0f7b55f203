"""Take the README screenshots: a Balochistan incident open on the map, the column mapping form, each analysis view.

Run from anywhere (needs Debian's chromium and the test requirements)::

    python scripts/screenshot.py [--out docs/screenshot.png] [--mapping docs/mapping-form.png] [--views docs/]
                                 [--documents docs/documents.png]

The views: the timeline, the actor network (Balochistan), counts per district, and playback
paused on the first quarter of 2025 (``docs/timeline.png``, ``network.png``, ``districts.png``, ``playback.png``).
The Documents view: the test article uploaded as HTML, stored, its first candidate's evidence marked.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import MAP_FRAME, choose, launch, map_frame, open_page, streamlit_server  # noqa: E402


def main(out: Path) -> None:
    """Open the map filtered to the dossier's Balochistan groups and click the Jirga event."""
    with streamlit_server() as url, sync_playwright() as p:
        browser = launch(p)
        page, watch = open_page(browser, url + "/?group=Lashkar-e-Taiba&group=Islamic+State+Khorasan+Province", width=1600)
        map_frame(page)
        time.sleep(1)
        fl = page.frame_locator(MAP_FRAME)
        for _ in range(4):
            if fl.locator(".inc-icon").count() >= 3:
                break
            fl.locator(".inc-cluster").first.click()
            time.sleep(1)
        fl.locator(".inc-icon").first.click()
        time.sleep(3)
        page.mouse.move(5, 5)  # no boundary tooltip under the pointer
        time.sleep(0.5)
        page.screenshot(path=str(out))
        browser.close()
        if watch.blocked:
            raise SystemExit(f"the page tried to reach the internet: {watch.blocked}")
    print(f"wrote {out}")


def mapping_form(out: Path) -> None:
    """Upload a table in no known layout (``tests/data/wild/odd_table.csv``), map it, picture the form."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, streamlit_server({"INCIDENT_STORE": f"sqlite:///{tmp}/store.sqlite"}) as url:
        with sync_playwright() as p:
            browser = launch(p)
            page, watch = open_page(browser, url, width=1600)
            map_frame(page)
            sidebar = page.locator("section[data-testid='stSidebar']")
            table = ROOT / "tests" / "data" / "wild" / "odd_table.csv"
            sidebar.locator("input[type='file']").set_input_files(
                files=[{"name": table.name, "mimeType": "text/csv", "buffer": table.read_bytes()}]
            )
            main = page.locator("[data-testid='stMain']")
            main.get_by_role("button", name="Read the file with this mapping").wait_for(timeout=30_000)
            for field, column in (("date", "when"), ("latitude", "north"), ("longitude", "east"), ("excerpt", "note")):
                choose(main, field, column)
            main.get_by_role("button", name="Read the file with this mapping").click()
            done = f"{table.name}: 1 rows read as mapped: 1 accepted, 0 rejected"
            sidebar.get_by_text(done, exact=True).wait_for(timeout=30_000)
            main.get_by_text("Map the columns of file 1").click()
            main.get_by_text("1 row: 1 would be accepted", exact=True).wait_for(timeout=30_000)
            time.sleep(1)
            main.locator("[data-testid='stExpander']").filter(has_text="Map the columns of file 1").screenshot(path=str(out))
            browser.close()
            if watch.blocked:
                raise SystemExit(f"the page tried to reach the internet: {watch.blocked}")
    print(f"wrote {out}")


def views(folder: Path) -> None:
    """Picture each analysis view with the shipped data."""
    shots = (
        ("timeline.png", "/?region=Balochistan&by=year", "chart"),
        ("network.png", "/?region=Balochistan&view=Actor+network", "chart"),
        ("districts.png", "/?map=Incidents+per+district", "map"),
        ("playback.png", "/?region=Balochistan", "play"),
    )
    with streamlit_server() as url, sync_playwright() as p:
        browser = launch(p)
        for name, query, what in shots:
            page, watch = open_page(browser, url + query, width=1500, height=1200)
            fl = page.frame_locator(MAP_FRAME)
            fl.locator(".leaflet-interactive").first.wait_for(timeout=60_000)
            time.sleep(2)
            if what == "chart":
                chart = page.locator("[data-testid='stVegaLiteChart']").first
                chart.scroll_into_view_if_needed()
                chart.locator("svg").first.wait_for(timeout=30_000)
                time.sleep(1)
                chart.screenshot(path=str(folder / name))
            else:
                if what == "play":
                    fl.locator(".play-select").first.select_option("quarter")
                    for _ in range(200):  # step to the quarter of the attack on the Mastung base
                        fl.get_by_title("One window forward").click()
                        if fl.locator(".play-label").text_content().startswith("2025-01-01"):
                            break
                    time.sleep(1)
                page.mouse.move(5, 5)
                time.sleep(0.5)
                page.locator(MAP_FRAME).screenshot(path=str(folder / name))
            if watch.blocked:
                raise SystemExit(f"the page tried to reach the internet: {watch.blocked}")
            page.close()
            print(f"wrote {folder / name}")
        browser.close()


def documents(out: Path) -> None:
    """Upload the test article (HTML) in the Documents view, store it, and picture the review."""
    import tempfile

    from tests.test_intake import ARTICLE

    with tempfile.TemporaryDirectory() as tmp, streamlit_server({"INCIDENT_STORE": f"sqlite:///{tmp}/store.sqlite"}) as url:
        with sync_playwright() as p:
            browser = launch(p)
            page, watch = open_page(browser, url + "/?view=Documents", width=1500, height=1300)
            map_frame(page)
            name = page.locator("section[data-testid='stSidebar']").get_by_label(
                "Your name (recorded with what you add to the store)"
            )
            name.fill("Analyst")
            name.press("Enter")
            page.get_by_text("Enter your name in the sidebar", exact=False).wait_for(state="detached", timeout=30_000)
            main = page.locator("[data-testid='stMain']")
            main.locator("input[type='file']").last.set_input_files(
                files=[{"name": "article.html", "mimeType": "text/html", "buffer": ARTICLE.encode()}]
            )
            main.get_by_role("button", name="Store it and propose events").click()
            page.get_by_text("candidate event(s) to review", exact=False).wait_for(timeout=60_000)
            box = page.locator(".document-text")
            box.scroll_into_view_if_needed()
            time.sleep(1)
            page.mouse.move(5, 5)
            main.locator("[data-testid='stHorizontalBlock']").filter(has=box).screenshot(path=str(out))
            browser.close()
            if watch.blocked:
                raise SystemExit(f"the page tried to reach the internet: {watch.blocked}")
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--mapping", type=Path, default=ROOT / "docs" / "mapping-form.png")
    parser.add_argument("--views", type=Path, default=ROOT / "docs", help="folder for the views' pictures")
    parser.add_argument("--documents", type=Path, default=ROOT / "docs" / "documents.png")
    args = parser.parse_args()
    main(args.out)
    mapping_form(args.mapping)
    views(args.views)
    documents(args.documents)
