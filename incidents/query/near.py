"""The distance facet: events within N km of a line (the Durand Line, the Line of Control, a border).

Query keys: ``near`` (the line's name, as :func:`incidents.geo.distance.line_names` gives it), ``km``
(0 to 500) and ``approx=1`` (include approximate locations). Listed in :mod:`incidents.query.registry`.

An event whose place is known only to a district or coarser has a point that stands for the whole
area; how far that point is from a line says little about where the event happened. Such events
are left out unless approximate locations are included, and :meth:`DistanceFacet.left_out`
counts them, so the page can say how many (:meth:`DistanceFacet.remark`).
"""

from __future__ import annotations

from typing import cast

import numpy as np

from incidents.geo.distance import distance_km, line_names
from incidents.model.schema import GEO_PRECISIONS
from incidents.query.facets import Facet, Params, Query, Widget, WidgetState, last_value
from incidents.query.index import EventIndex

#: The distance a link or the widget starts with when it names a line but no distance.
DEFAULT_KM = 50.0
MAX_KM = 500.0
#: Precisions whose point marks the place itself (within about 25 km), not a whole area.
SITE_PRECISIONS = ("exact", "near")
_FIRST_AREA = GEO_PRECISIONS.index("district")


#: The value: a line's name, a distance in km, and whether approximate locations are included.
Near = tuple[str, float, bool]


def _km_text(km: float) -> str:
    return f"{km:g}"


def distance_to(index: EventIndex, line: str) -> np.ndarray:
    """Per row of ``index``, the geodesic distance in km from the event's point to ``line`` (:mod:`incidents.geo.distance`).

    Measured the first time a line is asked for, then kept with the index (:meth:`EventIndex.derived`).
    """
    return index.derived(("distance", line), lambda: distance_km(index.lat, index.lon, line))


class DistanceFacet(Facet[Near]):
    """``(line, km, approximate)``: events within ``km`` of ``line``, approximate locations included or not.

    Geodesic distances are measured in memory: :meth:`where` is the default ``None``.
    """

    name = "distance"
    keys = ("near", "km", "approx")
    widget_key = "near"

    def normalize(self, value: object) -> Near | None:
        if value is None:
            return None
        line, km, approx = cast(tuple[str | None, float | None, bool], value)
        if not line:
            return None
        return str(line), float(min(max(km if km is not None else DEFAULT_KM, 0.0), MAX_KM)), bool(approx)

    def read(self, params: Params, index: EventIndex | None) -> tuple[Near | None, list[str]]:
        notes: list[str] = []
        line, km_text, approx_text = (last_value(params, k) for k in self.keys)
        if line is not None and line not in line_names():
            notes.append(f"ignored near={line!r}: no such line (known: {', '.join(line_names())})")
            line = None
        km = DEFAULT_KM
        if km_text is not None:
            try:
                km = float(km_text)
                if not 0 <= km <= MAX_KM:
                    raise ValueError
            except ValueError:
                notes.append(f"ignored km={km_text!r}: expected a number of kilometres from 0 to {MAX_KM:g}")
                km = DEFAULT_KM
        if approx_text not in (None, "0", "1"):
            notes.append(f"ignored approx={approx_text!r}: expected 1 (include approximate locations) or 0")
        if line is None:
            notes += [f"ignored {k}={v!r}: no line chosen (near=)" for k, v in (("km", km_text), ("approx", approx_text)) if v]
            return None, notes
        return self.normalize((line, km, approx_text == "1")), notes

    def write(self, value: Near) -> Query:
        line, km, approx = value
        return {"near": line, "km": _km_text(km), **({"approx": "1"} if approx else {})}

    def widget(self, index: EventIndex) -> Widget:
        return Widget(
            "distance",
            self.widget_key,
            "Within a distance of a line",
            options=line_names(),
            parts=("line", "km", "approx"),
            placeholder="No distance limit",
            caption="Geodesic distance from the incident's point to the line (WGS 84).",
        )

    def to_widget(self, value: Near | None, widget: Widget) -> tuple[str | None, float, bool]:
        return value if value is not None else (None, DEFAULT_KM, False)

    def from_widget(self, state: WidgetState, widget: Widget) -> Near | None:
        line, km, approx = tuple(state) if isinstance(state, (tuple, list)) else (None, None, False)
        return self.normalize((line, km, approx))

    def mask(self, index: EventIndex, value: Near) -> np.ndarray:
        line, km, approx = value
        within = np.asarray(distance_to(index, line) <= km)
        return within if approx else within & (index.precision < _FIRST_AREA)

    def left_out(self, index: EventIndex, value: Near, others: np.ndarray) -> int:
        """How many events passing the other facets (``others``), their point within ``km``, are left out as approximate."""
        line, km, approx = value
        if approx:
            return 0
        return int((others & (index.precision >= _FIRST_AREA) & (distance_to(index, line) <= km)).sum())

    def remark(self, index: EventIndex, value: Near, others: np.ndarray) -> str | None:
        n = self.left_out(index, value, others)
        if not n:
            return None
        return (
            f"{n:,} incident{'s' if n != 1 else ''} located only to a district or coarser, with the area's point "
            f"within {_km_text(value[1])} km, {'are' if n != 1 else 'is'} left out of the distance filter: that point "
            "says little about where it happened. Tick “include approximate locations” to keep them."
        )

    def describe(self, value: Near) -> str:
        line, km, approx = value
        return f"within {_km_text(km)} km of the {line}" + (" (approximate locations included)" if approx else "")
