"""The one reader of numbers: a year, a date, a time, money or an ordinal is never a count of people.

Property-based (hypothesis): sentences are generated as reports write them, "On <any date>, <n>
<people> were <killed>", with the number as digits or words and the date in the forms the press
and ACLED use, and the count read must be n whatever the date, the time or the sum beside it.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.extract import extract
from incidents.extract.tolls import counts
from incidents.extract.tollwords import WORDS, hide_non_counts, number

_WORDS_OF = {n: w for w, n in WORDS.items() if w not in ("a", "an", "another", "a single") and " " not in w}
_PEOPLE = ["soldiers", "policemen", "militants", "civilians", "people", "labourers", "terrorists", "tourists"]
_ACTS = {"killed": "fatalities", "injured": "injured", "arrested": "detained"}


def _date_words(day: date) -> st.SearchStrategy[str]:
    month = day.strftime("%B")
    return st.sampled_from(
        [
            f"On {day.day} {month} {day.year}",
            f"On {month} {day.day}, {day.year}",
            f"{day.day} {month} {day.year}:",
            f"On {day.isoformat()}",
            f"On {day.day}th of {month} {day.year}",
        ]
    )


@st.composite
def reports(draw: st.DrawFn) -> tuple[str, int, str]:
    day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
    opening = draw(_date_words(day))
    n = draw(st.integers(min_value=2, max_value=99))
    spelled = draw(st.booleans()) and n in _WORDS_OF
    amount = _WORDS_OF[n] if spelled else str(n)
    people = draw(st.sampled_from(_PEOPLE))
    act = draw(st.sampled_from(sorted(_ACTS)))
    when = draw(st.sampled_from(["", " at 12:30", " at 9 pm", " at 0630 hrs"]))
    tail = draw(st.sampled_from(["", " The attackers took Rs 5 million.", " It was the 3rd attack since 2019."]))
    sentence = f"{opening}{',' if not opening.endswith(':') else ''} {amount} {people} were {act}{when} in Quetta.{tail}"
    return sentence, n, _ACTS[act]


@settings(max_examples=300, deadline=None)
@given(reports())
def test_a_count_beside_any_date_time_or_sum_is_read_as_the_count(report):
    sentence, n, field = report
    (first, *_) = extract(sentence)
    assert getattr(first, field) == n, sentence


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1900, max_value=2099), st.integers(min_value=1, max_value=28), st.sampled_from(["March", "Sep"]))
def test_a_year_and_a_day_of_the_month_are_never_counted(year, day, month):
    text = f"On {day} {month} {year}, police said."
    assert counts(text) == []
    hidden = hide_non_counts(text)
    assert len(hidden) == len(text) and str(year) not in hidden


@pytest.mark.parametrize(
    ("words", "value"),
    [("1,200", 1200), ("twenty-five", 25), ("ninety nine", 99), ("eight to 12", 8), ("11-12", 11), ("a dozen", 12)],
)
def test_numbers_in_words_ranges_and_thousands(words, value):
    assert number(words) == value


@pytest.mark.parametrize(
    "text",
    [
        "Rs 5 million was seized.",
        "At 12:30 pm police arrived.",
        "It was the 3rd such attack.",
        "The 25-year-old driver fled.",
        "Prices rose 5 percent.",
        "The convoy was 10 km from Quetta.",
    ],
)
def test_money_times_ordinals_ages_shares_and_distances_are_no_counts(text):
    hidden = hide_non_counts(text)
    assert not any(c.isdigit() for c in hidden) and len(hidden) == len(text), hidden
