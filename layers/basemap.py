"""The base map: no tile server needed, every script and stylesheet served by the app."""

from __future__ import annotations

from collections.abc import Sequence

import folium

from layers.assets import CORE_PARTS, CSS, JS, js
from layers.boundaries import BoundaryLayer, BoundarySpec

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


def base_map(boundaries: Sequence[BoundarySpec], *, tiles: bool = True, parts: tuple[str, ...] = CORE_PARTS) -> OfflineMap:
    """The map with the given boundary layers (bottom to top) and a layer control.

    Parameters
    ----------
    boundaries : sequence of BoundarySpec
        Encoded boundary layers, e.g. :func:`layers.boundaries.boundary_specs` of the shipped ones.
    tiles : bool
        Offer OpenStreetMap tiles as an optional overlay, off by default (they need internet;
        the boundaries alone make a readable map).
    parts : tuple of str
        The map script's parts to load (``static/map/<part>.js``), in order: the core's by default;
        the dashboard passes its map modes' too (:func:`views.modes.script_parts`).

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
    m.default_js = js(parts)
    for spec in boundaries:
        BoundaryLayer(spec).add_to(m)
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
