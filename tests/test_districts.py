"""Districts for the whole theatre: Indian-administered Jammu and Kashmir and Ladakh, Afghanistan, and Pakistan as before.

Through the importer, as any file is read: each town's point gets its district and the right
admin1; the side of the Line of Control that administers a point decides its district.
"""

from __future__ import annotations

import csv
import io

import pytest
import shapely

from incidents import load_all
from incidents.geo.areas import area_table
from incidents.geo.boundaries import boundary_layer
from incidents.loader import Upload

#: Town centres (WGS 84, as GeoNames gives them, rounded): the district and admin1 each must get.
TOWNS = {
    "Pulwama": (33.8741, 74.8996, "Jammu and Kashmir", "Pulwama"),
    "Kupwara": (34.5262, 74.2546, "Jammu and Kashmir", "Kupwara"),
    "Anantnag": (33.7307, 75.1542, "Jammu and Kashmir", "Anantnag"),
    "Reasi": (33.0811, 74.8347, "Jammu and Kashmir", "Reasi"),
    "Srinagar": (34.0857, 74.8056, "Jammu and Kashmir", "Srinagar"),
    "Leh": (34.1650, 77.5840, "Ladakh", "Leh"),
    "Kargil": (34.5577, 76.1262, "Ladakh", "Kargil"),
    "Lashkar Gah": (31.5938, 64.3716, "Helmand", "Lashkar Gah"),
    "Jalalabad": (34.4265, 70.4515, "Nangarhar", "Jalalabad"),
    "Kunduz": (36.7290, 68.8570, "Kunduz", "Kunduz"),
    "Muzaffarabad": (34.3700, 73.4708, "Azad Kashmir", "Muzaffarabad"),
    "Gilgit": (35.9187, 74.3125, "Gilgit-Baltistan", "Gilgit"),
    "Quetta": (30.1841, 67.0014, "Balochistan", "Quetta"),
    "Mastung": (29.7997, 66.8455, "Balochistan", "Mastung"),
}
#: A point in Aksai Chin (Chinese-administered, claimed by India): no Indian district.
AKSAI_CHIN = (35.2, 79.3)


def _read(rows: list[tuple[str, float, float, str]]):
    """The rows as a project CSV, loaded as the dashboard loads a file (read, checked, joined)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["event_id", "date_start", "latitude", "longitude", "geo_precision", "excerpt"])
    for name, lat, lon, precision in rows:
        w.writerow([name, "2025-03-01", lat, lon, precision, f"an event in {name}"])
    result = load_all(uploads=[Upload("towns.csv", out.getvalue().encode("utf-8"))], shipped=False)
    assert not result.rejected
    return result.events.set_index("event_id")


def test_every_town_gets_its_district_and_admin1_through_the_importer():
    towns = [(name, lat, lon, "exact") for name, (lat, lon, _, _) in TOWNS.items()]
    events = _read([*towns, ("Aksai Chin", *AKSAI_CHIN, "exact")])
    got = {name: (events.at[name, "admin1"], events.at[name, "admin2"]) for name in TOWNS}
    assert got == {name: (a1, a2) for name, (_, _, a1, a2) in TOWNS.items()}
    aksai = boundary_layer("kashmir").set_index("code").geometry["B07"]
    assert aksai.contains(shapely.Point(AKSAI_CHIN[1], AKSAI_CHIN[0]))  # the test point is where it says
    assert events.at["Aksai Chin", "admin2"] is None
    assert events.at["Aksai Chin", "admin1"] not in ("Jammu and Kashmir", "Ladakh")


def test_a_province_level_point_gets_its_union_territory_or_province_and_no_district():
    events = _read([("Leh", 34.1650, 77.5840, "province"), ("Jalalabad", 34.4265, 70.4515, "province")])
    assert events.at["Leh", "admin1"] == "Ladakh" and events.at["Jalalabad", "admin1"] == "Nangarhar"
    assert events["admin2"].isna().all()


@pytest.mark.parametrize("layer", ["ind_districts", "afg_districts"])
def test_districts_nest_in_their_admin1_and_carry_stable_codes(layer):
    districts = boundary_layer(layer)
    units = boundary_layer("ind_union_territories" if layer == "ind_districts" else "afg_provinces").set_index("name")
    assert districts["code"].is_unique and districts["parent"].isin(units.index).all()
    if layer == "ind_districts":
        assert len(districts) == 22 and set(districts["parent"]) == {"Jammu and Kashmir", "Ladakh"}
        assert dict(zip(districts["name"], districts["code"]))["Kupwara"] == "IN01001"  # census 2011: state 01, district 001
    else:
        assert len(districts) == 398
        assert dict(zip(districts["code"], districts["name"]))["AF-NAN-jalalabad"] == "Jalalabad"


def test_indian_districts_end_where_india_does_not_administer():
    kashmir = boundary_layer("kashmir").set_index("code")
    districts = shapely.union_all(boundary_layer("ind_districts").geometry.values)
    for code in ("B06", "B07", "B08", "B09", "B45"):  # the Shaksgam, Aksai Chin, Gilgit-Baltistan, Azad Kashmir, Siachen
        assert districts.intersection(kashmir.geometry[code]).area < 1e-3, code
    assert districts.intersection(kashmir.geometry["B05"]).area > 0.95 * kashmir.geometry["B05"].area


def test_the_shipped_ucdp_events_in_indian_administered_kashmir_carry_their_districts():
    events = load_all().events
    kashmir = events[events["admin1"].isin(["Jammu and Kashmir", "Ladakh"])]
    fine = kashmir[kashmir["geo_precision"].isin(["exact", "near", "district"])]
    assert len(fine) >= 18 and fine["admin2"].notna().all()
    assert {"Srinagar", "Kupwara", "Pulwama", "Poonch", "Baramulla"} <= set(fine["admin2"])


def test_counts_per_district_reach_across_the_line_of_control_and_the_durand_line():
    table = area_table()
    codes = set(table.codes)
    assert {"IN01001", "IN01012", "AF-NAN-jalalabad", "AF-KAB-kabul", "PK220", "PK213"} <= codes
    assert "B05" not in codes and "AF-KAN" not in codes  # covered by their districts now
    assert {"B06", "B07", "B45"} <= codes  # the Kashmir parts no district covers


def test_a_row_without_coordinates_naming_a_district_of_the_theatre_is_placed_in_it():
    """The gazetteer knows every district the join does; a name two provinces share is never guessed."""
    from incidents.geo import gazetteer

    pulwama, how = gazetteer.place({"admin2": "Pulwama"})
    assert (pulwama.kind, pulwama.admin1, pulwama.country) == ("district", "Jammu and Kashmir", "India")
    assert pulwama.precision == "district"
    assert "ind_districts" in pulwama.source and how
    jalalabad, _ = gazetteer.place({"admin2": "Jalalabad", "admin1": "Nangarhar"})
    assert (jalalabad.kind, jalalabad.admin1) == ("district", "Nangarhar")
    with pytest.raises(gazetteer.Ambiguous, match="'Dawlatabad' matches 2 districts"):
        gazetteer.place({"admin2": "Dawlatabad"})
    faryab, _ = gazetteer.place({"admin2": "Dawlatabad", "admin1": "Faryab"})
    assert faryab.admin1 == "Faryab"
    back = _read([("Pulwama district", pulwama.lat, pulwama.lon, "district")])  # the point given for it joins back to it
    assert (back.iloc[0]["admin1"], back.iloc[0]["admin2"]) == ("Jammu and Kashmir", "Pulwama")
