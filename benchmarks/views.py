"""Benchmark the analysis views: server time per view at 100k and 1M incidents, playback in Chromium, exports.

Run from the repository root (with the test requirements: Playwright drives Debian's Chromium)::

    python -m benchmarks.views [--sizes 100000 1000000] [--playback 100000] [--exports 100000]

Per size, the synthetic incidents are loaded as the dashboard loads them, then each view's
server-side work is timed over every incident (the median of three runs, after one warm-up):
the timeline per month and per week, the actor network, counts per district (with the layer
it sends), the distance filter's mask. What is computed once per load (distances to a line,
the area of each incident) is timed apart. Playback: the dashboard with the playback size in
Chromium, the play control at 10 windows per second for 5 s; frames per second as shown, and
the browser's time per frame. Figures are printed and written to ``docs/views-performance.md``;
none is asserted.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_events  # noqa: E402
from incidents import EventFilter, filter_mask, load_all  # noqa: E402
from incidents.network import cited_documents, network  # noqa: E402
from incidents.query.area import area_codes, area_counts, coarse_counts  # noqa: E402
from incidents.query.index import EventIndex  # noqa: E402
from incidents.query.near import distance_to  # noqa: E402
from incidents.timeline import timeline  # noqa: E402
from incidents.writers import encode, write_events  # noqa: E402

#: Targets from the issue: server time of a view.
TARGETS_S = {100_000: 0.3, 1_000_000: 1.0}


def _median(fn: Callable[[], object], repeat: int = 3) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _once(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def server_views(n: int, tmp: Path) -> tuple[list[tuple[str, float]], object, EventIndex]:
    """Per view, its server time over ``n`` synthetic incidents."""
    from views.map import DISTRICT_EVENTS, incident_layer

    path = write_events(synthetic_events(n, seed=11), tmp / f"views_{n}.parquet")
    events = load_all([path], shipped=False).events
    index = EventIndex.build(events)
    rows = np.arange(index.n)
    out = [
        ("distances to the Durand Line (once per load)", _once(lambda: distance_to(index, "Durand Line"))),
        ("area of each incident (once per load)", _once(lambda: area_codes(index))),
        ("timeline, per month", _median(lambda: timeline(index, rows, resolution="month"))),
        ("timeline, per week", _median(lambda: timeline(index, rows, resolution="week"))),
        ("actor network", _median(lambda: network(index, rows, cited_documents(events["source_id"].iloc[rows].unique())))),
        ("counts per district (counts)", _median(lambda: (area_counts(index, rows), coarse_counts(events, index, rows)))),
        (
            "counts per district (with the map layer's payload)",
            _median(lambda: incident_layer(index, rows, {}, None, DISTRICT_EVENTS, events=events)),
        ),
        (
            "distance filter, 50 km of the Durand Line",
            _median(lambda: filter_mask(index, EventFilter(distance=("Durand Line", 50, False)))),
        ),
        ("area filter, one district", _median(lambda: filter_mask(index, EventFilter(areas={"PK220"})))),
    ]
    return out, events, index


def exports(events: object, n: int) -> list[tuple[str, float, int]]:
    """Time to write each export of ``n`` incidents, and its size."""
    shown = events.iloc[np.arange(n)]  # type: ignore[attr-defined]
    out = []
    for name in ("incidents.csv", "incidents.geojson", "incidents.parquet", "incidents.citations.csv"):
        t0 = time.perf_counter()
        data = encode(shown, name)
        out.append((name, time.perf_counter() - t0, len(data)))
    return out


_PLAY = """async () => {
  let layer = null;
  window.map.eachLayer((l) => { if (l._player) layer = l; });
  const p = layer._player;
  p.state.fps = 10;
  p.state.unit = "week";
  p.play();
  await new Promise((r) => setTimeout(r, 5000));
  p.pause();
  const s = layer._playStats;
  const frames = Math.max(1, s.frames);
  return {frames: s.frames, seconds: (s.last - s.started) / 1000, render_ms: s.renderMs / frames, n: layer._key.length};
}"""

_STEPS = """() => {
  let layer = null;
  window.map.eachLayer((l) => { if (l._player) layer = l; });
  const p = layer._player;
  p.all();
  p.state.unit = "month";
  const t0 = performance.now();
  let frames = 0;
  for (let i = 0; i < 60 && p.step(true); i++) frames++;
  return {frames, ms: (performance.now() - t0) / Math.max(1, frames)};
}"""


def playback(n: int, tmp: Path) -> dict:
    """Playback in the dashboard in Chromium with ``n`` incidents loaded."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch, map_frame, open_page, streamlit_server

    path = write_events(synthetic_events(n, seed=11), tmp / f"play_{n}.parquet")
    with streamlit_server({"INCIDENT_FILES": str(path)}, timeout=180) as url, sync_playwright() as p:
        browser = launch(p)
        page, _ = open_page(browser, url)
        frame = map_frame(page)
        played = frame.evaluate(_PLAY)
        stepped = frame.evaluate(_STEPS)
        browser.close()
    return {"played": played, "stepped": stepped}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--playback", type=int, default=100_000, help="incidents loaded for playback (0: skip)")
    parser.add_argument("--exports", type=int, default=100_000, help="incidents exported (0: skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "views-performance.md")
    args = parser.parse_args(argv)
    lines = [
        "# Analysis views: measured speed",
        "",
        f"Written by `python -m benchmarks.views` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({platform.processor() or platform.machine()}, {platform.python_version()}). Synthetic incidents "
        "(`benchmarks/synthetic.py`); every view over all of them. Targets: a view's server time at most "
        "0.3 s at 100k and 1 s at 1M.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        events = None
        for n in args.sizes:
            timings, loaded, _ = server_views(n, Path(tmp))
            if n == args.exports:
                events = loaded
            lines += [f"## {n:,} incidents", "", "| view | seconds | target |", "|---|---|---|"]
            for name, seconds in timings:
                target = "" if "once per load" in name else f"{TARGETS_S.get(n, float('nan')):.1f} s"
                lines.append(f"| {name} | {seconds:.3f} | {target} |")
                print(f"{n:>9,}  {name:<48} {seconds:7.3f} s")
            lines.append("")
        if args.exports:
            if events is None:
                _, events, _ = server_views(args.exports, Path(tmp))
            lines += [f"## Exports of {args.exports:,} incidents", "", "| file | seconds | MB |", "|---|---|---|"]
            for name, seconds, size in exports(events, args.exports):
                lines.append(f"| {name} | {seconds:.2f} | {size / 1e6:.1f} |")
                print(f"export {name:<28} {seconds:6.2f} s  {size / 1e6:6.1f} MB")
            lines.append("")
        if args.playback:
            got = playback(args.playback, Path(tmp))
            played, stepped = got["played"], got["stepped"]
            fps = played["frames"] / played["seconds"] if played["seconds"] else float("nan")
            lines += [
                f"## Playback in Chromium, {played['n']:,} incidents on the map",
                "",
                f"- Playing at 10 windows (weeks) per second for 5 s: {played['frames']} frames in {played['seconds']:.2f} s, "
                f"{fps:.1f} frames per second; the browser's work per frame {played['render_ms']:.1f} ms "
                "(target: 5 frames per second).",
                f"- Stepping month by month as fast as the browser can: {stepped['ms']:.1f} ms per frame "
                f"({1000 / stepped['ms']:.0f} frames per second possible), over {stepped['frames']} frames.",
                "",
            ]
            print(f"playback: {fps:.1f} fps (10 asked), {played['render_ms']:.1f} ms per frame; stepping {stepped['ms']:.1f} ms")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
