"""An independent reference for distances to a line: brute force over the line's own segments.

Every segment of the line is followed along its geodesic (``pyproj.Geod.npts``) in steps of
:data:`STEP_M`, and the nearest of those points is the answer: no k-d tree, cells, chords or
Earth-centred coordinates, unlike :mod:`incidents.geo.distance`. It is slow (seconds per hundred
points) and exact to within half a step.
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

GEOD = pyproj.Geod(ellps="WGS84")
STEP_M = 20.0


def line_points(geom: shapely.Geometry) -> np.ndarray:
    """Points along every segment of ``geom`` at most :data:`STEP_M` apart, as (lon, lat) rows."""
    out = []
    for part in shapely.get_parts(geom):
        xy = shapely.get_coordinates(part)
        for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
            _, _, length = GEOD.inv(x0, y0, x1, y1)
            steps = int(length // STEP_M)
            between = GEOD.npts(x0, y0, x1, y1, steps) if steps else []
            out.append(np.array([(x0, y0), *between, (x1, y1)]))
    return np.concatenate(out)


def distance_km(lon: float, lat: float, points: np.ndarray) -> float:
    """The geodesic distance in km from (lon, lat) to the nearest of ``points`` (from :func:`line_points`)."""
    n = len(points)
    _, _, metres = GEOD.inv(np.full(n, lon), np.full(n, lat), points[:, 0], points[:, 1])
    return float(np.min(metres)) / 1000.0
