"""Places by name for rows without coordinates: the most specific name known, precision as what matched, never a guess."""

from __future__ import annotations

import pytest

from incidents import load_all
from incidents.geo import gazetteer
from incidents.loader import Upload


def test_a_town_is_near_a_district_district_a_province_province():
    (quetta, field), (khuzdar, _), (baloch, _) = (
        gazetteer.place({"location": "Quetta"}),
        gazetteer.place({"admin2": "Khuzdar"}),
        gazetteer.place({"admin1": "Balochistan"}),
    )
    assert (quetta.kind, quetta.precision, quetta.admin1, field) == ("town", "near", "Balochistan", "location")
    assert abs(quetta.lat - 30.184) < 0.01 and abs(quetta.lon - 67.001) < 0.01
    assert (khuzdar.kind, khuzdar.precision) == ("district", "district")
    assert (baloch.kind, baloch.precision, baloch.country) == ("province", "province", "Pakistan")


def test_a_towns_province_is_the_one_the_join_gives_its_point():
    # the gazetteer's own table puts Leh in Jammu and Kashmir; Ladakh has been a union territory of its own since 2019
    leh, field = gazetteer.place({"location": "Leh", "admin1": "Ladakh"})
    assert (leh.kind, leh.admin1, field) == ("town", "Ladakh", "location")
    assert gazetteer.lookup("Leh", "town", {"admin1": "Jammu and Kashmir"}) is None


def test_names_compare_without_case_diacritics_or_punctuation_and_the_finest_known_name_wins():
    assert gazetteer.place({"location": "MUZAFFARĀBĀD"})[0].name == "Muzaffarabad"
    place, field = gazetteer.place({"location": "Nowhere-ville", "admin2": "Mastung", "admin1": "Balochistan"})
    assert (place.kind, place.name, field) == ("district", "Mastung", "admin2")
    assert gazetteer.place({"location": "Nowhere-ville"}) is None


def test_a_name_of_two_places_is_refused_unless_the_row_says_which():
    with pytest.raises(gazetteer.Ambiguous, match="'Aliabad' matches 3 towns") as info:
        gazetteer.place({"location": "Aliabad"})
    assert "Kunduz" in str(info.value) and "Gilgit-Baltistan" in str(info.value)  # the provinces as the boundaries name them
    place, _ = gazetteer.place({"location": "Alipur", "admin1": "Punjab"})
    assert (place.admin1, place.country) == ("Punjab", "Pakistan")
    with pytest.raises(gazetteer.Ambiguous, match="'Alipur' matches 2 towns"):
        gazetteer.place({"location": "Alipur", "country": "Pakistan"})


def test_rows_without_coordinates_are_placed_reported_or_refused_and_all_accounted_for():
    table = (
        "date,location,district,province,killed\n"
        "2024-01-01,Quetta,,,2\n"
        "2024-01-02,,Khuzdar,,0\n"
        "2024-01-03,Aliabad,,,1\n"
        "2024-01-04,Nowhere-ville,,,1\n"
        "2024-01-05,,,Balochistan,3\n"
    )
    result = load_all([], shipped=False, uploads=[Upload("places.csv", table.encode())])
    (report,) = result.files
    assert (report.format, report.rows, report.accepted, report.rejected) == ("mapped", 5, 3, 2)
    ev = result.events.sort_values("date_start")
    assert ev["geo_precision"].tolist() == ["near", "district", "province"]
    assert ev["admin2"].tolist()[:2] == ["Quetta", "Khuzdar"] and ev["admin1"].tolist() == ["Balochistan"] * 3
    placed = [i for i in result.inferred if i.reason.startswith("placed at")]
    assert [(i.row, i.field, i.value) for i in placed] == [
        (1, "location", "Quetta"),
        (2, "district", "Khuzdar"),
        (5, "province", "Balochistan"),
    ]
    reasons = {r.row: r.reason for r in result.rejected}
    assert reasons[3].startswith("'Aliabad' matches 3 towns") and reasons[4].startswith("no coordinates, and no place name")
