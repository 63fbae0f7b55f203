"""Benchmark the admin join (admin1, admin2 and regions for every event) and what counts per district sends.

Run from the repository root::

    python -m benchmarks.joins [--sizes 100000 1000000] [--out docs/joins-performance.md]

The synthetic incidents (``benchmarks/synthetic.py``: clustered around Pakistan's districts and
Afghanistan's provinces) are joined by :func:`incidents.geo.joins.assign_admin` as every load
joins them; the median of three runs after one warm-up. The areas' shapes that counts per
district sends to the browser are measured in bytes (base64 of their GeoJSON). Figures are
printed and written to the output file; none is asserted.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_events  # noqa: E402
from incidents.geo.areas import area_table  # noqa: E402
from incidents.geo.joins import assign_admin  # noqa: E402
from layers.areas import area_shapes  # noqa: E402


def measure(n: int) -> dict[str, float]:
    """Seconds to join ``n`` synthetic events (median of three after a warm-up), and how many got a district."""
    events = synthetic_events(n, seed=11)
    assign_admin(events.head(1000))  # layers read and prepared once, as a running server has them
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        joined = assign_admin(events)
        times.append(time.perf_counter() - t0)
    return {"n": n, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "with_district": float(joined["admin2"].notna().mean())}  # fmt: skip


def main() -> None:
    """Measure, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "joins-performance.md")
    args = parser.parse_args()
    rows = [measure(n) for n in args.sizes]
    table = area_table()
    sent = len(area_shapes(table))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [
        "# Admin join and counts per district: figures",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, Python {platform.python_version()}, "
        f"commit {commit}, by `python -m benchmarks.joins`.",
        "",
        "| events | join: median (min-max) | with a district |",
        "|---|---|---|",
        *(f"| {r['n']:,} | {r['median_s']:.2f} s ({r['min_s']:.2f}-{r['max_s']:.2f}) | {r['with_district']:.1%} |" for r in rows),
        "",
        f"Counts per district: {len(table.codes)} areas, {sent / 1e6:.2f} MB of shapes sent to the browser.",
    ]
    for line in lines[5:]:
        print(line)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
