"""Events in ACLED's export layout (its current 31 columns), for tools built around ACLED's files.

``event_date`` is each event's best single day (``date_best``) and ``time_precision`` says how far
to trust it, as ACLED's own files do; the file reads back through the ACLED importer. Precision is
never overstated, so an event ACLED's codes cannot hold is left out and counted:

- the date: a day -> 1; a span within three days of its best day -> 2 (ACLED's week); a span
  inside the best day's calendar month -> 3; a longer span (a year, several months) is left out;
- the place: exact -> 1, near -> 2, a district or a province -> 3 (ACLED's "only a larger region
  is known", read back as a province); a region or a whole country is left out.

``event_id_cnty`` is the event id (without the importer's ``acled-`` prefix, so that ACLED's own
events keep theirs); ``country`` comes from the boundaries under the point; ``notes`` is the
verbatim excerpt and ``source`` its citation. ACLED's codes for actor types, interactions and
disorder types are not guessed: they are left empty. Text is written verbatim.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from incidents.geo.boundaries import boundary_layer
from incidents.model.records import record_columns

#: ACLED's current export columns, in its order.
COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 inter1 "
    "actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 location "
    "latitude longitude geo_precision source source_scale notes fatalities tags timestamp"
).split()
#: The model's place precisions ACLED's ``geo_precision`` codes hold (a district or province as its coarsest, 3).
GEO_CODES = {"exact": 1, "near": 2, "district": 3, "province": 3}
#: Why an event is left out, by the field ACLED cannot hold it in.
LEFT_OUT = {
    "date": "dated only to a span longer than its best day's month (ACLED's coarsest date is a month)",
    "place": "placed only in a region or a country (ACLED's coarsest place is a province-sized region)",
}


def time_codes(events: pd.DataFrame) -> np.ndarray:
    """ACLED's ``time_precision`` of each event (1 day, 2 week, 3 month), 0 where none holds its span."""
    start = events["date_start"].to_numpy().astype("datetime64[D]")
    end = events["date_end"].to_numpy().astype("datetime64[D]")
    best = events["date_best"].to_numpy().astype("datetime64[D]")
    month = best.astype("datetime64[M]")
    in_month = (start.astype("datetime64[M]") == month) & (end.astype("datetime64[M]") == month)
    week = (best - start <= np.timedelta64(3, "D")) & (end - best <= np.timedelta64(3, "D"))
    day = (start == end) & (events["date_precision"].astype(str).to_numpy() == "day")
    return np.select([day, week, in_month], [1, 2, 3], 0)


def _countries(events: gpd.GeoDataFrame) -> list[str]:
    """The country under each event's point (empty outside the boundaries)."""
    countries = boundary_layer("countries")[["name", "geometry"]]
    points = gpd.GeoDataFrame(geometry=events.geometry.to_numpy(), crs=events.crs).reset_index(drop=True)
    joined = gpd.sjoin(points, countries, how="left", predicate="within")
    first = joined[~joined.index.duplicated(keep="first")].sort_index()
    return [n if isinstance(n, str) else "" for n in first["name"].tolist()]


def _codes(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, Counter[str]]:
    """Each event's ACLED time and place codes (0: none holds it), and how many are left out by reason."""
    time = time_codes(events)
    geo = events["geo_precision"].astype(str).map(GEO_CODES).fillna(0).astype(int).to_numpy()
    left = Counter({"date": int((time == 0).sum()), "place": int(((time > 0) & (geo == 0)).sum())})
    return time, geo, +left


def acled_rows(events: gpd.GeoDataFrame) -> tuple[list[dict[str, object]], Counter[str]]:
    """The rows of the events ACLED's layout holds, and how many were left out by reason (:data:`LEFT_OUT`)."""
    time, geo, left = _codes(events)
    held = (time > 0) & (geo > 0)
    kept, time, geo = events[held], time[held], geo[held]
    fields = ["event_id", "date_best", "event_type", "actors", "location", "lat", "lon", "admin1", "admin2"]
    values = record_columns(kept, [*fields, "source_title", "excerpt", "fatalities"])
    rows = []
    for i, country in enumerate(_countries(kept)):
        kind, _, sub = str(values["event_type"][i]).partition(": ")  # "Battles: Armed clash", as the importer joins them
        actors = list(values["actors"][i])
        best = str(values["date_best"][i])
        rows.append(
            {
                "event_id_cnty": str(values["event_id"][i]).removeprefix("acled-"),
                "event_date": best,
                "year": best[:4],
                "time_precision": int(time[i]),
                "event_type": kind,
                "sub_event_type": sub,
                "actor1": actors[0] if actors else "",
                "actor2": actors[1] if len(actors) > 1 else "",
                "assoc_actor_2": "; ".join(actors[2:]),
                "country": country,
                "admin1": values["admin1"][i] or "",
                "admin2": values["admin2"][i] or "",
                "location": values["location"][i],
                "latitude": repr(values["lat"][i]),
                "longitude": repr(values["lon"][i]),
                "geo_precision": int(geo[i]),
                "source": values["source_title"][i],
                "notes": values["excerpt"][i],
                "fatalities": "" if values["fatalities"][i] is None else values["fatalities"][i],
            }
        )
    return rows, left


def write_acled_csv(events: gpd.GeoDataFrame, path: Path) -> Path:
    """Write the events ACLED's layout holds as an ACLED-style CSV (UTF-8, a header, one row per event)."""
    rows, _ = acled_rows(events)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


#: The columns that decide whether ACLED's layout holds an event.
_DECIDING = ["date_start", "date_end", "date_best", "date_precision", "geo_precision"]


def left_out_note(events: gpd.GeoDataFrame, rows: np.ndarray | None = None) -> str:
    """What an ACLED-style file of ``events`` (the ``rows`` positions only, if given) leaves out, in words ("" if nothing).

    Reads only the columns that decide it: cheap enough for the page to say it on every run.
    """
    deciding = events[_DECIDING] if rows is None else events[_DECIDING].iloc[rows]
    left = _codes(deciding)[2]
    return "; ".join(f"{n:,} {'incident' if n == 1 else 'incidents'} {LEFT_OUT[why]}" for why, n in left.items())
