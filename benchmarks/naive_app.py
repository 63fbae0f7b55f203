"""The obvious folium build, kept only as the benchmark's baseline: do not copy it.

One ``folium.Marker`` with a ``folium.Popup`` per incident inside a ``MarkerCluster``, rebuilt
on every rerun and handed whole to ``st_folium``. Run by ``benchmarks/bench.py`` on synthetic
data only (folium's ``Popup`` renders its text as HTML, which is unsafe for real documents).
Leaflet is served locally, as in the dashboard, so the browser timing is comparable offline.
"""

from __future__ import annotations

from pathlib import Path

import folium
import streamlit as st
import xstatic.pkg.leaflet_markercluster as xs_cluster
from folium.plugins import MarkerCluster
from streamlit_folium import st_folium

from incidents import EventFilter, apply_filter, load_all
from incidents.loader import env_files
from layers.assets import CSS, JS, URL_PREFIX, install_assets

_CLUSTER = Path(xs_cluster.BASE_DIR)
#: Leaflet.markercluster, which only this baseline uses, served from its XStatic package too.
CLUSTER_FILES = {
    "vendor/markercluster/leaflet.markercluster.js": _CLUSTER / "leaflet.markercluster.js",
    "vendor/markercluster/MarkerCluster.css": _CLUSTER / "MarkerCluster.css",
    "vendor/markercluster/MarkerCluster.Default.css": _CLUSTER / "MarkerCluster.Default.css",
}


@st.cache_resource
def _events():
    static = Path(__file__).resolve().parent / "static"  # served by Streamlit beside this script
    install_assets(static)
    install_assets(static, files=CLUSTER_FILES)
    return load_all([Path(p) for p in env_files()], shipped=False).events


events = _events()
groups = st.sidebar.multiselect("Groups", sorted({a for t in events["actors"] for a in t}), key="groups")
shown = apply_filter(events, EventFilter(groups=frozenset(groups) or None))
st.metric("Incidents shown", f"{len(shown):,}")
m = folium.Map(location=[30.5, 69.5], zoom_start=5, tiles=None, max_zoom=13)
m.default_js, m.default_css = list(JS[:1]), list(CSS[:1])
cluster = MarkerCluster()
cluster.default_js = [("markercluster", f"{URL_PREFIX}/vendor/markercluster/leaflet.markercluster.js")]
cluster.default_css = [
    (name, f"{URL_PREFIX}/vendor/markercluster/{name}") for name in ("MarkerCluster.css", "MarkerCluster.Default.css")
]
cluster.add_to(m)
for point, excerpt in zip(shown.geometry, shown["excerpt"]):
    folium.Marker([point.y, point.x], popup=folium.Popup(excerpt, max_width=400)).add_to(cluster)
st_folium(m, key="map", height=620, use_container_width=True, returned_objects=["last_object_clicked"])
