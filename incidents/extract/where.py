"""Where: the places a text names, from the shipped boundaries and their other spellings.

Units named: Afghanistan's provinces, Pakistan's provinces and districts, and Kashmir's parts,
each by its own name and by the spellings in ``data/place_aliases.csv`` (``Paktiya`` for
Paktia, ``Baluchistan`` for Balochistan: the spellings of UN and press usage). A mention's
level is what the text names: ``Mastung district`` is a district, ``in Balochistan`` a province.
A name two units share (a district named like its province) is read from the word after it
(``district``, ``province``), else at the coarser level.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from incidents.boundaries import boundary_layer

ALIASES_FILE = Path(__file__).resolve().parents[2] / "data" / "place_aliases.csv"
#: Layers whose units a text may name: (layer, level as geo_precision, country).
LAYERS = (
    ("afg_provinces", "province", "Afghanistan"),
    ("pak_provinces", "province", "Pakistan"),
    ("pak_districts", "district", "Pakistan"),
    ("kashmir", "region", ""),
)
_RANK = {"district": 0, "province": 1, "region": 2}


@dataclass(frozen=True)
class Unit:
    """One boundary unit: its name, level, province (for a district), country and a point inside it."""

    name: str
    level: str
    admin1: str | None
    admin2: str | None
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Mention:
    """A unit named in a text, at ``at`` (start, end offsets of the words, with ``district``/``province`` after it)."""

    unit: Unit
    at: tuple[int, int]
    marked: bool  # the text says "district" or "province" after the name


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s\-'’]+", " ", text).strip()


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, list[Unit]], re.Pattern[str]]:
    by_key: dict[str, list[Unit]] = {}
    own: dict[tuple[str, str], Unit] = {}
    for layer, level, country in LAYERS:
        frame = boundary_layer(layer)
        for row in frame.itertuples():
            name = str(row.name)
            point = row.geometry.representative_point()
            short = name.split(" (")[0]  # "Gilgit-Baltistan (Pakistani-administered)"
            admin1 = str(getattr(row, "parent", "") or name) if level == "district" else (name if level == "province" else None)
            unit = Unit(short, level, admin1, name if level == "district" else None, country, point.y, point.x)
            own[(layer, name)] = unit
            by_key.setdefault(_key(short), []).append(unit)
    with ALIASES_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_key.setdefault(_key(row["alias"]), []).append(own[(row["layer"], row["name"])])
    names = sorted(by_key, key=len, reverse=True)
    spelled = "|".join(r"[\s\-'’]+".join(re.escape(part) for part in re.split(r" ", n)) for n in names)
    pattern = re.compile(rf"(?<![\w-])(?P<name>{spelled})(?![\w-])(?P<mark>\s+(?:district|province|division)\b)?", re.IGNORECASE)
    return by_key, pattern


#: "KABUL, Afghanistan (Jan. 22, 2013)": where the release was issued, not where the event was.
_DATELINE_CITY = re.compile(r",\s*Afghanistan\s*\(")
#: Capitalised words that may stand before a place's name without being part of it.
_BEFORE = frozenset("in at near of from to and the northern southern eastern western central north south east west".split())


def _part_of_longer_name(text: str, at: int) -> bool:
    """Whether the name at ``at`` ends a longer name (``Qara Bagh`` is not Bagh): a capitalised word just before it."""
    before = re.search(r"([A-Z][\w’'-]*)[ -]$", text[max(0, at - 30) : at])
    return bool(before) and before.group(1).lower() not in _BEFORE


def mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every unit named in ``text[start:end]``, in text order."""
    by_key, pattern = _units()
    found = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        if _DATELINE_CITY.match(text, m.end("name")) or _part_of_longer_name(text, m.start()):
            continue
        mark = (m.group("mark") or "").strip().lower()
        units = by_key[_key(m.group("name"))]
        wanted = {"district": "district", "province": "province", "division": "district"}.get(mark)
        chosen = [u for u in units if u.level == wanted] or units
        unit = min(chosen, key=lambda u: -_RANK[u.level])  # several: the coarser, unless the text says
        found.append(Mention(unit, (m.start(), m.end()), bool(mark)))
    return found
