"""The words of tolls (counts of people): numbers, vague words and their values, the acts' verbs, the counted nouns.

:mod:`incidents.extract.tolls` documents the rules (its table of vague words is this
module's ``VAGUE``) and applies them.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
_UNITS += " eighteen nineteen"
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORDS = {w: i for i, w in enumerate(_UNITS.split(), start=1)}
WORDS |= _TENS | {"a": 1, "an": 1, "another": 1, "a single": 1, "a hundred": 100, "one hundred": 100}
WORDS |= {"a dozen": 12, "half a dozen": 6, "two dozen": 24, "three dozen": 36}
WORDS |= {f"{t}{sep}{u}": n + i for t, n in _TENS.items() for i, u in enumerate(_UNITS.split()[:9], 1) for sep in "- "}
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
    "killed": r"kill(?:ed|ing|s)?|murdered|shot dead|gunned down|found dead|"
    r"(?:stabbed|stoned|beaten|burnt|burned|hacked|tortured) to death|died|martyred|neutrali[sz]ed|eliminated|sent to hell",
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
_COMPOUND = rf"(?:{'|'.join(_TENS)})[- ](?:{'|'.join(_UNITS.split()[:9])})\b"  # "twenty-five", "forty two"
#: Every number word, as a pattern: the compound tens as one alternative (a short pattern reads faster).
NUMBER_WORDS = "|".join([_COMPOUND, *sorted((w for w in WORDS if not re.fullmatch(_COMPOUND, w)), key=len, reverse=True)])


#: A number inside a count's noun phrase begins another count ("May 21 Five people" counts five): no part of it.
_ANOTHER_NUMBER = (
    r"(?:\d+|" + "|".join(w for w in WORDS if " " not in w and "-" not in w and len(w) > 2 and w != "another") + r")\b(?![-’'])"
)


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
#: Numbers that are never counts of people: a year, a day of a date, a time, a sum of money, an ordinal, a share.
NOT_COUNTS = re.compile(
    rf"(?:\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,?\s*\d{{4}})?\b)|"  # "March 7", "March 7, 2020"
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}(?:\s*,?\s*\d{{4}})?\b)|"  # "7 March 2020", "7th of May"
    r"(?:\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b)|"  # "2020-03-07", "07/03/2020"
    r"(?:\b(?:1[89]|20)\d{2}\b(?!\s*(?:-|–|to)\s*\d)(?=\s*(?:[,.;:)'’]|\s+(?:and|to|when|after|before|in|on|at|"
    r"attack|attacks|bombing|blast|elections?|operation|census)\b|$)))|"  # "in 2020,", "the 2019 attack"
    r"(?:\b(?:in|of|since|during|until|till|by|from|year|early|late|mid-?)\s+(?:1[89]|20)\d{2}\b)|"  # "in 2019"
    r"(?:\bthe\s+(?:1[89]|20)\d{2}(?=\s+[A-Z]))|"  # "the 2019 Pulwama attack"
    r"(?:\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|hrs|hours)?\b|\b\d{1,2}\s*[ap]\.m\.|\b\d{1,2}\s*[ap]m\b|"
    r"\b\d{4}\s*(?:hrs|hours)\b)|"  # "12:30", "9 pm", "0630 hrs"
    r"(?:(?:\bRs\.?|\bPKR|\bINR|\bUSD|\bAfs?\.?|[$£€₹])\s*\d[\d,.]*(?:\s*(?:million|billion|crore|lakh|thousand))?)|"
    r"(?:\b\d[\d,.]*\s*(?:million|billion|crore|lakh|rupees|dollars|afghanis)\b)|"  # "5 million", "200 rupees"
    r"(?:\b\d+(?:st|nd|rd|th)\b|\b\d+(?:\.\d+)?\s*(?:%|per\s*cent|percent)|\b\d+(?:\.\d+)?\s*(?:km|kilometres?|"
    r"kilometers?|miles|kg|metres?|meters?)\b|\b\d+-year-old\b|\baged\s+\d+)",  # "3rd", "5%", "10 km", "aged 25"
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def hide_non_counts(text: str) -> str:
    """``text`` with every number that is no count hidden: digits of :data:`NOT_COUNTS` as ``#``, "no one" joined.

    The text keeps its length, so offsets into it are offsets into ``text``: the one reader of
    numbers every count of people goes through, so that "On 7 March 2020, 1 soldier was killed"
    counts one soldier, never 2021.
    """
    text = _NO_ONE.sub(lambda m: m.group(1) + "_" + m.group(2), text)  # "no one was hurt" counts no one
    if not any(c.isdigit() for c in text):
        return text
    return NOT_COUNTS.sub(lambda m: re.sub(r"\d", "#", m.group()), text)


#: "No one", "not one": nobody, never a count of one (the space becomes "_", keeping offsets).
_NO_ONE = re.compile(r"\b(no|not)\s(one)\b", re.IGNORECASE)


def counted(named: bool) -> str:
    """A count and the people it counts (``two suspected insurgents``; a bare ``one`` before ``and``/``others``)."""

    def group(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    counted = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+|" + VAGUE_WORDS + "|" + NUMBER_WORDS  # "1,200"; "a few" before "a"
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
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", key):  # "1,200"
        key = key.replace(",", "")
    if key not in VAGUE and key not in WORDS:  # "eight to 12", "11-12": the least; "twenty-five" is one number
        key = re.split(r"\s*(?:\bto\b|\bor\b|-|–)\s*", key)[0]
    value = int(key) if key.isdigit() else VAGUE.get(key, WORDS.get(key, 0))
    return value + 1 if more and more.lower() in ("more than", "over") else value


#: Who was among them, told between the count and its verb: "six people, including two policemen, were killed".
AMONG = r"(?:,\s+(?:including|among them|most of them|mostly)\b[^,;.]{1,80},|\s*[—–]\s*[^—–.;]{1,60}[—–])?"
