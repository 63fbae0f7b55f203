"""Candidate events from a document's text, each field with the span of words it came from (no Streamlit here).

:func:`extract` splits the text after its header into event passages
(:mod:`incidents.extract.passages`): the first passage that reports an act (people killed,
injured or detained; an attack, a strike, an operation) starts the main event, and a sentence
that opens another report starts the next. A roundup of several operations ranks after the
reports it sums. Each passage gives one candidate, the main event first:

- **date** from the first date expression of its lead sentence (``Sunday`` before ``today`` when
  the sentence has both: "confirmed today that ... was arrested Sunday"), read against the
  publication date (:mod:`incidents.extract.when`); with none, the publication's month;
- **place** from the units it names (:mod:`incidents.extract.placenames`, :mod:`incidents.extract.place`), the lead
  sentence first, a marked name (``Khost province``) before a bare one, a single unit inside it before it
  (``in Mastung, in Balochistan province``), the province that holds several
  (``in Panjgur, Zhob and Kech``);
- **counts of people** killed, injured and detained (:mod:`incidents.extract.tolls`) summed over the passage;
- **groups** the alias table knows, by any of their spellings (state forces too), then the forces
  named only by a common noun ("security forces", "police") read by the place's country and
  province (:mod:`incidents.extract.forces`), then names of groups it does not know
  (:mod:`incidents.extract.newgroups`), listed again in ``new_actors`` for the reviewer to add;
  not a group named only for its past deeds or a denial (``has claimed similar attacks in the past``),
  nor civilians (people an event befell, no organisation);
- the **excerpt** is the lead sentence, verbatim: ``text[excerpt_start:excerpt_end] == excerpt``.

``evidence`` maps each field to the ``[start, end]`` of the words it came from.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from incidents.extract import confidence as sure
from incidents.extract import forces as state
from incidents.extract import newgroups, tollparts, tolls, when
from incidents.extract.names import NameIndex, name_key
from incidents.extract.passages import ACT, EVENT_TYPES, KINDS, SENTENCE, STRIKE, body_start, is_headline, passage_spans, roundup
from incidents.extract.place import located
from incidents.extract.place import place as choose_place
from incidents.model.actors import ACTORS_FILE, ActorTable, actor_table

__all__ = ["EVENT_TYPES", "NOTHING_PROPOSED", "Candidate", "extract", "named_groups"]


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
    date_best: date | None = None  # the single most likely day inside date_start..date_end (when.best_day)
    date_best_rule: str = ""  # which rule chose it (a key of when.BEST_RULES)
    confidence: dict[str, str] = field(default_factory=dict)  # field -> high, medium or low (extract/confidence.py)
    parts: dict[str, dict[str, int]] = field(default_factory=dict)  # act -> whose people -> count (tolls.sides)
    claims: dict[str, int] = field(default_factory=dict)  # act -> count a party to the fight claims (the count only
    # when the report gives no other, then graded low)

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
    head_end = body_start(text)
    passages = passage_spans(text, pub, head_end)
    # a roundup of several operations is no event of its own: the reports it sums come first
    roundups = [p for p in passages if roundup(text, p)]
    # the day a roundup gives is the day of the reports it sums, when they give none
    summed = _date(text, pub, *roundups[0][0], roundups[0][0][0], roundups[0][-1][1]) if roundups else None
    found: list[Candidate] = []
    for passage in [p for p in passages if p not in roundups] + roundups:
        words = text[passage[0][0] : passage[-1][1]]
        if ACT.search(words) or KINDS.search(words) or DONE.search(words):  # something happened in it
            day = summed if summed and passage not in roundups and passage[0][0] > roundups[0][0][0] else None
            c = _candidate(text, passage, pub, head_end, rank=len(found) + 1, summed=day)
            if _an_event(c, words, text):
                found.append(c)
    return found


#: Kinds of event that are no act of violence: a group's activity (the dossier's meeting of two groups' commanders),
#: not officials' policy (officials meeting to review the security situation, a government's report).
GROUP_ACTIVITIES = frozenset({"alliance", "meeting", "base", "publication", "takeover", "militia activity"})


#: A sentence that opens with a pronoun goes on about the one the sentence before named ("His involvement was ...").
_GOES_ON = re.compile(r"\s*(?:he|his|she|her|they|their|it|its|the group(?:'s|’s)?)\b", re.IGNORECASE)


def _an_event(c: Candidate, words: str, text: str) -> bool:
    """Whether a candidate reports an event: an act done (:data:`DONE`), a count of people, or a group's activity.

    A meeting, a publication or the like is a group's activity when an armed group is among its
    actors (or, when its sentence opens with a pronoun, in the sentence before: the one the pronoun
    stands for), or when its sentence names no officials, ministers, courts or assemblies.
    """
    if c.event_type in GROUP_ACTIVITIES:
        table = _aliases()[0]
        actors = list(c.actors)
        if _GOES_ON.match(text, c.excerpt_start):
            before = max(text.rfind(".", 0, max(0, c.excerpt_start - 2)), text.rfind("\n", 0, c.excerpt_start)) + 1
            actors += [table.canonical_by_alias[k] for k, _, _ in _aliases()[1].find(text, before, c.excerpt_start)]
        armed = bool(c.new_actors) or any(table.group_type(a) not in ("state", "civilians") for a in actors)
        return armed or _OFFICIALDOM.search(c.excerpt) is None
    return c.event_type != "unspecified" or _an_act(c) or DONE.search(words) is not None


#: Those whose meetings and papers are policy, not a group's activity: officials, ministers, courts, assemblies.
_OFFICIALDOM = re.compile(
    r"\b(?:officials?|ministers?|ministry|prime minister|president|government|governor|chief minister|court|judges?|"
    r"committee|cabinet|parliament|assembly|senate|administration|delegations?|diplomats?|ambassadors?|envoys?|"
    r"commission|council|authorities|IMF|World Bank|donors?|investors?)\b",
    re.IGNORECASE,
)


#: Words of an act done: people or things attacked, struck, taken or found (a cache), not an "operation" or a "target"
#: alone (a development operation, a sales target) nor a meeting or a hearing.
DONE = re.compile(
    r"\b(?:kill|detain|arrest|captur|apprehend|wound|injur|attack|airstrike|air strike|ambush|bomb|clash|raid|"
    r"engag(?:ed|ing)\s+(?:\w+\s+){0,2}?(?:insurgents|militants|terrorists|enemy|attackers|fighters|gunmen)|"
    r"fired (?:[\w-]+ ){0,3}?(?:at|on|upon|against|towards?)|opened (?:gun)?fire|firing|murder|decapitat|"
    r"exchang\w* (?:[\w-]+ ){0,2}?fire|shoot-?out|shelling|grenade|IED|encounter|gun ?fight|firefight|suicide|mortar|"
    r"rocket|drone strike|sniper|ceasefire violation|assassinat|lynch|behead|execut(?:ed|ion)|hostage|"
    r"seiz|recovered|cache|custody|martyr|gunned|shot|perished|death toll|blast|explosi(?:on|ve)|exploded|abduct|kidnap|"
    r"hijack|neutrali|eliminat|stormed|torched|set (?:on )?fire|found dead|stabb|stoned|tortur|beat(?:en)? up|beaten|"
    r"pelt|barricad|died in (?:custody|prison|detention|jail)|bod(?:y|ies) (?:[\w-]+ ){0,4}?(?:was|were) found)\w*",
    re.IGNORECASE,
)


def _an_act(c: Candidate) -> bool:
    return any(n is not None for n in (c.fatalities, c.injured, c.detained))


#: Why a text got no candidate, as the Documents view says it.
NOTHING_PROPOSED = (
    "No sentence of this text reports an act (an attack, a clash, an explosion, a strike, an arrest, an abduction, "
    "a raid, a seizure, a killing, a protest or a riot): policy meetings, court hearings, statements of intent and "
    "statistics are not events. Add an event from a passage if one was missed."
)


def _candidate(
    text: str, passage: list[tuple[int, int]], pub: when.Span | None, head_end: int, *, rank: int, summed: when.Span | None
) -> Candidate:
    lead_start, lead_end = passage[0]
    start, end = passage[0][0], passage[-1][1]
    for _, b in passage[1:]:  # headline lines (a title, a byline), then the sentence that reports them
        if not is_headline(text[lead_start:lead_end]):
            break
        lead_end = b
    while text[lead_start].isspace():
        lead_start += 1
    while lead_end > lead_start and text[lead_end - 1].isspace():  # (no copy of the text before it: long documents)
        lead_end -= 1
    evidence: dict[str, list[int]] = {"excerpt": [lead_start, lead_end]}

    day = _date(text, pub, lead_start, lead_end, start, end) or summed
    undated = day is None
    if day is None and pub is not None:  # no words date the event: on or before publication, in its month
        day = when.Span(pub.start.replace(day=1), pub.end, "month", pub.at)
    best, best_rule = when.best_day(day, pub, undated=undated)
    if day is not None and day.at[1] > day.at[0]:  # a date given only as the publication's has no words here
        evidence["date"] = list(day.at)

    place = choose_place(text, lead_start, lead_end, start, end, head_end)
    acts = tolls.counts(text, start, end)
    totals: dict[str, int | None] = {}
    graded: dict[str, str] = {}
    said = tollparts.stated(text, start, end)
    parts: dict[str, dict[str, int]] = {}
    claims: dict[str, int] = {}
    for act in tolls.ACTS:
        theirs = [c for c in acts if c.act == act and c.claim]
        if theirs:  # a party's claim: kept apart, never the event's count
            claims[act] = tolls.total(theirs)
        mine = [c for c in acts if c.act == act and c not in theirs]
        totals[act] = tolls.total(mine) if mine else None
        by_side = tollparts.sides(mine)
        if by_side and sum(by_side.values()) == totals[act] and len(mine) > 1:  # a total told in parts
            parts[act] = by_side
        graded[act] = sure.of_count(mine)
        if mine:
            evidence[act] = [mine[0].at[0], mine[-1].at[1]]
        elif theirs:  # the only count is a party's claim: given, marked as the claim (claims) and graded low
            totals[act] = claims[act]
            graded[act] = "low"
            evidence[act] = [theirs[0].at[0], theirs[-1].at[1]]
        outright = said.get(act)
        if outright is not None and (totals[act] is None or outright.n > 0):  # "coded as 3"; "no casualty": 0
            totals[act] = outright.n
            graded[act] = "high"
            evidence[act] = list(outright.at)
    named = list(_aliases()[1].find(text, start, end))  # the alias table's names in the passage, read once
    groups = _groups(text, start, end, evidence, named)
    known = [(a, b) for _, a, b in named]
    found = newgroups.new_groups(text, start, end, known)
    new = [name for name, _, _ in found if name not in groups]
    if new:
        evidence["new_actors"] = [found[0][1], found[-1][2]]
    kind = _event_type(text, (lead_start, lead_end), end, totals, evidence)
    unit = place.unit if place else None
    where = unit.country if unit else None
    groups = state.regional(groups, where)
    named_forces = state.forces(text, start, end, groups, where, unit.admin1 if unit else None)
    by_name = list(groups)
    if named_forces:
        groups += [name for name, _ in named_forces if name not in groups]
        spans = [evidence["actors"]] if "actors" in evidence else []
        spans += [list(at) for _, at in named_forces]
        evidence["actors"] = [min(a for a, _ in spans), max(b for _, b in spans)]
    if place:
        evidence["location"] = list(place.at)
    days = {(s.start, s.end) for s in when.mentions(text, pub, lead_start, lead_end) if not s.told}
    confidence = {
        "date": sure.of_date(day, undated, len(days) > 1),
        **sure.of_place(place, (lead_start, lead_end), (start, end), place is not None and located(place)),
        "fatalities": graded["killed"],
        "injured": graded["injured"],
        "detained": graded["detained"],
        "actors": sure.of_actors(by_name, [n for n, _ in named_forces], new),
        "event_type": sure.of_kind(kind, kind in EVENT_TYPES and KINDS.search(text, lead_start, lead_end) is not None),
    }
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
        date_best=best,
        date_best_rule=best_rule,
        confidence=confidence,
        parts=parts,
        claims=claims,
    )


def _date(text: str, pub: when.Span | None, lead_start: int, lead_end: int, start: int, end: int) -> when.Span | None:
    today = pub.start if pub else None
    other: when.Span | None = None
    for a, b in ((lead_start, lead_end), (start, end)):
        found = [s for s in when.mentions(text, pub, a, b) if not s.told]  # the telling's day: on or before it, no more
        # the event's own day first; "today" (often the telling) next; another event's day ("the July 2 attack") last
        best = min(found, key=lambda s: (s.aside, s.relative and s.start == today), default=None)
        if best is not None and not best.aside:
            return best
        other = other or best  # the passage may still give the event's own day
    return other


def named_groups(text: str) -> list[str]:
    """The canonical groups of the alias table that ``text`` names, in order of first mention."""
    return _groups(text, 0, len(text), {}, list(_aliases()[1].find(text)), everywhere=True)


#: A sentence that names a group only as context: its past deeds, or a denial ("has claimed similar attacks in the past").
_CONTEXT = re.compile(
    r"\b(?:in the past|similar attacks|previous(?:ly)?|last year|denied (?:any )?(?:involvement|responsibility))\b",
    re.IGNORECASE,
)


def _groups(
    text: str,
    start: int,
    end: int,
    evidence: dict[str, list[int]],
    named: list[tuple[str, int, int]],
    *,
    everywhere: bool = False,
) -> list[str]:
    """Groups of the alias table the passage names (a short alias such as ``LeT`` only as a name: two capitals or more).

    ``named`` is what the alias index finds in ``text[start:end]``. A group named in a sentence of
    context (``_CONTEXT``) is no actor of the event, unless ``everywhere``.
    """
    table = _aliases()[0]
    names: dict[str, tuple[int, int]] = {}
    for key, a, b in named:
        canonical = table.canonical_by_alias[key]
        if canonical in names or (key in _acronyms() and sum(c.isupper() for c in text[a:b]) < 2):
            continue
        if table.group_type(canonical) == "civilians":  # people an event befell, no organisation taking part
            continue
        if state.another_story(text, a):  # "Also Read: PM Hails Air Force": a link to another story
            continue
        if not everywhere and (_CONTEXT.search(_sentence_of(text, a, start, end)) or state.negated(text, a)):
            continue
        names[canonical] = (a, b)
    if names:
        spans = list(names.values())
        evidence["actors"] = [spans[0][0], spans[-1][1]]
    return list(names)


def _sentence_of(text: str, at: int, start: int, end: int) -> str:
    """The sentence of ``text[start:end]`` that holds offset ``at``."""
    return next((m.group() for m in SENTENCE.finditer(text, start, end) if m.start() <= at < m.end()), "")


@lru_cache(maxsize=1)
def _aliases() -> tuple[ActorTable, NameIndex]:
    table = actor_table()
    by_key = {name_key(alias): canonical for alias, canonical in table.canonical_by_alias.items()}
    return ActorTable(by_key, table.type_by_canonical), NameIndex(by_key)


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    """The short aliases written as acronyms in the table (``LeT``, ``FC``, ``IS``): read only when so written."""
    with ACTORS_FILE.open(encoding="utf-8", newline="") as fh:
        aliases = [row["alias"] for row in csv.DictReader(fh)]
    return frozenset(name_key(a) for a in aliases if len(name_key(a)) <= 5 and sum(c.isupper() for c in a) >= 2)


#: Kinds that are acts (of violence or of a crowd): named after a militia, they are the event, not the militia.
_ACTS = ("attack", "riot", "protest")
#: Kinds named by who or where (a militia, a base): when an act is named after them in the lead, the act is the event.
_SETTINGS = ("militia activity", "base")


def _kind(words: str) -> str:
    """The kind of event that words matched by :data:`KINDS` name."""
    return next(kind for kind, pattern in EVENT_TYPES.items() if re.fullmatch(pattern, words, re.IGNORECASE))


def _event_type(text: str, lead: tuple[int, int], end: int, totals: dict[str, int | None], evidence: dict[str, list[int]]) -> str:
    """The event's type: named in the lead sentence ("attack", "meeting"), else from what was done to whom."""
    start = lead[0]
    named = KINDS.search(text, *lead)
    if named and _kind(named.group()) in _SETTINGS:  # "clan militia clashed with ...", "a bomb at a base": the act
        named = next((m for m in KINDS.finditer(text, named.end(), lead[1]) if _kind(m.group()) in _ACTS), named)
    if named and not STRIKE.search(text, start, end):
        evidence["event_type"] = list(named.span())
        return _kind(named.group())
    strike = STRIKE.search(text, start, end)
    if strike:
        evidence["event_type"] = list(strike.span())
        return "airstrike"
    if totals["killed"]:
        evidence["event_type"] = evidence["killed"]
        return "killing"
    if totals["detained"]:
        evidence["event_type"] = evidence["detained"]
        return "arrest"
    act = ACT.search(text, start, end)
    if act:
        evidence["event_type"] = list(act.span())
    return "attack" if act and re.match(r"attack|ambush|bomb|clash", act.group(), re.IGNORECASE) else "unspecified"
