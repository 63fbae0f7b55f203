"""Reader for events as a GeoJSON FeatureCollection (RFC 7946: WGS 84 longitude/latitude).

Each feature is one event. Its properties are the project CSV's columns (see
:mod:`incidents.readers.project_csv`; ``actors`` may be a list of names or a ``;``-separated string), and its
geometry says where:

- a ``Point`` is the event's place; a third coordinate (height) is dropped and reported;
- a ``Polygon`` or ``MultiPolygon`` is the area the event is known to: the marker goes at a point
  inside it, and ``geo_precision`` must be ``district`` or coarser (an area is never a site). An
  invalid polygon is repaired with ``make_valid`` when that leaves an area, and the repair is
  reported;
- anything else (lines, collections, no geometry) is rejected, naming the feature.

A ``crs`` member other than WGS 84 longitude/latitude rejects the whole file: RFC 7946 has no
other CRS, and guessing one would move every point. Properties that are not event-model columns
are ignored and listed once in the report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from incidents.geo.boundaries import feature_collection, first_not_degrees, made_valid
from incidents.geo.position import swapped_position
from incidents.model.actors import ActorTable, actor_table
from incidents.model.errors import Inference, Repair, shorten
from incidents.readers import mapped, project_csv
from incidents.readers._format import Format
from incidents.readers._rows import AS_WRITTEN, ReadOptions, ReadResult, RowCheck, read_rows

#: Properties read from each feature (the project CSV's columns, without the coordinates).
PROPERTIES = tuple(c for c in project_csv.REQUIRED + project_csv.OPTIONAL if c not in ("latitude", "longitude"))
_AREA_PRECISIONS = ("district", "province", "region", "country")


def matches_text(text: str) -> bool:
    """Whether a file's text looks like JSON (its first non-blank character is ``{``)."""
    return text.lstrip()[:1] == "{"


def read_geojson(
    text: str, *, name: str, dataset: str, repaired: Sequence[Repair] = (), options: ReadOptions = AS_WRITTEN
) -> ReadResult:
    """Read a GeoJSON FeatureCollection of events.

    Features in the project's properties are read as the project CSV's rows; an event map in
    other properties (``title``, ``date``, ``description``, ``link``...) through a mapping
    (:func:`read_event_map`), as are features when ``options`` gives one.

    Raises
    ------
    IncidentDataError
        When the text is not JSON, not a FeatureCollection, or declares a CRS other than WGS 84.

    """
    data = feature_collection(text, name)
    if options.columns or not _in_event_model(data["features"]):
        return read_event_map(data["features"], name=name, dataset=dataset, repaired=repaired, options=options)
    extra: dict[str, None] = {}
    cells = []
    for feature in data["features"]:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict):
            extra.update((str(k), None) for k in props if k not in PROPERTIES)
        cells.append(_Feature(feature))
    notes = list(repaired)
    if extra:
        names = ", ".join(extra)
        notes.append(
            Repair(
                name, None, "properties", shorten(names, 200), "ignored properties that are not event-model columns", "feature"
            )
        )
    actors = actor_table()
    return read_rows(cells, name, lambda check: _parse_feature(check, dataset, actors), unit="feature", repaired=notes)


class _Feature(Mapping[str, str]):
    """A feature's model properties as text cells (what :class:`RowCheck` reads); the raw feature in ``feature``."""

    def __init__(self, feature: object):
        self.feature: dict[str, Any] | object = feature
        props = feature.get("properties") if isinstance(feature, dict) else None
        self.props = props if isinstance(props, dict) else {}
        self.cells = {k: _cell_text(k, v) for k, v in self.props.items() if k in PROPERTIES}

    def __getitem__(self, key: str) -> str:
        return self.cells[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)


def _cell_text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "actors" and isinstance(value, list):
        return ";".join(str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool))
    if isinstance(value, (dict, list, bool)):
        return json.dumps(value, ensure_ascii=False)  # rejected by the field's parser, shown as given
    return str(value)


def _parse_feature(check: RowCheck, dataset: str, actors: ActorTable) -> dict[str, Any]:
    cells = check.cells
    assert isinstance(cells, _Feature)  # read_geojson reads _Feature cells
    raw = cells.feature
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        check.fail(None, shorten(json.dumps(raw, default=str)), "expected a GeoJSON Feature object")
        return {}
    if "properties" in raw and not isinstance(raw["properties"], (dict, type(None))):
        check.fail("properties", raw["properties"], "expected an object of properties")
    is_area = False

    def position(check: RowCheck) -> tuple[float | None, float | None]:
        nonlocal is_area
        lat, lon, is_area = _geometry(check, raw.get("geometry"), check.text("country"))
        return lat, lon

    record = project_csv.parse_row(check, dataset, actors, position=position)
    if is_area and record.get("geo_precision") not in (None, *_AREA_PRECISIONS):
        check.fail(
            "geo_precision",
            record["geo_precision"],
            "an area geometry cannot be an exact or near location: expected " + ", ".join(_AREA_PRECISIONS),
        )
    return record


def _geometry(check: RowCheck, geometry: object, country: str) -> tuple[float | None, float | None, bool]:
    """Latitude, longitude and whether the geometry is an area; problems and repairs on ``check``."""
    if geometry is None:
        check.fail("geometry", "null", "no geometry: expected a Point or an area (Polygon, MultiPolygon)")
        return None, None, False
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if not isinstance(geometry, dict) or kind not in ("Point", "Polygon", "MultiPolygon"):
        check.fail("geometry", shorten(kind or json.dumps(geometry, default=str)), "expected a Point, Polygon or MultiPolygon")
        return None, None, False
    try:
        geom = shape(geometry)
        coords = shapely.get_coordinates(geom)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.ShapelyError) as exc:
        check.fail("geometry", shorten(json.dumps(geometry, default=str)), f"not a readable {kind} ({shorten(exc, 80)})")
        return None, None, False
    if geom.is_empty:
        check.fail("geometry", kind, "empty geometry")
        return None, None, False
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in _flat(geometry.get("coordinates"))):
        check.fail("geometry", shorten(json.dumps(geometry.get("coordinates"), default=str)), "coordinates must be numbers")
        return None, None, False
    if geom.has_z:
        check.repaired("geometry", f"{kind} with 3 coordinates", "dropped the third coordinate (height)")
        geom = shapely.force_2d(geom)
        coords = shapely.get_coordinates(geom)
    if kind == "Point" and np.isfinite(coords).all():
        lon, lat = float(coords[0, 0]), float(coords[0, 1])
        reason = swapped_position(lat, lon, country)
        if reason:
            check.repaired("geometry", f"[{lon}, {lat}]", reason)
            coords = coords[:, ::-1]
    bad = first_not_degrees(coords)
    if bad is not None:
        check.fail(
            "geometry", f"[{bad[0]}, {bad[1]}]", "expected longitude, latitude in degrees (WGS 84); is the file projected?"
        )
        return None, None, False
    if kind == "Point":
        return float(coords[0, 1]), float(coords[0, 0]), False
    if not geom.is_valid:
        fixed = made_valid(geom)
        if fixed is None:
            check.fail("geometry", shapely.is_valid_reason(geom), "invalid polygon that cannot be repaired into an area")
            return None, None, False
        check.repaired("geometry", shapely.is_valid_reason(geom), "invalid polygon made valid (make_valid)")
        geom = fixed  # type: ignore[assignment]  # an area of the same kind
    pt = geom.representative_point()
    return pt.y, pt.x, True


def _flat(coords: object) -> Iterator[object]:
    if isinstance(coords, list):
        for c in coords:
            yield from _flat(c)
    else:
        yield coords


def _props(feature: object) -> dict[str, Any]:
    props = feature.get("properties") if isinstance(feature, dict) else None
    return props if isinstance(props, dict) else {}


def _in_event_model(features: Sequence[object]) -> bool:
    """Whether the features carry the project's properties.

    So they do when any feature has a start date and an excerpt, or none has properties at all
    (then the project's checks name what is missing).
    """
    return any({"date_start", "excerpt"} <= set(_props(f)) for f in features) or not any(_props(f) for f in features)


class _MappedFeature(dict[str, str]):
    """A feature's properties (nested ``properties`` lifted) as text cells, and the raw feature."""

    def __init__(self, feature: object, cells: dict[str, str]):
        super().__init__(cells)
        self.feature = feature


#: Cells a feature's geometry adds for the mapping (names no property can have).
_LAT, _LON, _PRECISION = "\0latitude", "\0longitude", "\0geo_precision"


def read_event_map(
    features: Sequence[object], *, name: str, dataset: str, repaired: Sequence[Repair] = (), options: ReadOptions = AS_WRITTEN
) -> ReadResult:
    """Read features in no known properties through a mapping (:mod:`incidents.readers.mapped`).

    Nested ``properties.properties`` are lifted (reported). A feature's ``Point`` is its
    position (``exact``, unless a property mapped to ``geo_precision`` says otherwise); a
    ``Polygon`` or ``MultiPolygon`` is an area of unstated size (``region``, marker inside it,
    reported); a line is not a place (the feature is refused, naming it); a feature without
    geometry is placed by its place names, as a table's row is.
    """
    nested = 0
    cells = []
    for feature in features:
        props = dict(_props(feature))
        inner = props.pop("properties", None)
        if isinstance(inner, dict):
            nested += 1
            props = {**props, **inner}
        cells.append(_MappedFeature(feature, {str(k): _cell_text(str(k), v) for k, v in props.items()}))
    header = list(dict.fromkeys(k for c in cells for k in c))
    mapping, how = mapped.mapping_for(header, options, name, position=True, unit=("property", "properties"))
    inferred = [how]
    if nested:
        inferred.append(
            Inference(
                name, None, "properties", "", f"nested properties.properties read as properties ({_features(nested)})", "feature"
            )
        )
    areas: list[int] = []

    def parse(check: RowCheck, m: Mapping[str, str], *rest: Any) -> dict[str, Any]:
        raw = check.cells.feature if isinstance(check.cells, _MappedFeature) else None
        geometry = raw.get("geometry") if isinstance(raw, dict) else None
        if geometry is not None:
            kind = geometry.get("type") if isinstance(geometry, dict) else None
            if kind in ("LineString", "MultiLineString"):
                check.fail("geometry", kind, "a line is not a place: expected a Point or an area (Polygon, MultiPolygon)")
                return {}
            lat, lon, is_area = _geometry(check, geometry, "")
            if lat is None or lon is None:
                return {}
            assert isinstance(check.cells, _MappedFeature)
            check.cells.update({_LAT: repr(lat), _LON: repr(lon), _PRECISION: "region" if is_area else "exact"})
            if is_area:
                areas.append(check.number)
            own = {"latitude": _LAT, "longitude": _LON}
            m = {**m, **own} if "geo_precision" in m and not is_area else {**m, **own, "geo_precision": _PRECISION}
        return mapped.parse_row(check, m, *rest)

    result = mapped.read_through(
        list(enumerate(cells, start=1)), name, dataset, mapping, options, inferred, repaired, unit="feature", parse=parse
    )
    kept = [n for n in areas if n in set(result.events.index.tolist())]
    if kept:
        note = f"areas (Polygon, MultiPolygon) read as geo_precision region: an area of unstated size ({_features(len(kept))})"
        result.inferred.append(Inference(name, None, "geometry", "", note, "feature"))
    return result


def _features(n: int) -> str:
    return f"{n:,} feature" + ("" if n == 1 else "s")


#: GeoJSON FeatureCollections; a record is a feature.
FORMAT = Format(
    "geojson",
    "GeoJSON FeatureCollection",
    lambda s: s.text is not None and matches_text(s.text),
    read_text=read_geojson,
    unit="feature",
    extensions=("geojson", "json"),
)
