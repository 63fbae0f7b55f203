"""Take the README screenshot: run the dashboard, open a Balochistan incident, save a PNG.

Run from anywhere (needs Debian's chromium and the test requirements)::

    python scripts/screenshot.py [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import MAP_FRAME, launch, map_frame, open_page, streamlit_server  # noqa: E402


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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    main(parser.parse_args().out)
