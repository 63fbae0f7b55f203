"""Names of armed groups the alias table does not know, so that the reviewer can add them (flagged as new).

A name is a run of capitalised words (with the particles of South Asian group names: ``e``, ``i``,
``ul``, ``al``, ``ud``, ``of``, ``the``) that either contains a word organisations are named by
(``Front``, ``Army``, ``Movement``, ``Brigade``, ``Lashkar``, ``Jaish``, ``Tehrik`` ...) or follows
the words that introduce one (``a group called``, ``militant outfit``, ``claimed by``). Names of
state forces (a name opening with a country or ``Afghan``, ``Coalition``, ``National`` ...; any
with ``Police`` or ``Security Forces``) are not groups for this purpose: the alias table has the governments.
"""

from __future__ import annotations

import re

from incidents.extract import placenames
from incidents.extract.names import name_key

_PARTICLE = r"(?:e|i|ul|ut|ud|al|el|of|the|de|wal)"
_WORD = r"(?:[A-Z][\w'’]*(?:-(?:[A-Za-z][\w'’]*))*)"
_RUN = re.compile(rf"\b{_WORD}(?:(?:\s+|-){_PARTICLE}(?=[\s-])|(?:\s+|-){_WORD})*")
_MARK = re.compile(
    r"\b(?:Front|Army|Brigades?|Movement|Party|Organi[sz]ation|Group|Militia|Network|Council|Battalion|Mujahideen|"
    r"Lashkar|Jaish|Tehr[ei]e?k|Harkat|Ansar|Ansaar|Jamaat|Sipah|Liberation|Tigers|Resistance|Fedayeen|Legion)\b"
)
_INTRODUCED = re.compile(
    r"\b(?:group|outfit|organi[sz]ation|faction|militia)\s+(?:called|named|known as)\s+|\bclaimed by\s+(?:the\s+)?",
    re.IGNORECASE,
)
_STATE = re.compile(
    r"^(?:Afghan|Afghanistan|Coalition|ISAF|NATO|Pakistan|Pakistani|Indian|India|U\.S|US|American|British|Combined|Joint|"
    r"National|Provincial|District|Special|Army|Forces?)\b|"
    r"\b(?:Security Forces?|Police|Frontier Corps|Levies|Rangers|Government|Ministry|Col|Lt|Capt|Sgt|Maj|Gen|Spc|Pfc)\b"
)
#: Words that end a headline's run of capitals, not a group's name ("Haqqani Network Leader Captured").
_TRAILING = frozenset(
    "Leader Leaders Commander Commanders Member Members Facilitator Facilitators Fighters Captured Killed Detained "
    "Arrested Targeted Attack Attacks Operation Operations Says Claims".split()
)


def new_groups(text: str, start: int, end: int, known: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Group names in ``text[start:end]`` that no span in ``known`` (the alias table's matches) covers: ``(name, start, end)``."""
    found: dict[str, tuple[int, int]] = {}
    for m in _RUN.finditer(text, start, end):
        name = re.sub(r"['’]s$", "", m.group().strip(" -"))
        a = m.start()
        if name.startswith("The "):
            name, a = name[4:], a + 4
        while name.split() and name.split()[-1] in _TRAILING:
            name = name.rsplit(None, 1)[0] if " " in name else ""
        b = a + len(name)
        if not name or name in found:
            continue
        introduced = _INTRODUCED.search(text, max(start, a - 30), a + 1)
        introduced_here = introduced is not None and introduced.end() == a
        if (len(name.split()) < 2 or not _MARK.search(name)) and not introduced_here or _STATE.search(name):
            continue
        if any(ka < b and a < kb for ka, kb in known) or _is_place(name) or _in_title(text, a):
            continue  # the alias table's, a place, or a headline in title case (its names recur in the text)
        found[name] = (a, b)
    return [(name, a, b) for name, (a, b) in found.items()]


def _in_title(text: str, at: int) -> bool:
    """Whether the line at ``at`` is a headline in title case (most of its words capitalised)."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    words = text[line_start : line_end if line_end != -1 else len(text)].split()
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _is_place(name: str) -> bool:
    """Whether ``name`` is a place the boundaries or the gazetteer know (``Lashkar Gah``)."""
    return name_key(name) in placenames.place_keys()
