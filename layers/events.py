"""The incident layer: compact rows to the browser, markers and popups built there as text.

What travels per incident is 14 bytes (latitude and longitude as 1e-5 degree integers, the
incident's key, a style number); a style stands for a combination of groups (colours and
names) and a location precision. Long texts (excerpt, citation) are not sent with the rows:
the browser shows the short facts at once and the server adds the clicked incident's full
source text on the rerun the click triggers (see :func:`selection_payload`).

Keys are row positions in the loaded event frame, stable across filters.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping

import folium
import numpy as np
import pandas as pd

from incidents.index import EventIndex
from incidents.schema import GEO_PRECISIONS
from layers.labels import GEO_PRECISION_SHORT, date_text, fatalities_text, offsets_text, place_text
from layers.payload import PayloadLayer, decode_payload, encode_bytes, encode_payload
from layers.styles import NO_GROUP_LABEL, OTHER_COLOR, OTHER_LABEL

#: Groups shown per marker (as pie segments); further groups are listed in the popup only.
MAX_SEGMENTS = 3
#: Coordinates travel as integers of this many degrees.
COORD_SCALE = 100_000


def incident_rows(index: EventIndex, rows: np.ndarray, colors: Mapping[str, str]) -> tuple[dict, bytes]:
    """Metadata (styles, palette, legend) and the packed rows of the incidents at positions ``rows``.

    The packed rows are four little-endian arrays, one after the other: latitude and longitude
    (int32, 1e-5 degrees), key (int32) and style (uint16).
    """
    rows = np.asarray(rows, dtype=np.int64)
    style_code = index.actors.codes[rows].astype(np.int64) * len(GEO_PRECISIONS) + index.precision[rows]
    uniques, style = np.unique(style_code, return_inverse=True)
    if len(uniques) > np.iinfo(np.uint16).max:
        raise ValueError(f"too many marker styles ({len(uniques)})")
    palette = [OTHER_COLOR, *dict.fromkeys(colors.values())]
    color_index = {c: i for i, c in enumerate(palette)}
    present: dict[str, str] = {}
    styles = []
    for code in uniques.tolist():
        combo, precision = divmod(code, len(GEO_PRECISIONS))
        actors = index.actors.values[combo]
        for a in actors:
            present[a if a in colors else OTHER_LABEL] = colors.get(a, OTHER_COLOR)
        if not actors:
            present[NO_GROUP_LABEL] = OTHER_COLOR
        styles.append(
            {
                "colors": [color_index[colors.get(a, OTHER_COLOR)] for a in actors[:MAX_SEGMENTS]] or [0],
                "precision": int(precision),
                "groups": "; ".join(actors) if actors else NO_GROUP_LABEL.lower(),
            }
        )
    packed = b"".join(
        [
            np.round(index.lat[rows] * COORD_SCALE).astype("<i4").tobytes(),
            np.round(index.lon[rows] * COORD_SCALE).astype("<i4").tobytes(),
            rows.astype("<i4").tobytes(),
            style.astype("<u2").tobytes(),
        ]
    )
    order = sorted(present, key=lambda g: (g in (OTHER_LABEL, NO_GROUP_LABEL), g))
    meta = {
        "n": len(rows),
        "scale": COORD_SCALE,
        "palette": palette,
        "precisions": list(GEO_PRECISIONS),
        "precision_labels": [GEO_PRECISION_SHORT[p] for p in GEO_PRECISIONS],
        "styles": styles,
        "legend": {
            "groups": [{"name": g, "color": present[g]} for g in order],
            "precisions": [{"precision": p, "label": GEO_PRECISION_SHORT[p]} for p in GEO_PRECISIONS],
        },
    }
    return meta, packed


def incident_details(events: pd.DataFrame, key: int) -> dict:
    """Everything the popup shows about incident ``key`` (a row position), as plain strings."""
    ev = events.iloc[key]
    url = ev["source_url"]
    return {
        "key": int(key),
        "event_id": ev["event_id"],
        "event_type": ev["event_type"],
        "date_text": date_text(ev["date_start"], ev["date_end"], ev["date_precision"]),
        "actors_text": "; ".join(ev["actors"]) if ev["actors"] else NO_GROUP_LABEL.lower(),
        "place_text": place_text(ev["location"], ev["geo_precision"], ev["admin1"], ev["admin2"]),
        "fatalities_text": fatalities_text(ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]),
        "excerpt": ev["excerpt"],
        "source_title": ev["source_title"],
        "source_url": url if isinstance(url, str) else None,
        "offsets_text": offsets_text(ev["excerpt_start"], ev["excerpt_end"]),
    }


class IncidentLayer(PayloadLayer):
    """Clustered incident markers, coloured by group, shaped by location precision.

    The browser keeps the layer it built for a given set of rows (by ``data_id``): a rerun that
    changes only the selected incident reuses it instead of rebuilding every marker.
    """

    factory = "incidentLayer"

    def __init__(
        self,
        index: EventIndex,
        rows: np.ndarray,
        colors: Mapping[str, str],
        *,
        selected: dict | None = None,
        name: str = "Incidents",
    ):
        meta, packed = incident_rows(index, rows, colors)
        meta_b64, rows_b64 = encode_payload(meta), encode_bytes(packed)
        data_id = hashlib.blake2b((meta_b64 + rows_b64).encode("ascii"), digest_size=12).hexdigest()
        rows = np.asarray(rows)
        bounds = (
            [
                [float(index.lat[rows].min()), float(index.lon[rows].min())],
                [float(index.lat[rows].max()), float(index.lon[rows].max())],
            ]
            if len(rows)
            else [[None, None], [None, None]]
        )
        super().__init__(
            [encode_bytes(data_id.encode("ascii")), meta_b64, rows_b64, encode_payload(selected or {})],
            bounds,
            name=name,
            control=False,
        )
        self.data_id = data_id


def incident_feature_group(
    index: EventIndex, rows: np.ndarray, colors: Mapping[str, str], *, selected: dict | None = None
) -> folium.FeatureGroup:
    """A feature group holding the incident layer, for ``st_folium(feature_group_to_add=...)``.

    Passed that way, a filter change swaps only this group in the browser: the base map and
    boundaries stay, and so do zoom and position.
    """
    group = folium.FeatureGroup(name=f"Incidents ({len(rows):,})", control=False)
    IncidentLayer(index, rows, colors, selected=selected).add_to(group)
    return group


#: Above this many incidents in view the map shows counts per grid cell instead of markers.
POINT_LIMIT = 150_000
#: Size of the cells counted in the aggregate view, in degrees.
CELL_DEG = 0.25


def count_cells(index: EventIndex, rows: np.ndarray, cell: float = CELL_DEG) -> dict:
    """Incidents at positions ``rows`` counted per ``cell``-degree grid cell.

    Every incident is counted exactly once, in the cell its marker point falls in; incidents
    located only to an area are counted separately per cell, so the popup can say how many
    stand for a whole district, province, region or country rather than a site.
    """
    rows = np.asarray(rows, dtype=np.int64)
    cx = np.floor(index.lon[rows] / cell).astype(np.int64)
    cy = np.floor(index.lat[rows] / cell).astype(np.int64)
    code = (cy + 400) * 2000 + (cx + 800)
    uniques, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    area = (index.precision[rows] >= GEO_PRECISIONS.index("district")).astype(np.int64)
    approx = np.bincount(inverse, weights=area, minlength=len(uniques)).astype(np.int64)
    lat = np.bincount(inverse, weights=index.lat[rows], minlength=len(uniques)) / counts
    lon = np.bincount(inverse, weights=index.lon[rows], minlength=len(uniques)) / counts
    return {
        "cell": cell,
        "total": int(len(rows)),
        "lat": np.round(lat, 4).tolist(),
        "lon": np.round(lon, 4).tolist(),
        "count": counts.tolist(),
        "area_only": approx.tolist(),
        "south": ((uniques // 2000 - 400) * cell).tolist(),
        "west": ((uniques % 2000 - 800) * cell).tolist(),
    }


class CountLayer(PayloadLayer):
    """Counts per grid cell, drawn as sized, labelled circles (the view for very many incidents)."""

    factory = "countLayer"

    def __init__(self, index: EventIndex, rows: np.ndarray, *, name: str = "Incident counts"):
        cells = count_cells(index, rows)
        bounds = (
            [[min(cells["south"]), min(cells["west"])], [max(cells["south"]) + CELL_DEG, max(cells["west"]) + CELL_DEG]]
            if cells["count"]
            else [[None, None], [None, None]]
        )
        super().__init__(encode_payload(cells), bounds, name=name, control=False)


def count_feature_group(index: EventIndex, rows: np.ndarray) -> folium.FeatureGroup:
    """A feature group holding a :class:`CountLayer`, for ``feature_group_to_add``."""
    group = folium.FeatureGroup(name=f"Incident counts ({len(rows):,})", control=False)
    CountLayer(index, rows).add_to(group)
    return group


_POPUP_HEAD = re.compile(r"^\s*Incident #(\d+)\b")


def key_from_popup_text(text: object) -> int | None:
    """The ``key`` of the incident whose popup text this is (its first line is generated)."""
    if not isinstance(text, str):
        return None
    m = _POPUP_HEAD.match(text)
    return int(m.group(1)) if m else None


def clicked_incident(index: EventIndex, clicked: Mapping | None) -> int | None:
    """The key of the incident a map click was on, from what ``st_folium`` returned.

    ``clicked`` holds ``last_object_clicked`` (the clicked object's position) and
    ``last_object_clicked_popup`` (its popup text). Clicks on boundaries leave the popup text of
    the last marker in place, so a click counts only when its position is that marker's.
    """
    if not clicked:
        return None
    key = key_from_popup_text(clicked.get("last_object_clicked_popup"))
    where = clicked.get("last_object_clicked") or {}
    if key is None or not 0 <= key < index.n or not isinstance(where, Mapping):
        return None
    try:
        lat, lng = float(where["lat"]), float(where["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    return key if abs(lat - index.lat[key]) < 1e-5 and abs(lng - index.lon[key]) < 1e-5 else None


_ARGS = re.compile(
    r'IncidentMap\.incidentLayer\("([A-Za-z0-9+/=]*)", "([A-Za-z0-9+/=]*)", "([A-Za-z0-9+/=]*)", "([A-Za-z0-9+/=]*)"\)'
)


def decode_incident_script(script: str) -> dict:
    """What an incident layer's script sends, decoded (the inverse of :class:`IncidentLayer`).

    Returns ``meta``, the ``selected`` details, and the rows as arrays ``lat``, ``lon``, ``key``
    and ``style``. Used by tests and the benchmark to check what the browser receives.
    """
    (match,) = _ARGS.findall(script)
    data_id, meta_b64, rows_b64, sel_b64 = match
    meta = decode_payload(meta_b64)
    raw = base64.b64decode(rows_b64)
    n = meta["n"]
    return {
        "data_id": base64.b64decode(data_id).decode("ascii"),
        "meta": meta,
        "selected": decode_payload(sel_b64),
        "lat": np.frombuffer(raw, "<i4", n, 0) / meta["scale"],
        "lon": np.frombuffer(raw, "<i4", n, 4 * n) / meta["scale"],
        "key": np.frombuffer(raw, "<i4", n, 8 * n).astype(np.int64),
        "style": np.frombuffer(raw, "<u2", n, 12 * n).astype(np.int64),
    }
