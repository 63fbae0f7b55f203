"""Load every shipped event file plus any named in ``INCIDENT_FILES``, with full accounting."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from incidents.geo.joins import assign_admin
from incidents.model.errors import IncidentDataError, Inference, Problem, Rejection, Repair
from incidents.model.schema import conform, empty_events
from incidents.readers import FORMATS, read_data, read_file
from incidents.readers._rows import AS_WRITTEN, ReadOptions, ReadResult

EVENTS_DIR = Path(__file__).resolve().parents[1] / "data" / "events"
ENV_VAR = "INCIDENT_FILES"

#: Shipped event files and the dataset name each one's events carry.
SHIPPED: tuple[tuple[str, str], ...] = (
    ("dossier_000_adc269e28bd41553.csv", "dossier"),
    ("ucdp_ged231_sample_pak_afg_ind.csv", "ucdp-ged"),
)


@dataclass(frozen=True)
class FileReport:
    """Counts for one input file: ``accepted + rejected + merged == rows``.

    ``merged`` rows were another row's event written again for another actor (see
    :class:`incidents.readers._csvfile.CsvLayout`); they are in that event.
    """

    file: str
    dataset: str
    format: str
    rows: int
    accepted: int
    rejected: int
    repaired: int = 0
    merged: int = 0

    def summary(self) -> str:
        """One line: the file, what it was read as, and its accounting."""
        unit = FORMATS[self.format].unit + "s" if self.format in FORMATS else "rows"
        repaired = f", {self.repaired:,} of them repaired" if self.repaired else ""
        merged = f", {self.merged:,} merged into other rows" if self.merged else ""
        counts = f"{self.accepted:,} accepted{repaired}, {self.rejected:,} rejected{merged}"
        return f"{self.file}: {self.rows:,} {unit} read as {self.format}: {counts}"


@dataclass
class LoadResult:
    """All accepted events (with admin units and regions assigned) and every rejection."""

    events: gpd.GeoDataFrame
    rejected: list[Rejection]
    files: list[FileReport] = field(default_factory=list)
    repaired: list[Repair] = field(default_factory=list)
    inferred: list[Inference] = field(default_factory=list)

    def rejected_frame(self) -> pd.DataFrame:
        """The rejections as a table (file, row or feature number, field, value, reason)."""
        return _problem_frame(self.rejected)

    def inferred_frame(self) -> pd.DataFrame:
        """How files were read where they left it open, as a table (file, row, field, value, what was inferred)."""
        return _problem_frame(self.inferred)

    def repaired_frame(self) -> pd.DataFrame:
        """The repairs as a table (file, row or feature number, field, value as given, what was done)."""
        return _problem_frame(self.repaired)


def _problem_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [(r.file, r.unit if r.row is not None else "file", r.row, r.field, r.value, r.reason) for r in problems],
        columns=["file", "unit", "row", "field", "value", "reason"],
    ).astype({"row": "Int64"})


def env_files() -> list[Path]:
    """Paths named in ``INCIDENT_FILES`` (separated by the OS path separator)."""
    raw = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading.

    Loading creates millions of small objects (no cycles); the collections they triggered took
    a third of the load time of a million rows.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Upload:
    """An event file held in memory (uploaded in the dashboard): never written to disk.

    Its events carry the dataset ``upload: <file stem>``, so they can be told from shipped data.
    """

    name: str
    data: bytes = field(repr=False)
    fmt: str | None = None
    options: ReadOptions = AS_WRITTEN

    @property
    def dataset(self) -> str:
        """The dataset name its events carry."""
        return f"upload: {Path(self.name).stem or self.name}"


def load_all(
    extra: Sequence[Path] | None = None,
    *,
    shipped: bool = True,
    uploads: Sequence[Upload] = (),
    fmt: str | None = None,
    options: ReadOptions = AS_WRITTEN,
) -> LoadResult:
    """Load shipped events, ``extra`` files (default: those in ``INCIDENT_FILES``) and ``uploads``.

    Nothing is dropped silently: each row is accepted or listed in ``rejected``; a second
    event with an ``event_id`` already loaded is rejected and names where the first one is.
    A file that cannot be read at all is reported as one rejection with ``row=None``.
    Repairs (encoding, swapped coordinates, invalid polygons) are listed in ``repaired``.
    ``fmt`` forces the format of the ``extra`` files (default: detected per file), and
    ``options`` says what they leave open (the order of numeric dates). How each file was read
    where it left that open is listed in ``inferred``.
    """
    with _gc_paused():
        return _load_all(env_files() if extra is None else list(extra), shipped, list(uploads), fmt, options)


def _load_all(extra: list[Path], shipped: bool, uploads: list[Upload], fmt: str | None, options: ReadOptions) -> LoadResult:
    inputs: list[tuple[str, str, Callable[[], tuple[ReadResult, str]]]] = []
    if shipped:
        inputs += [(f, d, partial(read_file, EVENTS_DIR / f, dataset=d)) for f, d in SHIPPED]
    inputs += [(p.name, p.stem, partial(read_file, p, fmt=fmt, options=options)) for p in extra]
    inputs += [
        (u.name, u.dataset, partial(read_data, u.data, name=u.name, dataset=u.dataset, fmt=u.fmt, options=u.options))
        for u in uploads
    ]

    frames: list[gpd.GeoDataFrame] = []
    rejected: list[Rejection] = []
    repaired: list[Repair] = []
    inferred: list[Inference] = []
    reports: list[FileReport] = []
    loaded_ids: list[tuple[str, pd.Index, pd.Index, str]] = []  # per file: name, event ids, their rows, row unit
    for name, dataset, read in inputs:
        try:
            result, used = read()
        except IncidentDataError as exc:
            rejected.extend(exc.problems)
            reports.append(FileReport(name, dataset, "unreadable", 0, 0, 0))
            continue
        unit = FORMATS[used].unit
        events = result.events
        ids = pd.Index(events["event_id"])
        dup = np.zeros(len(ids), dtype=bool) if ids.is_unique else ids.duplicated(keep="first")
        for _, earlier, _, _ in loaded_ids:
            dup |= ids.isin(earlier)
        for row, event_id in zip(events.index[dup].tolist(), ids[dup].tolist()):
            first = _first(event_id, loaded_ids, name, ids, events.index, unit)
            rejected.append(
                Rejection(name, int(row), "event_id", event_id, f"duplicate event_id: first loaded from {first}", unit)
            )
        kept = ~np.asarray(dup)
        if not kept.all():  # (a mask of all rows would copy every column, excerpts included)
            events = events[kept]
        loaded_ids.append((name, pd.Index(events["event_id"]), events.index, unit))
        rejected.extend(result.rejected)
        kept_rows = set(events.index.tolist()) if result.repaired else set()
        fixes = [r for r in result.repaired if r.row is None or r.row in kept_rows]
        repaired.extend(fixes)
        inferred.extend(result.inferred)
        n_rejected = result.rejected_rows + int(dup.sum())
        reports.append(
            FileReport(
                name,
                dataset,
                used,
                result.n_input,
                len(events),
                n_rejected,
                len({r.row for r in fixes if r.row is not None}),
                result.merged,
            )
        )
        frames.append(events)

    frames = [f for f in frames if len(f)]
    events = pd.concat(frames, ignore_index=True) if frames else empty_events()
    events = gpd.GeoDataFrame(events, geometry="geometry", crs="EPSG:4326")
    events = assign_admin(events)
    # Files in the order given, rows in file order; the index is each event's stable key.
    return LoadResult(conform(events, tuples=("actors", "regions")), rejected, reports, repaired, inferred)


def _first(
    event_id: str, loaded: list[tuple[str, pd.Index, pd.Index, str]], name: str, ids: pd.Index, rows: pd.Index, unit: str
) -> str:
    """Where ``event_id`` was first loaded: an earlier file, or an earlier row (feature) of this one."""
    for file, earlier, earlier_rows, earlier_unit in loaded:
        hits = np.flatnonzero(earlier == event_id)
        if len(hits):
            return f"{file}, {earlier_unit} {earlier_rows[hits[0]]}"
    return f"{name}, {unit} {rows[np.flatnonzero(ids == event_id)[0]]}"


def load_events(extra: Sequence[Path] | None = None) -> gpd.GeoDataFrame:
    """All shipped events plus those in ``INCIDENT_FILES``, as a GeoDataFrame in the model.

    Rejected rows are not in it; use :func:`load_all` to see them.
    """
    return load_all(extra).events


def merge(base: LoadResult, part: LoadResult) -> LoadResult:
    """``base`` with ``part``'s events after its own (e.g. the store's beside the files), as one result.

    An event of ``part`` whose id ``base`` already has is rejected as a duplicate, naming the
    dataset it was first loaded from, and its report counts it; nothing is merged silently.
    """
    if not len(part.events):
        return LoadResult(
            base.events,
            base.rejected + part.rejected,
            base.files + part.files,
            base.repaired + part.repaired,
            base.inferred + part.inferred,
        )
    first = pd.Series(base.events["dataset"].to_numpy(), index=pd.Index(base.events["event_id"]))
    first = first[~first.index.duplicated()]
    ids = part.events["event_id"]
    dup = ids.isin(first.index).to_numpy()
    rejected = list(part.rejected)
    files = list(part.files)
    if dup.any():
        by_dataset = {f.dataset: f.file for f in files}
        for row, event_id, dataset in zip(part.events.index[dup], ids[dup], part.events["dataset"][dup]):
            reason = f"duplicate event_id: first loaded from dataset {first[event_id]}"
            rejected.append(Rejection(by_dataset.get(dataset, str(dataset)), int(row), "event_id", event_id, reason))
        counts = part.events.loc[dup, "dataset"].value_counts()
        files = [
            replace(f, accepted=f.accepted - int(counts.get(f.dataset, 0)), rejected=f.rejected + int(counts.get(f.dataset, 0)))
            for f in files
        ]
    kept = part.events[~dup] if dup.any() else part.events
    events = pd.concat([base.events, kept], ignore_index=True) if len(base.events) else kept.reset_index(drop=True)
    events = gpd.GeoDataFrame(events, geometry="geometry", crs="EPSG:4326")
    return LoadResult(
        conform(events, tuples=("actors", "regions")),
        base.rejected + rejected,
        base.files + files,
        base.repaired + part.repaired,
        base.inferred + part.inferred,
    )
