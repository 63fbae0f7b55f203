"""Incident markers: compact rows to the browser, markers and popups built there as text.

What travels per incident is 22 bytes (latitude and longitude as 1e-5 degree integers, the
incident's key, its first and last possible day for playback, a style number; the layout is
:data:`ROW_DTYPES`, described to the browser in the payload); a style stands for a combination
of groups (colours and names) and a location precision. Long texts (excerpt, citation) are not
sent with the rows: the browser shows the short facts at once and the server adds the clicked incident's full
source text on the rerun the click triggers (see :func:`selection_payload`).

Keys are row positions in the loaded event frame, stable across filters.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

import folium
import numpy as np
import pandas as pd

from incidents.model.grades import grade_text
from incidents.model.schema import GEO_PRECISIONS
from incidents.model.validate import is_web_url
from incidents.query.index import EventIndex
from layers.labels import GEO_PRECISION_SHORT, date_text, fatalities_text, offsets_text, place_text
from layers.packing import pack_columns, unpack_columns
from layers.payload import PayloadLayer, decode_payload, encode_bytes, encode_payload
from layers.protocol import IncidentDetails, parse_ref, read_layer_call, vocabulary
from layers.styles import NO_GROUP_LABEL, OTHER_COLOR, OTHER_LABEL

#: Groups shown per marker (as pie segments); further groups are listed in the popup only.
MAX_SEGMENTS = 3
#: Coordinates travel as integers of this many degrees.
COORD_SCALE = 100_000


#: How a marker draws its incident's credibility (1-6): plain (3, and 6: not graded), ringed (1-2: confirmed or
#: probably true), faded (4: doubtful), more faded (5: improbable). By credibility, the band's index.
CREDIBILITY_BANDS = ("plain", "ringed", "doubtful", "improbable")
CREDIBILITY_BAND = np.array([0, 1, 1, 0, 2, 3, 0], dtype=np.int64)
#: What the legend says of each band but the plain one.
CREDIBILITY_LEGEND = {
    "ringed": "ringed: confirmed or probably true (1-2)",
    "doubtful": "faded: doubtful (4)",
    "improbable": "fainter: improbable (5)",
}

#: The packed rows: latitude and longitude (1e-5 degrees), the incident's key, its first and last possible
#: day (days since 1970-01-01: playback steps a window through them in the browser), its style.
ROW_DTYPES: dict[str, str] = {"lat": "<i4", "lon": "<i4", "key": "<i4", "start": "<i4", "end": "<i4", "style": "<u2"}


def pack_incidents(index: EventIndex, rows: np.ndarray, colors: Mapping[str, str]) -> tuple[dict[str, Any], bytes]:
    """Metadata (row layout, styles, palette, legend) and the packed rows of the incidents at positions ``rows``.

    The rows are packed by :func:`layers.packing.pack_columns` as :data:`ROW_DTYPES`; the
    layout travels in ``meta["layout"]``.
    """
    rows = np.asarray(rows, dtype=np.int64)
    band = CREDIBILITY_BAND[index.credibility[rows].astype(np.int64)]
    style_code = (index.actors.codes[rows].astype(np.int64) * len(GEO_PRECISIONS) + index.precision[rows]) * 4 + band
    uniques, style = np.unique(style_code, return_inverse=True)
    if len(uniques) > np.iinfo(np.uint16).max:
        raise ValueError(f"too many marker styles ({len(uniques)})")
    palette = [OTHER_COLOR, *dict.fromkeys(colors.values())]
    color_index = {c: i for i, c in enumerate(palette)}
    present: dict[str, str] = {}
    styles = []
    for code in uniques.tolist():
        code, credible = divmod(code, 4)
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
                "credibility": CREDIBILITY_BANDS[credible],
                "groups": "; ".join(actors) if actors else NO_GROUP_LABEL.lower(),
            }
        )
    layout, packed = pack_columns(
        {
            "lat": np.round(index.lat[rows] * COORD_SCALE),
            "lon": np.round(index.lon[rows] * COORD_SCALE),
            "key": rows,
            "start": index.start_day[rows],
            "end": index.end_day[rows],
            "style": style,
        },
        ROW_DTYPES,
    )
    order = sorted(present, key=lambda g: (g in (OTHER_LABEL, NO_GROUP_LABEL), g))
    meta = {
        "n": len(rows),
        "layout": layout,
        "scale": COORD_SCALE,
        "palette": palette,
        "precisions": list(GEO_PRECISIONS),
        "precision_labels": [GEO_PRECISION_SHORT[p] for p in GEO_PRECISIONS],
        **vocabulary(),
        "styles": styles,
        "legend": {
            "groups": [{"name": g, "color": present[g]} for g in order],
            "precisions": [{"precision": p, "label": GEO_PRECISION_SHORT[p]} for p in GEO_PRECISIONS],
            "credibility": [{"band": b, "label": CREDIBILITY_LEGEND[b]} for b in CREDIBILITY_BANDS[1:]],
        },
    }
    return meta, packed


#: Shown instead of an excerpt for an event whose dataset gives no source text (a mapped table).
NO_SOURCE_TEXT = "No source text in this dataset: the file gives no excerpt for this event."


def incident_details(events: pd.DataFrame, key: int) -> IncidentDetails:
    """Everything the popup shows about incident ``key`` (a row position), as plain strings.

    ``source_url`` is set only for an http/https link; ``no_text`` (else empty) says there is
    no excerpt to quote.
    """
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
        "grade_text": grade_text(ev["reliability"], ev["credibility"]),
        "excerpt": ev["excerpt"],
        "no_text": NO_SOURCE_TEXT if not str(ev["excerpt"]).strip() else "",
        "source_title": ev["source_title"],
        "source_url": url if is_web_url(url) else None,
        "offsets_text": offsets_text(ev["excerpt_start"], ev["excerpt_end"]),
    }


class IncidentLayer(PayloadLayer):
    """Clustered incident markers, coloured by group, shaped by location precision.

    The browser keeps the layer it built for a given set of rows (by ``data_id``): a rerun that
    changes only the selected incident reuses it instead of rebuilding every marker.
    """

    factory = "incidentLayer"
    args = ("id", "meta", "rows", "selected", "options")

    def __init__(
        self,
        index: EventIndex,
        rows: np.ndarray,
        colors: Mapping[str, str],
        *,
        selected: IncidentDetails | None = None,
        name: str = "Incidents",
        fit: bool = False,
        fit_to: tuple[float, float, float, float] | None = None,
    ):
        meta, packed = pack_incidents(index, rows, colors)
        meta_b64, rows_b64 = encode_payload(meta), encode_bytes(packed)
        data_id = hashlib.blake2b((meta_b64 + rows_b64).encode("ascii"), digest_size=12).hexdigest()
        rows = np.asarray(rows)
        bounds: list[list[float | None]] = (
            [
                [float(index.lat[rows].min()), float(index.lon[rows].min())],
                [float(index.lat[rows].max()), float(index.lon[rows].max())],
            ]
            if len(rows)
            else [[None, None], [None, None]]
        )
        super().__init__(
            [
                encode_bytes(data_id.encode("ascii")),
                meta_b64,
                rows_b64,
                encode_payload(selected or {}),
                encode_payload({"fit": fit, "bounds": list(fit_to) if fit_to else None}),
            ],
            bounds,
            name=name,
            control=False,
        )
        self.data_id = data_id


def incident_feature_group(
    index: EventIndex,
    rows: np.ndarray,
    colors: Mapping[str, str],
    *,
    selected: IncidentDetails | None = None,
    fit: bool = False,
    fit_to: tuple[float, float, float, float] | None = None,
) -> folium.FeatureGroup:
    """A feature group holding the incident layer, for ``st_folium(feature_group_to_add=...)``.

    Passed that way, a filter change swaps only this group in the browser: the base map and
    boundaries stay. With ``fit``, a new set of incidents (a filter change, not the first view
    nor a click) moves the map to fit them, or the box ``fit_to`` (west, south, east, north:
    the chosen region) when given; without, zoom and position stay.
    """
    group = folium.FeatureGroup(name=f"Incidents ({len(rows):,})", control=False)
    IncidentLayer(index, rows, colors, selected=selected, fit=fit, fit_to=fit_to).add_to(group)
    return group


def clicked_incident(index: EventIndex, clicked: Mapping[str, Any] | None) -> int | None:
    """The key of the incident a map click was on, from what ``st_folium`` returned.

    ``clicked`` holds ``last_object_clicked`` (the clicked object's position) and
    ``last_object_clicked_popup`` (its popup text, which starts with the incident's reference:
    see :mod:`layers.protocol`). Clicks on boundaries leave the popup text of the last marker in
    place, so a click counts only when its position is that marker's.
    """
    if not clicked:
        return None
    ref = parse_ref(clicked.get("last_object_clicked_popup"))
    where = clicked.get("last_object_clicked") or {}
    if ref is None or ref.kind != "incident" or not 0 <= ref.id < index.n or not isinstance(where, Mapping):
        return None
    key = ref.id
    try:
        lat, lng = float(where["lat"]), float(where["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    return key if abs(lat - index.lat[key]) < 1e-5 and abs(lng - index.lon[key]) < 1e-5 else None


def decode_incident_script(script: str) -> dict[str, Any]:
    """What an incident layer's script sends, decoded (the inverse of :class:`IncidentLayer`).

    Returns ``meta``, the ``selected`` details, and the rows as arrays ``lat``, ``lon``, ``key``,
    ``start``, ``end`` (day numbers) and ``style``. Used by tests and the benchmark to check what the browser receives.
    """
    args = read_layer_call(script, IncidentLayer.factory)
    data_id, meta_b64, rows_b64, sel_b64, opt_b64 = (args[name] for name in IncidentLayer.args)
    meta = decode_payload(meta_b64)
    columns = unpack_columns(meta["layout"], base64.b64decode(rows_b64), meta["n"])
    return {
        "data_id": base64.b64decode(data_id).decode("ascii"),
        "meta": meta,
        "selected": decode_payload(sel_b64),
        "fit": decode_payload(opt_b64)["fit"],
        "fit_to": decode_payload(opt_b64)["bounds"],
        "lat": columns["lat"] / meta["scale"],
        "lon": columns["lon"] / meta["scale"],
        "key": columns["key"].astype(np.int64),
        "start": columns["start"].astype(np.int64),
        "end": columns["end"].astype(np.int64),
        "style": columns["style"].astype(np.int64),
    }
