"""A document's text with spans marked, as HTML in which every character of the text is escaped.

The text is untrusted (a pasted article, an uploaded page): it is cut at the spans' ends, each
piece escaped with :func:`html.escape`, and only the ``<mark>`` and ``<div>`` tags written here
are markup. Labels (field names) are escaped the same way into a ``title`` attribute.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

#: Characters shown at most; a longer text is shown as a window around the first marked span.
WINDOW = 40_000
#: Colours: a candidate's excerpt, the chosen candidate's evidence.
EXCERPT_STYLE = "background:#e8eefc;padding:0"
EVIDENCE_STYLE = "background:#ffd966;padding:0;border-bottom:2px solid #b8860b"
BOX_STYLE = (
    "white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:0.85rem;line-height:1.5;"
    "max-height:36rem;overflow-y:auto;border:1px solid #ddd;padding:0.6rem;border-radius:0.3rem"
)


@dataclass(frozen=True)
class Span:
    """Characters ``start``–``end`` of the text, named by ``label``; ``strong`` for the chosen candidate's evidence."""

    start: int
    end: int
    label: str
    strong: bool = False


def window(length: int, spans: Sequence[Span], size: int = WINDOW) -> tuple[int, int]:
    """The part of a text of ``length`` characters that is shown: all of it, or ``size`` around the first strong span."""
    if length <= size:
        return 0, length
    focus = next((s for s in spans if s.strong), spans[0] if spans else None)
    centre = 0 if focus is None else (focus.start + focus.end) // 2
    start = max(0, min(centre - size // 2, length - size))
    return start, start + size


def marked_html(text: str, spans: Sequence[Span], size: int = WINDOW) -> tuple[str, int, int]:
    """The text (or its window) as escaped HTML with each span in a ``<mark>``; returns it and the window's ends."""
    lo, hi = window(len(text), spans, size)
    inside = [s for s in spans if s.start < hi and s.end > lo and s.start < s.end]
    cuts = sorted({lo, hi, *(max(lo, s.start) for s in inside), *(min(hi, s.end) for s in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(text[a:b], quote=True)
        covering = [s for s in inside if s.start <= a and s.end >= b]
        if not covering:
            out.append(piece)
            continue
        strong = [s for s in covering if s.strong]
        labels = ", ".join(dict.fromkeys(s.label for s in (strong or covering)))
        style = EVIDENCE_STYLE if strong else EXCERPT_STYLE
        out.append(f'<mark style="{style}" title="{html.escape(labels, quote=True)}">{piece}</mark>')
    return f'<div class="document-text" style="{BOX_STYLE}">{"".join(out)}</div>', lo, hi


def occurrences(text: str, passage: str, limit: int = 20) -> list[int]:
    """Where ``passage`` occurs verbatim in ``text`` (start offsets, at most ``limit``)."""
    found: list[int] = []
    if not passage:
        return found
    at = text.find(passage)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = text.find(passage, at + 1)
    return found
