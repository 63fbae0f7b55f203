"""Dates as event files write them, read with one convention per file, inferred from the file's own values.

Shapes read (a time after the date is dropped: the event model is per day):

- ISO: ``2025-03-14``, ``2025/03/14``, ``2025-03-14 00:00:00.000``, ``2025-03-14T10:00:00Z``;
- the month by name: ``14 March 2025``, ``14-March-2025``, ``14-Mar-25``, ``14 Mar. 2025``,
  ``March 14, 2025``;
- numeric with the year last: ``14/03/2025``, ``03/14/2025``, ``14-03-25``, ``14.03.2025``.

Numeric dates are the ambiguous ones. Whether a file writes the day or the month first is
decided from all its values together, never per row: a first field over 12 means day first, a
second field over 12 means month first. A file with both is refused (it names one of each); a
file where every numeric date reads both ways is refused unless the reader is told the order
(``--dayfirst`` / ``--monthfirst``). Two-digit years follow the POSIX rule (Python's ``%y``):
00-68 are 2000-2068, 69-99 are 1969-1999.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from incidents.model.validate import FieldError

#: Orders a caller may impose on numeric dates.
DAY_FIRST = "day first"
MONTH_FIRST = "month first"
ORDERS = (DAY_FIRST, MONTH_FIRST)
#: Two-digit years below this are 20xx, the others 19xx.
PIVOT = 69
PIVOT_RULE = f"two-digit years 00-{PIVOT - 1:02d} read as 20{0:02d}-20{PIVOT - 1:02d}, {PIVOT}-99 as 19{PIVOT}-1999"

_TIME = re.compile(
    r"^(?P<date>.+?)(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)$"
)
_ISO = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ -]+([A-Za-z]+)\.?[ ,-]+(\d{4}|\d{2})$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.? +(\d{1,2})(?:st|nd|rd|th)?,? +(\d{4})$")
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9


def _clean(text: str) -> str:
    value = " ".join(text.replace("\u00a0", " ").split())
    found = _TIME.match(value)
    return found.group("date") if found else value


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    two = int(text)
    return 2000 + two if two < PIVOT else 1900 + two


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"not a calendar date ({exc})") from exc


def _by_name(text: str) -> date | None:
    for pattern, order in ((_DAY_MONTH, (0, 1, 2)), (_MONTH_DAY, (1, 0, 2))):
        found = pattern.match(text)
        if found:
            parts = found.groups()
            day, name, year = (parts[i] for i in order)
            month = _MONTHS.get(name.lower())
            if month is None:
                raise FieldError(f"{name!r} is not a month")
            return _day(_year(year), month, int(day))
    return None


@dataclass(frozen=True)
class DateReading:
    """How one file's dates are read: the order of its numeric dates (``None``: it has none), and why.

    ``note`` says what was inferred, for the file's report ("" when every date was unambiguous).
    """

    order: str | None = None
    note: str = ""

    def parse(self, text: str) -> date:
        """The day ``text`` names, in this file's convention.

        Raises
        ------
        FieldError
            When ``text`` is not a date in a shape read here.

        """
        value = _clean(text)
        if not value:
            raise FieldError("the date is empty")
        found = _ISO.match(value)
        if found:
            year, _, month, day = found.groups()
            return _day(int(year), int(month), int(day))
        named = _by_name(value)
        if named is not None:
            return named
        found = _NUMERIC.match(value)
        if found:
            a, _, b, year = found.groups()
            if self.order is None:  # only when the file was not inferred (a lone value)
                raise FieldError("a numeric date needs the file's order (day or month first)")
            day, month = (a, b) if self.order == DAY_FIRST else (b, a)
            return _day(_year(year), int(month), int(day))
        raise FieldError("expected a date such as 2025-03-14, 14 March 2025, 14-Mar-25 or 14/03/2025")


#: The reading of a file with no numeric dates (or before its convention is known).
UNORDERED = DateReading()


class AmbiguousDates(FieldError):
    """A file whose numeric dates do not say, or contradict, which comes first: the day or the month."""


def infer(values: Iterable[tuple[int, str]], *, order: str | None = None, unit: str = "row") -> DateReading:
    """The convention of a file's dates, from ``(row, text)`` pairs of its date columns.

    ``unit`` is what the numbers count in messages (``row``, ``feature``). ``order``
    (``DAY_FIRST`` / ``MONTH_FIRST``) is what the user said; it is checked against
    the file, never overridden silently.

    Raises
    ------
    AmbiguousDates
        When the numeric dates contradict each other (or ``order``), or every one reads both ways
        and no ``order`` was given.

    """
    if order is not None and order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    numeric = two_digit = 0
    example: tuple[int, str] | None = None
    for row, text in values:
        value = _clean(text)
        found = _NUMERIC.match(value)
        if found is None:
            named = _DAY_MONTH.match(value)
            two_digit += bool(named and len(named.group(3)) == 2)
            continue
        numeric += 1
        example = example or (row, text)
        a, _, b, year = found.groups()
        two_digit += len(year) == 2
        if int(a) > 12 and day_first is None:
            day_first = (row, text)
        if int(b) > 12 and month_first is None:
            month_first = (row, text)
    pivot = f"; {PIVOT_RULE}" if two_digit else ""
    if not numeric:
        return DateReading(None, f"{PIVOT_RULE}" if two_digit else "")
    if day_first and month_first:
        raise AmbiguousDates(
            f"the file writes dates both day first ({unit} {day_first[0]}: {day_first[1]!r}) "
            f"and month first ({unit} {month_first[0]}: {month_first[1]!r}); one file, one convention"
        )
    evidence = day_first or month_first
    if evidence is not None:
        found_order = DAY_FIRST if day_first else MONTH_FIRST
        if order is not None and order != found_order:
            raise AmbiguousDates(
                f"you said {order}, but {unit} {evidence[0]} has {evidence[1]!r}, which can only be {found_order}"
            )
        why = f"{unit} {evidence[0]} has {evidence[1]!r}"
        return DateReading(found_order, f"numeric dates read {found_order} ({why}){pivot}")
    if order is None:
        assert example is not None
        raise AmbiguousDates(
            f"every numeric date reads both day first and month first ({unit} {example[0]}: {example[1]!r}); "
            "say which with --dayfirst or --monthfirst (in the dashboard: the date order under the upload box)"
        )
    return DateReading(order, f"numeric dates read {order}, as asked (none of them tells){pivot}")
