"""Dates in the wild: the shapes read, one convention per file inferred from its values, never guessed per row."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.model.dates import DAY_FIRST, MONTH_FIRST, AmbiguousDates, DateReading, infer
from incidents.model.validate import FieldError

ANY = DateReading(DAY_FIRST)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-03-14", date(2025, 3, 14)),
        ("2025/3/4", date(2025, 3, 4)),
        ("1990-10-04 00:00:00.000", date(1990, 10, 4)),
        ("2020-01-01T23:59:59Z", date(2020, 1, 1)),
        ("2020-01-01T10:00:00+05:00", date(2020, 1, 1)),
        ("15 March 2023", date(2023, 3, 15)),
        ("15-March-2023", date(2023, 3, 15)),
        ("9-May-20", date(2020, 5, 9)),
        ("5-Aug-24", date(2024, 8, 5)),
        ("5 Sept. 2019", date(2019, 9, 5)),
        ("March 15, 2023", date(2023, 3, 15)),
        ("1st June 2025", date(2025, 6, 1)),
        ("\u00a014 Mar 2025\u00a0", date(2025, 3, 14)),
        ("31-12-19", date(2019, 12, 31)),
        ("14.03.2025", date(2025, 3, 14)),
        ("1-Jan-69", date(1969, 1, 1)),
        ("1-Jan-68", date(2068, 1, 1)),
    ],
)
def test_each_shape_reads_the_day_it_names(text, day):
    assert ANY.parse(text) == day


@pytest.mark.parametrize("text", ["", "yesterday", "2025-02-30", "32/01/2025", "14 Smarch 2025", "2025", "14/03"])
def test_what_is_not_a_date_is_refused_with_a_reason(text):
    with pytest.raises(FieldError):
        ANY.parse(text)


def test_a_first_field_over_12_makes_the_whole_file_day_first():
    values = [(1, "03/04/2019"), (2, "31/12/2019"), (3, "2019-05-06")]
    reading = infer(values)
    assert reading.order == DAY_FIRST and "row 2 has '31/12/2019'" in reading.note
    assert reading.parse("03/04/2019") == date(2019, 4, 3)  # the ambiguous row follows the file


def test_a_second_field_over_12_makes_it_month_first_and_a_time_is_dropped():
    reading = infer([(1, "03/27/1990 00:00:00"), (2, "04/05/1990 00:00:00")])
    assert reading.order == MONTH_FIRST and reading.parse("04/05/1990 00:00:00") == date(1990, 4, 5)


def test_a_file_of_ambiguous_dates_asks_for_the_order_and_takes_it():
    values = [(1, "03/04/2019"), (2, "05/06/2019")]
    with pytest.raises(AmbiguousDates, match="--dayfirst or --monthfirst") as info:
        infer(values)
    assert "row 1: '03/04/2019'" in str(info.value)
    assert infer(values, order=MONTH_FIRST).parse("03/04/2019") == date(2019, 3, 4)
    assert "as asked" in infer(values, order=DAY_FIRST).note


def test_a_file_that_mixes_the_orders_is_refused_naming_one_of_each():
    with pytest.raises(AmbiguousDates) as info:
        infer([(4, "31/12/2019"), (9, "12/31/2019")])
    assert "row 4: '31/12/2019'" in str(info.value) and "row 9: '12/31/2019'" in str(info.value)


def test_an_order_the_file_contradicts_is_refused_not_obeyed():
    with pytest.raises(AmbiguousDates, match="can only be day first"):
        infer([(1, "31/12/2019")], order=MONTH_FIRST)


def test_two_digit_years_state_the_pivot_and_iso_files_need_no_note():
    assert "two-digit years 00-68" in infer([(1, "9-May-20")]).note
    assert infer([(1, "2020-05-09"), (2, "9 May 2020")]) == DateReading(None, "")


days = st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31))


@given(days, st.sampled_from(["/", "-", "."]), st.booleans(), st.booleans())
def test_a_numeric_date_written_in_the_files_order_reads_back(day, sep, day_first, two_digit):
    year = f"{day.year % 100:02d}" if two_digit else str(day.year)
    a, b = (day.day, day.month) if day_first else (day.month, day.day)
    text = f"{a:02d}{sep}{b:02d}{sep}{year}"
    order = DAY_FIRST if day_first else MONTH_FIRST
    assert DateReading(order).parse(text) == day


@given(st.lists(days, min_size=1, max_size=30), st.booleans())
def test_inference_never_contradicts_the_files_own_values(dates, day_first):
    texts = [f"{d.day:02d}/{d.month:02d}/{d.year}" if day_first else f"{d.month:02d}/{d.day:02d}/{d.year}" for d in dates]
    rows = list(enumerate(texts, start=1))
    telling = any(d.day > 12 for d in dates)
    if telling:
        reading = infer(rows)
        assert reading.order == (DAY_FIRST if day_first else MONTH_FIRST)
        assert [reading.parse(t) for t in texts] == dates
    else:
        with pytest.raises(AmbiguousDates):
            infer(rows)


@given(days, st.sampled_from(["%d %B %Y", "%d-%B-%Y", "%d-%b-%y", "%B %d, %Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"]))
def test_dates_by_name_and_iso_read_back_in_any_file(day, fmt):
    text = day.strftime(fmt)
    assert infer([(1, text)]).parse(text) == day
