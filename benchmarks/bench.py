"""Benchmark the dashboard at 1k, 10k, 100k and 1M synthetic incidents, against the naive build.

Run from the repository root::

    python -m benchmarks.bench

It generates the synthetic files (GeoParquet at every size, the project CSV up to 100k) in a
temporary folder, then measures on this machine, in one run:

* load time (``load_all`` plus the filter index) per file format;
* filter time on the index (date window + two groups + a region; text search apart);
* server time of one rerun of the real ``dashboard.py`` after a filter change (AppTest) and the
  bytes handed to the map component;
* in Chromium: time from navigation until markers are visible, and from a filter change until
  the map shows the new count; peak memory (VmHWM) of the ``streamlit run`` process;
* the naive build (``benchmarks/naive_app.py``: Marker + Popup per incident) at 1k and 10k;
* at 100k, a correctness pass in the browser: markers appear, a popup opens with the clicked
  incident's excerpt, a filter change updates counts and map, the map is not reloaded.

Results go to ``docs/performance.json`` and ``docs/performance.md``. Targets are printed with
each figure; none is asserted (timings are not tests).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.chromium import PICK, measure_browser, naive_dir  # noqa: E402
from benchmarks.report import TARGETS, check, growth, markdown, summary  # noqa: E402
from benchmarks.synthetic import GROUPS, synthetic_events, write_native_csv  # noqa: E402
from incidents import EventFilter, filter_mask, load_all  # noqa: E402
from incidents.query.index import EventIndex  # noqa: E402
from incidents.writers import write_events  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
NAIVE_SIZES = (1_000, 10_000)
CSV_MAX = 100_000  # the row-by-row CSV reader is for files up to about this size
BROWSER_MAX = 1_000_000
TYPICAL = EventFilter(
    dates=(date(2019, 1, 1), date(2021, 12, 31)),
    groups=frozenset({GROUPS[1], GROUPS[4]}),
    regions=frozenset({"Balochistan", "Kashmir"}),
)


def timed(fn: Callable, repeat: int = 1) -> tuple[float, object]:
    """Median wall time of ``fn()`` over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def make_files(sizes: tuple[int, ...], out: Path) -> dict[int, dict[str, Path]]:
    """Write the synthetic files; returns ``{n: {"parquet": path, "csv": path}}``."""
    files: dict[int, dict[str, Path]] = {}
    for n in sizes:
        events = synthetic_events(n)
        files[n] = {"parquet": write_events(events, out / f"synthetic_{n}.parquet")}
        if n <= CSV_MAX:
            files[n]["csv"] = write_native_csv(events, out / f"synthetic_{n}.csv")
        del events
        gc.collect()
    return files


def measure_load_and_filter(files: dict[int, dict[str, Path]]) -> dict:
    """Load time per size and format (shipped files included), and filter times on the index."""
    out: dict = {}
    for n, paths in files.items():
        row: dict = {}
        for fmt, path in paths.items():
            seconds, result = timed(lambda p=path: load_all([p]))
            index_s, index = timed(lambda r=result: EventIndex.build(r.events))
            row[fmt] = {"load_s": seconds, "index_s": index_s, "rows": len(result.events), "rejected": len(result.rejected)}
        filter_s, mask = timed(lambda ix=index: filter_mask(ix, TYPICAL), repeat=7)
        text_s, _ = timed(lambda ix=index: filter_mask(ix, EventFilter(text="checkpoint convoy")), repeat=3)
        row["filter_ms"] = filter_s * 1000
        row["filter_matches"] = int(mask.sum())
        row["text_search_ms"] = text_s * 1000
        out[n] = row
        print(
            f"  {n:>9,}: load "
            + ", ".join(f"{f} {v['load_s']:.2f}s" for f, v in row.items() if isinstance(v, dict))
            + f"; index {index_s:.2f}s; filter {row['filter_ms']:.1f} ms; text search {row['text_search_ms']:.0f} ms"
        )
        del result, index
        gc.collect()
    return out


def _component(at) -> dict:
    (comp,) = [e for e in at.main if getattr(e, "type", None) == "component_instance"]
    return json.loads(comp.proto.json_args)


def measure_app(script: Path, path: Path, *, naive: bool = False) -> dict:
    """First run, then a rerun after picking a group and one after clearing it, via AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["INCIDENT_FILES"] = str(path)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(script), default_timeout=600)
    first, _ = timed(at.run)
    if at.exception:
        raise RuntimeError(f"{script.name} failed: {at.exception}")
    full_bytes = len(json.dumps(_component(at)))
    groups = at.sidebar.multiselect(key="groups")
    groups.set_value([PICK])
    picked, _ = timed(at.run)
    picked_bytes = len(json.dumps(_component(at)))
    at.sidebar.multiselect(key="groups").set_value([])
    cleared, _ = timed(at.run)
    result = {
        "first_run_s": first,
        "rerun_filtered_s": picked,
        "rerun_full_view_s": cleared,
        "bytes_full_view": full_bytes,
        "bytes_filtered": picked_bytes,
        "shown_full": at.metric[0].value,
    }
    if not naive:
        result["aggregate_view"] = bool(at.warning)
    del at
    st.cache_resource.clear()
    gc.collect()
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated incident counts")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument(
        "--naive-browser", action="store_true", help="also time the naive build in Chromium (its page did not render here)"
    )
    parser.add_argument("--render", type=Path, help="only rewrite performance.md from this performance.json")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where performance.json/.md go")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text())
        results["growth"], results["summary"] = growth(results), summary(results)
        args.render.write_text(json.dumps(results, indent=2, default=float) + "\n")
        (args.render.parent / "performance.md").write_text(markdown(results))
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(","))
    results: dict = {
        "machine": {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load": {},
        "app": {},
        "naive_app": {},
        "browser": {},
        "naive_browser": {},
    }
    with tempfile.TemporaryDirectory(prefix="incident-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print("generating synthetic files …")
        files = make_files(sizes, tmp)
        print("load and filter:")
        results["load"] = {str(n): row for n, row in measure_load_and_filter(files).items()}
        print("dashboard reruns (AppTest):")
        for n in sizes:
            results["app"][str(n)] = measure_app(ROOT / "dashboard.py", files[n]["parquet"])
            r = results["app"][str(n)]
            print(
                f"  {n:>9,}: rerun {r['rerun_filtered_s']:.3f}s (group) {r['rerun_full_view_s']:.3f}s (all), {r['bytes_full_view'] / 1e6:.2f} MB"  # noqa: E501
            )
        naive = naive_dir(tmp)
        for n in [s for s in NAIVE_SIZES if s in sizes]:
            results["naive_app"][str(n)] = measure_app(naive / "naive_app.py", files[n]["parquet"], naive=True)
            r = results["naive_app"][str(n)]
            print(
                f"  {n:>9,} naive: rerun {r['rerun_filtered_s']:.3f}s (group) {r['rerun_full_view_s']:.3f}s (all), {r['bytes_full_view'] / 1e6:.2f} MB"  # noqa: E501
            )
        if not args.no_browser:
            print("Chromium:")
            for n in [s for s in sizes if s <= BROWSER_MAX]:
                results["browser"][str(n)] = measure_browser(files[n]["parquet"], check=n == 100_000)
                r = results["browser"][str(n)]
                print(
                    f"  {n:>9,}: visible {r['visible_after_navigation_s']:.2f}s, after filter {r['visible_after_filter_s']:.2f}s, peak {r['server_peak_mb']:.0f} MB"  # noqa: E501
                )
            for n in [s for s in NAIVE_SIZES if s in sizes] if args.naive_browser else []:
                results["naive_browser"][str(n)] = measure_browser(files[n]["parquet"], naive_dir=naive)
                r = results["naive_browser"][str(n)]
                print(
                    f"  {n:>9,} naive: visible {r['visible_after_navigation_s']:.2f}s, after filter {r['visible_after_filter_s']:.2f}s"  # noqa: E501
                )
    results["growth"] = growth(results)
    results["summary"] = summary(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "performance.json").write_text(json.dumps(results, indent=2, default=float) + "\n")
    (args.out / "performance.md").write_text(markdown(results))
    print()
    for key, (label, op, target) in TARGETS.items():
        value = results["summary"].get(key)
        shown = "not measured" if value is None else f"{value:,.2f}"
        print(f"{label:<52} {shown:>12}  (goal {op} {target:g}: {check(value, op, target)})")
    print(f"\nwritten: {args.out / 'performance.md'}, {args.out / 'performance.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
