"""Plain-text labels for dates, places, fatalities and sources (shown in popups and tables)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

GEO_PRECISION_LABELS = {
    "exact": "exact location",
    "near": "near a named place (within about 25 km)",
    "district": "district-level: the marker stands for the whole district",
    "province": "province-level: the marker stands for the whole province",
    "region": "region-level: the marker stands for a whole region",
    "country": "country-level: the marker stands for the whole country",
}

GEO_PRECISION_SHORT = {
    "exact": "exact",
    "near": "near (≈25 km)",
    "district": "district (D)",
    "province": "province (P)",
    "region": "region (R)",
    "country": "country (C)",
}


def _d(ts: Any) -> date:
    return pd.Timestamp(ts).date()


def date_text(start: Any, end: Any, precision: str) -> str:
    """E.g. ``June 2025 (month precision)`` or ``2015 to 2025 (year precision)``."""
    s, e = _d(start), _d(end)
    if precision == "day" and s == e:
        return f"{s.isoformat()} (exact day)"
    whole_years = s.month == 1 and s.day == 1 and e.month == 12 and e.day == 31
    if precision == "year" and whole_years:
        span = str(s.year) if s.year == e.year else f"{s.year} to {e.year}"
        return f"{span} (year precision)"
    next_day = pd.Timestamp(e) + pd.Timedelta(days=1)
    if precision == "month" and s.day == 1 and next_day.day == 1:
        first, last = f"{s:%B %Y}", f"{e:%B %Y}"
        return f"{first if first == last else first + ' to ' + last} (month precision)"
    return f"{s.isoformat()} to {e.isoformat()} ({precision} precision)"


def place_text(location: str, precision: str, admin1: str | None, admin2: str | None) -> str:
    """E.g. ``ISKP base, Mastung — district-level: ... [Mastung, Balochistan]``."""
    admin = ", ".join(a for a in (admin2, admin1) if isinstance(a, str) and a)
    label = GEO_PRECISION_LABELS.get(precision, precision)
    return f"{location or 'unnamed place'} \u2014 {label}" + (f" [{admin}]" if admin else "")


def fatalities_text(best: Any, low: Any, high: Any) -> str:
    """E.g. ``30``, ``3 (estimates 2 to 5)`` or ``not stated``."""
    if pd.isna(best):
        return "not stated"
    if not pd.isna(low) and not pd.isna(high) and (low != best or high != best):
        return f"{int(best)} (estimates {int(low)} to {int(high)})"
    return str(int(best))


def offsets_text(start: Any, end: Any) -> str:
    """E.g. ``characters 1805–1889 of the stored document``, or empty when not stored."""
    if pd.isna(start) or pd.isna(end):
        return ""
    return f"characters {int(start)}\u2013{int(end)} of the stored document"
