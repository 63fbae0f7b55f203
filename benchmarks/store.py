"""Benchmark the store on both back-ends: adding 100k events, loading them for the dashboard, one edit.

Run from the repository root (PostGIS from Debian's packages: ``apt-get install -y postgresql postgis``)::

    python -m benchmarks.store

PostGIS runs in a throwaway cluster (``tests/postgis.py``). Figures are printed and written to
``docs/store-performance.md``; none is asserted.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_events  # noqa: E402
from incidents.index import EventIndex  # noqa: E402
from incidents.readers.geoparquet import write_events  # noqa: E402
from incidents.store import Store, add_file  # noqa: E402

TARGETS = {
    "add_s": ("adding 100k events (read + store), s", {"sqlite": 10.0, "postgis": 15.0}),
    "load_s": ("loading 100k store events for the dashboard, s", {"sqlite": 2.0, "postgis": 2.0}),
    "edit_ms": ("one edit round trip (read, edit, read back), ms", {"sqlite": 50.0, "postgis": 50.0}),
}


#: What bounds a missed target (from profiles of this code at 100k).
BOUNDS = (
    "Runs of this benchmark vary widely on this shared 2-core machine: over today's runs of this code, adding "
    "took 7.6-14.4 s on SQLite and 11.1-21.3 s on PostGIS, loading 2.1-3.3 s and 2.1-4.2 s, an edit 26-45 ms; "
    "the targets for adding are met only in the quieter runs, and loading misses by 0.1-1.3 s. Adding is "
    "reading the file and the spatial joins (about 1.5 s), records for every event (about 1 s), one revision "
    "per event holding its values as JSON (about 1.5 s) and the inserts (SQLite executemany; PostgreSQL COPY). "
    "Loading is the driver's rows (0.6-0.8 s for 100k rows of 24 columns), the frame built through Arrow "
    "(about 0.6 s), shapely points and the filter index (about 0.5 s). Next steps: one revision row per import "
    "instead of one per event, and columns read straight into Arrow arrays (ADBC, or PostgreSQL's binary COPY "
    "out). Loads are cached per store version, so this is paid once per change of the store, not per rerun."
)


def measure(url: str, path: Path, n: int) -> dict[str, float]:
    """Add the file, load the store's events as the dashboard does, and time edits."""
    store = Store(url)
    t0 = time.perf_counter()
    _, added = add_file(store, path, author="bench")
    add_s = time.perf_counter() - t0
    assert added is not None and added.added == n, added
    t0 = time.perf_counter()
    events = Store(url).events()
    EventIndex.build(events)
    load_s = time.perf_counter() - t0
    ids = events["event_id"].iloc[:: max(1, n // 20)].tolist()[:20]
    times = []
    for i, event_id in enumerate(ids):
        t0 = time.perf_counter()
        record = store.record(event_id)
        assert record is not None
        store.edit(event_id, {"location": f"edited {i}"}, base_revision=record["revision"], author="bench")
        assert store.record(event_id)["location"] == f"edited {i}"
        times.append(time.perf_counter() - t0)
    return {"add_s": add_s, "load_s": load_s, "edit_ms": 1000 * statistics.median(times)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="events to add")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "store-performance.md")
    args = parser.parse_args(argv)
    from tests.postgis import postgis_server

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_events(synthetic_events(args.n, seed=11), Path(tmp) / f"synthetic_{args.n}.parquet")
        results["sqlite"] = measure(f"sqlite:///{tmp}/store.sqlite", path, args.n)
        with postgis_server() as url:
            results["postgis"] = measure(url, path, args.n)
    lines = [
        "# Store performance",
        "",
        f"Latest run of `python -m benchmarks.store`: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.n:,} synthetic events",
        f"(GeoParquet in), Python {platform.python_version()}, {platform.machine()}. PostGIS: a throwaway local",
        "cluster (fsync off, as in the tests). Edits: median of 20 round trips.",
        "",
        "| figure | SQLite | goal | PostGIS | goal |",
        "|---|---|---|---|---|",
    ]
    for key, (label, goals) in TARGETS.items():
        cells = []
        for backend in ("sqlite", "postgis"):
            value, goal = results[backend][key], goals[backend]
            cells += [f"{value:,.2f}", f"≤ {goal:g} ({'met' if value <= goal else 'MISSED'})"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
        print(f"{label:<52} " + "  ".join(cells))
    lines += ["", "## What bounds the missed targets", "", BOUNDS]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
