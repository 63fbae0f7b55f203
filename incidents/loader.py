"""Load every shipped event file plus any named in ``INCIDENT_FILES``, with full accounting."""

from __future__ import annotations

import csv
import gc
import io
import os
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from incidents import native, parquet, ucdp
from incidents.errors import IncidentDataError, Rejection
from incidents.frame import ReadResult
from incidents.geo import assign_admin
from incidents.schema import conform, empty_events

EVENTS_DIR = Path(__file__).resolve().parents[1] / "data" / "events"
ENV_VAR = "INCIDENT_FILES"

#: Shipped event files and the dataset name each one's events carry.
SHIPPED: tuple[tuple[str, str], ...] = (
    ("dossier_000_adc269e28bd41553.csv", "dossier"),
    ("ucdp_ged231_sample_pak_afg_ind.csv", "ucdp-ged"),
)

CSV_READERS = {"ucdp": ucdp.read_ucdp_csv, "native": native.read_native_csv}


@dataclass(frozen=True)
class FileReport:
    """Counts for one input file: ``accepted + rejected == rows``."""

    file: str
    dataset: str
    format: str
    rows: int
    accepted: int
    rejected: int


@dataclass
class LoadResult:
    """All accepted events (with admin units and regions assigned) and every rejection."""

    events: gpd.GeoDataFrame
    rejected: list[Rejection]
    files: list[FileReport] = field(default_factory=list)

    def rejected_frame(self) -> pd.DataFrame:
        """The rejections as a table (file, row, field, value, reason)."""
        return pd.DataFrame(
            [(r.file, r.row, r.field, r.value, r.reason) for r in self.rejected],
            columns=["file", "row", "field", "value", "reason"],
        )


def detect_format(columns: set[str]) -> str | None:
    """The reader for a CSV header, or ``None`` when no reader recognises it."""
    if ucdp.matches(columns):
        return "ucdp"
    if native.matches(columns):
        return "native"
    return None


def read_file(
    path: Path, *, dataset: str | None = None, fmt: str | None = None, name: str | None = None
) -> tuple[ReadResult, str]:
    """Read one event file with the reader its header calls for (or ``fmt``).

    Returns the result and the format used.

    Raises
    ------
    IncidentDataError
        When the file cannot be read at all (missing, not UTF-8, unknown columns).

    """
    name = name or path.name
    if not path.is_file():
        raise IncidentDataError(Rejection(name, None, None, "", "file not found"))
    if fmt == "geoparquet" or (fmt is None and parquet.is_parquet(path)):
        return parquet.read_geoparquet(path, dataset=dataset or Path(name).stem, name=name), "geoparquet"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IncidentDataError(Rejection(name, None, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")) from exc
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    fmt = fmt or detect_format(set(header))
    if fmt not in CSV_READERS:
        raise IncidentDataError(
            Rejection(
                name,
                None,
                None,
                ", ".join(header)[:200],
                "unrecognised columns: expected UCDP GED or the project's event CSV (see README)",
            )
        )
    result = CSV_READERS[fmt](path, dataset=dataset or Path(name).stem, name=name, text=text)
    return result, fmt


def env_files() -> list[Path]:
    """Paths named in ``INCIDENT_FILES`` (separated by the OS path separator)."""
    raw = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


@contextmanager
def _gc_paused():
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


def load_all(extra: Sequence[Path] | None = None, *, shipped: bool = True) -> LoadResult:
    """Load shipped events and ``extra`` files (default: those in ``INCIDENT_FILES``).

    Nothing is dropped silently: each row is accepted or listed in ``rejected``; a second
    event with an ``event_id`` already loaded is rejected and names where the first one is.
    A file that cannot be read at all is reported as one rejection with ``row=None``.
    """
    with _gc_paused():
        return _load_all(env_files() if extra is None else list(extra), shipped)


def _load_all(extra: list[Path], shipped: bool) -> LoadResult:
    inputs: list[tuple[Path, str | None]] = []
    if shipped:
        inputs += [(EVENTS_DIR / f, d) for f, d in SHIPPED]
    inputs += [(p, None) for p in extra]

    frames: list[gpd.GeoDataFrame] = []
    rejected: list[Rejection] = []
    reports: list[FileReport] = []
    loaded_ids: list[tuple[str, pd.Index, pd.Index]] = []  # per file: name, event ids, their rows
    for path, dataset in inputs:
        try:
            result, fmt = read_file(path, dataset=dataset)
        except IncidentDataError as exc:
            rejected.extend(exc.problems)
            reports.append(FileReport(path.name, dataset or path.stem, "unreadable", 0, 0, 0))
            continue
        events = result.events
        ids = pd.Index(events["event_id"])
        dup = ids.duplicated(keep="first")
        for _, earlier, _ in loaded_ids:
            dup |= ids.isin(earlier)
        for row, event_id in zip(events.index[dup].tolist(), ids[dup].tolist()):
            rejected.append(
                Rejection(
                    path.name,
                    int(row),
                    "event_id",
                    event_id,
                    f"duplicate event_id: first loaded from {_first(event_id, loaded_ids, path.name, ids, events.index)}",
                )
            )
        events = events[~dup]
        loaded_ids.append((path.name, pd.Index(events["event_id"]), events.index))
        rejected.extend(result.rejected)
        n_rejected = result.rejected_rows + int(dup.sum())
        reports.append(
            FileReport(
                path.name,
                events["dataset"].iloc[0] if len(events) else (dataset or path.stem),
                fmt,
                result.n_input,
                len(events),
                n_rejected,
            )
        )
        frames.append(events)

    frames = [f for f in frames if len(f)]
    events = pd.concat(frames, ignore_index=True) if frames else empty_events()
    events = gpd.GeoDataFrame(events, geometry="geometry", crs="EPSG:4326")
    events = assign_admin(events)
    # Files in the order given, rows in file order; the index is each event's stable key.
    return LoadResult(conform(events, tuples=("actors", "regions")), rejected, reports)


def _first(event_id: str, loaded: list[tuple[str, pd.Index, pd.Index]], name: str, ids: pd.Index, rows: pd.Index) -> str:
    """Where ``event_id`` was first loaded: an earlier file, or an earlier row of this one."""
    for file, earlier, earlier_rows in loaded:
        hits = np.flatnonzero(earlier == event_id)
        if len(hits):
            return f"{file}, row {earlier_rows[hits[0]]}"
    return f"{name}, row {rows[np.flatnonzero(ids == event_id)[0]]}"


def load_events(extra: Sequence[Path] | None = None) -> gpd.GeoDataFrame:
    """All shipped events plus those in ``INCIDENT_FILES``, as a GeoDataFrame in the model.

    Rejected rows are not in it; use :func:`load_all` to see them.
    """
    return load_all(extra).events
