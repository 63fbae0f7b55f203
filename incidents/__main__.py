"""Command line: ``python -m incidents {check,convert,schema,extract,store,export} ...``.

``check FILE...``            read files as the dashboard does; print the accounting, how each file
                             was read (its date convention, ...) and every rejected and repaired
                             row; exit 1 when anything was rejected, 2 when a file could not be
                             read. ``--dayfirst``/``--monthfirst``: the order of numeric dates
                             that read both ways in every row; ``--columns field=column,...`` and
                             ``--profile FILE``: a column mapping for a table in no known layout;
                             ``--sheet NAME``: the sheet of an .xlsx workbook (also for ``convert``
                             and ``store add``).
``convert IN... OUT``        write the accepted events of IN files as GeoParquet (the fast format).
``schema``                   print the event model's column table (Markdown).
``extract PATH...``          candidate events of each document (.txt, .md, .html, .pdf), one JSON object per line, the main
                             event first (``rank`` 1); ``--published YYYY-MM-DD`` when the text states no
                             publication date (or to override it). A text with no candidate prints nothing.
``store add FILE...``        store each file's accepted events as one dataset (one transaction each).
``store list``               the stored datasets: events, who added them and when.
``store export OUT``         every accepted stored event, as .csv (project CSV), .geojson, .parquet or .acled.csv.
``store remove DATASET``     take a dataset out (a revision; ``store restore`` brings it back).
``store history EVENT_ID``   an event's revisions, oldest first.
``store grade KIND KEY G``   grade a source's reliability (``source SOURCE_ID A``..``F``) or an event's credibility
                             (``event EVENT_ID 1``..``6``); ``store grades`` lists the grades set.
``export QUERY OUT``         the events a dashboard link's query string shows (shipped, INCIDENT_FILES and
                             the store), as .csv, .geojson, .parquet, .citations.csv or .acled.csv (ACLED's layout,
                             dated by the best day); ``--in-database`` filters the
                             store's events in the database instead (the path past one machine's memory).

The store is ``INCIDENT_STORE`` (default ``data/store/incidents.sqlite``). Store commands exit 1
when rows were rejected and 2 when a file or the store could not be read.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import parse_qs

from incidents.acled_layout import left_out_note
from incidents.loader import LoadResult, load_all
from incidents.model.dates import DAY_FIRST, MONTH_FIRST
from incidents.model.grades import apply as apply_grades
from incidents.model.schema import markdown_table
from incidents.query.facets import STORE_PREFIX
from incidents.query.filters import describe, filter_mask, from_query, split, where
from incidents.readers import FORMATS, ReadOptions, mapped, profiles
from incidents.store import Store, StoreError
from incidents.store.imports import read_data, store_read
from incidents.writers import write, write_events

if TYPE_CHECKING:
    import pandas as pd


def _report(result: LoadResult, out: TextIO) -> None:
    for f in result.files:
        print(f.summary(), file=out)
    for problem in [*result.inferred, *result.repaired, *result.rejected]:
        print(f"  {problem}", file=out)


def _read_options(parser: argparse.ArgumentParser) -> None:
    """What a file leaves open, as the user says it: date order, column mapping, sheet."""
    order = parser.add_mutually_exclusive_group()
    for flag, value in (("--dayfirst", DAY_FIRST), ("--monthfirst", MONTH_FIRST)):
        order.add_argument(
            flag,
            dest="order",
            action="store_const",
            const=value,
            help=f"numeric dates that read both ways in every row are {value} (checked against the file)",
        )
    parser.add_argument(
        "--columns",
        metavar="FIELD=COLUMN,...",
        help="read as a table with these columns (over those mapped by name); fields: " + ", ".join(mapped.FIELDS),
    )
    parser.add_argument("--profile", type=Path, help='a saved column mapping (JSON: {"columns": {field: column}})')
    parser.add_argument("--sheet", help="the sheet of an .xlsx workbook to read (default: the first that holds data)")


def _options(args: argparse.Namespace) -> ReadOptions:
    """What the command line says the files leave open (``ValueError`` naming a bad mapping)."""
    columns: dict[str, str] = {}
    if getattr(args, "profile", None):
        columns |= profiles.read_profile(args.profile)
    if getattr(args, "columns", None):
        columns |= profiles.parse_columns(args.columns)
    return ReadOptions(
        order=getattr(args, "order", None), columns=tuple(columns.items()) or None, sheet=getattr(args, "sheet", None)
    )


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid
        return "unknown"


def _store_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store = sub.add_parser("store", help="the store that keeps the analysts' work (INCIDENT_STORE)")
    cmds = store.add_subparsers(dest="store_command", required=True)
    add = cmds.add_parser("add", help="store each file's accepted events as one dataset")
    add.add_argument("files", nargs="+", type=Path)
    add.add_argument("--format", choices=list(FORMATS), help="read every file as this format (default: detect)")
    add.add_argument("--name", help="the dataset's name (one file only; default: the file's stem)")
    _read_options(add)
    cmds.add_parser("list", help="the stored datasets")
    export = cmds.add_parser("export", help="every accepted stored event, re-importable")
    export.add_argument("out", type=Path, help="OUT.csv (project CSV), OUT.geojson, OUT.parquet or OUT.acled.csv")
    for name, what in (("remove", "take a dataset out (it can be restored)"), ("restore", "bring a removed dataset back")):
        cmd = cmds.add_parser(name, help=what)
        cmd.add_argument("dataset")
    history = cmds.add_parser("history", help="an event's revisions, oldest first")
    history.add_argument("event_id")
    grade = cmds.add_parser("grade", help="grade a source's reliability (A-F) or an event's credibility (1-6)")
    grade.add_argument("kind", choices=["source", "event"], help="source: by its source_id; event: by its event_id")
    grade.add_argument("key", help="the source_id or event_id")
    grade.add_argument("grade", help="A (completely reliable) .. F (cannot be judged); 1 (confirmed) .. 6 (cannot be judged)")
    cmds.add_parser("grades", help="the analysts' grades, with who set them and when")
    for cmd in cmds.choices.values():
        cmd.add_argument("--author", default=None, help="who makes the change (default: the OS user)")


def _store(args: argparse.Namespace) -> int:
    store = Store()
    author = args.author or _author()
    if args.store_command == "add":
        if args.name and len(args.files) > 1:
            print("--name names one dataset: give one file", file=sys.stderr)
            return 2
        status = 0
        for path in args.files:
            try:
                read = read_data(path.read_bytes(), name=path.name, fmt=args.format, options=_options(args))
            except OSError as exc:
                print(f"{path.name}: cannot be read ({exc.strerror or exc})", file=sys.stderr)
                status = 2
                continue
            if not read.readable:
                _report(read.result, sys.stdout)
                status = 2
                continue
            print(f"{path.name}: storing {len(read.result.events):,} events in {store.address}…", file=sys.stderr, flush=True)
            added = store_read(store, read, author=author, dataset=args.name)
            result = read.result
            _report(result, sys.stdout)
            if added.already is not None:
                d = added.already
                print(f"  already in the store as dataset {d.name!r} (added by {d.author}): nothing added")
            else:
                print(f"  stored as dataset {added.dataset!r}: {added.added:,} events")
            if result.rejected and status == 0:
                status = 1
        return status
    if args.store_command == "list":
        for d in store.datasets():
            print(f"{d.name}\t{d.events:,} events\tfrom {d.source_file}\tadded by {d.author} at {d.created_at:%Y-%m-%d %H:%M:%S}")
        return 0
    if args.store_command == "export":
        events = store.events()
        write(events, args.out)
        print(f"wrote {len(events):,} events to {args.out.name}", file=sys.stderr)
        _left_out(events, args.out)
        return 0
    if args.store_command == "grade":
        base = store.grades().get((args.kind, args.key.strip()))
        g = store.grade(args.kind, args.key, args.grade, base_revision=base.revision if base else 0, author=author)
        print(f"{g.kind} {g.key}: graded {g.grade} (revision {g.revision}, by {g.author})")
        return 0
    if args.store_command == "grades":
        for g in store.grades().values():
            print(f"{g.kind}\t{g.key}\t{g.grade}\trevision {g.revision}\tby {g.author} at {g.at:%Y-%m-%d %H:%M:%S}")
        return 0
    if args.store_command in ("remove", "restore"):
        n = (store.remove if args.store_command == "remove" else store.restore)(args.dataset, author=author)
        print(f"{args.store_command}d dataset {args.dataset!r}: {n:,} events")
        return 0
    for r in store.history(args.event_id):
        changed = json.dumps(r.after, ensure_ascii=False) if r.action != "add" else "(as imported)"
        print(f"revision {r.revision}\t{r.action}\t{r.author}\t{r.at:%Y-%m-%d %H:%M:%S}\t{changed}")
    return 0


def _left_out(events: pd.DataFrame, out: Path) -> None:
    """Say what an ACLED-style file leaves out (nothing for the other formats)."""
    if out.name.lower().endswith(".acled.csv") and (left := left_out_note(events)):
        print(f"ACLED's layout leaves out {left}", file=sys.stderr)


def _export(query: str, out: Path, *, in_database: bool) -> int:
    params = parse_qs(query.lstrip("?"), keep_blank_values=True)
    grades = Store().grade_values()  # the analysts', over the files' own
    if in_database:
        from incidents.query.index import EventIndex

        f, notes = from_query(params, None)
        in_db, in_memory = split(f)
        events = apply_grades(Store().events(where=where(in_db)), grades)
        if in_memory:
            events = events[filter_mask(EventIndex.build(events), in_memory)]
    else:
        from incidents.loader import merge
        from incidents.query.index import EventIndex

        result = load_all()
        store_result = LoadResult(Store().events(), [], [], [])
        store_result.events["dataset"] = STORE_PREFIX + store_result.events["dataset"]
        loaded = apply_grades(merge(result, store_result).events, grades)
        index = EventIndex.build(loaded)
        f, notes = from_query(params, index)
        events = loaded[filter_mask(index, f)]
    for note in notes:
        print(note, file=sys.stderr)
    write(events, out)
    print(f"wrote {len(events):,} events ({describe(len(events), f)}) to {out.name}", file=sys.stderr)
    _left_out(events, out)
    return 1 if notes else 0


def _extract(paths: list[Path], published: date | None) -> int:
    """Candidates of each document, read as the Documents view reads an upload (:mod:`incidents.intake`)."""
    from incidents.extract import extract
    from incidents.intake import from_upload
    from incidents.model.errors import IncidentDataError

    status = 0
    for path in paths:
        try:
            intake = from_upload(path.name if path.suffix else f"{path.name}.txt", path.read_bytes())
        except OSError as exc:
            print(f"{path.name}: cannot be read ({exc.strerror})", file=sys.stderr)
            status = 2
            continue
        except IncidentDataError as exc:
            print(f"{path.name}: not read: {exc.problems[0].reason}", file=sys.stderr)
            status = 2
            continue
        if intake.obtained.startswith(("main text", "text layer")) or "decoded as" in intake.obtained:
            print(f"{path.name}: {intake.obtained} (offsets refer to that text)", file=sys.stderr)
        for candidate in extract(intake.text, published=published):
            print(json.dumps(candidate.as_json(str(path)), ensure_ascii=False))
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m incidents", description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate event files without starting the dashboard")
    convert = sub.add_parser("convert", help="write the accepted events of files as GeoParquet")
    for command in (check, convert):
        command.add_argument("--format", choices=list(FORMATS), help="read every file as this format (default: detect)")
        command.add_argument("files", nargs="+", type=Path)
        _read_options(command)
    convert.add_argument("out", type=Path)
    sub.add_parser("schema", help="print the event model's column table")
    extract = sub.add_parser("extract", help="candidate events of texts, one JSON object per line")
    extract.add_argument("paths", nargs="+", type=Path)
    extract.add_argument("--published", type=date.fromisoformat, help="the publication date, YYYY-MM-DD")
    _store_commands(sub)
    export = sub.add_parser("export", help="the events a dashboard link shows, as a file")
    export.add_argument("query", help="the link's query string, e.g. 'group=Lashkar-e-Taiba&region=Mastung'")
    export.add_argument("out", type=Path, help="OUT.csv (project CSV), OUT.geojson, OUT.parquet or OUT.acled.csv")
    export.add_argument("--in-database", action="store_true", help="filter the store's events in the database")
    args = parser.parse_args(argv)
    if args.command == "export":
        try:
            return _export(args.query, args.out, in_database=args.in_database)
        except (StoreError, ValueError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    if args.command == "schema":
        print(markdown_table())
        return 0
    if args.command == "extract":
        return _extract(args.paths, args.published)
    if args.command == "store":
        try:
            return _store(args)
        except (StoreError, ValueError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
    try:
        options = _options(args)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = load_all(args.files, shipped=False, fmt=args.format, options=options)
    _report(result, sys.stdout if args.command == "check" else sys.stderr)
    if args.command == "convert":
        write_events(result.events, args.out)
        print(f"wrote {len(result.events):,} events to {args.out.name}", file=sys.stderr)
    if any(f.format == "unreadable" for f in result.files):
        return 2
    return 1 if result.rejected else 0


def _run() -> int:
    """:func:`main`, quiet when the reader of its output stops early (``... | head``)."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:  # the reader is gone: nothing more can be said to it, and nothing is wrong with the input
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the interpreter's last flush must not fail
        return 1
    return status


if __name__ == "__main__":
    sys.exit(_run())
