"""Write the small test files in the shapes real event exports come in: ``tests/data/wild/``.

Run from the repository root::

    python scripts/make_wild_fixtures.py

Every row is made up here, in the layout of the export it imitates (ACLED's data may not be
redistributed, so these are ACLED-shaped rows, not copies). One file per shape the readers
must take: spreadsheet dates, ACLED's long shape and 2015 Asia layout, UCDP GED from HDX and
from the API, old Mac line endings with non-breaking spaces, a header naming a column twice,
and numeric dates that read both ways.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "wild"

ACLED = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]
UCDP = [
    "id",
    "relid",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_article",
    "source_office",
    "where_prec",
    "where_description",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "low",
    "high",
]
PLACES = [("Mastung", 29.80, 66.85), ("Khuzdar", 27.81, 66.61), ("Quetta", 30.18, 67.00), ("Turbat", 26.00, 63.05)]


def _acled(n: int, date: str, *, actor: str = "Unidentified Armed Group (Pakistan)", assoc: str = "", **extra: str) -> dict:
    place, lat, lon = PLACES[n % len(PLACES)]
    row = {
        "event_id_cnty": f"PAK{1000 + n}",
        "event_date": date,
        "year": "",
        "time_precision": "1",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": actor,
        "assoc_actor_1": assoc,
        "inter1": "Political militia",
        "actor2": "Civilians (Pakistan)",
        "assoc_actor_2": "",
        "inter2": "Civilians",
        "interaction": "Political militia-Civilians",
        "country": "Pakistan",
        "admin1": "Balochistan",
        "location": place,
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "geo_precision": "1",
        "source": "Made-up Daily",
        "notes": f"On the day, armed men attacked a convoy near {place} (made-up row {n}).",
        "fatalities": str(n % 4),
    }
    row.update(extra)
    return row


def _ucdp(n: int, start: str, end: str) -> dict:
    place, lat, lon = PLACES[n % len(PLACES)]
    return {
        "id": str(9000 + n),
        "relid": f"PAK-1990-1-{n}",
        "year": "1990",
        "type_of_violence": "1",
        "side_a": "Government of Pakistan",
        "side_b": "Baloch militants",
        "source_article": f"Made-up wire, a clash near {place} (row {n})",
        "source_office": "Made-up wire",
        "where_prec": "1",
        "where_description": place,
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "country": "Pakistan",
        "date_prec": "1",
        "date_start": start,
        "date_end": end,
        "best": str(n),
        "low": str(n),
        "high": str(n + 1),
    }


def _csv(columns: list[str], rows: list[dict], *, lineterminator: str = "\r\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _dated(dates: list[str]) -> str:
    return _csv(ACLED, [_acled(i, d) for i, d in enumerate(dates)])


def files() -> dict[str, str]:
    """Each fixture's name and text."""
    out: dict[str, str] = {}
    # saved from a spreadsheet: d-Mon-yy
    out["acled_spreadsheet_d_mon_yy.csv"] = _dated(["9-May-20", "5-Aug-24", "17-Jan-99"])
    # day first with two-digit years: 31-12-19 tells the order for the whole file
    out["acled_spreadsheet_dd_mm_yy.csv"] = _dated(["03-04-19", "31-12-19", "05-06-20"])
    # every numeric date reads both ways: needs --dayfirst or --monthfirst
    out["acled_ambiguous_dates.csv"] = _dated(["03/04/2019", "05/06/2019", "11/12/2019"])
    # the long shape: one row per actor; PAK1001 twice with other actors, PAK1002 twice with another date too
    long_rows = [
        _acled(1, "2024-03-01", actor="Balochistan Liberation Army"),
        _acled(1, "2024-03-01", actor="Baloch Raaji Aajoi Sangar", inter1="Rebel group"),
        _acled(2, "2024-03-02"),
        _acled(2, "2024-03-03", actor="Balochistan Liberation Front"),
        _acled(3, "2024-03-04"),
    ]
    out["acled_long.csv"] = _csv(ACLED, long_rows)

    # 2015-era Asia layout: upper-case names, ALLY_ACTOR_*, numeric inter codes, DD Month YYYY
    def asia(c: str) -> str:
        return c.upper().replace("ASSOC_ACTOR", "ALLY_ACTOR")

    days = ["15 March 2015", "2 April 2015"]
    rows = [_acled(i, d, assoc="Lashkar-e-Jhangvi", inter1="3", inter2="7") for i, d in enumerate(days)]
    out["acled_2015_asia.csv"] = _csv([asia(c) for c in ACLED], [{asia(k): v for k, v in r.items()} for r in rows])
    # UCDP GED as HDX has it: a row of HXL hashtags, date-times
    hxl = {c: "#" + c.replace("_", "+") for c in UCDP}
    ucdp_rows = [_ucdp(i, f"1990-10-0{i + 1} 00:00:00.000", f"1990-10-0{i + 1} 00:00:00.000") for i in range(3)]
    out["ucdp_hdx.csv"] = _csv(UCDP, [hxl, *ucdp_rows])
    # UCDP GED from its API: *_est names, US-order date-times, a delimiter at the end of every line
    api = [c + "_est" if c in ("best", "low", "high") else c for c in UCDP]
    api_rows = [_ucdp(i, d, d) for i, d in enumerate(["03/27/1990 00:00:00", "04/02/1990 00:00:00"])]
    text = _csv(api, [{(k + "_est" if k in ("best", "low", "high") else k): v for k, v in r.items()} for r in api_rows])
    out["ucdp_api.csv"] = "".join(line + ",\r\n" for line in text.splitlines())
    # old Mac line endings, non-breaking spaces around values, UTF-8 once decoded as Latin-1 (mojibake)
    mac = [_acled(i, d, location="\u00a0Mastung\u00a0", fatalities="\u00a02") for i, d in enumerate(["2023-01-05", "2023-01-06"])]
    mac[1]["notes"] = "Le autorità locali hanno detto: attacco vicino a Mastung.".encode().decode("latin-1")
    out["acled_mac_nbsp.csv"] = _csv(ACLED, mac, lineterminator="\r")
    # tables in no known layout: mapped by name
    out["gtd_style.csv"] = (
        "date,city,perpetrator_group,fatalities,lat,lon\n"
        "2014-06-08,Quetta,Lashkar-e-Jhangvi,23,30.18,67.00\n"
        "2014-06-09,Mastung,Unknown,Unknown,29.80,66.85\n"
        "2015-01-02,Khuzdar,Balochistan Liberation Army,2,27.81,66.61\n"
    )
    out["gtd_parts.csv"] = (
        "eventid,iyear,imonth,iday,city,latitude,longitude,gname,nkill,summary\n"
        "201406080001,2014,6,8,Quetta,30.18,67.00,Lashkar-e-Jhangvi,23,Gunmen attacked pilgrims near Quetta.\n"
        "201409000001,2014,9,0,Mastung,29.80,66.85,Unknown,,A bomb went off near Mastung; the day was not reported.\n"
        "201400000001,2014,0,0,Turbat,26.00,63.05,Unknown,1,An attack near Turbat at an unknown date in 2014.\n"
    )
    out["drone_strikes.csv"] = (
        "Date,Location,Latitude,Longitude,Minimum Total Reported Killed\r\n"
        "18/06/2004,Wana,32.30,69.58,6\r\n"
        "13/01/2006,Damadola,34.70,71.45,Unreported\r\n"
        "05/08/2009,Zanghara,32.40,69.90,2\r\n"
    )
    # a table the names do not map: --columns date=when,latitude=north,longitude=east,excerpt=note
    out["odd_table.csv"] = "when,where,north,east,note\n2025-06-10,Mastung,29.80,66.85,a meeting was reported\n"

    # a GeoJSON event map in its own properties: nested properties, day-first two-digit dates, mixed geometries
    def feature(geometry: dict | None, **props: object) -> dict:
        return {"type": "Feature", "geometry": geometry, "properties": props}

    square = [[[66.7, 29.7], [67.0, 29.7], [67.0, 29.9], [66.7, 29.9], [66.7, 29.7]]]
    event_map = {
        "type": "FeatureCollection",
        "features": [
            feature({"type": "Point", "coordinates": [67.0, 30.18]}, title="Blast near Quetta", date="26/10/25",
                    description="A blast was reported near a market in Quetta.", link="https://example.org/a"),
            feature({"type": "Polygon", "coordinates": square}, properties={"title": "Clashes around Mastung", "date": "02/11/25",
                    "description": "Clashes were reported in the hills around Mastung."}),
            feature({"type": "LineString", "coordinates": [[66.0, 29.0], [67.0, 30.0]]}, title="Convoy route", date="03/11/25",
                    description="Attacks along the road."),
            feature(None, title="Arrests in Khuzdar", date="04/11/25", location="Khuzdar", description="Arrests were made."),
        ],
    }  # fmt: skip
    out["event_map.geojson"] = json.dumps(event_map, ensure_ascii=False, indent=1) + "\n"
    # a header that names a column twice
    out["duplicate_header.csv"] = "event_id,event_id,date_start,latitude,longitude,geo_precision,excerpt\n" + (
        "a-1,a-1,2025-06,29.8,66.85,district,a meeting\n"
    )
    return out


#: The workbook's sheets: an empty one first, then UCDP GED rows with typed cells, then a drone-strike table.
def sheets() -> dict[str, list[list[object]]]:
    """The rows of each sheet of ``ucdp_workbook.xlsx``, as the cells are typed in it."""
    from datetime import datetime

    ged = [UCDP]
    for i, day in enumerate([datetime(1990, 10, 4), datetime(1991, 2, 28)]):
        row = _ucdp(i, "", "")
        row.update(date_start=day, date_end=day, best=float(i + 2), low=float(i + 1), high=float(i + 3))
        row.update(latitude=float(row["latitude"]), longitude=float(row["longitude"]), where_prec=1.0, date_prec=1.0)
        row.update(type_of_violence=1.0, id=float(row["id"]))
        ged.append([row[c] for c in UCDP])
    drones: list[list[object]] = [["Date", "Location", "Latitude", "Longitude", "Minimum Total Reported Killed"]]
    drones += [[datetime(2004, 6, 18), "Wana", 32.3, 69.58, 6.0], [datetime(2006, 1, 13), "Damadola", 34.7, 71.45, "Unreported"]]
    return {"Empty": [], "GED": ged, "Drones": drones}


def write_workbook(path: Path) -> None:
    """Write ``sheets()`` as an .xlsx workbook (openpyxl)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets().items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


def main() -> None:
    """Write every fixture (text byte for byte, line endings as given; the workbook by its cells)."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files().items():
        (OUT / name).write_bytes(text.encode("utf-8"))
        print(f"wrote {name}")
    write_workbook(OUT / "ucdp_workbook.xlsx")
    print("wrote ucdp_workbook.xlsx")


if __name__ == "__main__":
    main()
