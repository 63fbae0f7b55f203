"""Town and city labels by zoom (``data/geo/places.geojson``): capitals first, smaller towns as the map zooms in.

Encoded once per process (see :func:`layers.boundaries.place_spec`), drawn by ``IncidentMap.placeLayer``
(``static/map/places.js``): a dot and the name as text, in the labels' pane, for the places
whose ``min_zoom`` the map has reached.
"""

from __future__ import annotations

import geopandas as gpd

from layers.payload import checked, encode_payload


def place_payload(places: gpd.GeoDataFrame) -> str:
    """The places as columns: name, kind, latitude, longitude and the zoom their label shows from."""
    ordered = places.sort_values(["min_zoom", "population"], ascending=[True, False])
    return checked(
        encode_payload(
            {
                "name": [str(n) for n in ordered["name"]],
                "kind": [str(k) for k in ordered["kind"]],
                "lat": [round(float(p.y), 4) for p in ordered.geometry],
                "lon": [round(float(p.x), 4) for p in ordered.geometry],
                "min_zoom": [int(z) for z in ordered["min_zoom"]],
            }
        )
    )
