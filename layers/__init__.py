"""folium layer builders: they take frames and indexes, return folium objects, and never call ``st.*``."""

from layers.assets import install_assets
from layers.basemap import OfflineMap, base_map
from layers.boundaries import BoundaryLayer, BoundarySpec, boundary_spec, boundary_specs
from layers.counts import CountLayer, count_cells, count_feature_group
from layers.markers import (
    IncidentLayer,
    clicked_incident,
    decode_incident_script,
    incident_details,
    incident_feature_group,
    pack_incidents,
)
from layers.payload import decode_payload, encode_bytes, encode_payload
from layers.protocol import IncidentDetails, Ref, parse_ref, ref_text
from layers.styles import group_colors

__all__ = [
    "BoundaryLayer",
    "BoundarySpec",
    "CountLayer",
    "IncidentDetails",
    "IncidentLayer",
    "Ref",
    "OfflineMap",
    "base_map",
    "boundary_spec",
    "boundary_specs",
    "clicked_incident",
    "count_cells",
    "count_feature_group",
    "decode_incident_script",
    "decode_payload",
    "encode_bytes",
    "encode_payload",
    "group_colors",
    "incident_details",
    "incident_feature_group",
    "install_assets",
    "pack_incidents",
    "parse_ref",
    "ref_text",
]
