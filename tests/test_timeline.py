"""The timeline's counts, against a row-by-row reading: no event drawn more precisely than its dates."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from incidents.query.index import EventIndex, to_day
from incidents.timeline import NO_GROUP, OTHER, TOP_GROUPS, period_bounds, period_of, timeline


def _period(d: date, resolution: str) -> tuple[date, date]:
    """The period holding ``d``, first day and the day after the last, by the calendar."""
    if resolution == "week":
        first = d - timedelta(days=d.weekday())
        return first, first + timedelta(days=7)
    if resolution == "month":
        first = d.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1)
    return date(d.year, 1, 1), date(d.year + 1, 1, 1)


def test_periods_are_calendar_weeks_from_monday_months_and_years():
    days = np.arange(to_day(date(1899, 12, 25)), to_day(date(2031, 1, 10)), 3, dtype=np.int64)
    for resolution in ("week", "month", "year"):
        first, after = period_bounds(period_of(days, resolution), resolution)
        for n, f, a in zip(days[::97], first[::97], after[::97]):
            d = date(1970, 1, 1) + timedelta(days=int(n))
            assert (f.astype(object), a.astype(object)) == _period(d, resolution), (d, resolution)


@pytest.fixture(scope="module")
def index(events):
    return EventIndex.build(events)


def _first_groups(events: pd.DataFrame) -> dict[int, str]:
    firsts = Counter(a[0] for a in events["actors"] if a)
    top = [g for g, _ in sorted(firsts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_GROUPS]]
    return {i: (a[0] if a[0] in top else OTHER) if a else NO_GROUP for i, a in enumerate(events["actors"])}


@pytest.mark.parametrize("resolution", ["week", "month", "year"])
@pytest.mark.parametrize("measure", ["events", "fatalities"])
def test_bars_and_spans_agree_with_a_row_by_row_reading(events, index, resolution, measure):
    tl = timeline(index, np.arange(len(events)), resolution=resolution, measure=measure)
    groups = _first_groups(events)
    bars: Counter[tuple[date, str]] = Counter()
    spans: Counter[tuple[date, date, str]] = Counter()
    for i, (start, end, killed) in enumerate(zip(events["date_start"], events["date_end"], events["fatalities"])):
        value = 1.0 if measure == "events" else (0.0 if pd.isna(killed) else float(killed))
        period = _period(start.date(), resolution)
        if period == _period(end.date(), resolution):
            bars[(period[0], groups[i])] += value
        else:
            spans[(start.date(), end.date() + timedelta(days=1), groups[i])] += value
    got_bars = {(s.date(), g): v for s, g, v in zip(tl.bars["start"], tl.bars["group"], tl.bars["value"])}
    assert got_bars == {k: v for k, v in bars.items() if v > 0}
    got_spans = {
        (s.date(), e.date(), g): v for s, e, g, v in zip(tl.spans["start"], tl.spans["end"], tl.spans["group"], tl.spans["value"])
    }
    assert got_spans == dict(spans)
    assert tl.in_bars + tl.in_spans == len(events) and tl.in_spans == int(tl.spans["events"].sum())
    if resolution == "week":
        assert tl.in_spans > 0  # the shipped data has events known only to a month or a year


def test_an_event_known_to_the_month_is_a_span_at_week_resolution_and_a_bar_at_month(events, index):
    one_month = events["date_start"].dt.to_period("M") == events["date_end"].dt.to_period("M")
    monthly = np.flatnonzero(((events["date_precision"] == "month") & one_month).to_numpy())
    assert len(monthly)
    weekly = timeline(index, monthly, resolution="week")
    assert weekly.in_bars == 0 and weekly.in_spans == len(monthly)
    per_month = timeline(index, monthly, resolution="month")
    assert per_month.in_spans == 0 and per_month.bars["value"].sum() == len(monthly)


def test_the_colours_are_the_top_first_named_groups_then_others(events, index):
    tl = timeline(index, np.arange(len(events)))
    assert tl.groups[-2:] == (OTHER, NO_GROUP) and len(tl.groups) == TOP_GROUPS + 2
    firsts = Counter(a[0] for a in events["actors"] if a)
    assert list(tl.groups[:TOP_GROUPS]) == [g for g, _ in sorted(firsts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_GROUPS]]
    empty = timeline(index, np.array([], dtype=np.int64))
    assert empty.bars.empty and empty.spans.empty and empty.in_bars == empty.in_spans == 0
    with pytest.raises(ValueError, match="resolution must be one of"):
        timeline(index, np.arange(3), resolution="day")
