"""Benchmark reading real-export shapes: ACLED-layout CSV, a mapped CSV, the project CSV and an .xlsx workbook.

Run from the repository root (with the test requirements: openpyxl writes the workbook)::

    python -m benchmarks.readers [--sizes 100000 1000000] [--xlsx 100000]

Each file is read as ``check`` reads it (every row parsed, checked and accounted for, admin
units joined). Figures are printed and written to ``docs/reader-performance.md``; none is asserted.
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

from benchmarks.synthetic import acled_table, mapped_table, synthetic_events  # noqa: E402
from incidents import load_all  # noqa: E402
from incidents.writers import write  # noqa: E402

#: The target: rows per second for a CSV on this machine.
TARGET_ROWS_S = 100_000


#: Reads of each file: the median is reported, with the fastest and slowest (this machine varies by a fifth run to run).
RUNS = 3


def _time(path: Path, runs: int = RUNS) -> tuple[float, int, tuple[float, float]]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = load_all([path], shipped=False)
        times.append(time.perf_counter() - t0)
        (report,) = result.files
        assert report.accepted + report.rejected + report.merged == report.rows, report
    return statistics.median(times), report.accepted, (min(times), max(times))


def _xlsx(frame, path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="rows of each CSV")
    parser.add_argument("--xlsx", type=int, default=100_000, help="rows of the workbook (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reader-performance.md")
    args = parser.parse_args(argv)
    rows: list[tuple[str, int, float, int, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.csv"  # the boundary layers, alias table and pyarrow load once per process, as in the app
        acled_table(synthetic_events(1_000, seed=1)).to_csv(warm, index=False)
        _time(warm, runs=1)
        for n in args.sizes:
            events = synthetic_events(n, seed=5)
            shapes = (
                ("ACLED-layout CSV", lambda e, p: acled_table(e).to_csv(p, index=False)),
                ("mapped CSV (no known layout)", lambda e, p: mapped_table(e).to_csv(p, index=False)),
                ("project CSV (the export format)", write),
            )
            for shape, make in shapes:
                path = Path(tmp) / f"{shape.split()[0].lower()}_{n}.csv"
                make(events, path)
                seconds, accepted, spread = _time(path)
                rows.append((shape, n, seconds, accepted, spread))
                print(f"{shape:<32} {n:>9,} rows  {seconds:7.2f} s  {n / seconds:>9,.0f} rows/s  ({accepted:,} accepted)")
        if args.sizes:  # a file with problems: its refused rows are read (and reported) by the row parser
            n = args.sizes[0]
            table = acled_table(synthetic_events(n, seed=5))
            table.loc[table.index % 20 == 0, "time_precision"] = 9
            path = Path(tmp) / f"acled_{n}_problems.csv"
            table.to_csv(path, index=False)
            seconds, accepted, spread = _time(path)
            shape = "ACLED-layout CSV, 1 row in 20 refused"
            rows.append((shape, n, seconds, accepted, spread))
            print(f"{shape:<32} {n:>9,} rows  {seconds:7.2f} s  {n / seconds:>9,.0f} rows/s  ({accepted:,} accepted)")
        if args.xlsx:
            events = synthetic_events(args.xlsx, seed=5)
            path = _xlsx(acled_table(events), Path(tmp) / "acled.xlsx")
            seconds, accepted, spread = _time(path)
            rows.append(("ACLED-layout .xlsx", args.xlsx, seconds, accepted, spread))
            print(f"{'ACLED-layout .xlsx':<32} {args.xlsx:>9,} rows  {seconds:7.2f} s  {args.xlsx / seconds:>9,.0f} rows/s")
    lines = [
        "# Reader performance",
        "",
        f"Latest run of `python -m benchmarks.readers`: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python "
        f"{platform.python_version()}, {platform.machine()}. Synthetic events (`benchmarks/synthetic.py`) written in each",
        f"shape and read as `check` reads them, after one small file has loaded what a process loads once (boundary "
        f"layers, alias table). Each file is read {RUNS} times: the median is the figure, the fastest and slowest "
        f"show how much this machine varies from run to run. Target: {TARGET_ROWS_S:,} rows/s for a CSV.",
        "",
        "| shape | rows | seconds: median of runs (fastest–slowest) | rows/s (median) | target |",
        "|---|---|---|---|---|",
    ]
    for shape, n, seconds, _, (fastest, slowest) in rows:
        speed = n / seconds
        goal = f"≥ {TARGET_ROWS_S:,} ({'met' if speed >= TARGET_ROWS_S else 'MISSED'})" if "CSV" in shape else "none stated"
        lines.append(f"| {shape} | {n:,} | {seconds:.2f} ({fastest:.2f}–{slowest:.2f}) | {speed:,.0f} | {goal} |")
    lines += ["", "## What bounds it", "", BOUNDS]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


#: What the figures are made of (from profiles of this code at 100k and 1M ACLED rows).
BOUNDS = (
    "A CSV in a known layout or through a column mapping is read by columns "
    "(`incidents/readers/_columnar.py`): pyarrow splits the file into text columns (about a sixth of the "
    "time), each cell rule (the date in the file's convention, codes, counts, groups through the alias "
    "table) runs once per distinct value, and whole columns become the frame. Rows a rule cannot vouch for "
    "(a problem, a possible swapped position, a placement by name) are read by the row parser, so every "
    "message is the row reader's own; a file with many such rows costs more, as the row with problems "
    "shows. What remains is mostly fixed per row: decoding the text and splitting it, making a point object "
    "per event (shapely), and the spatial join of admin units. Files the column reader would not split as "
    "the csv module does (rows longer or shorter than the header, such as UCDP's API export with its "
    "trailing delimiter), files with mojibake to repair and ACLED's long shape (repeated ids) are read "
    "row by row, at about 15,000 rows/s. A workbook is read row by row from python-calamine's cells."
)


if __name__ == "__main__":
    sys.exit(main())
