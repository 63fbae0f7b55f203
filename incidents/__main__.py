"""Command line: ``python -m incidents {check,convert,schema} ...``.

``check FILE...``      read files as the dashboard does; print the accounting and every rejected
                       row; exit 1 when anything was rejected, 2 when a file could not be read.
``convert IN... OUT``  read IN files (any supported format) and write their accepted events to
                       OUT as GeoParquet, the fast format for large files; rejections are printed.
``schema``             print the event model's column table (Markdown).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from incidents.loader import LoadResult, load_all
from incidents.readers import FORMATS
from incidents.readers.geoparquet import write_events
from incidents.schema import markdown_table


def _report(result: LoadResult, out: TextIO) -> None:
    for f in result.files:
        print(f.summary(), file=out)
    for problem in [*result.repaired, *result.rejected]:
        print(f"  {problem}", file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m incidents", description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate event files without starting the dashboard")
    convert = sub.add_parser("convert", help="write the accepted events of files as GeoParquet")
    for command in (check, convert):
        command.add_argument("--format", choices=list(FORMATS), help="read every file as this format (default: detect)")
        command.add_argument("files", nargs="+", type=Path)
    convert.add_argument("out", type=Path)
    sub.add_parser("schema", help="print the event model's column table")
    args = parser.parse_args(argv)
    if args.command == "schema":
        print(markdown_table())
        return 0
    result = load_all(args.files, shipped=False, fmt=args.format)
    _report(result, sys.stdout if args.command == "check" else sys.stderr)
    if args.command == "convert":
        write_events(result.events, args.out)
        print(f"wrote {len(result.events):,} events to {args.out.name}", file=sys.stderr)
    if any(f.format == "unreadable" for f in result.files):
        return 2
    return 1 if result.rejected else 0


if __name__ == "__main__":
    sys.exit(main())
