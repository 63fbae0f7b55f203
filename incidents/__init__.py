"""The event model: load, validate and filter incidents. No Streamlit, folium or layers in here."""

from incidents.areas import AreaFacet  # registered with the other facets
from incidents.errors import IncidentDataError, Problem, Rejection, Repair
from incidents.facets import FACETS, Facet, Widget, register
from incidents.filters import EventFilter, apply_filter, describe, filter_mask, from_query, to_query
from incidents.loader import LoadResult, load_all, load_events
from incidents.proximity import DistanceFacet  # registered with the other facets
from incidents.schema import COLUMNS, DATE_PRECISIONS, GEO_PRECISIONS

__all__ = [
    "COLUMNS",
    "AreaFacet",
    "DATE_PRECISIONS",
    "DistanceFacet",
    "FACETS",
    "GEO_PRECISIONS",
    "EventFilter",
    "Facet",
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
