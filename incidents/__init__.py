"""The event model: load, validate and filter incidents. No Streamlit, folium or layers in here."""

from incidents.geo.areas import AreaFacet  # registered with the other facets
from incidents.loader import LoadResult, load_all, load_events
from incidents.model.errors import IncidentDataError, Problem, Rejection, Repair
from incidents.model.schema import COLUMNS, DATE_PRECISIONS, GEO_PRECISIONS
from incidents.query.facets import FACETS, Facet, Widget, register
from incidents.query.filters import EventFilter, apply_filter, describe, filter_mask, from_query, to_query
from incidents.query.near import DistanceFacet  # registered with the other facets

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
