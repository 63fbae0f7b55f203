"""The incident layer: compact rows to the browser, markers and popups built there as text."""

from __future__ import annotations

import re
from collections.abc import Mapping

import folium
import numpy as np
import pandas as pd

from incidents.schema import GEO_PRECISIONS
from layers.labels import GEO_PRECISION_SHORT, date_text, fatalities_text, offsets_text, place_text
from layers.payload import PayloadLayer, encode_payload
from layers.styles import NO_GROUP_LABEL, OTHER_COLOR, OTHER_LABEL

#: Groups shown per marker (as pie segments); further groups are listed in the popup only.
MAX_SEGMENTS = 3


def incident_payload(events: pd.DataFrame, colors: Mapping[str, str]) -> dict:
    """Column-oriented data for :class:`IncidentLayer`.

    ``key`` is the event's index in ``events``: the dashboard maps a clicked popup back to its
    row with it. All text is sent as data and set with ``textContent`` in the browser.
    """
    palette = [OTHER_COLOR, *dict.fromkeys(colors.values())]
    color_index = {c: i for i, c in enumerate(palette)}
    present: dict[str, str] = {}
    color_cols = []
    for actors in events["actors"]:
        idx = []
        for a in actors[:MAX_SEGMENTS]:
            color = colors.get(a, OTHER_COLOR)
            idx.append(color_index[color])
            present[a if a in colors else OTHER_LABEL] = color
        if not actors:
            present[NO_GROUP_LABEL] = OTHER_COLOR
        color_cols.append(idx or [0])
    precision_index = {p: i for i, p in enumerate(GEO_PRECISIONS)}
    geoms = events.geometry
    columns = {
        "key": [int(k) for k in events.index],
        "lat": np.round(geoms.y.to_numpy(), 5).tolist(),
        "lon": np.round(geoms.x.to_numpy(), 5).tolist(),
        "precision": [precision_index[p] for p in events["geo_precision"]],
        "colors": color_cols,
        "event_id": events["event_id"].tolist(),
        "event_type": events["event_type"].tolist(),
        "date_text": [date_text(s, e, p) for s, e, p in zip(events["date_start"], events["date_end"], events["date_precision"])],
        "actors_text": ["; ".join(a) if a else NO_GROUP_LABEL.lower() for a in events["actors"]],
        "place_text": [
            place_text(loc, p, a1, a2)
            for loc, p, a1, a2 in zip(events["location"], events["geo_precision"], events["admin1"], events["admin2"])
        ],
        "fatalities_text": [
            fatalities_text(b, lo, hi)
            for b, lo, hi in zip(events["fatalities"], events["fatalities_low"], events["fatalities_high"])
        ],
        "excerpt": events["excerpt"].tolist(),
        "source_title": events["source_title"].tolist(),
        "source_url": [u if isinstance(u, str) else None for u in events["source_url"]],
        "offsets_text": [offsets_text(s, e) for s, e in zip(events["excerpt_start"], events["excerpt_end"])],
    }
    order = sorted(present, key=lambda g: (g in (OTHER_LABEL, NO_GROUP_LABEL), g))
    legend = {
        "groups": [{"name": g, "color": present[g]} for g in order],
        "precisions": [{"precision": p, "label": GEO_PRECISION_SHORT[p]} for p in GEO_PRECISIONS],
    }
    return {"columns": columns, "palette": palette, "precisions": list(GEO_PRECISIONS), "legend": legend}


class IncidentLayer(PayloadLayer):
    """Clustered incident markers, coloured by group, shaped by location precision."""

    factory = "incidentLayer"

    def __init__(self, events: pd.DataFrame, colors: Mapping[str, str], *, name: str = "Incidents"):
        geoms = events.geometry
        bounds = (
            [[float(geoms.y.min()), float(geoms.x.min())], [float(geoms.y.max()), float(geoms.x.max())]]
            if len(events)
            else [[None, None], [None, None]]
        )
        super().__init__(encode_payload(incident_payload(events, colors)), bounds, name=name, control=False)


def incident_feature_group(events: pd.DataFrame, colors: Mapping[str, str]) -> folium.FeatureGroup:
    """A feature group holding the incident layer, for ``st_folium(feature_group_to_add=...)``.

    Passed that way, a filter change swaps only this group in the browser: the base map and
    boundaries stay, and so do zoom and position.
    """
    group = folium.FeatureGroup(name=f"Incidents ({len(events):,})", control=False)
    IncidentLayer(events, colors).add_to(group)
    return group


_POPUP_HEAD = re.compile(r"^\s*Incident #(\d+) \u00b7 ")


def key_from_popup_text(text: object) -> int | None:
    """The ``key`` of the incident whose popup text this is (its first line is generated)."""
    if not isinstance(text, str):
        return None
    m = _POPUP_HEAD.match(text)
    return int(m.group(1)) if m else None


def clicked_incident(events: pd.DataFrame, clicked: Mapping | None) -> int | None:
    """The key of the incident a map click was on, from what ``st_folium`` returned.

    ``clicked`` holds ``last_object_clicked`` (the clicked object's position) and
    ``last_object_clicked_popup`` (its popup text). Clicks on boundaries leave the popup text of
    the last marker in place, so a click counts only when its position is that marker's.
    """
    if not clicked:
        return None
    key = key_from_popup_text(clicked.get("last_object_clicked_popup"))
    where = clicked.get("last_object_clicked") or {}
    if key is None or key not in events.index or not isinstance(where, Mapping):
        return None
    point = events.geometry.loc[key]
    try:
        lat, lng = float(where["lat"]), float(where["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    return key if abs(lat - point.y) < 1e-5 and abs(lng - point.x) < 1e-5 else None
