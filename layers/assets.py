"""Offline browser assets: Leaflet from its XStatic package, and the app's own map script in parts.

Nothing is fetched from the internet: :func:`install_assets` copies the files that the
installed XStatic packages ship into ``static/vendor/`` (copies, not links, since Streamlit's
static serving does not follow links), and the map refers to them by root-relative URLs under
Streamlit's static route ``/app/static/``. This module is the one place in ``layers/`` that
touches files, and only to copy package data.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Mapping
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
URL_PREFIX = "/app/static"

#: destination under ``static/`` -> source file inside an XStatic package
_VENDOR_FILES: dict[str, Path] = {
    "vendor/leaflet/leaflet.js": Path(xs_leaflet.BASE_DIR) / "leaflet.js",
    "vendor/leaflet/leaflet.css": Path(xs_leaflet.BASE_DIR) / "leaflet.css",
    **{f"vendor/leaflet/images/{p.name}": p for p in sorted((Path(xs_leaflet.BASE_DIR) / "images").glob("*.png"))},
}

#: The map script's parts under ``static/map/`` that every page loads first (plain scripts, no
#: bundler): each adds its exports to ``window.IncidentMap``. The parts of the incident layers
#: follow, as each map mode names them (``views/modes.py``); ``cluster`` is pure (no DOM, no Leaflet).
CORE_PARTS: tuple[str, ...] = ("core", "boundaries", "places")


def js(parts: tuple[str, ...] = CORE_PARTS) -> list[tuple[str, str]]:
    """Leaflet and the map script's ``parts``, as (name, URL) pairs in load order (folium's ``default_js`` form)."""
    return [
        ("leaflet", f"{URL_PREFIX}/vendor/leaflet/leaflet.js"),
        *((f"incident_map_{part}", f"{URL_PREFIX}/map/{part}.js") for part in parts),
    ]


#: Leaflet and the core parts, in folium's ``default_js`` form (a map adds its modes' parts: :func:`layers.basemap.base_map`).
JS: list[tuple[str, str]] = js()
CSS: list[tuple[str, str]] = [
    ("leaflet_css", f"{URL_PREFIX}/vendor/leaflet/leaflet.css"),
    ("incident_map_css", f"{URL_PREFIX}/map/map.css"),
]


def install_assets(static_dir: Path = STATIC_DIR, files: Mapping[str, Path] | None = None) -> list[Path]:
    """Copy files into ``static_dir`` where missing or changed; return all paths.

    ``files`` maps a destination under ``static_dir`` to a package file; by default, the map's.
    """
    paths = []
    for rel, source in (_VENDOR_FILES if files is None else files).items():
        dest = static_dir / rel
        if dest.is_symlink():
            dest.unlink()
        if not dest.is_file() or not filecmp.cmp(source, dest, shallow=False):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
        paths.append(dest)
    return paths


def asset_paths(static_dir: Path = STATIC_DIR) -> dict[str, Path]:
    """Every URL a map may load (Leaflet, its styles, every part of the map script), mapped to the file that serves it."""
    parts = tuple(p.stem for p in sorted((STATIC_DIR / "map").glob("*.js")))
    return {url: static_dir / url.removeprefix(URL_PREFIX + "/") for _, url in js(parts) + CSS}
