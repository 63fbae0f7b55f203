"""The area facet and counts per area: which area of :mod:`incidents.geo.areas` holds each event, kept with the index.

Query key ``area`` (area codes, e.g. ``PK220`` for Mastung). Listed in :mod:`incidents.query.registry`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from incidents.geo.areas import OUTSIDE, area_of, area_table
from incidents.model.schema import GEO_PRECISIONS
from incidents.query.facets import ChoiceFacet, Params, Widget
from incidents.query.index import EventIndex


def area_codes(index: EventIndex) -> np.ndarray:
    """Per row of ``index``, the number of the area that holds the event, or -1 (see :func:`incidents.geo.areas.area_of`).

    Found the first time it is asked for, then kept with the index (:meth:`EventIndex.derived`).
    """
    return index.derived(("area",), lambda: area_of(index.lat, index.lon, index.precision))


def area_counts(index: EventIndex, rows: np.ndarray, *, measure: str = "events") -> np.ndarray:
    """Per area, the events (or fatalities) among ``rows`` it holds."""
    areas = area_codes(index)[rows]
    held = areas >= 0
    weights = None if measure == "events" else np.nan_to_num(index.fatalities[rows][held], nan=0.0)
    return np.bincount(areas[held], weights=weights, minlength=len(area_table().codes))


def coarse_counts(events: pd.DataFrame, index: EventIndex, rows: np.ndarray, *, measure: str = "events") -> pd.DataFrame:
    """The events among ``rows`` no area holds, by the unit they are known to: ``unit``, ``level``, ``value``.

    A Pakistani province-level event counts for its province; an event known to a region or a
    country counts for that; an event whose point lies in no area (outside the three countries)
    counts as :data:`OUTSIDE` (its ``level`` empty).
    """
    areas = area_codes(index)[rows]
    left = rows[areas < 0]
    precision = np.asarray(GEO_PRECISIONS, dtype=object)[index.precision[left]]
    admin1 = events["admin1"].iloc[left].astype(object).to_numpy()
    coarse = np.isin(precision, ["region", "country"])
    provincial = (precision == "province") & pd.notna(admin1)
    unit = np.where(provincial, admin1, np.where(coarse, events["location"].iloc[left].astype(object), OUTSIDE))
    precision = np.where(provincial | coarse, precision, "")
    value = np.ones(len(left)) if measure == "events" else np.nan_to_num(index.fatalities[left], nan=0.0)
    frame = pd.DataFrame({"unit": unit.astype(str), "level": precision.astype(str), "value": value})
    out = frame.groupby(["unit", "level"], as_index=False, sort=True).agg(value=("value", "sum"))
    return out.sort_values(["value", "unit"], ascending=[False, True], ignore_index=True)


class AreaFacet(ChoiceFacet):
    """Areas (by code): an event passes if an area chosen holds it (see :func:`incidents.geo.areas.area_of`).

    A point-in-polygon test, run in memory: :meth:`where` gives ``None``.
    """

    name, keys = "areas", ("area",)
    widget_key, label, placeholder = "areas", "Districts and provinces", "All areas"

    def options(self, index: EventIndex) -> tuple[str, ...]:
        return area_table().codes

    def option_labels(self, index: EventIndex) -> dict[str, str]:
        table = area_table()
        return {c: table.label(i) for i, c in enumerate(table.codes)}

    def read(self, params: Params, index: EventIndex | None) -> tuple[frozenset[str] | None, list[str]]:
        """Codes of the area table, whatever the loaded events (a link to an empty area still opens)."""
        wanted = list(params.get("area") or [])
        known = set(area_table().codes)
        notes = [f"ignored area={v!r}: no such area code (e.g. PK220 for Mastung)" for v in wanted if v not in known]
        return self.normalize(v for v in wanted if v in known), notes

    def widget(self, index: EventIndex) -> Widget:
        caption = "Holds the incidents located to the area or finer; click an area on the map's counts to choose it."
        return replace(super().widget(index), caption=caption)

    def mask(self, index: EventIndex, value: frozenset[str]) -> np.ndarray:
        codes = area_table().codes
        chosen = np.zeros(len(codes) + 1, dtype=bool)  # the last slot stands for -1 (no area)
        chosen[[i for i, c in enumerate(codes) if c in value]] = True
        return np.asarray(chosen[area_codes(index)], dtype=bool)

    def describe(self, value: frozenset[str]) -> str:
        table = area_table()
        return super().describe(frozenset(str(table.frame["name"].iloc[i]) for i, c in enumerate(table.codes) if c in value))

    def where(self, value: frozenset[str]) -> None:
        return None  # a point-in-polygon test: run in memory on what the database gives
