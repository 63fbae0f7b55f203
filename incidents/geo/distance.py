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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyproj
import shapely

from incidents.geo.boundaries import boundary_layer
from incidents.geo.joins import distinct_positions

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

    def chord_distance2(self, p: np.ndarray, which: np.ndarray, origin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per point of ``p`` (k x 3) and piece in ``which`` (c), the squared chord distance and the foot's fraction.

        Coordinates are taken relative to ``origin`` (a point near them), so that the products
        below lose no precision; they are matrix products, so a cell's points are measured at once.
        """
        p = p - origin
        a, ab, ab2 = self.a[which] - origin, self.ab[which], self.ab2[which]
        ap_ab = p @ ab.T - np.einsum("cj,cj->c", a, ab)
        t = np.clip(ap_ab / ab2, 0.0, 1.0)
        d2 = np.einsum("kj,kj->k", p, p)[:, None] - 2.0 * (p @ a.T) + np.einsum("cj,cj->c", a, a)
        d2 -= 2.0 * t * ap_ab
        d2 += t * t * ab2
        return d2, t


def _cells(pieces: _Pieces, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell (numbered as in :func:`distance_km`): centre, radius and the centre's chord distance to every piece.

    Earth-centred coordinates, metres; all cells at once.
    """
    column, row = np.divmod(cells, _BASE)
    west, south = (column - _OFFSET) * CELL_DEG, (row - _OFFSET) * CELL_DEG
    corners = [_ecef(west + dx, south + dy) for dx in (0.0, CELL_DEG) for dy in (0.0, CELL_DEG)]
    centres = np.mean(np.stack(corners), axis=0)
    radius = np.max([np.sqrt(((c - centres) ** 2).sum(axis=1)) for c in corners], axis=0)
    to_centre = np.empty((len(cells), len(pieces.a)))
    step = max(1, CHUNK // max(1, len(pieces.a)))
    for s in range(0, len(cells), step):  # centres as points, each relative to itself: exact, and bounded in memory
        o = centres[s : s + step, None, :]
        a = pieces.a[None, :, :] - o
        t = np.clip(-np.einsum("mpj,pj->mp", a, pieces.ab) / pieces.ab2, 0.0, 1.0)
        foot = a + t[:, :, None] * pieces.ab[None, :, :]
        to_centre[s : s + step] = np.sqrt(np.einsum("mpj,mpj->mp", foot, foot))
    return centres, radius, to_centre


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
    repeated = distinct_positions(lon[ok], lat[ok])
    if repeated is not None:  # measured once per distinct position
        first, codes = repeated
        out[ok] = distance_km(lat[ok][first], lon[ok][first], name, limit_km=limit_km)[codes]
        return out
    out[ok] = np.inf
    column, row = (np.floor(v[ok] / CELL_DEG).astype(np.int64) + _OFFSET for v in (lon, lat))
    cell = column * _BASE + row
    order = np.argsort(cell, kind="stable")
    cells, starts = np.unique(cell[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    lon_ok, lat_ok = lon[ok], lat[ok]
    xyz = _ecef(lon_ok[order], lat_ok[order])  # in cell order: a cell's points are a slice
    foot = np.full((len(ok), 2), np.nan)  # in cell order too
    centres, radius, to_centre = _cells(pieces, cells)
    nearest = to_centre.min(axis=1)
    limit = limit_km * 1000
    for c in np.flatnonzero(nearest - radius <= limit).tolist():  # a cell wholly farther than the limit is left at inf
        which = np.flatnonzero(to_centre[c] <= nearest[c] + 2 * radius[c])  # only these can be nearest for a point in it
        step = max(1, CHUNK // len(which))
        for s in range(int(starts[c]), int(ends[c]), step):
            e = min(s + step, int(ends[c]))
            d2, t = pieces.chord_distance2(xyz[s:e], which, centres[c])
            best = d2.argmin(axis=1)
            pick = np.arange(e - s)
            near = d2[pick, best] <= limit * limit  # a chord is shorter than the geodesic: farther is beyond the limit
            k, tt = which[best], t[pick, best][:, None]
            feet = pieces.lonlat0[k] + tt * (pieces.lonlat1[k] - pieces.lonlat0[k])
            feet[~near] = np.nan
            foot[s:e] = feet
    found = np.flatnonzero(np.isfinite(foot[:, 0]))
    halves = np.array_split(found, 2)
    lon_sorted, lat_sorted = lon_ok[order], lat_ok[order]
    with ThreadPoolExecutor(2) as pool:  # Karney's geodesics release the GIL: two cores share them
        metres = list(pool.map(lambda f: GEOD.inv(lon_sorted[f], lat_sorted[f], foot[f, 0], foot[f, 1])[2], halves))
    for f, m in zip(halves, metres):
        out[ok[order[f]]] = np.asarray(m) / 1000.0
    return out
