"""How far to believe an event: its source's reliability and its own credibility, as analysts grade them.

The Admiralty (NATO) system: a source's reliability from A (completely reliable) to F (cannot be
judged), and a piece of information's credibility from 1 (confirmed by other sources) to 6 (cannot
be judged). An event carries both: its source's reliability and its own credibility. Until someone
grades them they are F and 6, shown as "not graded".

A grade given in a file travels with the event; one an analyst sets in the store (a source by its
``source_id``, an event by its ``event_id``) is laid over it when events are loaded (:func:`apply`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from incidents.model.validate import FieldError

#: Reliability of a source, best first.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
#: Credibility of a piece of information, best first.
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
#: An event no one has graded.
UNGRADED = ("F", 6)
#: The words shown for an event no one has graded.
NOT_GRADED = "not graded"

_GRADE = re.compile(r"([A-Fa-f])([1-6])")


def parse_reliability(text: object) -> str:
    """A reliability grade, ``A`` to ``F`` (any case)."""
    value = str(text).strip().upper()
    if value not in RELIABILITY:
        raise FieldError(f"expected a reliability grade from A (completely reliable) to F (cannot be judged), not {text!r}")
    return value


def parse_credibility(text: object) -> int:
    """A credibility grade, ``1`` to ``6``."""
    value = str(text).strip()
    if value not in {str(n) for n in CREDIBILITY}:
        raise FieldError(f"expected a credibility grade from 1 (confirmed) to 6 (cannot be judged), not {text!r}")
    return int(value)


def parse_grade(text: object) -> tuple[str, int]:
    """A grade written as analysts write it, reliability then credibility (``B2``)."""
    m = _GRADE.fullmatch(str(text).strip())
    if m is None:
        raise FieldError(f"expected a grade such as B2 (reliability A to F, credibility 1 to 6), not {text!r}")
    return m.group(1).upper(), int(m.group(2))


def parse(kind: str, text: object) -> str:
    """A grade for ``kind`` (``source``: reliability; ``event``: credibility) as the store keeps it (text)."""
    if kind == "source":
        return parse_reliability(text)
    if kind == "event":
        return str(parse_credibility(text))
    raise FieldError(f"expected a grade for a source or an event, not for {kind!r}")


def grade_text(reliability: object, credibility: object) -> str:
    """The grade of a conformed event (never missing) in words: ``B2 (usually reliable; probably true)``, or ``not graded``."""
    rel, cred = str(reliability), int(str(credibility))
    if (rel, cred) == UNGRADED:
        return NOT_GRADED
    return f"{rel}{cred} ({RELIABILITY[rel]}; {CREDIBILITY[cred]})"


def apply(events: pd.DataFrame, grades: Mapping[tuple[str, str], str]) -> pd.DataFrame:
    """``events`` with the store's grades laid over: a source's reliability by ``source_id``, an event's credibility.

    ``grades`` maps ``(kind, key)`` to the grade (see :func:`parse`). The frame is returned as it
    is when no grade touches it, else as a copy (loaded frames are shared and never changed).
    """
    sources = {key: g for (kind, key), g in grades.items() if kind == "source"}
    credible = {key: int(g) for (kind, key), g in grades.items() if kind == "event"}
    hit_source = events["source_id"].isin(list(sources)).to_numpy() if sources else np.zeros(len(events), dtype=bool)
    hit_event = events["event_id"].isin(list(credible)).to_numpy() if credible else np.zeros(len(events), dtype=bool)
    if not hit_source.any() and not hit_event.any():
        return events
    out = events.copy(deep=False)
    if hit_source.any():
        rel = out["reliability"].astype(object).to_numpy().copy()
        rel[hit_source] = [sources[s] for s in out["source_id"].to_numpy()[hit_source]]
        out["reliability"] = pd.Categorical(rel, categories=tuple(RELIABILITY))
    if hit_event.any():
        cred = out["credibility"].to_numpy(dtype=np.int64, na_value=6).copy()
        cred[hit_event] = [credible[e] for e in out["event_id"].to_numpy()[hit_event]]
        out["credibility"] = pd.array(cred, dtype="Int64")
    return out
