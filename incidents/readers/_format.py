"""What a format is: its name, its label, how it is detected, how it is read, what it counts and the file types it takes.

Each format's module declares its :class:`Format` (``FORMAT``); :mod:`incidents.readers` lists the
modules once, in detection order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

from incidents.readers._csvfile import CsvLayout, read_csv
from incidents.readers._rows import ReadResult

#: A text reader: ``(text, *, name, dataset, repaired, options) -> ReadResult``.
TextReader = Callable[..., ReadResult]
#: A binary reader: ``(path or bytes, *, dataset, name, options) -> ReadResult``.
BinaryReader = Callable[..., ReadResult]


@dataclass(frozen=True)
class Sample:
    """What detection sees of a file: its first bytes and, once decoded, its text."""

    magic: bytes
    text: str | None = None

    @cached_property
    def header(self) -> tuple[str, ...]:
        """The names in the text's first CSV line, stripped, in file order (empty before decoding)."""
        if self.text is None:
            return ()
        first = next(csv.reader(io.StringIO(self.text[:65536], newline="")), [])
        return tuple(h.strip() for h in first)


@dataclass(frozen=True)
class Format:
    """One readable format: its name, what the user sees, how it is detected and read.

    Exactly one of ``read_text`` (formats read as text, decoded first) and ``read_binary``
    (formats read from the file or its bytes) is set.
    """

    name: str
    label: str
    detect: Callable[[Sample], bool]
    read_text: TextReader | None = None
    read_binary: BinaryReader | None = None
    #: What one record of the file is called in messages: ``row`` or ``feature``.
    unit: str = "row"
    #: The file name endings it is read from (without the dot), offered by the upload box.
    extensions: tuple[str, ...] = ("csv",)
    #: Whether detection can tell it (a format only ever chosen by name, or as the fallback, is not named as expected).
    detected: bool = True


def csv_text(layout: CsvLayout) -> TextReader:
    """The text reader of a CSV layout (read by columns, or row by row where it must)."""
    return partial(read_csv, layout)


def has_header(matches: Callable[[set[str]], bool]) -> Callable[[Sample], bool]:
    """A detector: the file's first line has the columns ``matches`` accepts."""
    return lambda s: s.text is not None and matches(set(s.header))
