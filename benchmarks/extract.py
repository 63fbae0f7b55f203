"""Score the extractor on the ISAF press-release development set and time it.

Run from the repository root, with ``shared/`` beside the repository::

    python -m benchmarks.extract [--dev PATH] [--out docs/extraction.md]

For each release the first candidate (the main event) is compared with the expert labels:
the date exactly (``date_start`` = ``start_date``), the province (by name, any spelling the
place table knows), killed (``fatalities``, none = 0, against ``min_killed``) and captured
(``detained`` against ``min_captured``). Figures are printed and written to
``docs/extraction.md``; none is asserted. Every release is scored as it is labelled.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from incidents.extract import extract  # noqa: E402
from incidents.extract.where import _key, mentions  # noqa: E402

DEV = ROOT.parent / "shared" / "text-sources" / "isaf_press_releases_dev.jsonl"
#: The published figures the issue names (share of releases with the field exactly right).
TARGETS = {"date": 90.0, "province": 96.0, "killed": 96.0, "captured": 93.0}
GPT_4O = {"date": 72.8, "province": 89.6, "killed": 95.3, "captured": 89.4}
FIELDS = tuple(TARGETS)


def _province(label: str) -> str | None:
    """The unit a label's province names (labels write ``paktya``, ``sar_e_pul``), or ``None``."""
    found = mentions(label.replace("_", " "))
    return found[0].unit.name if found else None


def score(records: list[dict]) -> tuple[dict[str, int], list[float], list[dict]]:
    """Right answers per field, seconds per release, and each release's comparison."""
    right = dict.fromkeys(FIELDS, 0)
    seconds: list[float] = []
    rows = []
    for record in records:
        labels = record["labels"]
        t0 = time.perf_counter()
        candidates = extract(record["text"])
        seconds.append(time.perf_counter() - t0)
        first = candidates[0] if candidates else None
        got = {
            "date": first.date_start.isoformat() if first and first.date_start else None,
            "province": first.admin1 if first and first.admin1 else (first.location if first else None),
            "killed": (first.fatalities or 0) if first else 0,
            "captured": (first.detained or 0) if first else 0,
        }
        want = {
            "date": labels["start_date"],
            "province": _province(labels["province"][0]) if labels["province"] else None,
            "killed": labels["min_killed"],
            "captured": labels["min_captured"],
        }
        same = {f: got[f] == want[f] for f in FIELDS}
        if labels["province"] and want["province"] is None:
            same["province"] = got["province"] is not None and _key(got["province"]) == _key(labels["province"][0])
        for f in FIELDS:
            right[f] += same[f]
        rows.append({"id": record["id"], "got": got, "want": want, "same": same})
    return right, seconds, rows


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "extraction.md")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    extract(records[0]["text"])  # first use loads the place and alias tables
    right, seconds, rows = score(records)
    n = len(records)
    median_ms = statistics.median(seconds) * 1000
    lines = [
        "# Extraction",
        "",
        f"Latest run of `python -m benchmarks.extract`: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python "
        f"{platform.python_version()}, {platform.machine()}; {n} ISAF press releases (the development set, "
        "`shared/text-sources/isaf_press_releases_dev.jsonl`), first candidate against the expert labels.",
        "",
        "| field | right | share | GPT-4o (test set) | target |",
        "|---|---|---|---|---|",
    ]
    for f in FIELDS:
        share = 100 * right[f] / n
        met = "met" if share >= TARGETS[f] else "MISSED"
        lines.append(f"| {f} | {right[f]} / {n} | {share:.1f}% | {GPT_4O[f]}% | ≥ {TARGETS[f]}% ({met}) |")
        print(f"{f:<9} {right[f]:>4} / {n}  {share:5.1f}%  (target {TARGETS[f]}%, GPT-4o {GPT_4O[f]}%)")
    lines += [
        "",
        f"Time per release: median {median_ms:.1f} ms, slowest {max(seconds) * 1000:.1f} ms (target ≤ 20 ms median).",
        "",
        "## Releases the first candidate gets wrong",
        "",
        "| id | field | extracted | label |",
        "|---|---|---|---|",
    ]
    print(f"median {median_ms:.1f} ms per release")
    for row in rows:
        for f in FIELDS:
            if not row["same"][f]:
                lines.append(f"| {row['id']} | {f} | {row['got'][f]} | {row['want'][f]} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
