"""Grades (the Admiralty system): read from files, set in the store with revisions, laid over events, filtered by."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from incidents import filter_mask, from_query, load_all
from incidents.model.grades import NOT_GRADED, apply, grade_text, parse_grade
from incidents.model.validate import FieldError
from incidents.query.index import EventIndex
from incidents.store import ConflictError, Store, StoreError
from layers.markers import incident_details
from views.selected import blocks

ROOT = Path(__file__).resolve().parents[1]
HEADER = "event_id,date_start,latitude,longitude,geo_precision,excerpt,source_id,reliability,credibility"


def _events(tmp_path: Path, *rows: str):
    path = tmp_path / "graded.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return load_all([path], shipped=False)


def test_grades_are_written_as_analysts_write_them_and_anything_else_is_refused_by_name():
    assert parse_grade(" b2 ") == ("B", 2)
    for bad in ("G2", "B7", "2B", "B", ""):
        with pytest.raises(FieldError, match="expected a grade such as B2"):
            parse_grade(bad)
    assert grade_text("B", 2) == "B2 (usually reliable; probably true)"
    assert grade_text("F", 6) == NOT_GRADED


def test_a_files_grades_travel_with_its_events_ungraded_ones_are_f6_and_bad_ones_are_refused(tmp_path):
    result = _events(
        tmp_path,
        "a,2024-03-01,30.1,66.9,near,One.,wire,B,2",
        "b,2024-03-01,30.1,66.9,near,Two.,wire,,",
        "c,2024-03-01,30.1,66.9,near,Three.,wire,G,2",
        "d,2024-03-01,30.1,66.9,near,Four.,wire,A,0",
    )
    events = result.events.set_index("event_id")
    assert [(events.loc[e, "reliability"], events.loc[e, "credibility"]) for e in ("a", "b")] == [("B", 2), ("F", 6)]
    reasons = {(r.row, r.field): r.reason for r in result.rejected}
    assert set(reasons) == {(3, "reliability"), (4, "credibility")}
    assert "expected a reliability grade from A" in reasons[(3, "reliability")]
    assert "expected a credibility grade from 1" in reasons[(4, "credibility")]


def test_the_store_keeps_grades_with_revisions_refuses_stale_or_bad_ones_and_lays_them_over_events(store_url, events):
    store = Store(store_url)
    source = events["source_id"].iloc[0]
    event = events["event_id"].iloc[0]
    assert store.grades() == {}
    assert store.grade("source", source, "b", base_revision=0, author="alice").grade == "B"
    assert store.grade("event", event, "2", base_revision=0, author="alice").revision == 1
    with pytest.raises(ConflictError, match="changed"):
        store.grade("source", source, "C", base_revision=0, author="bob")  # bob read it before alice graded it
    for kind, bad in (("source", "G"), ("event", "7"), ("event", "B")):
        with pytest.raises(StoreError, match="is refused: expected a"):
            store.grade(kind, event, bad, base_revision=0, author="bob")
    assert store.grade("source", source, "C", base_revision=1, author="bob").revision == 2
    history = store.history(f"source:{source}", entity="grade")
    assert [(h.action, h.author, h.before, h.after) for h in history] == [
        ("add", "alice", None, {"grade": "B"}),
        ("edit", "bob", {"grade": "B"}, {"grade": "C"}),
    ]
    graded = apply(events, {k: g.grade for k, g in Store(store_url).grades().items()})
    assert graded is not events and events["reliability"].eq("F").all()  # the loaded frame is never changed
    same_source = graded["source_id"].eq(source).to_numpy()
    assert graded["reliability"][same_source].eq("C").all() and graded["reliability"][~same_source].eq("F").all()
    assert graded.loc[graded["event_id"].eq(event), "credibility"].tolist() == [2]
    details = incident_details(graded, 0)
    assert details["grade_text"] == "C2 (fairly reliable; probably true)"
    assert ("text", "Grade: C2 (fairly reliable; probably true)") in blocks(graded, details)


def test_the_grade_facet_keeps_what_is_at_least_so_reliable_and_so_credible(tmp_path):
    events = _events(
        tmp_path,
        "a,2024-03-01,30.1,66.9,near,One.,wire,A,1",
        "b,2024-03-01,30.1,66.9,near,Two.,wire,B,3",
        "c,2024-03-01,30.1,66.9,near,Three.,wire,C,2",
        "d,2024-03-01,30.1,66.9,near,Four.,wire,,",
    ).events
    index = EventIndex.build(events)

    def kept(query: str) -> list[str]:
        f, notes = from_query({"grade": [query]}, index)
        assert notes == []
        return events["event_id"].to_numpy()[filter_mask(index, f)].tolist()

    assert kept("B2") == ["a"]
    assert kept("C3") == ["a", "b", "c"]
    assert kept("F6") == ["a", "b", "c", "d"]  # the lowest grade limits nothing
    f, notes = from_query({"grade": ["G9"]}, index)
    assert notes and "grade='G9' is not used" in notes[0] and filter_mask(index, f).all()


def test_the_command_line_grades_a_source_and_exports_what_passes_a_grade(tmp_path):
    env = {**os.environ, "INCIDENT_STORE": f"sqlite:///{tmp_path / 'store.sqlite'}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "incidents", *args], cwd=ROOT, env=env, capture_output=True, text=True)

    done = run("store", "grade", "source", "ucdp-ged", "B", "--author", "alice")
    assert done.returncode == 0 and "source ucdp-ged: graded B (revision 1, by alice)" in done.stdout
    bad = run("store", "grade", "event", "ucdp-133925", "9", "--author", "alice")
    assert bad.returncode != 0 and "expected a credibility grade from 1" in bad.stderr
    assert "source\tucdp-ged\tB\trevision 1\tby alice" in run("store", "grades").stdout
    out = tmp_path / "graded.csv"
    assert run("export", "grade=B6", str(out)).returncode == 0
    exported = load_all([out], shipped=False).events
    assert len(exported) > 0 and exported["event_id"].str.startswith("ucdp-").all()
    assert exported["reliability"].eq("B").all()  # the export carries the grade it was filtered by
    shipped = load_all().events
    assert len(exported) == int(np.sum(shipped["source_id"].eq("ucdp-ged")))


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".parquet"])
def test_every_export_carries_the_grades_and_reads_them_back(tmp_path, suffix):
    from incidents.writers import write

    events = _events(tmp_path, "a,2024-03-01,30.1,66.9,near,One.,wire,B,2", "b,2024-03-01,30.1,66.9,near,Two.,wire,,").events
    back = load_all([write(events, tmp_path / f"out{suffix}")], shipped=False)
    assert not back.rejected
    got = back.events.set_index("event_id")
    assert [(got.loc[e, "reliability"], got.loc[e, "credibility"]) for e in ("a", "b")] == [("B", 2), ("F", 6)]


def test_markers_draw_credibility_and_the_legend_says_how(tmp_path):
    from layers.markers import CREDIBILITY_LEGEND, pack_incidents
    from layers.packing import unpack_columns

    events = _events(
        tmp_path,
        *(f"{c},2024-03-01,30.1,66.9,near,Graded {c}.,wire,B,{c}" for c in range(1, 7)),
        "u,2024-03-01,30.1,66.9,near,Ungraded.,wire,,",
    ).events
    index = EventIndex.build(events)
    meta, packed = pack_incidents(index, np.arange(len(events)), {})
    style = unpack_columns(meta["layout"], packed, len(events))["style"]
    bands = [meta["styles"][s]["credibility"] for s in style]
    assert dict(zip(events["event_id"], bands)) == {
        "1": "ringed", "2": "ringed", "3": "plain", "4": "doubtful", "5": "improbable", "6": "plain", "u": "plain",
    }  # fmt: skip
    assert [c["label"] for c in meta["legend"]["credibility"]] == list(CREDIBILITY_LEGEND.values())
