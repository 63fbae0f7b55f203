"""What a reader returns: accepted events as a model frame, plus every rejection."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely

from incidents.errors import Rejection
from incidents.schema import CRS, conform, empty_events


@dataclass
class ReadResult:
    """Accepted events and rejected rows of one or more input files.

    ``len(events) + rejected_rows == n_input`` always holds (see :meth:`balanced`).
    """

    events: gpd.GeoDataFrame = field(default_factory=empty_events)
    rejected: list[Rejection] = field(default_factory=list)
    n_input: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """How many input rows were rejected (a row with several problems counts once)."""
        return len({(r.file, r.row) for r in self.rejected if r.row is not None})

    def balanced(self) -> bool:
        """Whether accepted + rejected rows equals input rows."""
        return len(self.events) + self.rejected_rows == self.n_input


def events_from_records(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Turn row dicts (model fields plus ``lon``, ``lat`` and ``_row``) into an event frame.

    The frame's index is each event's 1-based row number in its input file.
    """
    if not records:
        return empty_events()
    rows = [r.pop("_row") for r in records]
    geometry = shapely.points([r.pop("lon") for r in records], [r.pop("lat") for r in records])
    frame = gpd.GeoDataFrame(records, geometry=geometry, crs=CRS, index=rows)
    return conform(frame)
