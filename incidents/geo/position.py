"""Coordinates that are plainly swapped: latitude given as longitude and the other way round.

A swap is repaired only when it is unambiguous: the given point lies outside the map's region
(the extent of the shipped country layer), the swapped point lies inside it, and the row names
its country, in which the swapped point lies and the given one does not.

A point outside the region with no such evidence is left as given: events elsewhere are real
(a swapped Quetta, 66.99 N 30.18 E, is a real place in Russian Karelia).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely

from incidents.geo.boundaries import boundary_layer

#: Distance (degrees, about 5 km) within which a point counts as in a country: coasts and borders are simplified.
_COUNTRY_REACH = 0.05


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[float, float, float, float], dict[str, shapely.Geometry]]:
    layer = boundary_layer("countries")
    shapes = {}
    for name, code, geom in zip(layer["name"], layer["code"], layer.geometry):
        shapely.prepare(geom)
        shapes[str(name).casefold()] = shapes[str(code).casefold()] = geom
    minx, miny, maxx, maxy = (float(v) for v in layer.total_bounds)
    return (minx, miny, maxx, maxy), shapes


def _in_region(lat: float, lon: float) -> bool:
    minx, miny, maxx, maxy = _countries()[0]
    return minx <= lon <= maxx and miny <= lat <= maxy


def _in_country(geom: shapely.Geometry, lat: float, lon: float) -> bool:
    return bool(shapely.dwithin(geom, shapely.Point(lon, lat), _COUNTRY_REACH))


def swapped_position(lat: float, lon: float, country: str = "") -> str | None:
    """Why ``(lat, lon)`` is certainly a swapped pair, or ``None`` when it is not (or not certainly).

    Parameters
    ----------
    lat, lon : float
        The values as the file gives them for latitude and longitude (WGS 84 degrees).
    country : str
        The country the row names (name or ISO 3166 alpha-3 code), or empty.

    """
    if _in_region(lat, lon) or not _in_region(lon, lat):
        return None
    geom = _countries()[1].get(country.strip().casefold()) if country.strip() else None
    if geom is not None and _in_country(geom, lon, lat) and not _in_country(geom, lat, lon):
        return f"latitude and longitude swapped: only the swapped point lies in {country.strip()}"
    return None


def maybe_swapped(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Which points :func:`swapped_position` might find swapped: outside the region as given, inside it swapped.

    A cheap test over whole columns (``nan`` never is one); the row's country decides the rest.
    """
    minx, miny, maxx, maxy = _countries()[0]
    inside = (minx <= lon) & (lon <= maxx) & (miny <= lat) & (lat <= maxy)
    turned = (minx <= lat) & (lat <= maxx) & (miny <= lon) & (lon <= maxy)
    return ~inside & turned
