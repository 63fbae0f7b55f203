"""The base map: no tile server needed, every script and stylesheet served by the app."""

from __future__ import annotations

from collections.abc import Mapping

import folium
import geopandas as gpd

from layers.assets import CSS, JS
from layers.boundaries import boundary_layers

#: Centre and zoom that show Balochistan, the Durand Line and Kashmir together.
CENTER = (30.5, 68.5)
ZOOM = 5
MIN_ZOOM = 4
MAX_ZOOM = 13
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


class OfflineMap(folium.Map):
    """A folium map whose JS and CSS come from the app's static route, never a CDN."""

    default_js = JS
    default_css = CSS


def base_map(layers: Mapping[str, gpd.GeoDataFrame], *, tiles: bool = True) -> OfflineMap:
    """The map with every boundary layer and a layer control.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        The shipped boundary layers by file stem (see :func:`layers.boundaries.boundary_layers`).
    tiles : bool
        Offer OpenStreetMap tiles as an optional overlay, off by default (they need internet;
        the boundaries alone make a readable map).

    """
    m = OfflineMap(
        location=CENTER,
        zoom_start=ZOOM,
        tiles=None,
        min_zoom=MIN_ZOOM,
        maxZoom=MAX_ZOOM,
        minZoom=MIN_ZOOM,
        control_scale=True,
        prefer_canvas=False,
    )
    for layer in boundary_layers(layers):
        layer.add_to(m)
    if tiles:
        folium.TileLayer(
            TILE_URL,
            attr=TILE_ATTRIBUTION,
            name="OpenStreetMap tiles (needs internet)",
            overlay=True,
            show=False,
            max_zoom=MAX_ZOOM,
        ).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m
