"""The page's view settings in the URL, and the timeline's brush read as dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from incidents import from_query
from incidents.query.filters import PAGE_KEYS
from views import settings
from views.analysis import VIEW
from views.keys import SETTINGS
from views.settings import apply_pending, read_url_once, request
from views.timeline import BY, DATE_WIDGET, brushed_dates


def test_every_setting_key_is_a_page_key_the_filters_pass_over():
    assert {s.key for s in SETTINGS} <= set(PAGE_KEYS)
    f, notes = from_query({"view": ["Actor network"], "by": ["week"], "count": ["fatalities"], "map": ["x"]}, None)
    assert notes == [] and len(f) == 0


@pytest.mark.parametrize(
    ("params", "value", "notes"),
    [
        ({}, "month", []),
        ({"by": ["week"]}, "week", []),
        ({"by": ["week", "year"]}, "year", []),
        ({"by": ["<b>day</b>"]}, "month", ["ignored by='<b>day</b>': expected one of month, week, year"]),
    ],
)
def test_a_setting_reads_its_value_from_a_link(params, value, notes):
    assert BY.read(params) == (value, notes)


def test_the_link_is_read_once_and_only_changed_settings_are_written_back():
    session: dict = {}
    notes = read_url_once(session, {"view": ["Actor network"], "by": ["fortnight"]}, SETTINGS)
    assert notes == ["ignored by='fortnight': expected one of month, week, year"]
    assert session[VIEW.widget_key] == "Actor network" and session[BY.widget_key] == "month"
    assert settings.query(session, SETTINGS) == {"view": "Actor network"}
    session[BY.widget_key] = "week"
    assert read_url_once(session, {"by": ["year"]}, SETTINGS) == [] and session[BY.widget_key] == "week"  # not read again
    assert settings.query(session, SETTINGS) == {"view": "Actor network", "by": "week"}


def _ms(d: date) -> float:
    return datetime(d.year, d.month, d.day, 13, tzinfo=UTC).timestamp() * 1000


def test_a_brush_is_read_as_the_days_it_covers_and_becomes_the_date_filter():
    assert brushed_dates({"brush": {"start": [_ms(date(2025, 6, 30)), _ms(date(2025, 3, 1))]}}) == (
        date(2025, 3, 1),
        date(2025, 6, 30),
    )
    assert brushed_dates(None) is None and brushed_dates({"brush": {}}) is None and brushed_dates({}) is None
    session: dict = {}
    request(session, {DATE_WIDGET: (date(2025, 3, 1), date(2025, 6, 30))})
    request(session, {"groups": ["Lashkar-e-Taiba"]})
    assert DATE_WIDGET not in session
    apply_pending(session)
    assert session[DATE_WIDGET] == (date(2025, 3, 1), date(2025, 6, 30)) and session["groups"] == ["Lashkar-e-Taiba"]
    apply_pending(session)  # nothing pending: the date filter is left alone
    assert session[DATE_WIDGET] == (date(2025, 3, 1), date(2025, 6, 30))
