"""Event file readers, one module per format, in one registry.

:data:`FORMATS` maps each format's name to a detector and a reader (a :class:`Format`, declared
by the format's module as ``FORMAT``). Detection, ``--format`` on the command line, the upload
box's file types, what a record is called in messages and the formats named when a file is not
recognised all come from it; detection tries the formats in the order of :data:`READERS`. Adding
a format is one module and one line in that list (see the README).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from incidents.model.errors import IncidentDataError, Rejection, Repair
from incidents.readers import acled, geojson, geoparquet, mapped_csv, project_csv, ucdp, xlsx
from incidents.readers._format import Format, Sample
from incidents.readers._rows import AS_WRITTEN, ReadOptions, ReadResult, decode_text

#: Every format a file can be read as, by name, in detection order.
FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to :data:`FORMATS` (detection tries it after those registered before)."""
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    if (fmt.read_text is None) == (fmt.read_binary is None):
        raise ValueError(f"format {fmt.name!r} needs exactly one of read_text and read_binary")
    FORMATS[fmt.name] = fmt
    return fmt


#: The format modules, in detection order: each declares its ``FORMAT``. The column mapping's
#: format is never detected, but the CSV no other format takes is read through it.
READERS: tuple[ModuleType, ...] = (acled, ucdp, geojson, project_csv, geoparquet, mapped_csv)
for _module in READERS:
    register(_module.FORMAT)


def _read_sheet(source: Path | bytes, **given: object) -> ReadResult:
    return xlsx.read_xlsx(source, read_table=_read_table, **given)  # type: ignore[arg-type]


#: A workbook: one sheet read as the table it holds (any of the formats above): registered here, as it
#: reads its sheet through this registry.
register(
    Format(
        "xlsx",
        "Excel workbook (.xlsx), one sheet",
        lambda s: s.magic[:4] == xlsx.MAGIC,
        read_binary=_read_sheet,
        extensions=("xlsx",),
    )
)


def upload_types() -> list[str]:
    """The file name endings any format reads (without the dot), for the upload box."""
    return sorted({e for f in FORMATS.values() for e in f.extensions})


def expected_formats() -> str:
    """The formats detection can tell, in words, for a message about a file it could not."""
    return ", ".join(f.label for f in FORMATS.values() if f.detected and f.read_text is not None)


def format_labels() -> dict[str, str]:
    """What the user sees for each format, by name (for ``--format`` and the upload box)."""
    return {name: f.label for name, f in FORMATS.items()}


def detect_format(sample: Sample) -> str | None:
    """The name of the first registered format whose detector accepts ``sample``, or ``None``."""
    return next((name for name, f in FORMATS.items() if f.detect(sample)), None)


def _forced(fmt: str | None, name: str) -> Format | None:
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise IncidentDataError(Rejection(name, None, None, fmt, f"unknown format; expected one of {', '.join(FORMATS)}"))
    return FORMATS[fmt]


def read_file(
    path: Path,
    *,
    dataset: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    options: ReadOptions = AS_WRITTEN,
) -> tuple[ReadResult, str]:
    """Read one event file from disk; see :func:`read_data`.

    A binary format (GeoParquet) is read from the file itself, not copied into memory first.

    Raises
    ------
    IncidentDataError
        When the file is missing or cannot be read at all.

    """
    name = name or path.name
    forced = _forced(fmt, name)
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        binary = forced if forced is not None else FORMATS.get(detect_format(Sample(magic)) or "")
        if binary is not None and binary.read_binary is not None:
            return binary.read_binary(path, dataset=dataset or Path(name).stem, name=name, options=options), binary.name
        data = path.read_bytes()
    except OSError as exc:
        reason = "file not found" if not path.exists() else f"cannot be read ({exc.strerror})"
        raise IncidentDataError(Rejection(name, None, None, "", reason)) from exc
    return read_data(data, name=name, dataset=dataset, fmt=fmt, options=options)


def read_data(
    data: bytes, *, name: str, dataset: str | None = None, fmt: str | None = None, options: ReadOptions = AS_WRITTEN
) -> tuple[ReadResult, str]:
    """Read one event file's bytes with the format its content calls for (or the one ``fmt`` names).

    Detection asks each registered format in turn: GeoParquet by its magic bytes, GeoJSON by a
    leading ``{``, CSV formats by their header (ACLED, UCDP GED, then the project CSV). Text is
    UTF-8; a Windows-1252 file is read as such and the repair reported (see
    :func:`incidents.readers._rows.decode_text`).

    Parameters
    ----------
    data : bytes
        The file's content (read from disk or uploaded; nothing is written anywhere).
    name : str
        The file's name, for reports; its stem is the dataset name unless ``dataset`` is given.
    dataset : str, optional
        Value of the ``dataset`` column for every accepted event.
    fmt : str, optional
        A name in :data:`FORMATS`, to override detection.
    options : ReadOptions, optional
        What the user says the file leaves open (the order of numeric dates).

    Returns
    -------
    (ReadResult, str)
        The events, rejections and repairs, and the format used.

    Raises
    ------
    IncidentDataError
        When the file cannot be read at all (not text, unknown columns, not the forced format).

    """
    dataset = dataset or Path(name).stem or name
    chosen = _forced(fmt, name) or FORMATS.get(detect_format(Sample(data[:4])) or "")
    if options.columns and (chosen is None or chosen.read_text is not None):
        chosen = FORMATS["mapped"]  # a mapping given: the file is read through it
    if chosen is not None and chosen.read_binary is not None:
        return chosen.read_binary(data, dataset=dataset, name=name, options=options), chosen.name
    text, repaired = decode_text(data, name)
    return _read_table(text, name=name, dataset=dataset, options=options, repaired=repaired, chosen=chosen)


def _read_table(
    text: str,
    *,
    name: str,
    dataset: str,
    options: ReadOptions = AS_WRITTEN,
    repaired: list[Repair] | None = None,
    chosen: Format | None = None,
) -> tuple[ReadResult, str]:
    """Read a file's text in ``chosen`` or the layout its content names, or through a column mapping."""
    if options.columns:
        chosen = FORMATS["mapped"]
    if chosen is None:
        sample = Sample(text[:4].encode(), text)
        chosen = FORMATS.get(detect_format(sample) or "")
        if chosen is None:
            if len(sample.header) < 2 or text.lstrip().startswith(("{", "[")):
                raise IncidentDataError(
                    Rejection(
                        name,
                        None,
                        None,
                        ", ".join(sample.header)[:200],
                        f"unrecognised: expected {expected_formats()}, or a table with a date and a position (see README)",
                    )
                )
            chosen = FORMATS["mapped"]  # a table in no known layout: its columns mapped by name
    assert chosen.read_text is not None  # registered with exactly one reader (a binary one was forced on text)
    return chosen.read_text(text, name=name, dataset=dataset, repaired=repaired or [], options=options), chosen.name


__all__ = [
    "FORMATS",
    "Format",
    "ReadOptions",
    "ReadResult",
    "Sample",
    "detect_format",
    "format_labels",
    "read_data",
    "read_file",
    "expected_formats",
    "register",
    "upload_types",
]
