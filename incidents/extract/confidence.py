"""How sure: each field of a candidate graded ``high``, ``medium`` or ``low`` from how it was read.

The grade says how the words gave the value, not how reliable the source is (that is the source's
grade). The rules, stated once:

- **date**: ``high`` when the words name the day itself ("on 7 March 2020", "March 7"); ``medium``
  when a weekday or "yesterday" is read against the publication date, or when several days are
  named and one was chosen; ``low`` when the words give only a week, a month or more, or no words
  date the event (the best day is then the telling's or a range's middle).
- **location**, **admin1**, **admin2**: ``high`` when the lead sentence names the place with a
  word that puts the event there ("in Mastung district", "near Turbat") or marks its level;
  ``medium`` when it is named elsewhere in the passage or without such a word, or when a district
  is read from a town's point; ``low`` when the place comes from the headline or a later sentence,
  or none was found. A province-level place gives ``admin2`` none at ``medium``.
- **fatalities**, **injured**, **detained**: ``high`` when one definite count is stated once
  (or told again equal); ``medium`` when several parts are summed, or when no count is stated
  (none, which a coder may read as 0); ``low`` when a vague word was turned into a number
  ("several" is 3) or the counts of one act disagree and the larger was kept.
- **actors**: ``high`` when every group is named by a name or spelling the alias table knows;
  ``medium`` when a force is read from a common noun ("police" in Quetta) or none is named; ``low``
  when a name the table does not know is proposed.
- **event_type**: ``high`` when the lead sentence names it ("attack", "meeting"); ``medium`` when
  it is read from what was done (people killed: a killing); ``low`` when unspecified.
"""

from __future__ import annotations

from collections.abc import Sequence

from incidents.extract import tolls, when
from incidents.extract.placenames import Mention

#: The fields graded, as the command line prints them.
FIELDS = ("date", "location", "admin1", "admin2", "fatalities", "injured", "detained", "actors", "event_type")


def of_date(day: when.Span | None, undated: bool, several: bool) -> str:
    """The grade of a date read as ``day`` (``undated``: no words date it; ``several``: other days were named)."""
    if day is None or undated or day.precision != "day":
        return "low"
    return "medium" if day.relative or several else "high"


def of_place(place: Mention | None, lead: tuple[int, int], passage: tuple[int, int], located: bool) -> dict[str, str]:
    """The grades of ``location``, ``admin1`` and ``admin2`` for the place mention chosen (``located``: put there)."""
    if place is None:
        return dict.fromkeys(("location", "admin1", "admin2"), "low")
    at = place.at[0]
    if lead[0] <= at < lead[1]:
        grade = "high" if place.marked or located else "medium"
    elif passage[0] <= at < passage[1]:
        grade = "medium"
    else:
        grade = "low"
    unit = place.unit
    district = grade if unit.level == "district" else ("medium" if grade == "high" else grade)  # a town's district
    if unit.level in ("province", "region"):
        district = "medium" if grade != "low" else "low"  # none, at the level the text names
    if place.spelled:  # a known place read from a misspelling: inferred, never high
        grade, district = ("medium" if g == "high" else g for g in (grade, district))
    return {"location": grade, "admin1": grade if unit.admin1 else "low", "admin2": district}


def of_count(found: Sequence[tolls.Count]) -> str:
    """The grade of a count read from the counts ``found`` of one act (none found: ``medium``)."""
    if not found:
        return "medium"
    if any(c.vague for c in found):
        return "low"
    heads: dict[str, set[int]] = {}
    for c in found:
        heads.setdefault(c.head, set()).add(c.n)
    if any(len(ns) > 1 for ns in heads.values()):
        return "low"  # "87 ... 93 people": the counts of one act disagree
    return "high" if len(found) == 1 else "medium"


def of_actors(named: Sequence[str], inferred: Sequence[str], new: Sequence[str]) -> str:
    """The grade of the actors: named by the alias table, ``inferred`` from common nouns, ``new`` to the table."""
    if new:
        return "low"
    if inferred or not named:
        return "medium"
    return "high"


def of_kind(kind: str, named_in_lead: bool) -> str:
    """The grade of the event type."""
    if kind == "unspecified":
        return "low"
    return "high" if named_in_lead else "medium"
