"""The project's validation error, and the records of what reading found: rejections and repairs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something reading found in one input row (or a whole file): where it is, and what it is.

    Parameters
    ----------
    file : str
        The file's name as the user gave it (no directories).
    row : int or None
        1-based data row (the first row after a CSV header is row 1; the first GeoJSON feature
        is feature 1). ``None`` when the whole file was rejected.
    field : str or None
        The column or property at fault, ``None`` for problems with the row as a whole.
    value : str
        The value as the file gave it, shortened for display.
    reason : str
        What was expected (a rejection), or what was done (a repair).
    unit : str
        What ``row`` counts: ``row`` (CSV, Parquet) or ``feature`` (GeoJSON).

    """

    file: str
    row: int | None
    field: str | None
    value: str
    reason: str
    unit: str = "row"

    def at(self) -> str:
        """File, row or feature, and field, for messages."""
        at = self.file if self.row is None else f"{self.file}, {self.unit} {self.row}"
        return at + (f", field '{self.field}'" if self.field else "")


@dataclass(frozen=True)
class Rejection(Problem):
    """A problem that kept its row (or the whole file) out of the accepted events."""

    def __str__(self) -> str:
        value = f" (value {self.value!r})" if self.value else ""
        return f"{self.at()}: {self.reason}{value}"


@dataclass(frozen=True)
class Repair(Problem):
    """A problem repaired because the repair is unambiguous; the row was accepted.

    ``value`` is what the file said, ``reason`` what was done to it.
    """

    def __str__(self) -> str:
        value = f" (was {self.value!r})" if self.value else ""
        return f"{self.at()}: repaired: {self.reason}{value}"


@dataclass(frozen=True)
class Inference(Problem):
    """How a file (or a row) was read where the file itself left it open.

    A date convention, a metadata row skipped, rows merged: nothing was rejected, and the
    report says what was decided.

    ``value`` is what the file said (if one cell), ``reason`` what was inferred.
    """

    def __str__(self) -> str:
        value = f" ({self.value!r})" if self.value else ""
        return f"{self.at()}: read as: {self.reason}{value}"


class IncidentDataError(ValueError):
    """Input that cannot be read as events or boundaries.

    Carries every problem found, not just the first, in :attr:`problems`.
    """

    def __init__(self, problems: list[Rejection] | Rejection):
        if isinstance(problems, Rejection):
            problems = [problems]
        self.problems: list[Rejection] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def shorten(value: object, limit: int = 80) -> str:
    """Return ``value`` as a string of at most ``limit`` characters, for reports."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
