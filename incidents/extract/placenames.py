"""Place names: the places a text names, from the shipped boundaries and their other spellings.

Units named: the provinces and districts of Pakistan and Afghanistan, the union territories and
districts of Jammu and Kashmir and Ladakh, and Kashmir's parts, each by its own name and by the
spellings in ``data/place_aliases.csv`` (``Paktiya`` for Paktia, ``J&K``, ``AJK``: the spellings
of UN and press usage); and the gazetteer's towns, each with the province and district the
boundaries give its point. A mention's level is what the text names: ``Mastung district`` is a
district, ``in Balochistan`` a province. A name two units share (a district named like its
province) is read from the word after it (``district``, ``province``), else at the coarser level;
a district two provinces share, from the province the text names beside it or anywhere, else not
at all. ``Balochistan’s Mastung district`` names Mastung; ``the district of Kupwara`` a district.
Afghan and Indian district names are read only as written (:data:`WRITTEN_ONLY`). A district the
boundaries do not ship under that spelling, named after a town of the gazetteer, keeps its name
and is placed at the town's province, never more precisely. The place a report was filed from
(``QUETTA, March 14, 2025:``, ``KHUZDAR:``, ``Islamabad, May 21``, ``QUETTA (Dunya News) -``) is
not read as the event's place.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from incidents.extract.names import NameIndex, name_key
from incidents.geo.boundaries import boundary_layer
from incidents.geo.gazetteer import towns

ALIASES_FILE = Path(__file__).resolve().parents[2] / "data" / "place_aliases.csv"
#: Layers whose units a text may name: (layer, level as geo_precision, country).
LAYERS = (
    ("afg_provinces", "province", "Afghanistan"),
    ("pak_provinces", "province", "Pakistan"),
    ("ind_union_territories", "province", "India"),
    ("pak_districts", "district", "Pakistan"),
    ("ind_districts", "district", "India"),
    ("afg_districts", "district", "Afghanistan"),
    ("kashmir", "region", ""),  # Kashmir's parts, where no province above has the name ("Aksai Chin")
    ("regions", "region", ""),  # the analysis regions ("Kashmir"), where no unit above has the name
)
#: District layers whose names are read only as a town's are (capitalised, after a word of place or a place's
#: "’s", or followed by "district"): Afghanistan's 398 include words such as "Reg", "Nawa" and "Dand", and
#: "the 2019 Pulwama attack" names another event, not a place of this one.
WRITTEN_ONLY = frozenset({"afg_districts", "ind_districts"})
_RANK = {"near": -1, "district": 0, "province": 1, "region": 2}
#: Words before a town's name that make it a place in the sentence ("in Quetta", "near Mastung").
_TOWN_BEFORE = re.compile(r"\b(?:in|near|at|outside|of|from|to|into)\s+$")
#: A town after a comma that qualifies a place named after a word of place: "in Surjani town, Karachi".
_QUALIFIER_BEFORE = re.compile(r"\b(?:in|near|at|outside)\s+(?:[A-Z][\w-]*\s+){1,3}?(?:[a-z]+\s+)?,?\s*$")


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
    holder: str | None = None  # a district placed at its province (``Sangin district``): the province's name
    written: bool = False  # read only as written: capitalised, after a word of place, or marked ``district``


@dataclass(frozen=True)
class Mention:
    """A unit named in a text, at ``at`` (start, end offsets of the words, with ``district``/``province`` after it)."""

    unit: Unit
    at: tuple[int, int]
    marked: bool  # the text says "district" or "province" after the name
    before: str = ""  # the words just before the name ("in ", "Balochistan’s ")
    spelled: bool = False  # read as a known place spelled otherwise ("Jaccobabad"): never graded high


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, list[Unit]], NameIndex]:
    by_key: dict[str, list[Unit]] = {}
    own: dict[tuple[str, str], Unit] = {}
    for layer, level, country in LAYERS:
        frame = boundary_layer(layer)
        for row in frame.itertuples():
            name = str(row.name)
            point = row.geometry.representative_point()
            short = name.split(" (")[0]  # "Gilgit-Baltistan (Pakistani-administered)"
            admin1 = str(getattr(row, "parent", "") or name) if level == "district" else (name if level == "province" else None)
            district = name if level == "district" else None
            unit = Unit(short, level, admin1, district, country, point.y, point.x, written=layer in WRITTEN_ONLY)
            own[(layer, name)] = unit
            same = by_key.get(name_key(short), [])
            if (layer == "regions" and same) or (level == "region" and any(u.level == "province" for u in same)):
                continue  # "Jammu and Kashmir": the union territory, not the Indian-administered part with Ladakh
            by_key.setdefault(name_key(short), []).append(unit)
            source = getattr(row, "name_source", None)  # the source's own spelling ("Ghanzi"), where the layer mends it
            if isinstance(source, str) and name_key(source) != name_key(short):
                by_key.setdefault(name_key(source), []).append(unit)
    with ALIASES_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_key.setdefault(name_key(row["alias"]), []).append(own[(row["layer"], row["name"])])
    columns = ("name", "name_ascii", "latitude", "longitude", "country", "admin1", "admin2", "alternatenames")
    others: dict[str, list[Unit]] = {}
    for name, ascii_name, lat, lon, country, admin1, admin2, alternates in zip(*(towns()[c].tolist() for c in columns)):
        # a town's province and district: the boundaries' (the join an event there gets), as the importers' gazetteer
        unit = Unit(ascii_name, "near", admin1, admin2, country, float(lat), float(lon))
        for spelling in {name, ascii_name}:
            if len(spelling) > 3:
                by_key.setdefault(name_key(spelling), []).append(unit)
        for spelling in {a for a in alternates.split("|") if _SPELLING.fullmatch(a)}:
            others.setdefault(name_key(spelling), []).append(unit)
    # another spelling the gazetteer records ("Sargoda", "Naushera"): only where it names one town and no unit's own name
    for key, units in others.items():
        if key not in by_key and len({(u.name, u.admin2) for u in units}) == 1:
            by_key[key] = units[:1]
    return by_key, NameIndex(by_key)


#: A town's other spelling worth reading: Latin letters, capitalised, no code ("SGI") and five letters or more.
_SPELLING = re.compile(r"[A-Z][a-z]{2,}(?:[ -][A-Z]?[a-z]{2,}){0,2}(?<=.....)")


#: "KABUL, Afghanistan (Jan. 22, 2013)": where the release was issued, not where the event was.
_DATELINE_CITY = re.compile(r",\s*Afghanistan\s*\(")
#: Capitalised words that may stand before a place's name without being part of it.
_BEFORE = frozenset(
    "in at near of from to and the northern southern eastern western central north south east west district".split()
)


#: "QUETTA, March 14, 2025:", "KHUZDAR:": the place a report was filed from, in capitals opening a line.
_FILED_FROM = re.compile(r"[ \t]*(?:,|:|\s*\()")


#: "Islamabad, May 21", "QUETTA (Dunya News) -": a place opening a line, then a date or an agency in brackets.
_DATED_FROM = re.compile(
    r"(?:\s*\[[^\]\n]{1,30}\])?,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|"
    r"\s*\([A-Z][\w .]{1,30}\)\s*[:—–-]"
)


def _dateline_place(text: str, a: int, b: int) -> bool:
    opens_line = text[max(0, a - 1) : a] in ("", "\n") or not text[text.rfind("\n", 0, a) + 1 : a].strip()
    filed = text[a:b].isupper() and _FILED_FROM.match(text, b) is not None
    return opens_line and (filed or _DATED_FROM.match(text, b) is not None)


def _part_of_longer_name(text: str, at: int) -> bool:
    """Whether the name at ``at`` ends a longer name (``Qara Bagh`` is not Bagh): a capitalised word just before it."""
    before = re.search(r"([A-Z][\w’'-]*)[ -]$", text[max(0, at - 30) : at])
    if before is None or before.group(1).endswith(("’s", "'s")):  # "Balochistan’s Mastung district": a place in a place
        return False
    return before.group(1).lower() not in _BEFORE


def _is_town_mention(text: str, at: int, mark: str) -> bool:
    """A town's name counts only as written (capitalised), after a word of place, and not as a district's name."""
    if mark or not text[at : at + 1].isupper():
        return False
    if _TOWN_BEFORE.search(text[max(0, at - 12) : at]):
        return True
    before = text[max(0, at - 60) : at]
    return before.rstrip().endswith(",") and _QUALIFIER_BEFORE.search(before.rstrip()[:-1] + " ") is not None


def _starts_longer_name(text: str, end: int) -> bool:
    """Whether a town's name at ``text[:end]`` begins a longer name (``Bati Kot`` is not Bati): a capital just after."""
    return re.match(r"[ -][A-Z]", text[end : end + 2]) is not None


_POSSESSIVE = re.compile(r"[A-Za-z][’']s\s+$")  # "Jammu and Kashmir’s Pulwama", "Helmand's Nawa"
_MARK = re.compile(r"\s+(district|province|division)\b", re.IGNORECASE)
_DISTRICT_OF = re.compile(r"(?:\b[Dd]istrict of|\bDistrict)\s+$")  # "the district of Kupwara", "in District Kech"


@lru_cache(maxsize=1)
def place_keys() -> frozenset[str]:
    """The name keys (:func:`~incidents.extract.names.name_key`) of every unit and town known."""
    return frozenset(_units()[0])


def mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every unit named in ``text[start:end]``, in text order (the longest name at each word first)."""
    by_key, index = _units()
    end = len(text) if end is None else end
    found = []
    for key, a, b in index.find(text, start, end):
        if _DATELINE_CITY.match(text, b) or _part_of_longer_name(text, a) or _dateline_place(text, a, b):
            continue
        marked = _MARK.match(text, b, end)
        mark = marked.group(1).lower() if marked else ""
        if not mark and _DISTRICT_OF.search(text, max(0, a - 12), a):
            mark = "district"  # "the border district of Kupwara"
        units = _readable(by_key[key], text, a, mark)
        if not units:
            continue
        if len({u.admin1 for u in units if u.level == "district"}) > 1:  # "Muqur": a district of two provinces
            units = _district_of_province(units, text, a)
            if not units:
                continue
        if all(u.level == "near" for u in units) and mark == "district":
            district = _district_of_town(text[a:b], units)  # "Sangin district": no shipped unit, placed at its province
            if district is not None:
                found.append(Mention(district, (a, marked.end() if marked else b), True, text[max(0, a - 16) : a]))
            continue
        if all(u.level == "near" for u in units) and (not _is_town_mention(text, a, mark) or _starts_longer_name(text, b)):
            continue
        wanted = {"district": "district", "province": "province", "division": "district"}.get(mark)
        chosen = [u for u in units if u.level == wanted] or [u for u in units if u.level != "near"] or units
        if len({(u.name, u.level) for u in chosen}) > 1 and all(u.level == "near" for u in chosen):
            continue  # two towns of one name: not guessed
        unit = min(chosen, key=lambda u: -_RANK[u.level])  # several: the coarser, unless the text says
        found.append(Mention(unit, (a, marked.end() if marked else b), bool(mark), text[max(0, a - 16) : a]))
    found += _spelled_otherwise(text, start, end, [m.at for m in found])
    return _qualified(text, sorted(found, key=lambda m: m.at))


#: Capitalised words after a word of place ("in Jaccobabad", "near Faislabad city"): a place's name, maybe misspelt.
_AFTER_PLACE_WORD = re.compile(r"\b(?:in|near|at|outside)\s+([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})\b")
#: The least similarity (rapidfuzz ``ratio``, 0-100) of a misspelt name to a known one; chosen on the read parts.
SPELLING_CUTOFF = 90.0


def _spelled_otherwise(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[Mention]:
    """Places named after a word of place in a spelling no name matches, read as the one known name it is close to.

    The whole run of capitalised words is tried, then its first word; a name of seven letters or
    more only, and only when one place is that close (rapidfuzz's ratio at least
    :data:`SPELLING_CUTOFF`, no other within two points).
    """
    found = []
    for m in _AFTER_PLACE_WORD.finditer(text, start, end):
        a, b = m.span(1)
        if any(x < b and a < y for x, y in taken):
            continue
        first = text[a:b].split()[0].split("-")[0]
        for phrase in dict.fromkeys((text[a:b], first)):
            unit = _closest(name_key(phrase))
            if unit is not None:
                found.append(Mention(unit, (a, a + len(phrase)), False, text[max(0, a - 16) : a], spelled=True))
                break
    return found


@lru_cache(maxsize=4096)
def _closest(key: str) -> Unit | None:
    """The one unit whose name is close to ``key`` (a misspelling of it), or ``None``."""
    by_key = _units()[0]
    if len(key.replace(" ", "")) < 7 or key in by_key or key.split()[0] in _NOT_PLACES:
        return None
    found = process.extract(key, _by_first()[key[0]], scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF, limit=5)
    close = [(k, score) for k, score, _ in found]
    if not close:
        return None
    best = close[0][1]
    units = [u for k, score in close if score >= best - 2 for u in by_key[k]]
    if len({(u.admin1, u.admin2 or u.name) for u in units}) != 1:
        return None  # two places about as close: not guessed
    return min(units, key=lambda u: -_RANK[u.level])  # a district and its seat: the district, as for a name spelt right


@lru_cache(maxsize=1)
def _by_first() -> defaultdict[str, list[str]]:
    """The known names' keys by their first letter (a misspelling keeps it: the ones compared)."""
    keys: defaultdict[str, list[str]] = defaultdict(list)
    for key in _units()[0]:
        keys[key[0]].append(key)
    return keys


#: Capitalised words after "in" that are no places: months and days.
_NOT_PLACES = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split()
)


def _qualified(text: str, found: list[Mention]) -> list[Mention]:
    """Mentions without a place its qualifier contradicts: in "Karimabad, Karachi" the Karimabad meant is Karachi's.

    A town or district followed by a comma and a place outside whose province it lies is another
    place of that name, one the boundaries and the gazetteer do not know: the qualifier is kept.
    """
    kept = []
    for m, after in zip(found, [*found[1:], None]):
        comma = after is not None and text[m.at[1] : after.at[0]].strip() == ","
        comma = comma and after is not None and not _LIST_GOES_ON.match(text, after.at[1])  # "Quetta, Karachi and Lahore"
        if comma and after is not None and m.unit.level in ("near", "district") and not _holds(after.unit, m.unit):
            continue
        kept.append(m)
    return kept


_LIST_GOES_ON = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*[A-Z]")


def _holds(outer: Unit, inner: Unit) -> bool:
    """Whether ``inner`` may lie in ``outer`` (the same province; any place of a region)."""
    if outer.level == "region":
        return True
    return inner.admin1 is not None and inner.admin1 == (outer.name if outer.level == "province" else outer.admin1)


def _readable(units: list[Unit], text: str, at: int, mark: str) -> list[Unit]:
    """The units a name at ``at`` may be.

    A name read only as written (:data:`WRITTEN_ONLY`) is capitalised and marked, or after a word
    of place or a place's "’s" ("in Nawa", "Nawa district", "Helmand's Nawa"; not "the nawa").
    """
    if not any(u.written for u in units):
        return units
    before = text[max(0, at - 12) : at]
    placed = mark == "district" or bool(_TOWN_BEFORE.search(before) or _POSSESSIVE.search(before))
    written = text[at : at + 1].isupper() and placed
    return units if written else [u for u in units if not u.written]


@lru_cache(maxsize=4)
def _provinces_named(text: str) -> list[tuple[int, str]]:
    """Where the text names a province, and which (read once per text: a long document names many districts)."""
    by_key, index = _units()
    return [(a, u.name) for k, a, _ in index.find(text) for u in by_key[k] if u.level == "province"]


def _district_of_province(units: list[Unit], text: str, at: int) -> list[Unit]:
    """Of districts that share a name across provinces, the one the text places.

    The one in a province named beside it (``Poonch district, J&K``), else the one in a province
    the text names anywhere; otherwise none is guessed.
    """
    named = _provinces_named(text)
    near = [n for a, n in named if at - 40 <= a <= at + 40]  # "Poonch district, J&K", "Jammu and Kashmir's Poonch"
    for provinces in (near, [n for _, n in named]):
        held = [u for u in units if u.level != "district" or u.admin1 in provinces]
        if len({u.admin1 for u in held if u.level == "district"}) == 1:
            return held
    return [u for u in units if u.level != "district"]


def province(name: str) -> Unit | None:
    """The province (or region) unit of that name, or ``None``."""
    above = [u for u in _units()[0].get(name_key(name), []) if u.level in ("province", "region")] if name else []
    return min(above, key=lambda u: _RANK[u.level]) if above else None


def _district_of_town(name: str, towns: list[Unit]) -> Unit | None:
    """A district the text names after a town, where no district unit is shipped (Afghanistan's, India's).

    Districts are named after their seat, so the town's province is the district's. The point and
    the level are the province's: the town may not be the seat, and the district's extent is not
    known, so the place is never drawn more precisely than the province. The name is kept
    (``Sangin district``). Two towns of the name, or a province not shipped: nothing.
    """
    if len({(u.name, u.admin1) for u in towns}) != 1:
        return None
    unit = province(towns[0].admin1 or "")
    if unit is None:
        return None
    named = f"{' '.join(name.split())} district"
    return Unit(named, unit.level, unit.admin1, None, unit.country, unit.lat, unit.lon, holder=unit.name)
