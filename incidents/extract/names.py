"""Finding known names in a text word by word: linear in the text, whatever the number of names.

A name is compared without case, diacritics or the punctuation that joins its words
(``Sar-e Pol`` = ``sar e pol``). At each word the longest known name starting there is taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

#: A word (letters and digits), and what may stand between two words of one name.
_WORD = re.compile(r"[^\W_]+")
_JOIN = re.compile(r"[\s\-'’&.]+")


def name_key(name: str) -> str:
    """The form names are compared in."""
    text = name.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _JOIN.sub(" ", text).strip()


class NameIndex:
    """Known names (by :func:`name_key`) and a finder for them."""

    def __init__(self, keys: Iterable[str]):
        self.keys = {k for k in keys if k}
        self.first = {k.split()[0] for k in self.keys}
        self.longest = max((len(k.split()) for k in self.keys), default=1)

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[str, int, int]]:
        """Each known name in ``text[start:end]`` as ``(key, start, end)``, in text order, never overlapping."""
        end = len(text) if end is None else end
        words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
        i = 0
        while i < len(words):
            a, b = words[i]
            if name_key(text[a:b]) not in self.first or (a > 0 and text[a - 1] == "-"):
                i += 1
                continue
            hit = self._longest_at(text, words, i)
            if hit is None:
                i += 1
                continue
            n, key, b = hit
            yield key, a, b
            i += n

    def _longest_at(self, text: str, words: list[tuple[int, int]], i: int) -> tuple[int, str, int] | None:
        a = words[i][0]
        top = min(self.longest, len(words) - i)
        joined = 1  # how many words from i are joined only by spaces, hyphens or apostrophes
        while joined < top and _JOIN.fullmatch(text, words[i + joined - 1][1], words[i + joined][0]):
            joined += 1
        for n in range(joined, 0, -1):
            b = words[i + n - 1][1]
            if text[b : b + 1] == "-":
                continue
            key = name_key(text[a:b])
            if key in self.keys:
                return n, key, b
        return None
