"""How many: people killed, injured and detained, as the smallest number the words support.

A count is a number (``3``, ``three``, ``a``/``an`` for one, ``a dozen``) or a vague word, read by these
written rules (the coding conventions of the ISAF press-release labels, which turn vague words
into the least number they support):

====================================================  =====
words                                                 count
====================================================  =====
``a couple of``                                       2
``a few``, ``several``, ``multiple``                  3
``some``, ``a number of``                             3
``numerous``, ``many``                                4
``a large number of``, ``a group of``                 5
``dozens of``                                         24
``more than N``, ``over N``                           N + 1
``at least N``, ``N or more``                         N
``N to M``, ``N or M``                                N
====================================================  =====

The acts' words include the press's: killed (``martyred``, ``died``, ``lost their lives``,
``succumbed to their injuries``, ``gunned down``, ``the killing of``, ``the death of four children``;
military statements' ``neutralised``, ``eliminated``, ``sent two terrorists to hell``),
injured (``hurt``), detained (``nabbed``, ``taken into custody``). A number never runs into the
count after it (``May 21 Five people`` counts five).

A count joins an act when the act's verb governs it: ``detained two suspected insurgents``, ``two
insurgents were detained``, ``killing one and wounding two others``, ``two were killed and five
injured`` (the second verb's count, its auxiliary shared), ``six people, including two policemen, were
martyred``, ``28 people—mostly tourists—were killed``, and as reports open, with no verb of being
(``Three militants killed and a soldier martyred in two encounters ...``; not in a headline, whose
report counts them again); coordinated objects add up (``a Taliban leader and two associates`` is 3). A
count after ``the``/``these`` refers back to people already counted (``the two detainees``) and is not
counted again, nor is the same noun counted twice in one passage (``several suspects`` then ``more than
10 suspects``: the larger; ``13 injured`` then ``13 others injured``: told again), nor a second vague
count of one act (``detained several suspects`` ... ``several men were detained``). An act's own words
naming one person count 1 when the passage counts no one else for it (``killing the insurgent``, ``the
leader was detained``), and so does a count after ``the`` (``took the two occupants into custody``,
``the two wounded were detained``). A named person counts 1 (``killing Qari Ziauddin``, ``Muhammad Yah,
a senior commander, was killed``). An act named as an aim is no count (``an operation to arrest a
Taliban leader``). A passage's counts of one act add up, but a vague count before definite ones is their
summary: ``detained several suspects`` ... ``a Taliban leader`` ... ``two of his associates`` is 3
(:func:`total`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from incidents.extract.tollwords import (
    ACTS,
    AMONG,
    NUMBER_WORDS,
    VAGUE,
    VAGUE_WORDS,
    WORDS,
    counted,
    hide_non_counts,
    number,
)

__all__ = ["ACTS", "VAGUE", "WORDS", "Count", "counts", "number", "total"]


@dataclass(frozen=True)
class Count:
    """A count of people an act befell: the number, and the words it came from (start, end offsets)."""

    act: str
    n: int
    at: tuple[int, int]
    head: str = ""  # the noun counted ("insurgent"), empty for a bare number
    vague: bool = False  # counted from a vague word ("several")
    toll: bool = False  # a toll told as such ("the death toll rose to 25"): a total, never a part
    claim: bool = False  # told as a party's claim ("claimed to have killed 20"): not the event's count


def _pattern(act: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    verb = ACTS[act]
    joined = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+along with\s+|\s+as well as\s+)"
    referred = r"(?:the|his|their)(?:\s+[\w-]+){1,3}?"  # people already counted: a link in the list, no count
    after = re.compile(
        rf"\b(?:{verb})\b(?:\s+of)?(?:\s+(?:an estimated|approximately|about|up to))?\s+"
        rf"(?P<objects>(?:{counted(False)}|{referred}(?={joined}))(?:{joined}{counted(False)})*)",
        re.IGNORECASE,
    )
    be = r"(?:was|were|have been|had been|has been|are|is|being|got)"
    before = re.compile(
        rf"\b(?P<objects>{counted(False)}(?:{joined}{counted(False)})*){AMONG}"
        rf"(?:\s+(?!and\b|or\b)\w+){{0,3}}?(?:\s+|(?<=[—–])){be}(?:\s+\w+){{0,2}}?\s+(?:{verb})\b",
        re.IGNORECASE,
    )
    return after, before


_PATTERNS = {act: _pattern(act) for act in ACTS}
#: Deaths told by an intransitive verb: "seven worshippers died", "two soldiers lost their lives".
_DIED_WORDS = r"died|perished|lost their lives|lost his life|succumbed|embraced (?:martyrdom|shahadat)|laid down their lives"
_DIED = re.compile(
    rf"\b(?P<objects>{counted(False)}){AMONG}(?:\s+\w+){{0,2}}?(?:\s+|(?<=[—–]))(?:{_DIED_WORDS})\b", re.IGNORECASE
)
_VERB = {act: re.compile(rf"\b(?:{verb})\b", re.IGNORECASE) for act, verb in ACTS.items()}
_DIED_VERB = re.compile(rf"\b(?:{_DIED_WORDS})\b", re.IGNORECASE)
#: Deaths counted without the verb: "the deaths of 12 insurgents", "the killing of 11 militants", "ten insurgent deaths",
#: "the death of Maulawi Tayeb".
_DEATHS = re.compile(rf"\b(?:deaths?|killing) of\s+(?P<objects>{counted(False)})", re.IGNORECASE)
_DEATH_WORDS = re.compile(
    rf"\b(?P<n>\d+|{VAGUE_WORDS}|{NUMBER_WORDS})(?:\s+[\w-]+){{0,2}}\s+(?:deaths|fatalit(?:y|ies))\b|"
    rf"\b(?P<one>the death of)\s+(?!\d|{NUMBER_WORDS}\b)",
    re.IGNORECASE,
)
_ONE = re.compile(counted(True), re.IGNORECASE)
#: One person named by the act's own words, when the passage counts no one else for it: "killing the insurgent".
_SINGULAR = (
    r"insurgent|militant|fighter|gunman|attacker|bomber|suicide bomber|man|individual|suspect|leader|commander|driver|"
    r"passenger|soldier|policeman|police officer|officer|civilian|child|boy|girl|woman|guard|official|journalist"
)
_THE_ONE = {
    act: re.compile(
        rf"\b(?:{verb})\s+the\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{_SINGULAR})\b(?![\w-])|"
        rf"\bthe\s+(?:[\w-]+\s+){{0,2}}?(?P<passive>{_SINGULAR})\s+(?:was|has been)\s+(?:{verb})\b",
        re.IGNORECASE,
    )
    for act, verb in ACTS.items()
}
#: One named person an act befell: "killing Qari Ziauddin", "Muhammad Yah, a senior Taliban commander ..., was
#: killed", "Jan and several Haqqani fighters were killed" (a capitalised name in running text; the verb in lower case,
#: so a title's "Kills Two Insurgents" is no name).
_NAME = r"(?P<name>(?-i:[A-Z][a-z’'-]+(?:\s+(?:[A-Z][a-z’'-]+|al|ul|ud|bin|din)){0,3}))"
_NOT_NAMES = frozenset(
    "afghan afghans afghanistan coalition isaf taliban haqqani american international national security forces army "
    "pakistani pakistanis indian indians british chinese iranian baloch pashtun punjabi sindhi kashmiri uzbek arab "
    "foreign pakistan india "
    "police commandos he she they it the a an his their its one two three four five six seven eight nine ten several "
    "multiple numerous january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_NAMED = {
    act: re.compile(
        rf"(?-i:\b(?:{verb})\b)\s+{_NAME}(?=\s*(?:[,.;]|\band\b|\bduring\b|\bin\b|\bwho\b|$))|"
        rf"{_NAME.replace('name', 'subject')},\s+(?:a|an|the)\s+[^,.]{{3,90}},\s+(?:was|has been)\s+(?:\w+\s+)?(?:{verb})\b|"
        rf"{_NAME.replace('name', 'first')}\s+and\s+(?={counted(False)}(?:\s+\w+){{0,3}}?\s+(?:were|have been)\s+(?:{verb})\b)",
    )
    for act, verb in ACTS.items()
    if act != "injured"
}
#: An outcome told without a verb of being: "resulting in 18 insurgents killed, one wounded and two personnel taken
#: into custody" (the participle ends the phrase, so "two insurgents killed two civilians" is not read).
_OUTCOME = {
    act: re.compile(
        rf"\b(?:resulting in|resulted in|leaving|left|with)\s+(?:[^.;]*?(?:,\s*(?:and\s+)?|\s+and\s+))?"
        rf"(?P<objects>{counted(False)})\s+(?:{verb})(?=\s*[,.;]|\s+and\b|\s+by\b)",
        re.IGNORECASE,
    )
    for act, verb in ACTS.items()
}
#: People taken into custody, the verb before them: "took the two occupants of the vehicle into custody".
_CUSTODY = re.compile(
    rf"\b(?:took|take|takes|taking)\s+(?:the\s+)?(?P<objects>{counted(False)})(?:\s+[\w-]+){{0,4}}?\s+into custody\b",
    re.IGNORECASE,
)
#: People killed, the verb around them, as military statements put it: "sent two terrorists to hell".
_TO_HELL = re.compile(rf"\b(?:sent|sending)\s+(?P<objects>{counted(False)})\s+to hell\b", re.IGNORECASE)
#: A second act with its verb shared: "two people were killed and five (others) injured", "... and three wounded".
_SHARED = re.compile(
    rf"\b(?:was|were|have been|had been|have|has|had)\s+(?:{'|'.join(ACTS.values())})\s+and\s+"
    rf"(?:(?P<more>more than|over|at least)\s+|(?:around|about|approximately|some)\s+)?"
    rf"(?P<n>\d+|{NUMBER_WORDS}|{VAGUE_WORDS})(?:\s+(?:others?|more|people))?(?:\s+(?:got|were))?\s+"
    rf"(?P<verb>{'|'.join(ACTS.values())})\b",
    re.IGNORECASE,
)
#: An outcome opening a sentence without a verb of being, as reports open: "Three militants killed and a soldier
#: martyred in two encounters on Tuesday, police said." (a sentence with a full stop: a headline's counts are not
#: read, the report below it gives them again).
_VERBS = "|".join(ACTS.values())
_OPENING = re.compile(
    rf"(?:^|(?<=[.!?:]\s))[ \t]*(?P<objects>{counted(False)})\s+(?P<verb>{_VERBS})\b"
    rf"(?:\s+and\s+(?P<second>{counted(False)})\s+(?P<verb2>{_VERBS})\b)?(?=[^\n]*[.!?](?:\s|$))",
    re.IGNORECASE | re.MULTILINE,
)


#: A toll told as such: "the death toll has risen to 87", "the toll climbed to 25", "revised the toll to 25".
_TOLL = re.compile(
    rf"\b(?:death|casualty) toll\b(?:\s+\w+){{0,4}}?\s+(?:to|at|of|reached)\s+(?:at least\s+|over\s+)?"
    rf"(?P<n>\d+|{NUMBER_WORDS})\b|\btoll\s+(?:has\s+)?(?:rose|risen|climbed|jumped|increased|reached)\s+(?:to\s+)?"
    rf"(?:at least\s+)?(?P<m>\d+|{NUMBER_WORDS})\b",
    re.IGNORECASE,
)
#: A count only a party to the fight claims: "the Taliban claimed to have killed 20 soldiers", "claimed killing 12".
_CLAIMED = re.compile(
    r"\bclaim(?:ed|s|ing)?\s+(?:to have|that|it had|they had|having|killing|the killing of|the deaths? of)\b[^.;]*$",
    re.IGNORECASE,
)


def claimed(text: str, c: Count) -> bool:
    """Whether the count ``c`` is told as a party's claim ("claimed to have killed 20"), not as the report's own count."""
    sentence = max(text.rfind(".", 0, c.at[0]), text.rfind("\n", 0, c.at[0]), text.rfind(";", 0, c.at[0])) + 1
    return _CLAIMED.search(text, sentence, c.at[0]) is not None


def counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """Every count of people killed, injured or detained in ``text[start:end]``, in text order.

    Numbers that are no counts (a year, a date, a time, money, an ordinal) are hidden first
    (:func:`~incidents.extract.tollwords.hide_non_counts`); offsets are the text's own. A span
    read again (a passage's lead, then the passage it opens) is read once.
    """
    return list(_counts(text, start, len(text) if end is None else end))


@lru_cache(maxsize=256)
def _counts(text: str, start: int, end: int) -> tuple[Count, ...]:
    text = hide_non_counts(text)
    found: list[Count] = []
    referred: list[Count] = []  # "the two occupants": people counted before, or else the only count of the act
    for act, (after, before) in _PATTERNS.items():
        matches = [m for m in after.finditer(text, start, end) if not _purpose(text, m.start()) and not _past(text, m.start())]
        if _VERB[act].search(text, start, end):  # the verb is there at all: the costly pattern only then
            matches += before.finditer(text, start, end)
        if act == "detained":
            matches += _CUSTODY.finditer(text, start, end)
        if act == "killed":
            matches += _TO_HELL.finditer(text, start, end)
        matches += _OUTCOME[act].finditer(text, start, end)
        for m in matches:
            for part in _parts(text, m):
                (referred if _refers_back(text, part.start()) else found).append(_count(act, part))
    for m in _SHARED.finditer(text, start, end):
        vague = " ".join(m.group("n").lower().split()) in VAGUE
        found.append(Count(_act(m.group("verb")), number(m.group("n"), m.group("more")), (m.start("n"), m.end()), "", vague))
    for m in _OPENING.finditer(text, start, end):
        for group, verb in (("objects", "verb"), ("second", "verb2")):
            if m.group(group):
                one = _ONE.match(text, m.start(group), m.end(group))
                if one:
                    found.append(_count(_act(m.group(verb)), one))
    died = _DIED.finditer(text, start, end) if _DIED_VERB.search(text, start, end) else ()
    for m in (*_DEATHS.finditer(text, start, end), *died):
        found += [_count("killed", part) for part in _parts(text, m)]
    for m in _DEATH_WORDS.finditer(text, start, end):
        if not any(c.act == "killed" and c.at[0] <= m.start() < c.at[1] for c in found):
            found.append(Count("killed", 1 if m.group("one") else number(m.group("n")), m.span()))
    for act, pattern in _NAMED.items():
        for m in pattern.finditer(text, start, end):
            name = next(g for g in ("name", "subject", "first") if m.group(g))
            if m.group(name).split()[0].lower() not in _NOT_NAMES:
                found.append(Count(act, 1, m.span(name), "named " + " ".join(m.group(name).lower().split())))
    unique = {(c.act, c.at[0]): c for c in sorted(found, key=lambda c: c.at)}
    kept: dict[tuple[str, str, bool], Count] = {}
    out: list[Count] = []
    for c in sorted(unique.values(), key=lambda c: c.at):
        if claimed(text, c):  # a party's claim is told apart from the report's own counts, never merged with them
            c = replace(c, claim=True)
        more = c.vague and _more(text, c)
        if c.vague and not more and any(o.act == c.act and o.vague and o.claim == c.claim for o in out):
            continue  # "several suspects were detained" after "detained several suspects": the same people
        if any(o.act == c.act and not o.vague and o.claim == c.claim and _same_people(o, c) for o in out):
            continue  # "detained two suspected insurgents" ... "detained two individuals" ("several men"): told again
        earlier = kept.get((c.act, c.head, c.claim)) if c.head and not more else None
        if earlier is not None:  # the same people again ("several suspects ... more than 10 suspects"): the larger count
            if c.n > earlier.n:
                out[out.index(earlier)] = kept[(c.act, c.head, c.claim)] = c
            continue
        if c.head:
            kept[(c.act, c.head, c.claim)] = c
        out.append(c)
    for c in referred:
        if not any(o.act == c.act for o in out):
            out.append(c)
    for m in _TOLL.finditer(text, start, end):
        words = m.group("n") or m.group("m")
        out.append(Count("killed", number(words), m.span(), "toll", toll=True))
    for act, pattern in _THE_ONE.items():
        if not any(c.act == act for c in out):
            one = next((o for o in pattern.finditer(text, start, end) if not _purpose(text, o.start())), None)
            if one:
                out.append(Count(act, 1, one.span(), _head(one.group("noun") or one.group("passive"))))
    return tuple(sorted(out, key=lambda c: c.at))


def _act(verb: str) -> str:
    return next(a for a, words in ACTS.items() if re.fullmatch(words, verb, re.IGNORECASE))


def total(found: list[Count]) -> int:
    """The people one act befell in a passage: the counts summed, or the larger when a vague count comes first.

    A vague count before definite ones is their summary ("detained several suspects ... a leader
    ... two of his associates": 3, not 6). Reading a vague count after definite ones as a
    restatement too was tried, and taking the larger wherever both occur: each lowered the captured
    figure on the development set (175 to 167, and to 171). Where the passage tells a toll as such
    ("the death toll has risen to 87"), tolls rise as reports come in: the largest single count
    is the total, and no count is added to another.
    """
    if any(c.toll for c in found):
        return max(c.n for c in found)
    definite = sum(c.n for c in found if not c.vague)
    vague = [c for c in found if c.vague]
    if not vague or definite == 0:
        return definite + sum(c.n for c in vague)
    if min(c.at[0] for c in found if not c.vague) < vague[0].at[0]:
        return definite + sum(c.n for c in vague)
    return max(definite, sum(c.n for c in vague))


def _parts(text: str, m: re.Match[str]) -> list[re.Match[str]]:
    """The counted objects of a list (the text after it stays visible: a bare "one" is read by what follows)."""
    end = m.end("objects")
    return [p for p in _ONE.finditer(text, m.start("objects"), min(len(text), end + 40)) if p.start() < end]


def _count(act: str, m: re.Match[str]) -> Count:
    vague = " ".join(m.group("n").lower().split()) in VAGUE
    return Count(act, number(m.group("n"), m.group("more")), m.span(), _head(m.group("noun")), vague)


#: Nouns that say nothing of who the people were: a count of them equal to an earlier one is the same people.
_ANYONE = frozenset({"individual", "men", "man", "people", "person", "male", "occupant", "other", ""})


def _same_people(earlier: Count, c: Count) -> bool:
    """Whether ``c`` tells again people counted before.

    So it does when it counts anyone and equals the earlier count (or is vague), or counts as many of a
    noun as an earlier count of anyone ("three others were injured" ... "three terrorists got injured").
    """
    if c.head in _ANYONE:
        return earlier.n == c.n or c.vague
    return earlier.head in _ANYONE and earlier.n == c.n > 1 and not c.vague


#: "Several more insurgents were killed": people besides those counted before.
_MORE = re.compile(rf"(?:{VAGUE_WORDS})\s+more\b", re.IGNORECASE)


def _more(text: str, c: Count) -> bool:
    return _MORE.match(text, c.at[0]) is not None


#: Nouns that name the same people for the same-people rule ("two other militants" ... "two other insurgents").
_SAME = {"militant": "insurgent", "fighter": "insurgent"}


def _head(noun: str | None) -> str:
    word = (noun or "").lower().split()[-1] if noun else ""
    word = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return _SAME.get(word, word)


#: An act as an aim, not an outcome: "an operation to arrest a Taliban leader", "in an effort to capture".
_PURPOSE = re.compile(r"(?<!\bable )(?<!\bmanaged )\bto\s+$", re.IGNORECASE)


def _purpose(text: str, at: int) -> bool:
    return _PURPOSE.search(text[max(0, at - 16) : at]) is not None


#: A past act told of someone: "He was also involved with a complex suicide attack that killed four soldiers".
_WHO_DID = re.compile(
    r"\b(?:responsible|involved|planned|planning|directed|directing|linked|connected|coordinated|orchestrated|"
    r"behind)\b[^.;]*\b(?:that|which)\s+(?:also\s+)?$",
    re.IGNORECASE,
)


def _past(text: str, at: int) -> bool:
    """Whether the act at ``at`` is a past attack a relative clause tells of someone, not this event's outcome."""
    sentence = max(text.rfind(".", 0, at), text.rfind("\n", 0, at)) + 1
    return _WHO_DID.search(text, sentence, at) is not None


def _refers_back(text: str, at: int) -> bool:
    before = text[max(0, at - 8) : at].lower()
    return bool(re.search(r"\b(?:the|these|those|all)\s+$", before))
