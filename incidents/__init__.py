"""The event model: load, validate and filter incidents. No Streamlit, folium or layers in here.

The package is in layers, each importing only those below it (checked by ``tests/test_imports.py``):

- ``model/``: the event schema, errors, field parsers, dates, records, group names, source documents, the store's tables;
- ``geo/``: boundaries, spatial joins, areas, distances to lines, the gazetteer, swapped positions;
- ``query/``: the index, the facets (listed in ``query/registry.py``) and filters; light: no SQLAlchemy
  until a facet's SQL is asked for;
- ``readers/`` (one module per format; helpers marked ``_``) and ``extract/`` (candidate events from a text);
- ``loader``, ``intake``, ``writers``, ``timeline``, ``network``: what the dashboard and the command line use;
- ``store/``: the analysts' store, above all of them; ``__main__``: the command line.

The names below are imported on first use (:pep:`562`), so importing one layer never loads the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incidents.loader import LoadResult, load_all, load_events
    from incidents.model.errors import IncidentDataError, Problem, Rejection, Repair
    from incidents.model.schema import COLUMNS, DATE_PRECISIONS, GEO_PRECISIONS
    from incidents.query.area import AreaFacet
    from incidents.query.facets import Facet, Widget
    from incidents.query.filters import EventFilter, apply_filter, describe, filter_mask, from_query, to_query
    from incidents.query.near import DistanceFacet
    from incidents.query.registry import FACETS, register

#: Each public name, by the module that defines it.
_WHERE = {
    "COLUMNS": "incidents.model.schema",
    "DATE_PRECISIONS": "incidents.model.schema",
    "GEO_PRECISIONS": "incidents.model.schema",
    "IncidentDataError": "incidents.model.errors",
    "Problem": "incidents.model.errors",
    "Rejection": "incidents.model.errors",
    "Repair": "incidents.model.errors",
    "AreaFacet": "incidents.query.area",
    "DistanceFacet": "incidents.query.near",
    "Facet": "incidents.query.facets",
    "Widget": "incidents.query.facets",
    "FACETS": "incidents.query.registry",
    "register": "incidents.query.registry",
    "EventFilter": "incidents.query.filters",
    "apply_filter": "incidents.query.filters",
    "describe": "incidents.query.filters",
    "filter_mask": "incidents.query.filters",
    "from_query": "incidents.query.filters",
    "to_query": "incidents.query.filters",
    "LoadResult": "incidents.loader",
    "load_all": "incidents.loader",
    "load_events": "incidents.loader",
}

__all__ = [
    "AreaFacet",
    "COLUMNS",
    "DATE_PRECISIONS",
    "DistanceFacet",
    "EventFilter",
    "FACETS",
    "Facet",
    "GEO_PRECISIONS",
    "IncidentDataError",
    "LoadResult",
    "Problem",
    "Rejection",
    "Repair",
    "Widget",
    "apply_filter",
    "describe",
    "filter_mask",
    "from_query",
    "load_all",
    "load_events",
    "register",
    "to_query",
]


assert sorted(__all__) == sorted(_WHERE), "every public name has its module"


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _WHERE:
        raise AttributeError(f"module 'incidents' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
