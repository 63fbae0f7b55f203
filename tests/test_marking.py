"""The document text with its evidence marked: every character escaped, spans marked, long texts windowed."""

from __future__ import annotations

import html
import re

from incidents.store.review import Proposal
from tests.hostile import HOSTILE
from views import review
from views.marking import Span, marked_html, occurrences, window


def _text_of(body: str) -> str:
    """The characters a browser would show (the tags written by marked_html removed, entities decoded)."""
    return html.unescape(re.sub(r"</?(?:mark|div)[^>]*>", "", body))


def test_every_hostile_string_is_escaped_and_reads_back_as_itself():
    text = "\n".join(HOSTILE)
    at = text.index("<script>")
    body, lo, hi = marked_html(text, [Span(at, at + 20, "date <b>", strong=True), Span(0, 5, "candidate 1")])
    assert (lo, hi) == (0, len(text))
    assert _text_of(body) == text
    tags = re.findall(r"<(/?\w+)", body)
    assert set(tags) <= {"div", "/div", "mark", "/mark"}  # no tag from the text survives as a tag
    assert 'title="date &lt;b&gt;"' in body


def test_overlapping_spans_are_cut_into_pieces_the_strong_label_winning():
    text = "Two people were killed in Mastung yesterday."
    spans = [Span(0, len(text), "candidate 1"), Span(0, 22, "killed", strong=True), Span(0, 22, "event_type", strong=True)]
    spans.append(Span(26, 33, "location", strong=True))
    body, _, _ = marked_html(text, spans)
    marks = re.findall(r'<mark style="([^"]*)" title="([^"]*)">([^<]*)</mark>', body)
    assert [(label, words) for _, label, words in marks] == [
        ("killed, event_type", "Two people were killed"),
        ("candidate 1", " in "),
        ("location", "Mastung"),
        ("candidate 1", " yesterday."),
    ]
    assert _text_of(body) == text


def test_a_long_text_is_shown_as_a_window_around_the_chosen_evidence():
    text = "x" * 100_000
    assert window(len(text), [Span(60_000, 60_010, "date", strong=True)], size=1_000) == (59_505, 60_505)
    assert window(len(text), [], size=1_000) == (0, 1_000)
    assert window(len(text), [Span(99_990, 99_999, "date", strong=True)], size=1_000) == (99_000, 100_000)
    body, lo, hi = marked_html(text, [Span(60_000, 60_010, "date", strong=True)], size=1_000)
    assert len(_text_of(body)) == hi - lo == 1_000


def test_a_passage_is_found_only_word_for_word():
    text = "They met in Quetta. They met in Quetta again."
    assert occurrences(text, "They met in Quetta") == [0, 20]
    assert occurrences(text, "they met") == [] and occurrences(text, "") == []


def test_a_candidate_is_summed_up_with_the_words_each_field_came_from():
    text = "QUETTA - Two people were killed in Mastung yesterday."
    fields = {"date_start": "2025-03-11", "date_end": "2025-03-11", "event_type": "killing", "location": "Mastung",
              "geo_precision": "district", "fatalities": 2, "injured": None, "detained": None, "actors": ["ISKP"]}  # fmt: skip
    evidence = {"excerpt": [9, 53], "killed": [9, 31], "location": [35, 42], "date": [43, 52]}
    p = Proposal("d:1", "d", 1, "extractor", fields, evidence, None, "candidate", 1, "alice")
    assert review.summary(p) == "1. candidate · killing · 2025-03-11 · Mastung (district) · 2 fatalities · ISKP"
    assert review.evidence_lines(p, text) == [
        "killed ← “Two people were killed” (characters 9–31)",
        "place ← “Mastung” (characters 35–42)",
        "date ← “yesterday” (characters 43–52)",
    ]
