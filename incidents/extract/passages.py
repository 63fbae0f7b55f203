"""Passages: a text's header, its sentences, and the runs of sentences that each report one event.

A sentence that opens another report (``In a separate operation``, ``Also in ...``, ``Finally,
...``) starts the next passage, and so does one dated on its own (a day of the telling or a cited
source's date does not count), or a paragraph that opens with an act on a day of its own, or one
that tells of a publication or a meeting when its passage opened with something else. Headline
lines (a title, a byline) open the report they head; a sentence that names the event again
(``The attack, which occurred on March 11, ...``, ``the IBO``) or gives the lead's counts again
tells more of it, whatever day it gives.
"""

from __future__ import annotations

import re

from incidents.extract import placenames, tolls, when

#: A sentence: up to a stop before a space or line end (a stop inside a word, ``U.S`` or ``a.b``, does not end it).
SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?]+(?![\s.!?]|$))+(?:[.!?]+(?=\s|$)|\n|$)")
NEXT = re.compile(
    r"^\s*(?:in (?:a |another )?separate|separately|also|elsewhere|in another|meanwhile|finally|in other|a separate|"
    r"another (?:afghan|combined|coalition|joint|security)|in an unrelated)\b",
    re.IGNORECASE,
)
ACT = re.compile(
    r"\b(?:kill|detain|arrest|captur|apprehend|wound|injur|attack|strike|airstrike|ambush|bomb|clash|raid|operation|"
    r"engag|fire|fired|met|meeting|seiz|patrol|target|conduct|search|found|discover|clear|custody|martyr|gunned|"
    r"shot|died|perish|death toll|hurt|nabbed|blast|explo|neutrali|eliminat|sent to hell|assassinat|lynch|stabb|stoned|"
    r"tortur|beat(?:en)? up|beaten|pelt|barricad|gathered|took to the streets|found dead|shoot-?out|gun ?fight|shell|murder|"
    r"bod(?:y|ies) (?:[\w-]+ ){0,4}?(?:was|were) found)\w*",
    re.IGNORECASE,
)
#: A sentence that sums several operations or a period's reports: a roundup, not one event.
ROUNDUP = re.compile(
    r"\b(?:separate|several|multiple|numerous|two|three|four|five|six|\d+)\s+(?:[\w-]+\s+){0,3}operations\b|"
    r"\bover the past 24 hours\b|\b(?:in|across|throughout)\s+(?:(?:eastern|southern|northern|western)(?:,?\s+and\s+|,\s+)?)+"
    r"Afghanistan\b|\bthroughout Afghanistan\b",
    re.IGNORECASE,
)
#: A sentence that opens by naming the passage's event again: it tells more of it, whatever day it gives.
BACK = re.compile(
    r"(?:^\s*(?:The|This|That) (?:[\w-]+ ){0,2}?|\b(?:the|this) )(?:attack|blast|explosion|bombing|raid|assault|ambush|"
    r"incident|hijacking|encounter|gunfight|IBO)\b(?! (?:on|in|at|near) )"
)
PARAGRAPH = re.compile(r"\n[ \t]*\n\s*\S")
HEADER_END = re.compile(
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
    r"stormed|opened fire|fired (?:[\w-]+ ){0,3}?(?:at|on|upon|against|towards?)|opened gunfire|murder(?:ed|s)?|"
    r"decapitated|exchang\w* (?:[\w-]+ ){0,2}?fire|shoot-?outs?|gun ?fights?|"
    r"fire ?fights?|shell(?:ed|ing)|exploded|detonated|went off|assassinat\w*|stabb(?:ed|ing)|tortur(?:ed|ing)|beheaded",
    # ACLED's demonstrations: events too, though no act of violence
    "riot": r"riot\w*|mob|vandali[sz]\w*|torched|pelt(?:ed|ing)|stone-pelting|barricad\w*|"
    r"burn(?:ed|ing|t) (?:tyres|tires|debris|objects)|bonfires?|lynch\w*|beat(?:en)? up",
    "protest": r"protest\w*|demonstrat(?:ion|ions|ed|ing|ors?)|rall(?:y|ies|ied)|sit-ins?|marched|took to the streets|"
    r"gathered (?:[\w-]+ ){0,10}?(?:to (?:demand|protest|denounce|condemn|call for|express)|against|"
    r"in (?:support|solidarity))|strike against|"
    r"shutter-down|wheel-jam|blocked (?:an? |the )?(?:[\w-]+ )?(?:road|highway|avenue|street|entrance)s?|tear ?gas|"
    r"dispersed",
}
KINDS = re.compile(r"\b(?:" + "|".join(f"(?:{w})" for w in EVENT_TYPES.values()) + r")\b", re.IGNORECASE)
STRIKE = re.compile(r"\b(?:air ?strikes?|precision strike|air weapons team|close air support)\b", re.IGNORECASE)


def passage_spans(text: str, pub: when.Span | None, head_end: int) -> list[list[tuple[int, int]]]:
    """The text's passages after its header, each a list of its sentences' (start, end) offsets."""
    sentences = [(m.start(), m.end()) for m in SENTENCE.finditer(text, head_end) if m.group().strip()]
    passages: list[list[tuple[int, int]]] = []
    for span in sentences:
        words = text[span[0] : span[1]]
        acts = ACT.search(words) or KINDS.search(words)
        mentioned = [m for m in when.mentions(text, pub, *span) if not m.told] if acts else []  # not the telling's day
        dated = any(not m.relative for m in mentioned)
        # a paragraph that opens with an act on a day of its own ("on Sunday") is another report too
        dated = dated or (bool(mentioned) and PARAGRAPH.search(text, max(0, span[0] - 4), span[0] + 1) is not None)
        after_roundup = bool(passages) and bool(acts) and roundup(text, passages[-1])
        # a sentence that tells of another kind of development (a publication, a meeting) than its passage opened with
        other = bool(passages) and another_kind(text, passages[-1][0], span)
        # a passage of headline lines so far (a title, a byline) is the heading of the report that follows
        heading = bool(passages) and all(is_headline(text[a:b]) for a, b in passages[-1])
        dated = dated and not BACK.search(words)  # "The attack, which occurred on March 11, ...": the same event
        dated = dated and not (passages and told_again(text, passages[-1], span))
        if passages and (heading or (not NEXT.search(words) and not dated and not after_roundup and not other)):
            passages[-1].append(span)
        elif acts or not passages:  # the first sentence after the header opens the main event
            passages.append([span])
    return passages


#: Kinds of development a later sentence may report on its own (a publication, a meeting): never a count's follow-up.
_OWN_KINDS = ("publication", "meeting")
_OWN = re.compile(r"\b(?:" + "|".join(EVENT_TYPES[k] for k in _OWN_KINDS) + r")\b", re.IGNORECASE)


def another_kind(text: str, lead: tuple[int, int], span: tuple[int, int]) -> bool:
    """Whether the sentence at ``span`` names a publication or a meeting, and the passage's lead sentence does not."""
    return _OWN.search(text, *span) is not None and _OWN.search(text, *lead) is None


def told_again(text: str, passage: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether the sentence at ``span`` gives again a count its passage's lead gave (the same act, the same number).

    A report's lead sums what a later paragraph tells with its day: "five terrorists were killed while
    three others were injured ..." then "On night of 29/30 August, ... five terrorists were sent to hell".
    The lead is the passage's first sentence, with the next when the first is a headline line.
    """
    lead = passage[: 2 if len(passage) > 1 and is_headline(text[slice(*passage[0])]) else 1]
    told = {(c.act, c.n) for c in tolls.counts(text, lead[0][0], lead[-1][1]) if c.n > 1}
    return bool(told) and bool(told & {(c.act, c.n) for c in tolls.counts(text, *span)})


def roundup(text: str, passage: list[tuple[int, int]]) -> bool:
    """Whether a passage opens by summing several operations in no one place.

    "... killed during separate operations in southern Afghanistan" and "four operations ... in
    Helmand, Kandahar and Nangarhar provinces" sum reports that follow; "two separate operations
    in Terayzai district, Khost province" is one event in one place.
    """
    if ROUNDUP.search(text, *passage[0]) is None:
        return False
    provinces = {m.unit.admin1 or m.unit.name for m in placenames.mentions(text, *passage[0])}
    return len(provinces) != 1


def body_start(text: str) -> int:
    """Where the text's body begins: after its header lines (a release number, a dateline, a publication date)."""
    head = text[:700]
    ends = [m.end() for m in HEADER_END.finditer(head)]
    return max(ends) if ends else 0


def is_headline(words: str) -> bool:
    """A line of at most 20 words that ends without a full stop (a title, not a sentence)."""
    line = words.strip()
    return bool(line) and words.rstrip(" \t").endswith("\n") and line[-1] not in ".!?\"'”" and len(line.split()) <= 20
