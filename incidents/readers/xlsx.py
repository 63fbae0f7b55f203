"""Excel workbooks (``.xlsx``, as UCDP and many analysts distribute them), read with ``python-calamine``.

One sheet is read: the one named (``--sheet``), else the first that holds data. Its rows become
a table with the sheet's first row as the header, and from there on it is read as any text
table: the layout its header names (ACLED, UCDP GED, the project CSV) or a column mapping, with
the same checks and accounting. Row numbers count data rows as for a CSV (the row after the
header is row 1; in the sheet it is row 2).

Cells arrive typed; they are written as the readers read text: a date or a date-time as ISO
(a date-time's time is dropped later, as for any date), a whole number stored as a float
(``12.0``) as ``12``, other numbers in their shortest exact form, empty cells as nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from incidents.model.errors import IncidentDataError, Inference, Rejection
from incidents.readers._rows import AS_WRITTEN, ReadOptions, ReadResult

#: Zip files start so (an .xlsx is one).
MAGIC = b"PK\x03\x04"

#: Reads a table's text once the sheet is turned into it: ``(text, *, name, dataset, options) -> (result, format)``.
TextTable = Callable[..., tuple[ReadResult, str]]


def cell_text(value: Any) -> str:
    """A typed cell as the text readers read (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


def _rows_text(rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        cells = [cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        writer.writerow(cells)
    return out.getvalue()


def sheet_text(source: Path | bytes, name: str, sheet: str | None = None) -> tuple[str, str, list[str]]:
    """The sheet ``sheet`` (default: the first with data) as CSV text, its name, and every sheet's name.

    Raises
    ------
    IncidentDataError
        When the workbook cannot be read, has no such sheet, or no sheet holds data.

    """
    try:
        book = (
            CalamineWorkbook.from_path(str(source))
            if isinstance(source, Path)
            else CalamineWorkbook.from_filelike(io.BytesIO(source))
        )
    except (CalamineError, OSError, ValueError) as exc:
        raise IncidentDataError(Rejection(name, None, None, "", f"not readable as an .xlsx workbook ({exc})")) from exc
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise IncidentDataError(Rejection(name, None, None, sheet, f"no sheet of that name; the sheets are {names}"))
    for candidate in [sheet] if sheet is not None else names:
        rows = [r for r in book.get_sheet_by_name(candidate).to_python(skip_empty_area=True)]
        while rows and not any(cell_text(v) for v in rows[-1]):
            rows.pop()
        if len(rows) >= 1 and any(cell_text(v) for v in rows[0]):
            return _rows_text(rows), candidate, names
        if sheet is not None:
            raise IncidentDataError(Rejection(name, None, None, sheet, "the sheet holds no data"))
    raise IncidentDataError(Rejection(name, None, None, "", f"no sheet holds data (sheets: {names})"))


def read_xlsx(
    source: Path | bytes, *, dataset: str, name: str | None = None, options: ReadOptions = AS_WRITTEN, read_table: TextTable
) -> ReadResult:
    """Read one sheet of a workbook as the table it holds (``read_table`` reads its text)."""
    name = name or (source.name if isinstance(source, Path) else "workbook.xlsx")
    text, used, names = sheet_text(source, name, options.sheet)
    result, layout = read_table(text, name=name, dataset=dataset, options=options)
    which = "as named" if options.sheet else "the first with data"
    note = f"sheet {used!r} of {len(names)} read ({which}), as {layout}"
    result.inferred.insert(0, Inference(name, None, None, "", note))
    return result
