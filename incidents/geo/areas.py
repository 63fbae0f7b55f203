"""Areas for counts: the theatre's districts, and the Kashmir parts no district covers.

The districts are Pakistan's, Indian-administered Jammu and Kashmir's and Ladakh's, and
Afghanistan's; the Kashmir parts, Aksai Chin, the Shaksgam and the Siachen Glacier.

Each event is counted in at most one area, the one its point falls in, and only when its place
is known to that area or finer: a district holds events located exactly, near a place or to the
district; a Kashmir part (a unit of province level) holds those and events located to the
province. Events known only to a coarser unit are never spread into areas: they are counted as
that unit's own (:func:`incidents.query.area.coarse_counts`), such as "Balochistan, located only
to the province" or "Nangarhar, located only to the province".

Where polygons overlap, the Kashmir parts come first (the OCHA districts take in the Siachen
Glacier), then Indian-administered Kashmir's districts (they end at the Line of Control the map
draws; the OCHA districts of Azad Kashmir and Gilgit-Baltistan reach a little past it), then
Pakistan's, then Afghanistan's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd

from incidents.geo.boundaries import DISTRICT_LAYERS, boundary_layer
from incidents.geo.joins import distinct_positions, polygon_of
from incidents.model.schema import GEO_PRECISIONS

#: Kashmir parts counted as areas of their own (NE codes): the Chinese-administered parts and the
#: Siachen Glacier. The Indian- and Pakistani-administered parts are counted by district.
KASHMIR_AREAS = ("B06", "B07", "B45")
#: The unit of the events whose point lies in no area (outside Pakistan, Afghanistan and Kashmir).
OUTSIDE = "outside the areas"
#: Count classes (lower bounds), stated in the legend: 1, 2-5, 6-20, 21-50, 51-200, 201-1000, 1001+.
CLASSES: tuple[int, ...] = (1, 2, 6, 21, 51, 201, 1001)
_FINEST_FOR = {"district": GEO_PRECISIONS.index("district"), "province": GEO_PRECISIONS.index("province")}


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: one table per process
class AreaTable:
    """The areas, in order of precedence: ``code``, ``name``, ``kind``, ``parent``, ``level``, ``layer`` and ``geometry``.

    ``layer`` is the boundary layer an area comes from (``kashmir``, ``ind_districts``, ...).
    """

    frame: gpd.GeoDataFrame

    @property
    def codes(self) -> tuple[str, ...]:
        """Area codes, by area number."""
        return tuple(self.frame["code"])

    def label(self, i: int) -> str:
        """How an area is named in a list: ``Mastung (district, Balochistan)``."""
        r = self.frame.iloc[i]
        return f"{r['name']} ({r['kind']}{', ' + r['parent'] if r['parent'] else ''})"


@cache
def area_table() -> AreaTable:
    """The shipped areas (read once per process)."""
    kashmir = boundary_layer("kashmir")
    kashmir = kashmir[kashmir["code"].isin(KASHMIR_AREAS)]
    parts = [
        pd.DataFrame(
            {
                "code": kashmir["code"],
                "name": kashmir["name"],
                "kind": "Kashmir part",
                "parent": "",
                "level": "province",
                "layer": "kashmir",
                "geometry": kashmir.geometry,
            }  # fmt: skip
        )
    ]
    for layer in (d.layer for d in DISTRICT_LAYERS):  # in their order of precedence
        districts = boundary_layer(layer)
        parts.append(
            pd.DataFrame(
                {
                    "code": districts["code"],
                    "name": districts["name"],
                    "kind": "district",
                    "parent": districts["parent"],
                    "level": "district",
                    "layer": layer,
                    "geometry": districts.geometry,
                }  # fmt: skip
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    return AreaTable(gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326"))


def area_of(lat: np.ndarray, lon: np.ndarray, precision: np.ndarray, table: AreaTable | None = None) -> np.ndarray:
    """Per event, the number of the area that holds it (see the module docstring), or -1.

    ``precision`` holds codes into :data:`incidents.model.schema.GEO_PRECISIONS`.
    """
    table = table or area_table()
    out = np.full(len(lat), -1, dtype=np.int32)
    ok = np.isfinite(lat) & np.isfinite(lon) & (precision <= _FINEST_FOR["province"])
    kind = np.where(precision <= _FINEST_FOR["district"], 0, 1)  # all an area needs of the precision
    repeated = distinct_positions(lon[ok], lat[ok], key=kind[ok])
    if repeated is not None:  # placed once per distinct position
        rows = np.flatnonzero(ok)
        first, codes = repeated
        out[rows] = area_of(lat[rows[first]], lon[rows[first]], precision[rows[first]], table)[codes]
        return out
    province_level = table.frame["level"].to_numpy() == "province"
    # events located to a district or finer may fall in any area; those located only to a province, in a province-level one
    for rows, areas in (
        (np.flatnonzero(ok & (precision <= _FINEST_FOR["district"])), np.arange(len(province_level))),
        (np.flatnonzero(ok & (precision == _FINEST_FOR["province"])), np.flatnonzero(province_level)),
    ):
        if not len(rows):
            continue
        x, y = lon[rows], lat[rows]  # areas in order of precedence: the first that holds a point wins
        found = polygon_of(x, y, table.frame.iloc[areas], nearest=False, edges=True)
        out[rows[found >= 0]] = areas[found[found >= 0]]
    return out


def count_class(values: np.ndarray) -> np.ndarray:
    """Per value, its class: -1 for zero, else the index of the last lower bound in :data:`CLASSES` it reaches."""
    values = np.asarray(values, dtype=float)
    classes = np.searchsorted(np.asarray(CLASSES, dtype=float), values, side="right") - 1
    return np.where(values >= CLASSES[0], classes, -1)


def class_labels() -> list[str]:
    """The legend's words for each class: ``1``, ``2–5``, ..., ``1,001 or more``."""
    bounds = [*CLASSES, None]
    out = []
    for lo, nxt in zip(bounds[:-1], bounds[1:]):
        assert lo is not None
        out.append(f"{lo:,} or more" if nxt is None else (f"{lo:,}" if nxt - 1 == lo else f"{lo:,}\u2013{nxt - 1:,}"))
    return out
