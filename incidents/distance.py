"""Geodesic distances from events to the shipped lines: the Durand Line, the Line of Control, borders.

The lines are those of ``data/geo/lines.geojson`` (the Durand Line, the Line of Control, the
Working Boundary, the Siachen sector) and ``data/geo/borders.geojson`` (the international
boundaries between the region's countries), by ``name``; a name on several features is one line.

How a distance is measured (WGS 84 ellipsoid, kilometres):

1. each line is cut into pieces of at most :data:`STEP_DEG` degrees (about 5 km), straight in
   degrees as the shipped line is drawn;
2. events are grouped in cells of :data:`CELL_DEG` degrees. Per cell, only the pieces that can be
   nearest to some point of the cell are kept: those whose distance to the cell's centre is at
   most the nearest piece's plus the cell's diameter (a triangle inequality, so none is missed);
3. in Earth-centred 3-D coordinates, each event's nearest kept piece and the nearest point on it
   (the foot) are found by straight-line (chord) distance, in matrix products per cell;
4. the distance is the geodesic one from the event to that foot (``pyproj.Geod.inv``, Karney's
   algorithm).

The foot is a point of the line, so the distance is never less than the line's; a test compares
it with a brute-force geodesic reference (``tests/geodesic.py``). Points certainly farther than
:data:`LIMIT_KM` get ``inf``. Measured speed is in ``docs/views-performance.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyproj
import shapely

from incidents.boundaries import boundary_layer

#: The layers whose features are lines a distance can be measured to.
LINE_LAYERS = ("lines", "borders")
#: The longest piece a line is cut into, in degrees (about 5 km).
STEP_DEG = 0.05
#: The side of the cells events are grouped in, in degrees: per cell, only the pieces that can be
#: nearest to some point of the cell are measured.
CELL_DEG = 0.25
#: Distances beyond this (km) are not needed (the distance filter goes to 500 km): ``inf``.
LIMIT_KM = 600.0
#: At most this many point-piece pairs are measured at once (memory: about 100 bytes each).
CHUNK = 500_000
_OFFSET, _BASE = 10_000, 100_000  # cell numbers: (column + offset) * base + row + offset, all positive
#: The WGS 84 ellipsoid, for geodesic distances.
GEOD = pyproj.Geod(ellps="WGS84")
_ECEF = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


@cache
def line_names() -> tuple[str, ...]:
    """The names of the lines offered, the de facto lines first, then the borders, each group by name."""
    names: list[str] = []
    for layer in LINE_LAYERS:
        for name in sorted(set(boundary_layer(layer)["name"])):
            if name not in names:
                names.append(name)
    return tuple(names)


@cache
def line(name: str) -> shapely.MultiLineString:
    """The line called ``name`` (every feature of that name, as one geometry).

    Raises
    ------
    KeyError
        For a name no line has.

    """
    parts = [g for layer in LINE_LAYERS for g in boundary_layer(layer).loc[lambda d: d["name"] == name].geometry]
    if not parts:
        raise KeyError(name)
    lines = [p for g in parts for p in shapely.get_parts(g)]
    return shapely.MultiLineString(lines)


def _ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x, y, z = _ECEF.transform(lon, lat, np.zeros_like(lon))
    return np.column_stack([x, y, z])


@dataclass(frozen=True)
class _Pieces:
    """A line's pieces: end points in degrees (``lonlat0``, ``lonlat1``) and as Earth-centred chords (metres)."""

    lonlat0: np.ndarray
    lonlat1: np.ndarray
    a: np.ndarray
    ab: np.ndarray
    ab2: np.ndarray

    def chord_distance(self, p: np.ndarray, which: np.ndarray, origin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per point of ``p`` (k x 3) and piece in ``which`` (c), the chord distance and the foot's fraction.

        Coordinates are taken relative to ``origin`` (a point near them), so that the products
        below lose no precision; they are matrix products, so a cell's points are measured at once.
        """
        p = p - origin
        a, ab, ab2 = self.a[which] - origin, self.ab[which], self.ab2[which]
        ap_ab = p @ ab.T - np.einsum("cj,cj->c", a, ab)
        t = np.clip(ap_ab / ab2, 0.0, 1.0)
        ap2 = np.einsum("kj,kj->k", p, p)[:, None] - 2.0 * (p @ a.T) + np.einsum("cj,cj->c", a, a)
        d2 = ap2 - 2.0 * t * ap_ab + t * t * ab2
        return np.sqrt(np.maximum(d2, 0.0)), t


@cache
def _pieces(name: str) -> _Pieces:
    lonlat0, lonlat1 = [], []
    for part in shapely.get_parts(shapely.segmentize(line(name), STEP_DEG)):
        xy = shapely.get_coordinates(part)
        lonlat0.append(xy[:-1])
        lonlat1.append(xy[1:])
    p0, p1 = np.concatenate(lonlat0), np.concatenate(lonlat1)
    a, b = _ecef(p0[:, 0], p0[:, 1]), _ecef(p1[:, 0], p1[:, 1])
    ab = b - a
    return _Pieces(p0, p1, a, ab, np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-9))


def distance_km(lat: np.ndarray, lon: np.ndarray, name: str, *, limit_km: float = LIMIT_KM) -> np.ndarray:
    """Per point (degrees, WGS 84), the geodesic distance in km to the line called ``name``.

    ``inf`` where the point is certainly farther than ``limit_km``; NaN where a coordinate is NaN.

    Raises
    ------
    KeyError
        For a name no line has.

    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    out = np.full(lat.shape, np.nan)
    pieces = _pieces(name)
    ok = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if not len(ok):
        return out
    out[ok] = np.inf
    column, row = (np.floor(v[ok] / CELL_DEG).astype(np.int64) + _OFFSET for v in (lon, lat))
    cell = column * _BASE + row
    order = np.argsort(cell, kind="stable")
    cells, starts = np.unique(cell[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    foot = np.full((len(ok), 2), np.nan)
    xyz = _ecef(lon[ok], lat[ok])
    everything = np.arange(len(pieces.a))
    for c, s, e in zip(cells.tolist(), starts.tolist(), ends.tolist()):
        i, j = ((n - _OFFSET) * CELL_DEG for n in divmod(c, _BASE))
        corners = _ecef(np.array([i, i, i + CELL_DEG, i + CELL_DEG]), np.array([j, j + CELL_DEG, j, j + CELL_DEG]))
        centre = corners.mean(axis=0)
        radius = float(np.sqrt(((corners - centre) ** 2).sum(axis=1)).max())
        to_centre = pieces.chord_distance(centre[None, :], everything, centre)[0][0]
        nearest = float(to_centre.min())
        if nearest - radius > limit_km * 1000:
            continue  # the whole cell is farther than the limit
        which = np.flatnonzero(to_centre <= nearest + 2 * radius)  # only these can be nearest for a point in the cell
        rows = order[s:e]
        for chunk in np.array_split(rows, max(1, len(rows) * len(which) // CHUNK + 1)):
            d, t = pieces.chord_distance(xyz[chunk], which, centre)
            best = d.argmin(axis=1)
            pick = np.arange(len(chunk))
            near = d[pick, best] <= limit_km * 1000  # a chord is shorter than the geodesic: farther is beyond the limit
            k, tt = which[best[near]], t[pick, best][near][:, None]
            foot[chunk[near]] = pieces.lonlat0[k] + tt * (pieces.lonlat1[k] - pieces.lonlat0[k])
    found = np.isfinite(foot[:, 0])
    _, _, metres = GEOD.inv(lon[ok][found], lat[ok][found], foot[found, 0], foot[found, 1])
    out[ok[found]] = np.asarray(metres) / 1000.0
    return out
