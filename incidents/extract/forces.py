"""State forces a report names only by a common noun, read by the country and province of the event's place.

The forces a text names outright ("Frontier Corps", "CRPF", "Levies", "Afghan National Army")
are in the alias table (``data/actors.csv``, group type ``state``). Reports as often say only
"security forces", "troops", "soldiers" or "police"; these rules name the force the words stand
for where the event was, as the coders of the news set do:

=================================  ===============================  ==============================  ==========================
words                              Pakistan                         Indian-administered Kashmir     Afghanistan
=================================  ===============================  ==============================  ==========================
security forces, troops,           Pakistan security forces         Indian security forces          Afghan security forces
security personnel, forces
army, soldiers, military           Pakistan Army                    Indian Army                     Afghan security forces
police, policemen                  the province's police            Jammu and Kashmir Police        Afghan security forces
                                   (Balochistan Police, ...)
=================================  ===============================  ==============================  ==========================

A generic name is not added when the text names a force of that country outright (the named
force is the one meant), nor when the police are only a source ("police said", "according to
police"). "Islamic State" or "Daesh" for an event in Afghanistan or Pakistan is the Islamic
State Khorasan Province, as the region's coders read it.
"""

from __future__ import annotations

import re

_PAKISTAN_POLICE = {
    "Balochistan": "Balochistan Police",
    "Sindh": "Sindh Police",
    "Punjab": "Punjab Police",
    "Khyber Pakhtunkhwa": "Khyber Pakhtunkhwa Police",
    "Islamabad": "Islamabad Police",
}
#: The forces a country's generic words stand for: (security forces, army, police by province or for all).
GENERIC: dict[str, tuple[str, str, str | dict[str, str]]] = {
    "Pakistan": ("Pakistan security forces", "Pakistan Army", _PAKISTAN_POLICE),
    "India": ("Indian security forces", "Indian Army", {"Jammu and Kashmir": "Jammu and Kashmir Police"}),
    "Afghanistan": ("Afghan security forces", "Afghan security forces", "Afghan security forces"),
}
#: The named forces of each country (canonical names of ``data/actors.csv``): one named, no generic one is added.
NAMED = {
    "Pakistan": frozenset(
        {
            "Pakistan Army",
            "Frontier Corps",
            "Levies Force",
            "Counter Terrorism Department",
            "Pakistan Rangers",
            "Pakistan Air Force",
            "Pakistan security forces",
            *_PAKISTAN_POLICE.values(),
        }
    ),
    "India": frozenset(
        {"Indian Army", "Indian security forces", "CRPF", "Border Security Force", "Jammu and Kashmir Police", "Indian Air Force"}
    ),
    "Afghanistan": frozenset({"Afghan security forces"}),
}
_SECURITY = re.compile(r"\b(?:security forces|security personnel|troops|(?<!coalition )forces)\b", re.IGNORECASE)
_ARMY = re.compile(
    r"\b(?:army|soldiers?|military)\b(?!\s+(?:said|spokesm[ae]n|spokesperson|statement|establishment|leadership|rule))",
    re.IGNORECASE,
)
_POLICE = re.compile(r"\b(?:police(?:m[ae]n)?|cops?)\b", re.IGNORECASE)
#: The police only as a source: "police said", "a police official told", "according to (the) police".
_SOURCE_AFTER = re.compile(
    r"\s+(?:(?:officials?|officers?|sources?|spokesm[ae]n|spokesperson|chief)\s+)?"
    r"(?:said|say|says|told|added|confirmed|reported|stated)\b",
    re.IGNORECASE,
)
_SOURCE_BEFORE = re.compile(r"\baccording to (?:the\s+)?(?:local\s+)?$", re.IGNORECASE)


#: A clause that says who took no part: "... troops were not involved", "the army had no role".
_NOT_INVOLVED = re.compile(
    r"\b(?:(?:were|was|are|is|had been|have been)\s+not\s+involved|had no (?:role|part)|nothing to do with)\b",
    re.IGNORECASE,
)


#: A line of a web page that links to another story: "Also Read: ...", "READ MORE: ...", "Related: ...".
_ANOTHER_STORY = re.compile(r"[ \t]*(?:also read|read also|read more|related|see also|watch)\s*[:|-]", re.IGNORECASE)


def another_story(text: str, at: int) -> bool:
    """Whether offset ``at`` lies on a line that only links to another story ("Also Read: ...")."""
    return _ANOTHER_STORY.match(text, text.rfind("\n", 0, at) + 1) is not None


def negated(text: str, at: int) -> bool:
    """Whether the clause holding offset ``at`` (between ``.;!?`` or line ends) says who took no part."""
    a = max(text.rfind(c, 0, at) for c in ".;!?\n") + 1
    ends = [i for i in (text.find(c, at) for c in ".;!?\n") if i >= 0]
    return _NOT_INVOLVED.search(text, a, min(ends) if ends else len(text)) is not None


#: What may stand before a sentence's first word: its end ("killed." but not the "U.S." of "U.S. Army"), a colon,
#: a line's end or a dash, then quotes.
_OPENS = re.compile(r"(?:(?:\b[a-z0-9]\w+|\))[.!?]|[:\n—–]|\s-)[\s\"'“‘]*$|^\s*$")


def _common(text: str, m: re.Match[str]) -> bool:
    """Whether the words at ``m`` are a common noun.

    In lower case, or capitalised only as a sentence opens: not the "Army" of "Baloch Liberation
    Army" or "U.S. Army".
    """
    if m.group()[0].islower():
        return True
    return m.start() == 0 or _OPENS.search(text, max(0, m.start() - 12), m.start()) is not None


def _acting(text: str, m: re.Match[str]) -> bool:
    """Whether the words at ``m`` name the force as taking part, not only as a source."""
    return not (_SOURCE_AFTER.match(text, m.end()) or _SOURCE_BEFORE.search(text[max(0, m.start() - 30) : m.start()]))


def forces(
    text: str, start: int, end: int, groups: list[str], where: str | None, admin1: str | None
) -> list[tuple[str, tuple[int, int]]]:
    """The forces the passage ``text[start:end]`` names by common nouns, with the words' span, in text order.

    ``groups``: the canonical names already read from the alias table; ``where``: the country of
    the event's place; ``admin1``: its province. Nothing for a place of another country or none.
    """
    if where not in GENERIC:
        return []
    security, army, police = GENERIC[where]
    if any(g in NAMED[where] for g in groups):
        return []
    found: list[tuple[str, tuple[int, int]]] = []
    kinds: tuple[tuple[re.Pattern[str], str | dict[str, str]], ...] = ((_SECURITY, security), (_ARMY, army), (_POLICE, police))
    for pattern, force in kinds:
        name = force.get(admin1 or "") if isinstance(force, dict) else force
        if name is None:
            continue
        hit = next(
            (
                m
                for m in pattern.finditer(text, start, end)
                if _common(text, m) and _acting(text, m) and not negated(text, m.start()) and not another_story(text, m.start())
            ),
            None,
        )
        if hit is not None and all(name != f for f, _ in found):
            found.append((name, hit.span()))
    return sorted(found, key=lambda f: f[1])


def regional(groups: list[str], where: str | None) -> list[str]:
    """``groups`` with "Islamic State" read as its Khorasan Province for an event in Afghanistan or Pakistan."""
    if where not in ("Afghanistan", "Pakistan") or "Islamic State" not in groups:
        return groups
    khorasan = "Islamic State Khorasan Province"
    return list(dict.fromkeys(khorasan if g == "Islamic State" else g for g in groups))
