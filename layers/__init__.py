"""folium layer builders: they take frames, return folium objects, and never call ``st.*``."""

from layers.assets import install_assets
from layers.basemap import OfflineMap, base_map
from layers.boundaries import BoundaryLayer, BoundarySpec, boundary_spec, boundary_specs
from layers.events import (
    IncidentLayer,
    clicked_incident,
    incident_details,
    incident_feature_group,
    incident_rows,
    key_from_popup_text,
)
from layers.payload import decode_payload, encode_bytes, encode_payload
from layers.styles import group_colors

__all__ = [
    "BoundaryLayer",
    "BoundarySpec",
    "IncidentLayer",
    "OfflineMap",
    "base_map",
    "boundary_spec",
    "boundary_specs",
    "clicked_incident",
    "decode_payload",
    "encode_bytes",
    "encode_payload",
    "group_colors",
    "incident_feature_group",
    "incident_details",
    "incident_rows",
    "install_assets",
    "key_from_popup_text",
]
