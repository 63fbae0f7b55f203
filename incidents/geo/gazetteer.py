"""Places by name: the shipped GeoNames gazetteer (towns), the theatre's districts, provinces and countries.

:func:`place` finds where a row without coordinates happened from the names it gives, the most
specific first (a town, then a district, a province, a country), and says how precise that is:
a town is ``near`` (the point is the town's), a district is ``district``, a province is
``province``, a country ``country`` (the point is then only a marker for the area). The names of
coarser units in the same row narrow a finer one down (a town in the province the row names).

A name that matches two places is never guessed: among the places of one kind, one whose own
name (not an alternate spelling) matches is taken when it is the only one; otherwise the row is
refused as ambiguous, naming the candidates. Names are compared without case, diacritics or
punctuation (``Muzaffarābād`` = ``muzaffarabad``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import shapely

from incidents.geo.boundaries import DISTRICT_LAYERS, boundary_layer
from incidents.geo.joins import admin_of_points

GAZETTEER = Path(__file__).resolve().parents[2] / "data" / "geo" / "raw" / "gazetteer_geonames_cities1000_region.csv"
#: The location precision each kind of place stands for.
PRECISION = {"town": "near", "district": "district", "province": "province", "country": "country"}
#: Which row fields name which kinds of place, the most specific first (a location may name any).
FIELDS = (
    ("location", ("town", "district", "province", "country")),
    ("admin2", ("district",)),
    ("admin1", ("province",)),
    ("country", ("country",)),
)


@dataclass(frozen=True)
class Place:
    """A named place: its kind, a point for it, the province and country it is in, and where it comes from."""

    name: str
    kind: str
    lat: float
    lon: float
    admin1: str | None
    country: str
    source: str

    @property
    def precision(self) -> str:
        """The ``geo_precision`` an event placed here has."""
        return PRECISION[self.kind]


class Ambiguous(ValueError):
    """A name that matches more than one place: ``reason`` names them, ``field`` is the row field that gave it."""

    def __init__(self, reason: str, field: str | None = None):
        super().__init__(f"{field}: {reason}" if field else reason)
        self.reason = reason
        self.field = field


def key(name: str) -> str:
    """A name as compared: no case, diacritics or punctuation."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


#: The gazetteer's country codes, by name.
COUNTRIES = {"AF": "Afghanistan", "PK": "Pakistan", "IN": "India", "IR": "Iran", "CN": "China", "TJ": "Tajikistan"}


@lru_cache(maxsize=1)
def towns() -> pd.DataFrame:
    """The gazetteer's towns, read once: its columns as text, with ``country`` (the name), ``admin1`` and ``admin2``.

    A town's province and district are the ones the boundaries give its point, the join an event
    there gets on import (Leh is in Ladakh); where the point lies outside them, the gazetteer's own.
    Shared by the importers' place names and the extractor's: not to be changed in place.
    """
    table = pd.read_csv(GAZETTEER, dtype=str, keep_default_na=False)
    admin1, admin2 = admin_of_points(table["latitude"].astype(float).to_numpy(), table["longitude"].astype(float).to_numpy())
    table["country"] = [COUNTRIES.get(c, c) for c in table["countrycode"]]
    table["admin1"] = [a or own or None for a, own in zip(admin1, table["adm1_name"])]
    table["admin2"] = [b if a else (own or None) for a, b, own in zip(admin1, admin2, table["adm2_name"])]
    return table


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[Place, bool]]]:
    """Every place under each of its names' keys, with whether that is its own name (not an alternate)."""
    index: dict[str, list[tuple[Place, bool]]] = {}

    def add(place: Place, names: list[str], own: set[str]) -> None:
        for name in dict.fromkeys(key(n) for n in names if n and key(n)):
            index.setdefault(name, []).append((place, name in own))

    columns = ("geonameid", "name", "name_ascii", "latitude", "longitude", "country", "admin1", "alternatenames")
    for gid, name, ascii_name, lat, lon, country, admin1, alternates in zip(*(towns()[c].tolist() for c in columns)):
        place = Place(ascii_name or name, "town", float(lat), float(lon), admin1, country, f"GeoNames {gid}")
        add(place, [name, ascii_name, *alternates.split("|")], {key(name), key(ascii_name)})
    provinces = {}
    for layer, country in ((d.units, d.country) for d in DISTRICT_LAYERS):
        for name, geom in zip(boundary_layer(layer)["name"], boundary_layer(layer).geometry):
            point = shapely.point_on_surface(geom)
            provinces[name] = country
            add(Place(name, "province", point.y, point.x, name, country, f"{layer}.geojson"), [name], {key(name)})
    for layer, country in ((d.layer, d.country) for d in DISTRICT_LAYERS):  # as India administers them: de facto
        districts = boundary_layer(layer)
        for name, parent, geom in zip(districts["name"], districts["parent"], districts.geometry):
            point = shapely.point_on_surface(geom)
            add(Place(name, "district", point.y, point.x, parent, country, f"{layer}.geojson"), [name], {key(name)})
    countries = boundary_layer("countries")
    for name, code, geom in zip(countries["name"], countries["code"], countries.geometry):
        point = shapely.point_on_surface(geom)
        add(Place(name, "country", point.y, point.x, None, name, "countries.geojson"), [name, code], {key(name)})
    return index


def _within(place: Place, context: Mapping[str, str]) -> bool:
    admin1, country = context.get("admin1"), context.get("country")
    if admin1 and place.kind in ("town", "district") and (place.admin1 is None or key(place.admin1) != key(admin1)):
        return False
    return not (country and key(place.country) != key(country) and key(country) not in _codes(place.country))


def _codes(country: str) -> set[str]:
    return {key(code) for code, name in COUNTRIES.items() if name == country} | {key(country[:3])}


def lookup(name: str, kind: str, context: Mapping[str, str] | None = None) -> Place | None:
    """The one place of ``kind`` called ``name`` (within ``context``'s province and country), or ``None``.

    Raises
    ------
    Ambiguous
        When several places of that kind carry the name and none is the only one whose own name it is.

    """
    found = {p: own for p, own in _index().get(key(name), []) if p.kind == kind and _within(p, context or {})}
    if len(found) <= 1:
        return next(iter(found), None)
    own = [p for p, is_own in found.items() if is_own]
    if len(own) == 1:
        return own[0]
    names = "; ".join(sorted(f"{p.name} ({p.admin1 or p.country}, {p.source})" for p in (own or found)))[:300]
    raise Ambiguous(f"{name!r} matches {len(own or found)} {kind}s: {names}; not guessed")


def place(names: Mapping[str, str]) -> tuple[Place, str] | None:
    """Where a row happened from the place names it gives (``FIELDS``), and the field that placed it.

    The most specific name found wins; coarser names in the row narrow it down. ``None`` when no
    name is known.

    Raises
    ------
    Ambiguous
        When the most specific name found matches more than one place (the message says which field).

    """
    given = {f: v.strip() for f, v in names.items() if v and v.strip()}
    for field_name, kinds in FIELDS:
        if field_name not in given:
            continue
        context = {f: v for f, v in given.items() if f in ("admin1", "country") and f != field_name}
        for kind in kinds:
            try:
                found = lookup(given[field_name], kind, context)
            except Ambiguous as exc:
                raise Ambiguous(exc.reason, field_name) from exc
            if found is not None:
                return found, field_name
    return None
