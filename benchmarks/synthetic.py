"""Synthetic incidents in the project's event model, for benchmarks (never shipped as data).

Events are spread over the region the way real exports are: clustered around district centres
in Pakistan and provinces in Afghanistan and Kashmir, with a mix of location and date
precisions, dates over ten years, 20 groups (one to three per event) and excerpts of about 300
characters. Every excerpt starts with its event id, so a test can check that a popup shows the
right one. The generator is seeded: the same ``n`` gives the same file.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from incidents.geo.boundaries import boundary_layer
from incidents.model.schema import CRS, conform

GROUPS = tuple(f"Synthetic group {i:02d}" for i in range(1, 21))
EVENT_TYPES = ("attack", "armed clash", "bombing", "abduction", "protest", "arrest")
#: Location precision mix (share of events), then date precision mix.
GEO_MIX = {"exact": 0.55, "near": 0.2, "district": 0.15, "province": 0.07, "region": 0.03}
DATE_MIX = {"day": 0.8, "month": 0.15, "year": 0.05}
FIRST_DAY = np.datetime64("2015-01-01")
DAYS = 3652  # ten years
_WORDS = (
    "reported attack near the district headquarters checkpoint convoy police officials said militants claimed "
    "responsibility statement local residents witnesses security forces operation border crossing market "
    "highway camp village tribal elders clash killed injured arrested according to sources province "
    "government spokesman commander group fighters vehicles night morning evening road bridge mosque school"
).split()


def _centres() -> tuple[np.ndarray, np.ndarray]:
    """Representative points of the areas events cluster around, and their weights."""
    parts = [
        boundary_layer("pak_districts").geometry.representative_point(),
        boundary_layer("afg_provinces").geometry.representative_point(),
        boundary_layer("kashmir").geometry.representative_point(),
    ]
    pts = pd.concat(parts, ignore_index=True)
    xy = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
    weights = np.ones(len(xy))
    weights[: len(parts[0])] = 3.0  # Pakistani districts carry most events
    return xy, weights / weights.sum()


def synthetic_events(n: int, seed: int = 20251) -> gpd.GeoDataFrame:
    """``n`` synthetic events as a model frame (index 1..n)."""
    rng = np.random.default_rng(seed)
    centres, weights = _centres()
    which = rng.choice(len(centres), size=n, p=weights)
    spread = rng.gamma(1.5, 0.08, size=n)
    x = centres[which, 0] + rng.normal(0, 1, n) * spread
    y = centres[which, 1] + rng.normal(0, 1, n) * spread
    geo_precision = rng.choice(list(GEO_MIX), size=n, p=list(GEO_MIX.values()))
    coarse = np.isin(geo_precision, ["district", "province", "region"])
    x[coarse], y[coarse] = centres[which[coarse], 0], centres[which[coarse], 1]

    day = rng.integers(0, DAYS, size=n)
    date_precision = rng.choice(list(DATE_MIX), size=n, p=list(DATE_MIX.values()))
    start = FIRST_DAY + day.astype("timedelta64[D]")
    months = start.astype("datetime64[M]")
    years = start.astype("datetime64[Y]")
    start = np.where(date_precision == "month", months.astype("datetime64[D]"), start)
    start = np.where(date_precision == "year", years.astype("datetime64[D]"), start)
    end = start.copy()
    end = np.where(date_precision == "month", ((months + 1).astype("datetime64[D]") - 1), end)
    end = np.where(date_precision == "year", ((years + 1).astype("datetime64[D]") - 1), end)

    n_actors = rng.choice([1, 2, 3], size=n, p=[0.7, 0.25, 0.05])
    first = rng.choice(len(GROUPS), size=n, p=_zipf(len(GROUPS)))
    actors = [
        tuple(dict.fromkeys(GROUPS[(f + k * 7) % len(GROUPS)] for k in range(m)))
        for f, m in zip(first.tolist(), n_actors.tolist())
    ]
    ids = [f"syn-{i}" for i in range(1, n + 1)]
    word_idx = rng.integers(0, len(_WORDS), size=(min(n, 4096), 48))
    bodies = [" ".join(_WORDS[j] for j in row) for row in word_idx]
    body_of = rng.integers(0, len(bodies), size=n)
    excerpts = [f"[{eid}] {bodies[b]}"[:300] for eid, b in zip(ids, body_of.tolist())]
    fatalities = rng.poisson(1.2, size=n)
    frame = gpd.GeoDataFrame(
        {
            "event_id": ids,
            "dataset": "synthetic",
            "date_start": start,
            "date_end": end,
            "date_precision": date_precision,
            "event_type": rng.choice(EVENT_TYPES, size=n),
            "actors": actors,
            "location": [f"Synthetic place {w}" for w in which.tolist()],
            "geo_precision": geo_precision,
            "fatalities": fatalities,
            "excerpt": excerpts,
            "source_id": "synthetic",
            "source_title": "Synthetic benchmark data (not real events)",
            "source_url": None,
        },
        geometry=gpd.points_from_xy(np.round(x, 5), np.round(y, 5)),
        crs=CRS,
        index=pd.RangeIndex(1, n + 1),
    )
    return conform(frame)


def _zipf(k: int) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1)
    return w / w.sum()


def write_native_csv(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write ``events`` in the project's event CSV format."""
    out = pd.DataFrame(
        {
            "event_id": events["event_id"],
            "date_start": events["date_start"].dt.strftime("%Y-%m-%d"),
            "date_end": events["date_end"].dt.strftime("%Y-%m-%d"),
            "date_precision": events["date_precision"].astype(str),
            "event_type": events["event_type"],
            "actors": ["; ".join(a) for a in events["actors"]],
            "location": events["location"],
            "latitude": events.geometry.y.round(5),
            "longitude": events.geometry.x.round(5),
            "geo_precision": events["geo_precision"].astype(str),
            "fatalities": events["fatalities"],
            "excerpt": events["excerpt"],
            "source_id": events["source_id"],
            "source_title": events["source_title"],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False)
    return path


#: ACLED's codes for the precisions the synthetic events have (coarser places are written as 3).
_ACLED_TIME = {"day": 1, "week": 2, "month": 3, "year": 3}
_ACLED_GEO = {"exact": 1, "near": 2}


def acled_table(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """``events`` as rows in ACLED's export layout (made-up rows: ACLED's data is not redistributed)."""
    actors = events["actors"].tolist()
    return pd.DataFrame(
        {
            "event_id_cnty": "SYN" + events["event_id"].str.replace(r"\D", "", regex=True),
            "event_date": events["date_start"].dt.strftime("%d %B %Y"),
            "year": events["date_start"].dt.year,
            "time_precision": events["date_precision"].astype(str).map(_ACLED_TIME),
            "event_type": events["event_type"],
            "sub_event_type": "Attack",
            "actor1": [a[0] if a else "Unidentified Armed Group" for a in actors],
            "assoc_actor_1": ["; ".join(a[1:]) for a in actors],
            "actor2": "Civilians",
            "country": "Pakistan",
            "location": events["location"],
            "latitude": events.geometry.y.round(4),
            "longitude": events.geometry.x.round(4),
            "geo_precision": events["geo_precision"].astype(str).map(_ACLED_GEO).fillna(3).astype(int),
            "source": "Made-up Daily",
            "notes": events["excerpt"],
            "fatalities": events["fatalities"].fillna(0).astype(int),
        }
    )


def mapped_table(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """``events`` as a table in no known layout (GTD-like names), read through a column mapping."""
    return pd.DataFrame(
        {
            "date": events["date_start"].dt.strftime("%d/%m/%Y"),
            "city": events["location"],
            "perpetrator_group": ["; ".join(a) for a in events["actors"]],
            "fatalities": events["fatalities"],
            "lat": events.geometry.y.round(4),
            "lon": events.geometry.x.round(4),
            "summary": events["excerpt"],
        }
    )
