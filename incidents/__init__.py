"""The event model: load, validate and filter incidents. No Streamlit in here."""

from incidents.errors import IncidentDataError, Rejection
from incidents.filters import EventFilter, apply_filter, describe, filter_mask
from incidents.loader import LoadResult, load_all, load_events
from incidents.schema import COLUMNS, DATE_PRECISIONS, GEO_PRECISIONS

__all__ = [
    "COLUMNS",
    "DATE_PRECISIONS",
    "GEO_PRECISIONS",
    "EventFilter",
    "IncidentDataError",
    "LoadResult",
    "Rejection",
    "apply_filter",
    "describe",
    "filter_mask",
    "load_all",
    "load_events",
]
