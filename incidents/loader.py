"""Load every shipped event file plus any named in ``INCIDENT_FILES``, with full accounting."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from incidents import native, ucdp
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

FORMATS = {"ucdp": ucdp.read_ucdp_csv, "native": native.read_native_csv}


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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IncidentDataError(Rejection(name, None, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")) from exc
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    fmt = fmt or detect_format(set(header))
    if fmt not in FORMATS:
        raise IncidentDataError(
            Rejection(
                name,
                None,
                None,
                ", ".join(header)[:200],
                "unrecognised columns: expected UCDP GED or the project's event CSV (see README)",
            )
        )
    result = FORMATS[fmt](path, dataset=dataset or Path(name).stem, name=name, text=text)
    return result, fmt


def env_files() -> list[Path]:
    """Paths named in ``INCIDENT_FILES`` (separated by the OS path separator)."""
    raw = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def load_all(extra: Sequence[Path] | None = None, *, shipped: bool = True) -> LoadResult:
    """Load shipped events and ``extra`` files (default: those in ``INCIDENT_FILES``).

    Nothing is dropped silently: each row is accepted or listed in ``rejected``; a second
    event with an ``event_id`` already loaded is rejected and names where the first one is.
    A file that cannot be read at all is reported as one rejection with ``row=None``.
    """
    extra = env_files() if extra is None else list(extra)
    inputs: list[tuple[Path, str | None]] = []
    if shipped:
        inputs += [(EVENTS_DIR / f, d) for f, d in SHIPPED]
    inputs += [(p, None) for p in extra]

    frames: list[gpd.GeoDataFrame] = []
    rejected: list[Rejection] = []
    reports: list[FileReport] = []
    seen: dict[str, str] = {}
    for path, dataset in inputs:
        try:
            result, fmt = read_file(path, dataset=dataset)
        except IncidentDataError as exc:
            rejected.extend(exc.problems)
            reports.append(FileReport(path.name, dataset or path.stem, "unreadable", 0, 0, 0))
            continue
        events = result.events
        dup_rows: list[int] = []
        for row, event_id in zip(events.index, events["event_id"]):
            if event_id in seen:
                rejected.append(
                    Rejection(
                        path.name, int(row), "event_id", event_id, f"duplicate event_id: first loaded from {seen[event_id]}"
                    )
                )
                dup_rows.append(row)
            else:
                seen[event_id] = f"{path.name}, row {row}"
        events = events.drop(index=dup_rows)
        rejected.extend(result.rejected)
        n_rejected = result.rejected_rows + len(dup_rows)
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
    events = events.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)
    return LoadResult(conform(events), rejected, reports)


def load_events(extra: Sequence[Path] | None = None) -> gpd.GeoDataFrame:
    """All shipped events plus those in ``INCIDENT_FILES``, as a GeoDataFrame in the model.

    Rejected rows are not in it; use :func:`load_all` to see them.
    """
    return load_all(extra).events
