"""The dossier's coded events: complete, honest about precision, reproducible."""

from __future__ import annotations

import subprocess
import sys

import pytest

from incidents.loader import EVENTS_DIR
from tests.conftest import ROOT

DOSSIER_CSV = EVENTS_DIR / "dossier_000_adc269e28bd41553.csv"


@pytest.fixture
def dossier(events):
    return events[events["dataset"] == "dossier"].set_index("event_id")


def test_the_developments_the_text_places_or_dates_are_coded(dossier):
    types = dossier["event_type"].value_counts().to_dict()
    assert types == {
        "alliance": 2,
        "base": 2,
        "attack": 2,
        "publication": 2,
        "meeting": 1,
        "militia activity": 1,
        "organisational change": 1,
        "takeover": 1,
    }
    bases = dossier[dossier["event_type"] == "base"]
    assert sorted(bases["admin2"]) == ["Khuzdar", "Mastung"]
    assert (bases["geo_precision"] == "district").all()


def test_the_march_2025_attack(dossier):
    attack = dossier[dossier["excerpt"].str.contains("March 2025 attack")].iloc[0]
    assert (attack["geo_precision"], attack["admin2"], attack["admin1"]) == ("district", "Mastung", "Balochistan")
    assert (attack["date_precision"], str(attack["date_start"].date()), str(attack["date_end"].date())) == (
        "month",
        "2025-03-01",
        "2025-03-31",
    )
    assert attack["fatalities"] == 30
    assert set(attack["actors"]) == {"Baloch separatists (unnamed)", "Islamic State Khorasan Province"}


def test_the_june_2025_jirga_is_province_and_month_level(dossier):
    jirga = dossier[dossier["event_type"] == "meeting"].iloc[0]
    assert jirga["geo_precision"] == "province"
    assert jirga["admin1"] == "Balochistan" and jirga["admin2"] is None
    assert jirga["date_precision"] == "month"
    assert jirga["excerpt"].startswith("By June 2025")
    assert jirga["actors"] == ("Lashkar-e-Taiba",)


def test_kashmir_plans_are_region_level_in_kashmir(dossier):
    yalgaar = dossier[dossier["excerpt"].str.contains("Yalgaar")].iloc[0]
    assert yalgaar["geo_precision"] == "region"
    assert yalgaar["regions"] == ("Kashmir",)


def test_every_coarse_dossier_event_says_how_it_was_read(dossier):
    assert dossier["coding_note"].str.len().gt(20).all()
    assert (dossier["date_precision"] != "day").all()  # the text never gives a day


def test_the_coded_file_is_reproducible_by_replaying_the_review(tmp_path):
    """The shipped events are what the review of the dossier (extractor, then reviewer) accepts; so is its record."""
    out, report = tmp_path / "dossier.csv", tmp_path / "review.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "code_dossier.py"), "--out", str(out), "--report", str(report)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.read_bytes() == DOSSIER_CSV.read_bytes()
    assert report.read_text(encoding="utf-8") == (ROOT / "docs" / "dossier-review.md").read_text(encoding="utf-8")
    assert "the extractor proposed" in done.stdout
