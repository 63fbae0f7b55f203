"""Write the shipped UCDP GED sample in ACLED's export layouts, as importer test fixtures.

ACLED's own data may not be redistributed, so the ACLED-format fixtures carry real UCDP GED
events (CC BY 4.0) recoded into ACLED's columns and codes::

    python scripts/build_acled_style.py

writes ``tests/data/acled_style_ucdp_sample.csv`` (the current 31-column export) and
``tests/data/acled_style_ucdp_sample_old.csv`` (the pre-2023 layout with ``data_id``,
``event_id_no_cnty`` and ``iso3``, upper-case header names and "18 March 1989" dates).

Recoding, and what ACLED cannot hold (rows left out, counted in the output):

- ``date_prec`` 1 -> ``time_precision`` 1 on ``date_start``; 2 and 3 (a span of days or a week)
  -> 2 on the middle day, kept only when the span is at most 7 days (ACLED's week is the event
  date +- 3 days); 4 -> 3 (month) when the span lies in one calendar month. Other rows are left out.
- ``where_prec`` 1 -> ``geo_precision`` 1; 2 -> 2; 3 and 4 (district, province) -> 3. 5, 6 and 7
  (areas larger than a province, country, waters) are left out: ACLED's coarsest code is a
  province-sized region.
- ``type_of_violence`` 1 and 2 -> Battles / Armed clash; 3 -> Violence against civilians / Attack.
- ``side_a``/``side_b`` -> ``actor1``/``actor2``; ``source_article`` -> ``notes``; ``best`` -> ``fatalities``.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UCDP = ROOT / "data" / "events" / "ucdp_ged231_sample_pak_afg_ind.csv"
OUT = ROOT / "tests" / "data" / "acled_style_ucdp_sample.csv"
OUT_OLD = ROOT / "tests" / "data" / "acled_style_ucdp_sample_old.csv"

CURRENT = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 inter1 "
    "actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 location "
    "latitude longitude geo_precision source source_scale notes fatalities tags timestamp"
).split()
OLD = (
    "data_id iso event_id_cnty event_id_no_cnty event_date year time_precision event_type sub_event_type actor1 "
    "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction region country admin1 admin2 admin3 location "
    "latitude longitude geo_precision source source_scale notes fatalities timestamp iso3"
).split()
COUNTRY = {"Pakistan": ("PAK", 586), "Afghanistan": ("AFG", 4), "India": ("IND", 356)}
TIMESTAMP = 1679875200  # 2023-03-27, the GED 23.1 release month: fixed so the output is reproducible


def _time(row: dict[str, str]) -> tuple[date, int] | None:
    start, end = date.fromisoformat(row["date_start"]), date.fromisoformat(row["date_end"])
    prec = int(row["date_prec"])
    if prec == 1 and start == end:
        return start, 1
    if prec in (2, 3) and (end - start).days <= 6:
        return start + timedelta(days=(end - start).days // 2), 2
    if prec == 4 and (start.year, start.month) == (end.year, end.month):
        return start, 3
    return None


def _inter(actor: str) -> int:
    return 1 if actor.startswith("Government of") else 2


def recode(row: dict[str, str]) -> dict[str, object] | None:
    """One GED row in ACLED's current layout, or ``None`` when ACLED cannot hold it."""
    when = _time(row)
    where = {1: 1, 2: 2, 3: 3, 4: 3}.get(int(row["where_prec"]))
    if when is None or where is None:
        return None
    day, time_precision = when
    iso3, iso = COUNTRY[row["country"]]
    one_sided = row["type_of_violence"] == "3"
    inter1, inter2 = _inter(row["side_a"]), (7 if one_sided else _inter(row["side_b"]))
    return {
        "event_id_cnty": f"{iso3}{row['id']}",
        "event_date": day.isoformat(),
        "year": day.year,
        "time_precision": time_precision,
        "disorder_type": "Political violence",
        "event_type": "Violence against civilians" if one_sided else "Battles",
        "sub_event_type": "Attack" if one_sided else "Armed clash",
        "actor1": row["side_a"],
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": "Civilians" if one_sided else row["side_b"],
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}"),
        "civilian_targeting": "Civilian targeting" if one_sided else "",
        "iso": iso,
        "region": "South Asia",
        "country": row["country"],
        "admin1": row["adm_1"].removesuffix(" province"),
        "admin2": row["adm_2"].removesuffix(" district"),
        "admin3": "",
        "location": row["where_description"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "geo_precision": where,
        "source": row["source_office"] or "UCDP GED 23.1",
        "source_scale": "",
        "notes": row["source_article"],
        "fatalities": row["best"],
        "tags": "",
        "timestamp": TIMESTAMP,
    }


def old_layout(rec: dict[str, object], n: int) -> dict[str, object]:
    """A current-layout row in the pre-2023 layout (``n``: its data_id)."""
    day = date.fromisoformat(str(rec["event_date"]))
    return {
        **{k: rec[k] for k in OLD if k in rec},
        "data_id": n,
        "event_id_no_cnty": str(rec["event_id_cnty"])[3:],
        "event_date": f"{day.day:02d} {day:%B} {day.year}",
        "iso3": str(rec["event_id_cnty"])[:3],
    }


def main() -> None:
    """Write both fixtures and say how many GED rows each holds and how many were left out."""
    with UCDP.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [r for r in (recode(row) for row in rows) if r is not None]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CURRENT)
        writer.writeheader()
        writer.writerows(records)
    with OUT_OLD.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[c.upper() for c in OLD])
        writer.writeheader()
        writer.writerows({k.upper(): v for k, v in old_layout(r, n).items()} for n, r in enumerate(records, start=1))
    print(f"{len(records)} of {len(rows)} GED rows written in ACLED layouts; {len(rows) - len(records)} left out")


if __name__ == "__main__":
    main()
