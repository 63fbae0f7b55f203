"""Candidate events from a document's text, each field with the span of words it came from (no Streamlit here).

:func:`extract` splits the text after its header into event passages: the first passage that
reports an act (people killed, injured or detained; an attack, a strike, an operation) starts
the main event, and a sentence that opens another report (``In a separate operation``,
``Also in ...``, ``Finally, ...``), or tells of a publication or a meeting when its passage opened
with something else, starts the next. Headline lines (a title, a byline) open the report they
head, and their counts are not added to its own; a sentence that names the event again (``The
attack, which occurred on March 11, ...``) tells more of it, whatever day it gives. Each passage gives one candidate, the main
event first:

- **date** from the first date expression of its lead sentence (``Sunday`` before ``today`` when
  the sentence has both: "confirmed today that ... was arrested Sunday"), read against the
  publication date (:mod:`incidents.extract.when`); with none, the publication's month;
- **place** from the units it names (:mod:`incidents.extract.where`), the lead sentence first,
  a marked name (``Khost province``) before a bare one, a single unit inside it before it
  (``in Mastung, in Balochistan province``), the province that holds several
  (``in Panjgur, Zhob and Kech``);
- **counts** (:mod:`incidents.extract.counts`) summed over the passage;
- **groups** the alias table knows, by any of their spellings, then names of groups it does not
  know (:mod:`incidents.extract.newgroups`), listed again in ``new_actors`` for the reviewer to add;
  not a group named only for its past deeds or a denial (``has claimed similar attacks in the past``);
- the **excerpt** is the lead sentence, verbatim: ``text[excerpt_start:excerpt_end] == excerpt``.

``evidence`` maps each field to the ``[start, end]`` of the words it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from incidents.actors import ActorTable, actor_table
from incidents.extract import counts as counting
from incidents.extract import newgroups, when, where
from incidents.extract.names import NameIndex, name_key

#: A sentence: up to a stop before a space or line end (a stop inside a word, ``U.S`` or ``a.b``, does not end it).
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?]+(?![\s.!?]|$))+(?:[.!?]+(?=\s|$)|\n|$)")
_NEXT = re.compile(
    r"^\s*(?:in (?:a |another )?separate|separately|also|elsewhere|in another|meanwhile|finally|in other|a separate|"
    r"another (?:afghan|combined|coalition|joint|security)|in an unrelated)\b",
    re.IGNORECASE,
)
_ACT = re.compile(
    r"\b(?:kill|detain|arrest|captur|apprehend|wound|injur|attack|strike|airstrike|ambush|bomb|clash|raid|operation|"
    r"engag|fire|fired|met|meeting|seiz|patrol|target|conduct|search|found|discover|clear|custody|martyr|gunned|"
    r"shot|died|hurt|nabbed|blast|explo|neutrali|eliminat|sent to hell)\w*",
    re.IGNORECASE,
)
#: A sentence that sums several operations or a period's reports: a roundup, not one event.
_ROUNDUP = re.compile(
    r"\b(?:separate|several|multiple|numerous|two|three|four|five|six|\d+)\s+(?:[\w-]+\s+){0,3}operations\b|"
    r"\bover the past 24 hours\b|\b(?:in|across|throughout)\s+(?:(?:eastern|southern|northern|western)(?:,?\s+and\s+|,\s+)?)+"
    r"Afghanistan\b|\bthroughout Afghanistan\b",
    re.IGNORECASE,
)
#: A sentence that opens by naming the passage's event again: it tells more of it, whatever day it gives.
_BACK = re.compile(
    r"(?:^\s*(?:The|This|That) (?:[\w-]+ ){0,2}?|\b(?:the|this) )(?:attack|blast|explosion|bombing|raid|assault|ambush|"
    r"incident|hijacking|encounter|gunfight|IBO)\b(?! (?:on|in|at|near) )"
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*\S")
#: How far past an event's passage a place is looked for when the passage names none (characters).
_AFTER = 3000
_HEADER_END = re.compile(
    r"For Immediate Release|\(\w{3,9}\.? \d{1,2}(?:, \d{4})?\)\s*(?:[–-]\s*)?|"
    r"^[^\n]{0,60}(?-i:\b(?:Published|Updated|Posted)\b):?\s+(?:on\s+)?(?:\w{3,9}\.? \d|\d{1,2} \w{3,9})[^\n]{0,60}$",
    re.IGNORECASE | re.MULTILINE,
)
#: Event types named by their words (checked in this order; killings, arrests and strikes by their counts below).
EVENT_TYPES = {
    "alliance": r"alliance|nexus|allied|collaborat\w*|partnership",
    "meeting": r"meeting|met|summit|jirga|shura|conference",
    "base": r"bases?|camps?|training centres?|safe havens?",
    "publication": r"magazine|publication|published|propaganda (?:magazine|video|material)|documented in",
    "takeover": r"takeover|took over|seized power|captured the city",
    "militia activity": r"militia",
    "attack": r"attack\w*|ambush\w*|bomb\w*|blast\w*|explosions?|assault\w*|clash\w*|hijack\w*|abduct\w*|kidnap\w*|"
    r"stormed|opened fire|fired (?:at|on|upon)",
}
_KINDS = re.compile(r"\b(?:" + "|".join(f"(?:{w})" for w in EVENT_TYPES.values()) + r")\b", re.IGNORECASE)
_STRIKE = re.compile(r"\b(?:air ?strikes?|precision strike|air weapons team|close air support)\b", re.IGNORECASE)


@dataclass
class Candidate:
    """One proposed event: the event model's fields as the text gives them, and the evidence for each."""

    rank: int
    date_start: date | None  # None: the text does not date it (no publication date either); the reviewer says
    date_end: date | None
    date_precision: str | None
    event_type: str
    actors: list[str]
    location: str | None
    geo_precision: str | None
    latitude: float | None
    longitude: float | None
    admin1: str | None
    admin2: str | None
    fatalities: int | None
    injured: int | None
    detained: int | None
    excerpt: str
    excerpt_start: int
    excerpt_end: int
    evidence: dict[str, list[int]] = field(default_factory=dict)
    new_actors: list[str] = field(default_factory=list)  # of ``actors``, those the alias table does not know

    def as_json(self, document: str) -> dict[str, Any]:
        """The candidate as the CLI prints it (one JSON object per line)."""
        out: dict[str, Any] = {"document": document}
        for name, value in self.__dict__.items():
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out


def extract(text: str, *, published: date | None = None) -> list[Candidate]:
    """Candidate events of ``text``, the main event first; ``published`` overrides the date the text states."""
    stated = when.published(text)
    pub: when.Span | None
    if published is not None:  # the words that state it, when the text states the same day
        pub = when.Span(published, published, "day", stated.at if stated and stated.start == published else (0, 0))
    else:
        pub = stated
    head_end = _body_start(text)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text, head_end) if m.group().strip()]
    passages: list[list[tuple[int, int]]] = []
    for span in sentences:
        words = text[span[0] : span[1]]
        acts = _ACT.search(words) or _KINDS.search(words)
        mentioned = [m for m in when.mentions(text, pub, *span) if not m.told] if acts else []  # not the telling's day
        dated = any(not m.relative for m in mentioned)
        # a paragraph that opens with an act on a day of its own ("on Sunday") is another report too
        dated = dated or (bool(mentioned) and _PARAGRAPH.search(text, max(0, span[0] - 4), span[0] + 1) is not None)
        after_roundup = bool(passages) and _roundup(text, passages[-1])
        # a sentence that tells of another kind of development (a publication, a meeting) than its passage opened with
        other = bool(passages) and _another_kind(text, passages[-1][0], span)
        # a passage of headline lines so far (a title, a byline) is the heading of the report that follows
        heading = bool(passages) and all(_is_headline(text[a:b]) for a, b in passages[-1])
        dated = dated and not _BACK.search(words)  # "The attack, which occurred on March 11, ...": the same event
        dated = dated and not (passages and _told_again(text, passages[-1], span))
        if passages and (heading or (not _NEXT.search(words) and not dated and not (after_roundup and acts) and not other)):
            passages[-1].append(span)
        elif acts or not passages:  # the first sentence after the header opens the main event
            passages.append([span])
    # a roundup of several operations is no event of its own: the reports it sums come first
    roundups = [p for p in passages if _roundup(text, p)]
    # the day a roundup gives is the day of the reports it sums, when they give none
    summed = _date(text, pub, *roundups[0][0], roundups[0][0][0], roundups[0][-1][1]) if roundups else None
    found: list[Candidate] = []
    for passage in [p for p in passages if p not in roundups] + roundups:
        words = text[passage[0][0] : passage[-1][1]]
        if _ACT.search(words) or _KINDS.search(words):  # something happened in it
            day = summed if summed and passage not in roundups and passage[0][0] > roundups[0][0][0] else None
            found.append(_candidate(text, passage, pub, head_end, rank=len(found) + 1, summed=day))
    return found


#: Kinds of development a later sentence may report on its own (a publication, a meeting): never a count's follow-up.
_OWN_KINDS = ("publication", "meeting")
_OWN = re.compile(r"\b(?:" + "|".join(EVENT_TYPES[k] for k in _OWN_KINDS) + r")\b", re.IGNORECASE)


def _another_kind(text: str, lead: tuple[int, int], span: tuple[int, int]) -> bool:
    """Whether the sentence at ``span`` names a publication or a meeting, and the passage's lead sentence does not."""
    return _OWN.search(text, *span) is not None and _OWN.search(text, *lead) is None


def _told_again(text: str, passage: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether the sentence at ``span`` gives again a count its passage gave (the same act, the same number).

    A report's lead sums what a later paragraph tells with its day: "five terrorists were killed while
    three others were injured ..." then "On night of 29/30 August, ... five terrorists were sent to hell".
    """
    told = {(c.act, c.n) for c in counting.counts(text, passage[0][0], passage[-1][1]) if c.n > 1}
    return bool(told & {(c.act, c.n) for c in counting.counts(text, *span)})


def _roundup(text: str, passage: list[tuple[int, int]]) -> bool:
    """Whether a passage opens by summing several operations in no one place.

    "... killed during separate operations in southern Afghanistan" and "four operations ... in
    Helmand, Kandahar and Nangarhar provinces" sum reports that follow; "two separate operations
    in Terayzai district, Khost province" is one event in one place.
    """
    if _ROUNDUP.search(text, *passage[0]) is None:
        return False
    provinces = {m.unit.admin1 or m.unit.name for m in where.mentions(text, *passage[0])}
    return len(provinces) != 1


def _body_start(text: str) -> int:
    head = text[:700]
    ends = [m.end() for m in _HEADER_END.finditer(head)]
    return max(ends) if ends else 0


def _candidate(
    text: str, passage: list[tuple[int, int]], pub: when.Span | None, head_end: int, *, rank: int, summed: when.Span | None
) -> Candidate:
    lead_start, lead_end = passage[0]
    start, end = passage[0][0], passage[-1][1]
    for _, b in passage[1:]:  # headline lines (a title, a byline), then the sentence that reports them
        if not _is_headline(text[lead_start:lead_end]):
            break
        lead_end = b
    while text[lead_start].isspace():
        lead_start += 1
    lead_end = len(text[:lead_end].rstrip())
    evidence: dict[str, list[int]] = {"excerpt": [lead_start, lead_end]}

    day = _date(text, pub, lead_start, lead_end, start, end) or summed
    if day is None and pub is not None:  # no words date the event: on or before publication, in its month
        day = when.Span(pub.start.replace(day=1), pub.end, "month", pub.at)
    if day is not None and day.at[1] > day.at[0]:  # a date given only as the publication's has no words here
        evidence["date"] = list(day.at)

    place = _place(text, lead_start, lead_end, start, end, head_end)
    acts = counting.counts(text, start, end)
    totals: dict[str, int | None] = {}
    for act in counting.ACTS:
        mine = [c for c in acts if c.act == act]
        totals[act] = counting.total(mine) if mine else None
        if mine:
            evidence[act] = [mine[0].at[0], mine[-1].at[1]]
    groups = _groups(text, start, end, evidence)
    known = [(a, b) for _, a, b in _aliases()[1].find(text, start, end)]
    found = newgroups.new_groups(text, start, end, known)
    new = [name for name, _, _ in found if name not in groups]
    if new:
        evidence["new_actors"] = [found[0][1], found[-1][2]]
    kind = _event_type(text, (lead_start, lead_end), end, totals, evidence)
    unit = place.unit if place else None
    if place:
        evidence["location"] = list(place.at)
    return Candidate(
        rank=rank,
        date_start=day.start if day else None,
        date_end=day.end if day else None,
        date_precision=day.precision if day else None,
        event_type=kind,
        actors=groups + new,
        location=unit.name if unit else None,
        geo_precision=unit.level if unit else None,
        latitude=round(unit.lat, 5) if unit else None,
        longitude=round(unit.lon, 5) if unit else None,
        admin1=unit.admin1 if unit else None,
        admin2=unit.admin2 if unit else None,
        fatalities=totals["killed"],
        injured=totals["injured"],
        detained=totals["detained"],
        excerpt=text[lead_start:lead_end],
        excerpt_start=lead_start,
        excerpt_end=lead_end,
        evidence=evidence,
        new_actors=new,
    )


def _is_headline(words: str) -> bool:
    """A line of at most 20 words that ends without a full stop (a title, not a sentence)."""
    line = words.strip()
    return bool(line) and words.rstrip(" \t").endswith("\n") and line[-1] not in ".!?\"'”" and len(line.split()) <= 20


def _date(text: str, pub: when.Span | None, lead_start: int, lead_end: int, start: int, end: int) -> when.Span | None:
    today = pub.start if pub else None
    told: when.Span | None = None
    for a, b in ((lead_start, lead_end), (start, end)):
        found = [s for s in when.mentions(text, pub, a, b) if not s.told]  # the telling's day: on or before it, no more
        # the event's own day first; "today" (often the telling) next; a day of the telling or of another event last
        best = min(found, key=lambda s: (s.aside, s.relative and s.start == today), default=None)
        if best is not None and not best.aside:
            return best
        told = told or best  # "said on Monday": the passage may date the event itself ("the raid took place on Sunday")
    return told


def _place(text: str, lead_start: int, lead_end: int, start: int, end: int, head_end: int) -> where.Mention | None:
    found = where.mentions(text, lead_start, lead_end)
    if found:
        return _finest(found)
    # the passage's next sentence that names a place, the header, then the nearest sentence after the passage
    for a, b in ((lead_end, end), (0, head_end), (end, min(len(text), end + _AFTER))):
        found = where.mentions(text, a, b)
        if found:
            first = next(m for m in _SENTENCE.finditer(text, found[0].at[0]))  # the sentence of the first place named
            return _finest([f for f in found if f.at[0] < first.end()])
    return None


#: Words before a place that put the event there ("in Mastung", "Balochistan’s Khuzdar district"); not a route's ends.
_AT = re.compile(r"(?:\b(?:in|near|at|outside|around)|’s|'s)\s+(?:the\s+)?$", re.IGNORECASE)


def _located(m: where.Mention) -> bool:
    return m.marked or _AT.search(m.before) is not None


def _finest(found: list[where.Mention]) -> where.Mention:
    """The place of a sentence's mentions: a marked one (``Khost province``) first, then a unit it holds.

    Mentions in another province than one the sentence names are set aside (a town or a district of
    the same name elsewhere); "a hideout in Mastung, in Balochistan province" is Mastung district.
    """
    named = {m.unit.name for m in found if m.unit.level == "province" and m.unit.name == m.unit.admin1}
    agree = [m for m in found if m.unit.name in named or m.unit.level == "region" or not named or m.unit.admin1 in named]
    best = ([m for m in agree if m.marked] or agree)[0]
    several = {m.unit.admin1 for m in agree if m.unit.level in ("district", "near") and not m.marked}
    if not best.marked and len({m.unit.name for m in agree if m.unit.level == best.unit.level}) > 1 and len(several) == 1:
        above = where.province(several.pop() or "")  # "in Panjgur, Zhob and Kech": the province that holds them
        if above is not None:
            return where.Mention(above, best.at, False)
    holder = best.unit.holder or best.unit.name  # "near Pahalgam in the Anantnag district": Pahalgam
    inside = [m for m in agree if m.unit.level in ("district", "near") and best.unit.level in ("province", "region")]
    seat = best.unit.name.removesuffix(" district")  # "in Kupwara" with "Kupwara district": the district, not its seat
    inside = [m for m in inside if m.unit.admin1 == holder and m.unit.name not in (best.unit.name, seat)]
    # one unit inside, where the event is: the finer reading; several ("in Panjgur, Zhob and Kech"): the one that holds
    # them all; a route's end ("from Quetta to Peshawar"): no place of the event
    return inside[0] if len({m.unit.name for m in inside}) == 1 and _located(inside[0]) else best


def named_groups(text: str) -> list[str]:
    """The canonical groups of the alias table that ``text`` names, in order of first mention."""
    return _groups(text, 0, len(text), {}, everywhere=True)


#: A sentence that names a group only as context: its past deeds, or a denial ("has claimed similar attacks in the past").
_CONTEXT = re.compile(
    r"\b(?:in the past|similar attacks|previous(?:ly)?|last year|denied (?:any )?(?:involvement|responsibility))\b",
    re.IGNORECASE,
)


def _groups(text: str, start: int, end: int, evidence: dict[str, list[int]], *, everywhere: bool = False) -> list[str]:
    """Groups of the alias table the passage names (a short alias such as ``LeT`` only as a name: two capitals or more).

    A group named in a sentence of context (``_CONTEXT``) is no actor of the event, unless ``everywhere``.
    """
    table, index = _aliases()
    names: dict[str, tuple[int, int]] = {}
    for key, a, b in index.find(text, start, end):
        canonical = table.canonical_by_alias[key]
        if canonical in names or (len(key) <= 5 and sum(c.isupper() for c in text[a:b]) < 2):
            continue
        if not everywhere and _CONTEXT.search(_sentence_of(text, a, start, end)):
            continue
        names[canonical] = (a, b)
    if names:
        spans = list(names.values())
        evidence["actors"] = [spans[0][0], spans[-1][1]]
    return list(names)


def _sentence_of(text: str, at: int, start: int, end: int) -> str:
    """The sentence of ``text[start:end]`` that holds offset ``at``."""
    return next((m.group() for m in _SENTENCE.finditer(text, start, end) if m.start() <= at < m.end()), "")


@lru_cache(maxsize=1)
def _aliases() -> tuple[ActorTable, NameIndex]:
    table = actor_table()
    by_key = {name_key(alias): canonical for alias, canonical in table.canonical_by_alias.items()}
    return ActorTable(by_key, table.type_by_canonical), NameIndex(by_key)


def _event_type(text: str, lead: tuple[int, int], end: int, totals: dict[str, int | None], evidence: dict[str, list[int]]) -> str:
    """The event's type: named in the lead sentence ("attack", "meeting"), else from what was done to whom."""
    start = lead[0]
    named = _KINDS.search(text, *lead)
    if named and not _STRIKE.search(text, start, end):
        evidence["event_type"] = list(named.span())
        return next(kind for kind, words in EVENT_TYPES.items() if re.fullmatch(words, named.group(), re.IGNORECASE))
    strike = _STRIKE.search(text, start, end)
    if strike:
        evidence["event_type"] = list(strike.span())
        return "airstrike"
    if totals["killed"]:
        evidence["event_type"] = evidence["killed"]
        return "killing"
    if totals["detained"]:
        evidence["event_type"] = evidence["detained"]
        return "arrest"
    act = _ACT.search(text, start, end)
    if act:
        evidence["event_type"] = list(act.span())
    return "attack" if act and re.match(r"attack|ambush|bomb|clash", act.group(), re.IGNORECASE) else "unspecified"
