"""Group names: the alias table that makes every spelling meet under one canonical name."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from incidents.model.errors import IncidentDataError, Rejection

ACTORS_FILE = Path(__file__).resolve().parents[2] / "data" / "actors.csv"

#: Group type for a name that is not in the alias table (it is kept as its own group).
UNCLASSIFIED = "unclassified"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ActorTable:
    """Alias -> canonical name, and canonical name -> group type."""

    canonical_by_alias: dict[str, str]
    type_by_canonical: dict[str, str]

    def canonical(self, name: str) -> str:
        """Return the canonical name for ``name`` (itself, whitespace-normalised, if unknown)."""
        clean = " ".join(str(name).split())
        return self.canonical_by_alias.get(_key(clean), clean)

    def group_type(self, canonical: str) -> str:
        """Return the group type of a canonical name (``unclassified`` if unknown)."""
        return self.type_by_canonical.get(canonical, UNCLASSIFIED)


def read_actor_table(path: Path) -> ActorTable:
    """Read an alias table (CSV with ``alias``, ``canonical``, ``group_type``).

    Raises
    ------
    IncidentDataError
        Listing every malformed or conflicting row.

    """
    problems: list[Rejection] = []
    by_alias: dict[str, str] = {}
    by_canonical: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"alias", "canonical", "group_type"} - set(reader.fieldnames or ())
        if missing:
            raise IncidentDataError(Rejection(path.name, None, None, "", f"missing columns {sorted(missing)}"))
        for i, row in enumerate(reader, start=1):
            alias, canonical, kind = (row[k].strip() for k in ("alias", "canonical", "group_type"))
            if not (alias and canonical and kind):
                problems.append(Rejection(path.name, i, None, str(row), "empty alias, canonical or group_type"))
                continue
            if by_alias.get(_key(alias), canonical) != canonical:
                problems.append(Rejection(path.name, i, "alias", alias, "alias maps to two canonical names"))
            if by_canonical.get(canonical, kind) != kind:
                problems.append(Rejection(path.name, i, "group_type", kind, "canonical name has two group types"))
            by_alias[_key(alias)] = canonical
            by_canonical[canonical] = kind
    if problems:
        raise IncidentDataError(problems)
    return ActorTable(by_alias, by_canonical)


@lru_cache(maxsize=1)
def actor_table() -> ActorTable:
    """The project's alias table, ``data/actors.csv`` (read once)."""
    return read_actor_table(ACTORS_FILE)
