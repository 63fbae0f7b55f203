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
from incidents.query.index import EventIndex  # noqa: E402
from incidents.store import Store, add_file  # noqa: E402
from incidents.writers import write_events  # noqa: E402

TARGETS = {
    "add_s": ("adding 100k events (read + store), s", {"sqlite": 10.0, "postgis": 15.0}),
    "load_s": ("loading 100k store events for the dashboard, s", {"sqlite": 2.0, "postgis": 2.0}),
    "edit_ms": ("one edit round trip (read, edit, read back), ms", {"sqlite": 50.0, "postgis": 50.0}),
}


#: What the figures are made of (from profiles of this code at 100k), and how much they vary here.
BOUNDS = (
    "Runs of this benchmark vary widely on this shared 2-core machine (the same code, minutes apart: adding "
    "6.7-9.8 s on SQLite and 8.0-12.3 s on PostGIS, loading 1.1-2.0 s and 1.3-1.8 s, an edit 24-36 ms and "
    "31-56 ms; the slow ends while other work ran), so a figure near its goal may fall on either side of it."
    " Adding is reading the "
    "file and the spatial joins (about 1 s), a record per event (about 1 s), then the rows: SQLite takes them "
    "through executemany, PostgreSQL in one streamed COPY per table, so the server stores rows while the next "
    "are formatted. An event's add revision holds no copy of its values (they were half the store's size and a "
    "fifth of the time; the history rebuilds them). Loading is, on SQLite, the driver's row tuples (0.5-0.8 s "
    "for 100k rows of 24 columns) turned into Arrow columns in one conversion (0.2-0.3 s); on PostgreSQL, "
    "ADBC's binary COPY straight into Arrow (0.4 s); then the frame (about 0.25 s). Loads are cached per store "
    "version, so this is paid once per change of the store, not per rerun."
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
    lines += ["", "## What the figures are made of", "", BOUNDS]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
