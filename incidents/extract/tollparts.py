"""What a passage says of a toll besides its counts: whose people the parts were, and what it states outright.

:func:`sides` splits a total told in parts by whose people each part was (as UCDP's
``deaths_a``, ``deaths_b`` and ``deaths_civilians``); :func:`stated` reads what a text says of a
toll in so many words: that no one was killed or hurt, or, in an ACLED note, what was coded.
"""

from __future__ import annotations

import re

from incidents.extract.tolls import Count

#: Whose people a count is, by the noun counted (as UCDP's deaths_a / deaths_b / deaths_civilians): the armed groups'
#: side, the state's forces, civilians; any other noun ("people", "others") is "unknown".
SIDES = {
    "armed groups": frozenset(
        "insurgent terrorist attacker gunman gunmen bomber suicide bomber leader commander sub-commander facilitator "
        "operative emir chief accomplice recruiter financier emplacer khwarij infiltrator".split()
    ),
    "security forces": frozenset(
        "soldier policemen policeman police officer troop personnel guard paramilitary paramilitarie jawan "
        "intelligence officer levies".split()
    ),
    "civilians": frozenset(
        "civilian villager resident passenger worker student worshipper labourer laborer miner pilgrim tourist "
        "commuter children child women woman boy girl protester".split()
    ),
}


def sides(found: list[Count]) -> dict[str, int]:
    """The parts of one act's toll by whose people they were (only when the parts are added up: no toll told as such).

    A count of a noun that says nothing of who they were ("people", "others") is ``unknown``.
    """
    if not found or any(c.toll for c in found):
        return {}
    parts: dict[str, int] = {}
    for c in found:
        side = next((name for name, nouns in SIDES.items() if c.head in nouns), "unknown")
        parts[side] = parts.get(side, 0) + c.n
    return parts


#: What a text says of no one: "No casualty was reported", "no one was hurt", "neither fatalities nor injuries".
_NONE = {
    "killed": re.compile(
        r"\b(?:no (?:casualt(?:y|ies)|fatalit(?:y|ies)|deaths?|loss of (?:life|lives))|no one was (?:killed|hurt|injured)|"
        r"nobody was (?:killed|hurt|injured)|neither (?:injuries nor fatalities|fatalities nor injuries)|"
        r"no report of fatalities)\b",
        re.IGNORECASE,
    ),
    "injured": re.compile(
        r"\b(?:no (?:casualt(?:y|ies)|injur(?:y|ies))|no one was (?:hurt|injured)|nobody was (?:hurt|injured)|"
        r"neither (?:injuries nor fatalities|fatalities nor injuries)|no fatalities (?:nor|and/or|or) injuries)\b",
        re.IGNORECASE,
    ),
}
#: ACLED's own words for what it coded: "Unspecified number of fatalities coded as 3", "... split across 3 events
#: and coded as 2 for this event", "Total 4 fatalities coded to this event".
_CODED = re.compile(
    r"\bfatalit(?:y|ies)\b[^.\]\n]{0,80}?\bcoded (?:as|at)\s+(?P<n>\d+)|\b(?P<m>\d+) fatalit(?:y|ies) coded to this event",
    re.IGNORECASE,
)


def stated(text: str, start: int, end: int) -> dict[str, Count]:
    """What the passage says outright of an act's toll: ACLED's "coded as N", or that no one was killed or hurt.

    ACLED's statement of what it coded is the count; "no casualty was reported" is 0 (a count
    the passage gives otherwise comes first: see :func:`counts`).
    """
    out: dict[str, Count] = {}
    coded = _CODED.search(text, start, end)
    if coded is not None:
        n = int(coded.group("n") or coded.group("m"))
        out["killed"] = Count("killed", n, coded.span())
    for act, pattern in _NONE.items():
        none = pattern.search(text, start, end)
        if none is not None and act not in out:
            out[act] = Count(act, 0, none.span())
    return out
