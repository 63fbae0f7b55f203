"""Filters run in the database give exactly the events the in-memory filter gives, on SQLite and PostGIS."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date

import numpy as np
import pytest

from incidents import EventFilter, filter_mask, load_all
from incidents.loader import EVENTS_DIR
from incidents.query.filters import split, where
from incidents.query.index import EventIndex
from incidents.store import Store, add_data, add_file
from tests.conftest import ROOT
from tests.hostile import HOSTILE


def _hostile_csv() -> bytes:
    """Events whose excerpts and places carry every hostile string (PostgreSQL text holds no NUL: dropped here)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["event_id", "date_start", "latitude", "longitude", "geo_precision", "excerpt", "location", "actors"])
    for i, text in enumerate(HOSTILE):
        clean = text.replace("\x00", "")
        w.writerow(
            [f"h-{i}", "2024-05", 30 + i / 100, 66 + i / 100, "exact", f"hostile excerpt {i}: {clean}", clean[:30], "ISKP"]
        )
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module", params=["sqlite", "postgis"])
def filled(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlfilters') / 'store.sqlite'}"
    else:
        from tests.postgis import reset

        url = request.getfixturevalue("postgis_url")
        reset(url)
    store = Store(url)
    for path in (EVENTS_DIR / "ucdp_ged231_sample_pak_afg_ind.csv", EVENTS_DIR / "dossier_000_adc269e28bd41553.csv"):
        add_file(store, path, author="t")
    add_data(store, _hostile_csv(), name="hostile_excerpts.csv", author="t")
    events = store.events()
    events["dataset"] = "store: " + events["dataset"]  # as the dashboard (and so a link) names them
    return store, events, EventIndex.build(events)


FILTERS = [
    EventFilter(),
    EventFilter(dates=(date(2025, 3, 1), date(2025, 6, 30))),
    EventFilter(dates=(None, date(2009, 12, 31))),
    EventFilter(dates=(date(2024, 5, 10), None)),
    EventFilter(groups={"Lashkar-e-Taiba", "Islamic State Khorasan Province"}),
    EventFilter(groups={"Nobody at all"}),
    EventFilter(event_types={"one-sided violence", "base"}),
    EventFilter(regions={"Mastung", "Khuzdar"}),
    EventFilter(regions={"Kashmir"}, dates=(date(2010, 1, 1), None)),
    EventFilter(datasets={"store: dossier_000_adc269e28bd41553"}),
    EventFilter(datasets={"store: hostile_excerpts"}, groups={"Islamic State Khorasan Province"}),
    EventFilter(datasets={"hostile_excerpts", "ucdp-ged"}),
    EventFilter(text="quetta"),
    EventFilter(text="MASTUNG base"),
    EventFilter(text="%"),
    EventFilter(text="_"),
    *(EventFilter(text=h) for h in HOSTILE),
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[:60])
def test_a_filter_in_the_database_gives_exactly_the_in_memory_events(filled, f):
    store, events, index = filled
    expected = sorted(events["event_id"][filter_mask(index, f)])
    found = sorted(store.events(where=where(f))["event_id"])
    assert found == expected


def test_the_readme_facet_runs_in_the_database_as_in_memory(filled, readme_facet):
    """The README's example, as written there: its SQL gives the in-memory events; a facet without SQL runs in memory."""
    store, events, index = filled
    for f in (EventFilter(min_deaths=10), EventFilter(min_deaths=1, regions={"Kashmir"}), EventFilter(min_deaths=100_000)):
        in_db, in_memory = split(f)
        assert in_db == f and in_memory == EventFilter()
        expected = sorted(events["event_id"][filter_mask(index, f)])
        assert sorted(store.events(where=where(f))["event_id"]) == expected
    assert 0 < int(filter_mask(index, EventFilter(min_deaths=10)).sum()) < len(events)
    near = EventFilter(min_deaths=1, distance=("Durand Line", 100, True))
    assert split(near) == (EventFilter(min_deaths=1), EventFilter(distance=("Durand Line", 100, True)))
    with pytest.raises(ValueError, match="the distance filter runs in memory"):
        where(near)
    in_area = EventFilter(min_deaths=1, areas={"PK220"})
    assert split(in_area) == (EventFilter(min_deaths=1), EventFilter(areas={"PK220"}))


def test_the_filters_narrow_and_text_search_finds_the_hostile_strings(filled):
    """The table is not vacuous: most filters select some events, and each hostile string is found."""
    _, events, index = filled
    counts = [int(filter_mask(index, f).sum()) for f in FILTERS]
    assert sum(0 < n < len(events) for n in counts) >= 10
    found = [int(filter_mask(index, EventFilter(text=h)).sum()) for h in HOSTILE if h.strip() and "\x00" not in h]
    assert found and all(n >= 1 for n in found)


def test_export_runs_a_link_in_the_database_or_over_everything_loaded(filled, tmp_path):
    store, events, index = filled
    env = {**os.environ, "INCIDENT_STORE": store.url}
    query = "group=Islamic%20State%20Khorasan%20Province&region=Mastung&from=2025-01-01"
    for flags, name in (([], "all.csv"), (["--in-database"], "db.geojson")):
        out = tmp_path / name
        done = subprocess.run(
            [sys.executable, "-m", "incidents", "export", query, str(out), *flags],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        got = sorted(load_all([out], shipped=False).events["event_id"])
        f = EventFilter(groups={"Islamic State Khorasan Province"}, regions={"Mastung"}, dates=(date(2025, 1, 1), None))
        assert got == sorted(events["event_id"][filter_mask(index, f)]) and len(got) > 0
    bad = subprocess.run(
        [sys.executable, "-m", "incidents", "export", "grup=LeT&from=soon", str(tmp_path / "x.csv")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "ignored grup='LeT': not a filter" in bad.stderr and "ignored from='soon': not a YYYY-MM-DD date" in bad.stderr
    assert np.isin(["ucdp-133925"], events["event_id"]).all()


def test_export_near_a_line_agrees_with_an_independent_geodesic_computation(filled, events, tmp_path):
    """``near``/``km`` in a link, exported from memory and from the database: the events a brute-force geodesic keeps."""
    from urllib.parse import urlencode

    from incidents.geo.distance import line
    from tests.geodesic import distance_km, line_points

    store, stored, _ = filled
    points = line_points(line("Durand Line"))
    env = {**os.environ, "INCIDENT_STORE": store.url}
    # over everything loaded, the shipped UCDP sample; in the database, the store's copy of it
    for flags, frame, name in (([], events, "near.csv"), (["--in-database"], stored, "near_db.geojson")):
        ucdp = next(d for d in frame["dataset"].unique() if "ucdp" in d)
        mine = frame[frame["dataset"] == ucdp]
        sites = mine[mine["geo_precision"].isin(["exact", "near"])]
        expected = sorted(e for e, p in zip(sites["event_id"], sites.geometry) if distance_km(p.x, p.y, points) <= 40)
        assert 0 < len(expected) < len(mine)
        out = tmp_path / name
        query = urlencode({"near": "Durand Line", "km": "40", "dataset": ucdp})
        done = subprocess.run(
            [sys.executable, "-m", "incidents", "export", query, str(out), *flags],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert sorted(load_all([out], shipped=False).events["event_id"]) == expected, flags
        assert "within 40 km of the Durand Line" in done.stderr
