"""The words of tolls (counts of people): numbers, vague words and their values, the acts' verbs, the counted nouns.

:mod:`incidents.extract.tolls` documents the rules (its table of vague words is this
module's ``VAGUE``) and applies them.
"""

from __future__ import annotations

import re

_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
_UNITS += " eighteen nineteen"
WORDS = {w: i for i, w in enumerate(_UNITS.split(), start=1)}
WORDS |= {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1, "another": 1, "a single": 1}
WORDS |= {"a dozen": 12, "half a dozen": 6}
VAGUE = {
    "a couple of": 2,
    "a few": 3,
    "several": 3,
    "multiple": 3,
    "some": 3,
    "a number of": 3,
    "numerous": 4,
    "many": 4,
    "a large number of": 5,
    "a group of": 5,
    "dozens of": 24,
}
ACTS = {
    "killed": r"kill(?:ed|ing|s)?|shot dead|gunned down|died|martyred|neutrali[sz]ed|eliminated|sent to hell",
    "injured": r"injur(?:ed|ing|es)|wound(?:ed|ing|s)?|hurt",
    "detained": r"detain(?:ed|ing|s)?|arrest(?:ed|ing|s)?|captur(?:ed|ing|es|e)|apprehend(?:ed|ing|s)?|nabbed|"
    r"taken into custody",
}
NOUN = (
    r"insurgents?|militants?|fighters?|leaders?|commanders?|sub-commanders?|facilitators?|suspects?|individuals?|"
    r"men|man|associates?|members?|people|persons?|operatives?|bombers?|civilians?|soldiers?|policemen|police officers?|"
    r"officers?|troops|children|women|others?|detainees?|enemy|Taliban|emir|chief|gunmen|attackers?|accomplices?|"
    r"cell members?|facilitator|militiamen|recruiters?|financiers?|guards?|brothers?|sons?|intelligence officers?|"
    r"Afghans|Pakistanis|villagers|residents|passengers|workers|students|worshippers|officials?|suppliers?|experts?|"
    r"smugglers?|couriers?|emplacers?|males|occupants|personnel|wounded|spokesm[ae]n|governors?|deputy|deputies|terrorists?|labou?rers|"
    r"miners|pilgrims|tourists|commuters|protesters|paramilitar(?:y|ies)"
)
#: Words that end a count's noun phrase: "two suspected insurgents while searching for a Taliban leader" counts insurgents.
_BREAK = (
    r"(?:and|or|with|while|during|in|for|from|at|on|to|who|that|which|after|before|as|by|near|into|including|when|"
    r"was|were|is|are|had|has|have)\b"
)
VAGUE_WORDS = "|".join(re.escape(w) for w in sorted(VAGUE, key=len, reverse=True))
NUMBER_WORDS = "|".join(sorted(WORDS, key=len, reverse=True))


#: A number inside a count's noun phrase begins another count ("May 21 Five people" counts five): no part of it.
_ANOTHER_NUMBER = r"(?:\d+|" + "|".join(w for w in WORDS if " " not in w and len(w) > 2 and w != "another") + r")\b(?![-’'])"


def counted(named: bool) -> str:
    """A count and the people it counts (``two suspected insurgents``; a bare ``one`` before ``and``/``others``)."""

    def group(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    counted = r"\d+|" + VAGUE_WORDS + "|" + NUMBER_WORDS  # "a few" before "a"
    ranged = rf"(?:{counted})(?:\s*(?:to|or|-|–)\s*(?:\d+|{NUMBER_WORDS})\b)?"  # "eight to 12": the least, 8
    number = rf"(?:{group('more', 'more than|over|at least')}\s+)?{group('n', ranged)}"
    noun = rf"(?:\s+(?!{_BREAK}|{_ANOTHER_NUMBER})(?:[\w’'-]+|\([\w’'-]+\))){{0,6}}\s+{group('noun', NOUN)}\b"
    bare = (
        r"\b(?=\s+(?:and|or|others?|more|of them|of the \w+|were|was|insurgents?|during|while|"
        r"killed|wounded|injured|detained|captured|arrested|taken)\b|\s*[,.;])"
    )
    return f"(?:{number}(?:{noun}|{bare}))"


def number(words: str, more: str | None = None) -> int:
    """The least number ``words`` supports (``more``: ``more than``/``over``/``at least`` before it)."""
    key = " ".join(words.lower().split())
    key = re.split(r"\s*(?:\bto\b|\bor\b|-|–)\s*", key)[0] if key not in VAGUE else key
    value = int(key) if key.isdigit() else VAGUE.get(key, WORDS.get(key, 0))
    return value + 1 if more and more.lower() in ("more than", "over") else value


#: Who was among them, told between the count and its verb: "six people, including two policemen, were killed".
AMONG = r"(?:,\s+(?:including|among them|most of them|mostly)\b[^,;.]{1,80},|\s*[—–]\s*[^—–.;]{1,60}[—–])?"
