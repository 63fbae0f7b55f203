"""Field parsers shared by the readers. Each returns a value or raises ``FieldError``."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from urllib.parse import urlsplit


class FieldError(ValueError):
    """One field of one row is unusable; the message says what was expected."""


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date_bounds(text: str) -> tuple[date, date, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into ``(first day, last day, precision)``.

    A year or month given alone covers the whole year or month, so precision is never
    overstated: ``"2025-06"`` is June 2025 at month precision.
    """
    m = _DATE_RE.match(text.strip())
    if not m:
        raise FieldError("expected a date as YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(m.group(1))
    month, day = (int(g) if g else None for g in m.groups()[1:])
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31), "year"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last), "month"
        d = date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"not a calendar date ({exc})") from exc
    return d, d, "day"


def parse_float(text: str, *, lo: float, hi: float, what: str) -> float:
    """A finite number in ``[lo, hi]``."""
    try:
        value = float(text)
    except (TypeError, ValueError) as exc:
        raise FieldError(f"expected a number ({what})") from exc
    if not math.isfinite(value) or not lo <= value <= hi:
        raise FieldError(f"expected {what} between {lo} and {hi}")
    return value


def parse_count(text: str | None) -> int | None:
    """A non-negative whole number, or ``None`` for an empty field."""
    if text is None or str(text).strip() == "":
        return None
    try:
        value = float(text)
    except ValueError as exc:
        raise FieldError("expected a whole number of people, or empty") from exc
    if not math.isfinite(value) or value < 0 or value != int(value):
        raise FieldError("expected a whole number of people, or empty")
    return int(value)


def parse_choice(text: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (case-insensitive)."""
    value = text.strip().lower()
    if value not in choices:
        raise FieldError("expected one of: " + ", ".join(choices))
    return value


def is_web_url(value: object) -> bool:
    """Whether ``value`` is an ``http``/``https`` URL with a host: the only links the project makes."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def parse_url(text: str | None) -> str | None:
    """An ``http``/``https`` URL, or ``None`` for an empty field. Other schemes are refused."""
    if text is None or str(text).strip() == "":
        return None
    value = str(text).strip()
    if not is_web_url(value):
        raise FieldError("expected an http:// or https:// URL")
    return value


def split_list(text: str | None, sep: str = ";") -> list[str]:
    """Split ``a; b;c`` into ``['a', 'b', 'c']``, dropping empty items."""
    if text is None:
        return []
    return [part.strip() for part in str(text).split(sep) if part.strip()]
