"""Counts over time for the timeline: per week, month or year, by group, never more precise than the dates.

An event is counted in a period only when its whole possible span (``date_start`` to
``date_end``) lies in that period. An event whose span crosses periods (one known only to the
month, at week resolution; one known only to the year, at month resolution) is never put on a
day: it goes to :attr:`Timeline.spans`, drawn as a span in its own band.

Each event is coloured by its first-named group (the top :data:`TOP_GROUPS` by events in the
view, the rest as "other groups", none as "no group named"), so the stacked bars add up to the
events shown. Fatalities count the best estimate; events without one add nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from incidents.query.index import EventIndex

RESOLUTIONS = ("week", "month", "year")
MEASURES = ("events", "fatalities")
TOP_GROUPS = 6
OTHER = "other groups"
NO_GROUP = "no group named"


@dataclass(frozen=True)
class Timeline:
    """What the timeline draws.

    Attributes
    ----------
    bars : DataFrame
        ``start``, ``end`` (the period, end exclusive, as dates), ``group``, ``value``: one row per
        period and group with a non-zero value.
    spans : DataFrame
        ``start``, ``end`` (the event's possible span, end exclusive), ``group``, ``value``,
        ``events``: one row per distinct span and group, for events that cross periods.
    groups : tuple of str
        The colours' groups, in legend order.
    in_bars, in_spans : int
        How many events each part holds (they add up to the events shown).

    """

    bars: pd.DataFrame
    spans: pd.DataFrame
    groups: tuple[str, ...]
    in_bars: int
    in_spans: int


def period_of(days: np.ndarray, resolution: str) -> np.ndarray:
    """The number of the period (week from Monday, month or year) that each day number falls in."""
    if resolution == "week":
        return (days.astype(np.int64) + 3) // 7  # day 0, 1970-01-01, was a Thursday
    unit = {"month": "M", "year": "Y"}[resolution]
    return days.astype("datetime64[D]").astype(f"datetime64[{unit}]").astype(np.int64)


def period_bounds(periods: np.ndarray, resolution: str) -> tuple[np.ndarray, np.ndarray]:
    """The first day and the day after the last of each period, as ``datetime64[D]``."""
    if resolution == "week":
        first = (periods * 7 - 3).astype("datetime64[D]")
        return first, first + np.timedelta64(7, "D")
    unit = {"month": "M", "year": "Y"}[resolution]
    first = periods.astype(f"datetime64[{unit}]")
    return first.astype("datetime64[D]"), (first + 1).astype("datetime64[D]")


def colour_groups(index: EventIndex, rows: np.ndarray, top: int = TOP_GROUPS) -> tuple[np.ndarray, tuple[str, ...]]:
    """Per row of ``rows``, the code of its colour group; and the groups by code.

    The first-named group of each event; the ``top`` most frequent among ``rows`` keep their
    name, in order of frequency, then :data:`OTHER` and :data:`NO_GROUP`.
    """
    combos = index.actors
    first = np.array([v[0] if v else "" for v in combos.values], dtype=object)
    per_combo = np.bincount(combos.codes[rows], minlength=len(combos.values)) if len(rows) else np.zeros(0, int)
    totals: dict[str, int] = {}
    for name, n in zip(first.tolist(), per_combo.tolist()):
        if name and n:
            totals[name] = totals.get(name, 0) + n
    kept = [g for g, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    names = (*kept, OTHER, NO_GROUP)
    code_of = {g: i for i, g in enumerate(kept)}
    combo_code = np.array([code_of.get(f, len(kept)) if f else len(kept) + 1 for f in first.tolist()], dtype=np.int64)
    return (combo_code[combos.codes[rows]] if len(rows) else np.zeros(0, np.int64)), names


def timeline(index: EventIndex, rows: np.ndarray, *, resolution: str = "month", measure: str = "events") -> Timeline:
    """The timeline of the events at positions ``rows`` of ``index``.

    Raises
    ------
    ValueError
        For a resolution or measure not offered.

    """
    if resolution not in RESOLUTIONS or measure not in MEASURES:
        raise ValueError(f"resolution must be one of {RESOLUTIONS} and measure one of {MEASURES}")
    group, names = colour_groups(index, rows)
    start, end = index.start_day[rows], index.end_day[rows]
    value = np.ones(len(rows)) if measure == "events" else np.nan_to_num(index.fatalities[rows], nan=0.0)
    p_start, p_end = period_of(start, resolution), period_of(end, resolution)
    one = p_start == p_end
    bars = _sum(pd.DataFrame({"period": p_start[one], "group": group[one], "value": value[one]}), ["period", "group"])
    first, after = period_bounds(bars["period"].to_numpy(), resolution)
    bars = pd.DataFrame(
        {"start": first, "end": after, "group": [names[g] for g in bars["group"]], "value": bars["value"].to_numpy()}
    )
    crossing = ~one
    spans = pd.DataFrame(
        {"s": start[crossing], "e": end[crossing], "group": group[crossing], "value": value[crossing], "events": 1}
    )
    spans = spans.groupby(["s", "e", "group"], as_index=False, sort=True)[["value", "events"]].sum()
    spans = pd.DataFrame(
        {
            "start": spans["s"].to_numpy().astype("datetime64[D]"),
            "end": spans["e"].to_numpy().astype("datetime64[D]") + np.timedelta64(1, "D"),
            "group": [names[g] for g in spans["group"]],
            "value": spans["value"].to_numpy(dtype=float),
            "events": spans["events"].to_numpy(dtype=np.int64),
        }
    )
    return Timeline(bars, spans, names, int(one.sum()), int(crossing.sum()))


def _sum(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.groupby(keys, as_index=False, sort=True).agg(value=("value", "sum"))
    return out.loc[out["value"] > 0].reset_index(drop=True)
