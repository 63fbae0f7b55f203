"""When: a document's publication date, and the dates its words give an event, never more precise than the words.

Expressions read (``pub`` is the publication date):

- ``today``, ``this morning``, ``tonight``: ``pub``; ``yesterday``, ``last night``, ``overnight``: the day before;
- a weekday (``Sunday``, ``on Wednesday night``): the latest such day on or before ``pub``;
  ``last Tuesday``: the latest before ``pub`` (a week back, said on a Tuesday);
- ``during the past two days``: from two days before ``pub`` to ``pub`` (precision ``week``), ``in the past
  24 hours`` the day before and ``pub``, ``in the past week`` its seven days; ``two days ago``: that day;
- ``Aug 25-26``, ``between 25 and 26 August``, ``from Aug 20 to Aug 25``: those days (precision
  ``week`` up to seven days, else ``month``);
- ``June 25``, ``on Sept. 13``: that day in ``pub``'s year (the year before, when it would follow ``pub``);
  ``June 25, 2010``, ``25 June 2010`` and ``on 12 March`` (in ``pub``'s year, as above): that day;
- ``in March 2025``, ``by June 2025``: the month (precision ``month``);
- ``since 2015``: from 1 January 2015 to ``pub`` (precision ``year``); ``in 2021``: the year;
- ``over the weekend``: its Saturday and Sunday, ``last week``, ``earlier this week`` (weeks begin on
  Monday; precision ``week``); ``last month``, ``earlier this month``, ``last year``, ``earlier
  this year``: those months and years, ending at ``pub`` where they hold it.

Some expressions date something else when the sentence has another date (:attr:`Span.aside`): a
day after a verb of telling dates the telling (``confirmed yesterday the death of ... Wednesday``),
and a day before a noun dates another event (``connected to the July 2 attack ... today``).

A day after a verb of telling also dates the telling when an ``on`` stands between (``the army
said on Thursday``), and so does a day before one (``the group on Monday claimed
responsibility``): the passage's own day (``the raid took place on Sunday``) comes first, and a
day of the telling alone (:attr:`Span.told`) is never taken for the event's: the event is on or
before it, and gets the publication's month. A citation's date (``(Hasht-e Subh, 8 November
2022)``) dates the source, not the event.

The publication date is read from a dateline (``KABUL, Afghanistan (Jan. 22, 2013)``), a date in
the first lines (``Morning Operational Update, Feb. 21, 2011``, ``June 20: ...``, ``Published 20
May 2025``), with the year, where the date gives none, from a release number (``2013-01-S-022``).
A news dateline (``QUETTA, March 14, 2025:``) dates the report, not the event: it is no event's
date, so a report whose words give no other gets the publication's month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from incidents.model.schema import middle_day

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTHS = {name[:3].lower(): n for n, name in enumerate(calendar.month_name) if name}
_WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "several": 3, "few": 3}

_MONTH_DAY = re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<year>(?:19|20)\d\d)\b)?")
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}(?![A-Za-z])(?:,? (?P<year>(?:19|20)\d\d)\b)?")
_MONTH_YEAR = re.compile(rf"\b(?P<lead>in|by|during|since|from|until|of)? ?{_MONTH},? (?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_YEAR = re.compile(
    r"(?:\b(?P<lead>in|since|during|by)\s+|(?<![\w/-]))(?P<year>(?:19|20)\d\d)\b(?![-/]\d|\s*(?:mm|kg|km|pounds|hours))",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?P<word>today|this (?:morning|afternoon|evening)|tonight|yesterday|last\s?night|overnight|the day before|"
    r"the previous day|a day earlier|(?P<ago>two|three|four|five|six|seven|\d) days ago|"
    r"(?:(?:during|in|over) the )?(?:past|last) (?:(?P<n>two|three|four|five|six|seven|several|few|\d) days|"
    r"(?P<hours>24 hours)|(?P<week>week))|"
    r"(?P<last>last )?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b(?P<own>[’']s)?",  # "Tuesday's attack": another event (below)
    re.IGNORECASE,
)
#: "claimed responsibility for Tuesday's bombing": the day of the event claimed (elsewhere "Tuesday's attack" is another).
_CLAIMED_FOR = re.compile(r"\bclaim\w*\s+(?:responsibility\s+)?for\s+$", re.IGNORECASE)
#: Weeks, months, years before the report: "over the weekend" (its Saturday and Sunday), "last week", "earlier this
#: month", "last year" (precision ``week``, ``month``, ``year``).
_PERIOD = re.compile(
    r"\b(?:(?:over|at|during) the|last|this) (?P<weekend>weekend)\b|\b(?P<which>last|earlier this|this) "
    r"(?P<unit>week|month|year)\b",
    re.IGNORECASE,
)
_RELEASE = re.compile(r"\b(?P<year>20\d\d)-(?P<month>\d\d)-[A-Z]{1,3}-(?:\d{2,4}|X{2,4})\b")  # "2010-08-CA-XXX" too
#: A day stated in the first lines: "Feb. 21, 2011" (the year may come from a release number) or "7 February 2025".
_STATED = re.compile(f"{_MONTH_DAY.pattern}|{_DAY_MONTH.pattern.replace('?P<', '?P<dm_')}")
_DATELINE = re.compile(rf"\({_MONTH} (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?\)")


@dataclass(frozen=True)
class Span:
    """Days an expression names: ``start`` to ``end``, at ``precision``, from the words at ``at`` (start, end offsets)."""

    start: date
    end: date
    precision: str
    at: tuple[int, int]
    relative: bool = False  # "today", "yesterday", a weekday: read against the publication date
    aside: bool = False  # dates the telling or another event, unless the sentence has no other date
    told: bool = False  # dates the telling ("officials said on Thursday"): never the event's day, even alone


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def published(text: str) -> Span | None:
    """The publication day the document states, or ``None`` (a release number alone gives only its month)."""
    head = text[:600]
    release = _RELEASE.search(head)
    year_of_release = int(release.group("year")) if release else None
    for pattern in (_DATELINE, _STATED):
        for found in pattern.finditer(head):
            parts = found.groupdict()
            key = "dm_" if parts.get("dm_day") else ""
            year = int(parts[key + "year"]) if parts[key + "year"] else year_of_release
            if year is None:
                continue
            try:
                day = date(year, _month(parts[key + "month"]), int(parts[key + "day"]))
            except ValueError:
                continue
            return Span(day, day, "day", found.span())
    if release:
        first = date(int(release.group("year")), int(release.group("month")), 1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return Span(first, last, "month", release.span())
    return None


def mentions(text: str, pub: Span | None, start: int = 0, end: int | None = None) -> list[Span]:
    """Every date expression in ``text[start:end]``, resolved against ``pub``, in text order."""
    end = len(text) if end is None else end
    found: list[Span] = []
    stated = pub.at if pub is not None and _is_dateline(text, pub.at) else None  # "QUETTA, March 14, 2025:"
    for m in _PERIOD.finditer(text, start, end):
        span = _period(m, pub)
        if span is not None:
            found.append(span)
    for m in _RELATIVE.finditer(text, start, end):
        if m.group("own") and not _CLAIMED_FOR.search(text, max(0, m.start() - 40), m.start()):
            continue  # "a leader responsible for Tuesday's attack": another event's day
        span = _relative(m, pub)
        if span is not None:
            told = _TOLD.search(text, max(0, m.start() - 30), m.start()) or _TOLD_AFTER.match(text, m.end())
            found.append(replace(span, aside=told is not None, told=told is not None))
    for m in (*_RANGE_MD.finditer(text, start, end), *_RANGE_DM.finditer(text, start, end)):
        span = _range(m, pub)
        if span is not None:
            found.append(span)
    ranges = [s.at for s in found if s.precision != "day" and not s.relative]
    datelines = [stated] if stated else []  # the dateline dates the telling, not the event
    for m in (*_MONTH_DAY.finditer(text, start, end), *_DAY_MONTH.finditer(text, start, end)):
        if any(a <= m.start() < b for a, b in ranges):
            continue  # a day of a range read above
        span = _day_of(m, pub)
        if span is not None and _cited(text, m.span()):
            found.append(replace(span, aside=True, told=True))  # "(Hasht-e Subh, 8 November 2022)": the source's day
        elif _within(m.start(), stated) or _is_dateline(text, m.span()):
            datelines.append(m.span())
        elif span is not None:
            found.append(replace(span, aside=_ANOTHER.match(text, m.end()) is not None and text.endswith("the ", 0, m.start())))
    taken = [s.at for s in found] + datelines
    for m in _MONTH_YEAR.finditer(text, start, end):
        if any(a <= m.start("month") < b for a, b in taken):
            continue  # "June 25, 2010" already read as a day
        year, month = int(m.group("year")), _month(m.group("month"))
        first = date(year, month, 1)
        last = first.replace(day=calendar.monthrange(year, month)[1])
        if (m.group("lead") or "").lower() == "since" and pub is not None:
            found.append(Span(first, max(pub.end, first), "month", m.span()))
        else:
            found.append(Span(first, last, "month", m.span()))
    for m in _YEAR.finditer(text, start, end):
        if any(a <= m.start("year") < b for a, b in [s.at for s in found] + taken):
            continue
        year = int(m.group("year"))
        first, last = date(year, 1, 1), date(year, 12, 31)
        if (m.group("lead") or "").lower() == "since" and pub is not None:
            last = max(pub.end, first)
        other = _ANOTHER.match(text, m.end()) is not None and text.endswith("the ", 0, m.start())  # "the 2019 Pulwama attack"
        found.append(Span(first, last, "year", m.span(), aside=other))
    return sorted(found, key=lambda s: s.at)


#: A verb of telling just before a day: the day of the telling, not of the event.
_TOLD = re.compile(
    r"\b(?:confirmed|said|announced|reported|stated|released|disclosed|told reporters|claimed)\s+(?:on\s+|late\s+)?$",
    re.IGNORECASE,
)
#: A verb of telling just after a day: "The group on Monday claimed responsibility for the blast" dates the claim.
_TOLD_AFTER = re.compile(r"\s+(?:claimed|said|announced|confirmed|reported|stated)\b", re.IGNORECASE)
#: A noun just after "the <day>": "the July 2 attack" is another event's day.
_ANOTHER = re.compile(
    r",?\s+(?:[\w-]+\s+){0,2}?(?:attacks?|bombings?|ambush|assault|strike|raid|blast|explosion)\b", re.IGNORECASE
)


def _relative(m: re.Match[str], pub: Span | None) -> Span | None:
    if pub is None or pub.precision != "day":
        return None
    word, day = m.group("word").lower(), pub.start
    if word.startswith(("today", "this ", "tonight")):
        return Span(day, day, "day", m.span(), relative=True)
    if word.startswith(("yesterday", "last night", "lastnight", "overnight", "the day before", "the previous", "a day")):
        return Span(day - timedelta(days=1), day - timedelta(days=1), "day", m.span(), relative=True)
    if m.group("ago"):
        n = _NUMBERS.get(m.group("ago").lower()) or int(m.group("ago"))
        return Span(day - timedelta(days=n), day - timedelta(days=n), "day", m.span(), relative=True)
    if m.group("n") or m.group("hours") or m.group("week"):  # a stretch up to the report: its first day, and the report
        n = 1 if m.group("hours") else 6 if m.group("week") else _NUMBERS.get(m.group("n").lower()) or int(m.group("n"))
        return Span(day - timedelta(days=n), day, "week", m.span(), relative=True)
    back = (day.weekday() - _WEEKDAYS[word.removeprefix("last ")]) % 7 or (7 if m.group("last") else 0)
    return Span(day - timedelta(days=back), day - timedelta(days=back), "day", m.span(), relative=True)


#: A dateline: a line that opens with a place in capitals (or nothing) and the day, then a colon, a dash or "(".
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[A-Z][\w .’'-]{1,30}(?:[ \t]*\[[^\]\n]{1,30}\])?,[ \t]*)?$")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:[:—–-]|\(|\n|$)")  # a date alone on its line, under a byline, too


#: A source cited in brackets with its date: "(Hasht-e Subh, 8 November 2022; RFE/RL, 10 November 2022)".
_CITED_BEFORE = re.compile(r"[(;][^()\n;]{1,60},\s*$")
_CITED_AFTER = re.compile(r"\s*[);]")


def _cited(text: str, at: tuple[int, int]) -> bool:
    return _CITED_BEFORE.search(text, max(0, at[0] - 62), at[0]) is not None and _CITED_AFTER.match(text, at[1]) is not None


def _within(at: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= at < span[1]


def _is_dateline(text: str, at: tuple[int, int]) -> bool:
    before = text[max(0, at[0] - 40) : at[0]]
    return at[1] > at[0] and _DATELINE_BEFORE.search(before) is not None and _DATELINE_AFTER.match(text, at[1]) is not None


#: Ranges of days: "Aug 25-26", "Aug 25 and 26", "from Aug 20 to Aug 25", "between 25 and 26 August" (a count after
#: them, "on Aug 25 and 26 people were killed", is no day).
_THEN = r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|in|at|on|when|as|while|during|the|of|near|across|(?:19|20)\d\d)\b)"
_TO = r"\s*(?:-|–|/|\band\b|\bto\b|\bthrough\b|\buntil\b)\s*"  # "the night of 29/30 August" too
_RANGE_MD = re.compile(
    rf"\b{_MONTH} (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_TO}(?:{_MONTH.replace('?P<month>', '?P<month2>')} )?"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<year>(?:19|20)\d\d)\b)?{_THEN}"
)
_RANGE_DM = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_TO}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}(?![A-Za-z])"
    rf"(?:,? (?P<year>(?:19|20)\d\d)\b)?{_THEN}"
)


def _range(m: re.Match[str], pub: Span | None) -> Span | None:
    """The days from ``d1`` to ``d2`` (in ``pub``'s year, or the year before, when no year is given)."""
    year = int(m.group("year")) if m.group("year") else (pub.start.year if pub is not None else None)
    if year is None:
        return None
    month = _month(m.group("month"))
    month2 = _month(m.groupdict().get("month2") or m.group("month"))
    try:
        first, last = date(year, month, int(m.group("d1"))), date(year, month2, int(m.group("d2")))
    except ValueError:
        return None
    if not m.group("year") and pub is not None and last > pub.end:
        try:
            first, last = first.replace(year=year - 1), last.replace(year=year - 1)
        except ValueError:
            return None
    if not 0 < (last - first).days <= 31:
        return None
    return Span(first, last, "week" if (last - first).days <= 6 else "month", m.span())


def _period(m: re.Match[str], pub: Span | None) -> Span | None:
    """The days of a week, a weekend, a month or a year before ``pub`` (``over the weekend``, ``last month``)."""
    if pub is None or pub.precision != "day":
        return None
    day = pub.start
    if m.group("weekend"):
        saturday = day - timedelta(days=(day.weekday() - 5) % 7)
        return Span(saturday, min(saturday + timedelta(days=1), day), "week", m.span(), relative=True)
    unit, last = m.group("unit").lower(), m.group("which").lower() == "last"
    if unit == "week":
        first = day - timedelta(days=day.weekday())  # weeks begin on Monday
        if last:
            return Span(first - timedelta(days=7), first - timedelta(days=1), "week", m.span(), relative=True)
        return Span(first, day, "week", m.span(), relative=True)
    first = day.replace(day=1) if unit == "month" else date(day.year, 1, 1)
    if not last:  # "earlier this month": from its first day to the report
        return Span(first, day, unit, m.span(), relative=True)
    end = first - timedelta(days=1)
    return Span(end.replace(day=1) if unit == "month" else date(end.year, 1, 1), end, unit, m.span(), relative=True)


def _day_of(m: re.Match[str], pub: Span | None) -> Span | None:
    month, number = _month(m.group("month")), int(m.group("day"))
    year = int(m.group("year")) if m.group("year") else (pub.start.year if pub is not None else None)
    if year is None:
        return None
    try:
        day = date(year, month, number)
    except ValueError:
        return None
    if not m.group("year") and pub is not None and day > pub.end:
        try:
            day = date(year - 1, month, number)
        except ValueError:
            return None
    return Span(day, day, "day", m.span())


#: How the best single day was chosen (``Candidate.date_best_rule``), in the order the rules are tried.
BEST_RULES = {
    "words": "the day the words give",
    "telling": "the day of the telling: no words date the event, reported as it happened",
    "telling in range": "the day of the telling, inside the days the words give (an event is told on or after it)",
    "middle": "the middle of the days the words give",
}


def best_day(day: Span | None, pub: Span | None, *, undated: bool) -> tuple[date | None, str]:
    """The single most likely day of an event dated ``day`` in a text told on ``pub``, and which rule chose it.

    ``undated``: no words date the event (``day`` is then the publication's month up to its day).
    The range (``day``) stays the honest reading; the best day is what an export needs as one day,
    as ACLED's ``event_date`` with its ``time_precision``. Rules, in order (:data:`BEST_RULES`): the
    day the words give; the day of the telling when no words date the event; the day of the telling
    when it lies inside the days the words give; else the middle of those days. No date: ``None``.
    """
    telling = pub.start if pub is not None and pub.precision == "day" else None
    if day is not None and day.precision == "day":
        return day.start, "words"
    if telling is not None and (day is None or undated):
        return telling, "telling"
    if day is None:
        return None, ""
    if telling is not None and day.start <= telling <= day.end:
        return telling, "telling in range"
    return middle_day(day.start, day.end), "middle"
