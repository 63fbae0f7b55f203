"""The place of a candidate: the sentence that names it, and the finest unit its words support."""

from __future__ import annotations

import re

from incidents.extract import placenames
from incidents.extract.passages import SENTENCE

#: How far past an event's passage a place is looked for when the passage names none (characters).
AFTER = 3000


#: Words before a place that make it no place of the event: where a statement came from ("a statement issued from
#: Rawalpindi", "told reporters in Islamabad").
_SOURCE = re.compile(
    r"\b(?:(?:statement|press release|communiqu[eé])\s+(?:was\s+)?(?:issued|released)?\s*(?:from|in)|issued (?:from|in)|"
    r"told (?:reporters|journalists|the media|a press conference) in|(?:press conference|news conference) in)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
#: A person's home ("a resident of Quetta", "hailing from Swat"): not the event's place when the text names another
#: ("Residents of Moro staged a protest": there it is).
_HOME = re.compile(
    r"\b(?:residents? of|natives? of|hail(?:ed|ing|s) from|belong(?:ed|ing|s)? to|home ?town(?: of)?|native town(?: of)?|"
    r"(?:was|were|is|are) from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _of_the_event(text: str, found: list[placenames.Mention]) -> list[placenames.Mention]:
    """The mentions that may be the event's place: not a statement's origin, nor a person's home if another remains."""
    found = [m for m in found if not _SOURCE.search(text, max(0, m.at[0] - 50), m.at[0])]
    away = [m for m in found if not _HOME.search(text, max(0, m.at[0] - 50), m.at[0])]
    return away or found


def place(text: str, lead_start: int, lead_end: int, start: int, end: int, head_end: int) -> placenames.Mention | None:
    """The place of the passage ``text[start:end]`` whose lead is ``text[lead_start:lead_end]``, or ``None``."""
    found = _of_the_event(text, placenames.mentions(text, lead_start, lead_end))
    if found:
        best = _finest(found)
        if best.unit.level in ("province", "region"):  # "... in J&K", then "in the Poonch district of J-K"
            return _finer_after(text, best, lead_end, end) or best
        return best
    # the passage's next sentence that names a place, the header, then the nearest sentence after the passage
    for a, b in ((lead_end, end), (0, head_end), (end, min(len(text), end + AFTER))):
        found = _of_the_event(text, placenames.mentions(text, a, b))
        if found:
            first = SENTENCE.search(text, found[0].at[0])  # the sentence of the first place named
            best = _finest([f for f in found if first is None or f.at[0] < first.end()])
            if b == head_end and best.unit.level in ("province", "region"):  # a headline's province, the body's district
                return _finer_after(text, best, lead_end, min(len(text), end + AFTER)) or best
            return best
    return None


def _finer_after(text: str, above: placenames.Mention, start: int, stop: int) -> placenames.Mention | None:
    """The district or town of the first sentence in ``text[start:stop]`` that names one, or ``None``.

    Only if it lies in ``above``, the event is placed there and the sentence names no other (a
    headline's "AJK", then "in Jhelum Valley district").
    """
    found = [m for m in _of_the_event(text, placenames.mentions(text, start, stop)) if m.unit.level in ("district", "near")]
    if not found:
        return None
    sentence = SENTENCE.search(text, found[0].at[0])
    first = [m for m in found if sentence is None or m.at[0] < sentence.end()]
    inside = all(m.unit.admin1 == above.unit.name or above.unit.level == "region" for m in first)
    one = len({m.unit.admin2 or m.unit.name for m in first}) == 1
    return first[0] if inside and one and located(first[0]) else None


#: Words before a place that put the event there ("in Mastung", "Balochistan’s Khuzdar district"); not a route's ends.
_AT = re.compile(r"(?:\b(?:in|near|at|outside|around)|’s|'s)\s+(?:the\s+)?$", re.IGNORECASE)


def located(m: placenames.Mention) -> bool:
    """Whether the words put the event at the mention: marked ("Khost province") or after "in", "near", "’s"."""
    return m.marked or _AT.search(m.before) is not None


def _finest(found: list[placenames.Mention]) -> placenames.Mention:
    """The place of a sentence's mentions: a marked one (``Khost province``) first, then a unit it holds.

    Mentions in another province than one the sentence names are set aside (a town or a district of
    the same name elsewhere); "a hideout in Mastung, in Balochistan province" is Mastung district.
    """
    named = {m.unit.name for m in found if m.unit.level == "province" and m.unit.name == m.unit.admin1}
    agree = [m for m in found if m.unit.name in named or m.unit.level == "region" or not named or m.unit.admin1 in named]
    best = ([m for m in agree if m.marked] or agree)[0]
    several = {m.unit.admin1 for m in agree if m.unit.level in ("district", "near") and not m.marked}
    if not best.marked and len({m.unit.name for m in agree if m.unit.level == best.unit.level}) > 1 and len(several) == 1:
        above = placenames.province(several.pop() or "")  # "in Panjgur, Zhob and Kech": the province that holds them
        if above is not None:
            return placenames.Mention(above, best.at, False)
    holder = best.unit.holder or best.unit.name  # "near Pahalgam in the Anantnag district": Pahalgam
    if best.unit.level in ("province", "region"):
        inside = [m for m in agree if m.unit.level in ("district", "near") and m.unit.admin1 == holder]
    elif best.unit.level == "district":
        inside = [m for m in agree if m.unit.level == "near" and m.unit.admin2 == best.unit.admin2]
    else:
        inside = []
    seat = best.unit.name.removesuffix(" district")  # "in Kupwara" with "Kupwara district": the district, not its seat
    inside = [m for m in inside if m.unit.name not in (best.unit.name, seat)]
    # one unit inside, where the event is: the finer reading; several ("in Panjgur, Zhob and Kech"): the one that holds
    # them all; a route's end ("from Quetta to Peshawar"): no place of the event
    return inside[0] if len({m.unit.name for m in inside}) == 1 and located(inside[0]) else best
