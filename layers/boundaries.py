"""Boundary layers: polygons and lines drawn from GeoDataFrames, labels set as text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.payload import PayloadLayer, checked, encode_payload
from layers.places import place_payload
from layers.styles import BOUNDARY_STYLES


def label_point(geom: BaseGeometry) -> Point:
    """Where a feature's label goes: inside a polygon, at the middle of a line's longest part."""
    if geom.geom_type in ("LineString", "MultiLineString"):
        parts = list(getattr(geom, "geoms", [geom]))
        longest = max(parts, key=lambda g: g.length)
        middle: Point = longest.interpolate(0.5, normalized=True)
        return middle
    inside: Point = geom.representative_point()
    return inside


@dataclass(frozen=True)
class BoundarySpec:
    """A boundary layer ready for the map: its name, encoded payload and bounds.

    Building one is the costly part (GeoJSON + base64); a :class:`BoundaryLayer` made from it is
    cheap, so an app can build the specs once and a new map on every run.
    """

    name: str
    payload: str
    bounds: tuple[tuple[float, float], tuple[float, float]]
    show: bool = True
    #: The map script's function that draws it (``IncidentMap.<factory>``): boundaries, or place labels.
    factory: str = "boundaryLayer"


def boundary_spec(
    gdf: gpd.GeoDataFrame,
    name: str,
    *,
    style: Mapping[str, Any],
    highlight_property: str | None = None,
    highlight_style: Mapping[str, Any] | None = None,
    label_property: str = "name",
    label_class: str = "boundary-label",
    detail_properties: tuple[str, ...] = (),
    permanent_labels: bool = False,
    show: bool = True,
) -> BoundarySpec:
    """Encode a GeoDataFrame as a boundary layer whose labels are set as text in the browser.

    Parameters
    ----------
    gdf : GeoDataFrame
        Features in EPSG:4326.
    name : str
        Name in the layer control.
    style : dict
        Leaflet path style for every feature.
    highlight_property : str, optional
        Boolean property; features where it is true get ``highlight_style``.
    highlight_style : dict, optional
        Style of the highlighted features (default: ``style``).
    label_property : str
        Property shown as the feature's label.
    label_class : str
        CSS class of the drawn labels.
    detail_properties : sequence of str
        Further properties listed in the hover tooltip.
    permanent_labels : bool
        Draw each feature's label on the map (only the highlighted features', when
        ``highlight_property`` is set). Every feature also has a hover tooltip.
    show : bool
        Whether the layer is on when the map opens.

    """
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(f"{name}: boundary layers must be EPSG:4326, got {gdf.crs}")
    labelled = gdf
    if permanent_labels and highlight_property:
        labelled = gdf[gdf[highlight_property].astype(bool)]
    labels = []
    if permanent_labels:
        # one label per name, on its largest feature (two Siachen segments share a name);
        # sizes in square/linear degrees: only compared between features of one name
        geoms = labelled.geometry.values
        size = np.where(labelled.geom_type.str.contains("Line"), shapely.length(geoms), shapely.area(geoms))
        zooms = labelled["min_zoom"] if "min_zoom" in labelled else None  # a label shown only from that zoom
        ordered = labelled.assign(_size=size, _zoom=zooms).sort_values("_size", ascending=False).drop_duplicates(label_property)
        for text, geom, zoom in ordered[[label_property, "geometry", "_zoom"]].itertuples(index=False):
            pt = label_point(geom)
            label = {"text": str(text), "lat": round(pt.y, 5), "lon": round(pt.x, 5)}
            labels.append(label if pd.isna(zoom) else {**label, "min_zoom": int(zoom)})
        labels.sort(key=lambda lab: str(lab["text"]))
    data = {
        "geojson": json.loads(gdf.to_json(drop_id=True)),
        "style": dict(style),
        "highlight_property": highlight_property,
        "highlight_style": dict(highlight_style or style),
        "label_property": label_property,
        "label_class": label_class,
        "detail_properties": list(detail_properties),
        "labels": labels,
    }
    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    return BoundarySpec(name, checked(encode_payload(data)), ((miny, minx), (maxy, maxx)), show)


class BoundaryLayer(PayloadLayer):
    """A boundary layer on the map, drawn in the browser by ``IncidentMap.boundaryLayer``."""

    factory = "boundaryLayer"

    def __init__(self, spec: BoundarySpec):
        super().__init__(spec.payload, [list(spec.bounds[0]), list(spec.bounds[1])], name=spec.name, control=True, show=spec.show)
        self.factory = spec.factory


def boundary_specs(layers: Mapping[str, gpd.GeoDataFrame]) -> list[BoundarySpec]:
    """The map's boundary layers, bottom to top, from the shipped layers keyed by file stem.

    ``layers`` needs ``countries``, ``neighbour_admin1``, ``afg_provinces``, ``pak_provinces``,
    ``pak_districts``, ``kashmir`` and ``lines``; with ``places``, the town and city labels come last.
    """
    provinces = layers["pak_provinces"]
    balochistan = provinces[provinces["name"] == "Balochistan"]
    others = provinces[provinces["name"] != "Balochistan"]
    districts = layers["pak_districts"]
    bal_districts = districts[districts["parent"] == "Balochistan"]
    return [
        boundary_spec(layers["countries"], "Countries", style=BOUNDARY_STYLES["countries"], detail_properties=("code",)),
        boundary_spec(
            layers["neighbour_admin1"],
            "Neighbouring states and provinces",
            style=BOUNDARY_STYLES["neighbour_admin1"],
            detail_properties=("country",),
            show=False,
        ),
        boundary_spec(
            layers["afg_provinces"], "Afghanistan provinces", style=BOUNDARY_STYLES["afg_provinces"], detail_properties=("code",)
        ),
        boundary_spec(
            others,
            "Other Pakistan provinces and territories",
            style=BOUNDARY_STYLES["pak_provinces"],
            detail_properties=("kind", "code"),
        ),
        boundary_spec(
            balochistan, "Balochistan province", style=BOUNDARY_STYLES["balochistan"], detail_properties=("kind", "code")
        ),
        boundary_spec(
            bal_districts,
            "Balochistan districts (Mastung, Khuzdar marked)",
            style=BOUNDARY_STYLES["balochistan_districts"],
            highlight_property="highlight",
            highlight_style=BOUNDARY_STYLES["highlight_districts"],
            detail_properties=("parent", "code"),
            permanent_labels=True,
        ),
        boundary_spec(
            layers["kashmir"],
            "Kashmir: administered parts (de facto)",
            style=BOUNDARY_STYLES["kashmir"],
            detail_properties=("administered_by", "claimed_by", "note"),
        ),
        boundary_spec(
            layers["lines"],
            "Durand Line, Line of Control (labelled)",
            style=BOUNDARY_STYLES["lines"],
            label_property="name",
            label_class="line-label",
            detail_properties=("label", "note"),
            permanent_labels=True,
        ),
        *(
            [
                boundary_spec(
                    layers["rivers"],
                    "Main rivers (labels by zoom)",
                    style=BOUNDARY_STYLES["rivers"],
                    label_class="river-label",
                    permanent_labels=True,
                    show=False,
                )
            ]
            if "rivers" in layers
            else []
        ),
        *([place_spec(layers["places"])] if "places" in layers else []),
    ]


def place_spec(places: gpd.GeoDataFrame) -> BoundarySpec:
    """The town and city labels (``data/geo/places.geojson``), drawn by zoom by ``IncidentMap.placeLayer``."""
    minx, miny, maxx, maxy = (float(v) for v in places.total_bounds)
    return BoundarySpec(
        "Towns and cities (labels by zoom)", place_payload(places), ((miny, minx), (maxy, maxx)), factory="placeLayer"
    )
