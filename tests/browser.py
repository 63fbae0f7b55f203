"""Start the dashboard with ``streamlit run`` and drive it in Debian's Chromium.

No browser is downloaded: Playwright drives ``/usr/bin/chromium``. Every request that is not
to the local server is aborted and recorded, so a page that needs the internet fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    env: dict[str, str] | None = None,
    timeout: float = 60,
    *,
    script: Path = ROOT / "dashboard.py",
    cwd: Path = ROOT,
    info: dict | None = None,
) -> Iterator[str]:
    """Run ``streamlit run <script>`` on 127.0.0.1 and yield its base URL.

    ``info``, when given, receives the server's ``pid`` (the benchmark reads its peak memory).
    """
    port = free_port()
    store = tempfile.mkdtemp(prefix="incidents-store-")  # an empty store of its own, unless the caller names one
    full_env = {**os.environ, "INCIDENT_STORE": f"sqlite:///{store}/incidents.sqlite", **(env or {})}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
    ]
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    if info is not None:
        info["pid"] = proc.pid
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                out = log.read().decode(errors="replace")
                raise RuntimeError(f"streamlit did not start:\n{out}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@dataclass
class Watch:
    """What the page tried and did that a test must see."""

    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))


def open_page(browser, url: str, *, width: int = 1500, height: int = 1100):
    """A new page with non-local requests blocked; returns ``(page, watch)``."""
    watch = Watch()
    page = browser.new_page(viewport={"width": width, "height": height})

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return page, watch


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def map_frame(page):
    """The map's iframe as a Playwright Frame (for evaluate) once Leaflet has drawn markers."""
    page.frame_locator(MAP_FRAME).locator(".inc-icon, .inc-cluster").first.wait_for(timeout=60_000)
    return next(f for f in page.frames if "st_folium" in f.url)


def zoom_out(frame) -> None:
    """Show the whole region: the map puts on the page only the markers and clusters in view."""
    frame.evaluate("() => { window.map.setZoom(window.map.getMinZoom(), {animate: false}); }")


def incidents_on_map(frame) -> int:
    """Incidents the map represents in view: single markers plus the counts on cluster icons."""
    return frame.evaluate(
        """() => document.querySelectorAll('.inc-icon').length +
             Array.from(document.querySelectorAll('.inc-cluster')).reduce((n, c) => n + parseInt(c.dataset.count, 10), 0)"""
    )


_CLICKABLE = """(sel) => Array.from(document.querySelectorAll(sel)).flatMap((e, i) => {
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  return r.width > 0 && hit !== null && e.contains(hit) ? [i] : [];
})"""


def clickable(frame, selector: str = ".inc-icon") -> list[int]:
    """Positions, among the map's ``selector`` elements, of those a click would reach (in view, not covered)."""
    return frame.evaluate(_CLICKABLE, selector)


def in_view(fl, frame, selector: str = ".inc-icon"):
    """The first ``selector`` element in the map that a click would reach."""
    reachable = clickable(frame, selector)
    if not reachable:
        raise AssertionError(f"no {selector} in view")
    return fl.locator(selector).nth(reachable[0])


def choose(scope, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit select box labelled ``label`` inside ``scope`` (a page or locator)."""
    from playwright.sync_api import expect

    box = scope.get_by_role("combobox", name=label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option)  # the list is filtered by what is typed: the one option left
    page = scope.page if hasattr(scope, "page") else scope
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)


def wait_for_count(frame, expected: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        n = incidents_on_map(frame)
        if n == expected or time.monotonic() > deadline:
            return n
        time.sleep(0.25)


def table_rows(page) -> int:
    """Rows in the incidents table (the grid's aria-rowcount counts the header too)."""
    grid = page.locator("[data-testid='stDataFrame'] table[role='grid']").first
    return int(grid.get_attribute("aria-rowcount")) - 1


def wait_for(fn, expected, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while (value := fn()) != expected and time.monotonic() < deadline:
        time.sleep(0.25)
    return value


def popup_after_click(fl, target) -> str:
    """Click ``target`` (a marker) and return its popup's text once the full source has arrived.

    The popup opens at once with the marker's short facts; the click reruns the app, which sends
    this incident's excerpt and citation, and the popup fills in.
    """
    from playwright.sync_api import expect

    target.click()
    popup = fl.locator(".leaflet-popup-content")
    expect(popup).to_have_count(1)
    expect(popup.locator(".inc-excerpt")).to_be_visible(timeout=20_000)
    expect(popup).to_have_count(1)
    return popup.text_content()
