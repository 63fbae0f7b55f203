"""The store, the same tests on SQLite and on a real PostGIS: what it keeps, edits, conflicts, read-only, faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
import sqlalchemy as sa
from geopandas.testing import assert_geodataframe_equal

from benchmarks.synthetic import synthetic_events, write_native_csv
from incidents import load_all
from incidents.loader import EVENTS_DIR
from incidents.model import tables as t
from incidents.model.records import RECORD_FIELDS
from incidents.store import ConflictError, ReadOnlyError, Store, StoreError, add_data, add_file
from incidents.store.checks import checked_record
from incidents.store.engine import make_engine
from incidents.writers import write
from tests.conftest import DATA, ROOT

UCDP = EVENTS_DIR / "ucdp_ged231_sample_pak_afg_ind.csv"


def _model(frame):
    """A frame in file order with a fresh index, for comparing what was stored with what was read."""
    return frame.sort_values("event_id").reset_index(drop=True)


def test_a_file_is_stored_whole_and_read_back_as_the_loader_reads_it(store_url):
    store = Store(store_url)
    assert store.version() == (0, 0) and store.datasets() == []
    result, added = add_file(store, UCDP, author="alice")
    assert (added.dataset, added.added, added.rejected, added.already) == ("ucdp_ged231_sample_pak_afg_ind", 226, [], None)
    (info,) = store.datasets()
    assert (info.events, info.author, info.source_file, info.format, info.status) == (226, "alice", UCDP.name, "ucdp", "active")
    assert info.accounting["report"]["accepted"] == 226 and info.accounting["rejected"] == []
    expected = load_all([UCDP], shipped=False).events.assign(dataset=added.dataset)
    assert_geodataframe_equal(_model(store.events()), _model(expected))
    again = Store(store_url)  # another process sees the same
    assert again.version() == store.version() and again.version()[1] == 226 + 1  # a revision per event, one for the dataset


def test_the_same_file_is_not_stored_twice_and_a_taken_name_is_refused(store_url):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    version = store.version()
    _, again = add_file(store, UCDP, author="bob")
    assert again.added == 0 and again.already.name == "ucdp_ged231_sample_pak_afg_ind" and store.version() == version
    other = (DATA / "acled_style_ucdp_sample.csv").read_bytes()
    with pytest.raises(StoreError, match="already stored; give it another name"):
        add_data(store, other, name="ucdp_ged231_sample_pak_afg_ind.csv", author="bob")
    assert store.version() == version


def test_an_event_id_already_stored_is_refused_and_accounted_for(store_url, tmp_path):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    header, *rows = UCDP.read_text(encoding="utf-8").splitlines(keepends=True)
    overlap = tmp_path / "overlap.csv"
    overlap.write_text(header + "".join(rows[:5]), encoding="utf-8")
    result, added = add_file(store, overlap, author="bob")
    assert added.added == 0 and len(added.rejected) == 5
    assert {r.reason for r in added.rejected} == {
        "duplicate event_id: already in the store (dataset ucdp_ged231_sample_pak_afg_ind)"
    }
    (report,) = result.files
    assert (report.rows, report.accepted, report.rejected) == (5, 0, 5)
    assert len(store.events()) == 226


def test_an_edit_is_a_revision_and_an_edit_from_an_old_revision_is_refused(store_url):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    event_id = "ucdp-133925"
    first = store.record(event_id)
    assert first["revision"] == 1 and first["author"] == "alice"
    edited = store.edit(event_id, {"location": "Quetta city", "fatalities": 12}, base_revision=1, author="bob")
    assert edited["revision"] == 2 and store.record(event_id)["location"] == "Quetta city"
    with pytest.raises(ConflictError) as info:
        store.edit(event_id, {"location": "Somewhere"}, base_revision=1, author="carol")
    message = str(info.value)
    assert "changed by bob" in message and "revision 2" in message and "since revision 1" in message
    assert info.value.current["location"] == "Quetta city" and info.value.proposed["location"] == "Somewhere"
    assert store.record(event_id)["location"] == "Quetta city"  # nothing overwritten
    history = store.history(event_id)
    assert [(h.revision, h.action, h.author) for h in history] == [(1, "add", "alice"), (2, "edit", "bob")]
    assert history[1].before == {"location": first["location"], "fatalities": first["fatalities"]}
    assert history[1].after == {"location": "Quetta city", "fatalities": 12}


def test_the_history_gives_an_event_as_it_was_added_after_any_later_changes(store_url):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    event_id = "ucdp-133925"
    first = {c: v for c, v in store.record(event_id).items() if c in RECORD_FIELDS}
    assert store.history(event_id)[0].after == first
    store.edit(event_id, {"location": "Quetta city", "fatalities": 12}, base_revision=1, author="bob")
    store.edit(event_id, {"lat": 29.8, "lon": 66.85, "geo_precision": "exact"}, base_revision=2, author="carol")
    store.edit(event_id, {"location": "Quetta", "actors": ["Someone new"]}, base_revision=3, author="dan")
    store.remove("ucdp_ged231_sample_pak_afg_ind", author="erin")
    now = store.record(event_id)
    assert (now["location"], now["lat"], now["actors"], now["status"]) == ("Quetta", 29.8, ["Someone new"], "removed")
    history = store.history(event_id)
    assert [h.action for h in history] == ["add", "edit", "edit", "edit", "remove"]
    assert history[0].after == first and history[0].before is None and history[0].author == "alice"


def test_an_edit_is_checked_by_the_importers_rules(store_url):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    version = store.version()
    with pytest.raises(StoreError, match="geo_precision: expected one of") as info:
        store.edit(
            "ucdp-133925", {"geo_precision": "everywhere", "source_url": "javascript:alert(1)"}, base_revision=1, author="bob"
        )
    assert "source_url: expected an http:// or https:// URL" in str(info.value)
    with pytest.raises(StoreError, match="an edit cannot change event_id"):
        store.edit("ucdp-133925", {"event_id": "ucdp-1"}, base_revision=1, author="bob")
    assert store.version() == version
    moved = store.edit("ucdp-133925", {"lat": 29.8, "lon": 66.85, "geo_precision": "exact"}, base_revision=1, author="bob")
    assert moved["admin1"] == "Balochistan" and "Balochistan" in moved["regions"]  # admin units derived again
    renamed = store.edit("ucdp-133925", {"location": "Mastung town"}, base_revision=2, author="bob")  # not moved: kept
    joined = checked_record(store.record("ucdp-133925"), "test")  # the same record placed by the spatial join
    assert [renamed[c] for c in ("admin1", "admin2", "regions")] == [joined[c] for c in ("admin1", "admin2", "regions")]
    assert renamed["admin2"] == "Mastung"


def test_a_removed_dataset_is_kept_and_can_be_restored(store_url):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    assert store.remove("ucdp_ged231_sample_pak_afg_ind", author="bob") == 226
    assert len(store.events()) == 0 and store.datasets() == []
    assert len(store.events(statuses=("removed",))) == 226
    assert [h.action for h in store.history("ucdp-133925")] == ["add", "remove"]
    assert store.restore("ucdp_ged231_sample_pak_afg_ind", author="bob") == 226
    assert len(store.events()) == 226 and [h.action for h in store.history("ucdp-133925")] == ["add", "remove", "restore"]
    with pytest.raises(StoreError, match="no dataset 'nope'"):
        store.remove("nope", author="bob")


def test_a_read_only_store_reads_and_refuses_every_write(store_url):
    add_file(Store(store_url), UCDP, author="alice")
    readonly = Store(store_url, readonly=True)
    assert len(readonly.events()) == 226
    version = readonly.version()
    for write_something in (
        lambda: add_data(readonly, (DATA / "acled_style_ucdp_sample.csv").read_bytes(), name="a.csv", author="bob"),
        lambda: readonly.edit("ucdp-133925", {"location": "x"}, base_revision=1, author="bob"),
        lambda: readonly.remove("ucdp_ged231_sample_pak_afg_ind", author="bob"),
    ):
        with pytest.raises(ReadOnlyError, match="read-only"):
            write_something()
    assert readonly.version() == version


def test_exports_re_import_to_the_same_events(store_url, tmp_path):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    stored = _model(store.events())
    for suffix in (".csv", ".geojson", ".parquet"):
        path = write(store.events(), tmp_path / f"out{suffix}")
        back = load_all([path], shipped=False)
        assert not back.rejected, suffix
        assert_geodataframe_equal(_model(back.events.assign(dataset=stored["dataset"].iloc[0])), stored, check_less_precise=True)


def test_an_older_store_is_upgraded_on_open_and_keeps_its_data(store_url):
    engine = make_engine(store_url)
    if store_url.startswith("sqlite"):
        os.makedirs(os.path.dirname(store_url.removeprefix("sqlite:///")), exist_ok=True)
    with engine.begin() as conn:
        assert t.upgrade(conn, target=1) == (0, 1)  # a store as version 1 made it: no documents table
        now = sa.func.now() if engine.dialect.name == "postgresql" else sa.text("CURRENT_TIMESTAMP")
        conn.execute(
            sa.insert(t.datasets).values(
                name="old", source_file="old.csv", sha256="x", format="native", accounting="{}", status="active",
                revision=1, author="past", created_at=now, updated_at=now,
            )
        )  # fmt: skip
        assert not sa.inspect(conn).has_table("documents")
        for name in ("injured", "detained", "date_best"):  # version 1 to 3 events had no such counts, 1 to 4 no best day
            conn.execute(sa.text(f"ALTER TABLE events DROP COLUMN {name}"))
        conn.execute(
            sa.insert(t.events).values(
                event_id="old-1", dataset="old", date_start=date(2024, 3, 1), date_end=date(2024, 3, 31),
                date_precision="month", event_type="attack", location="Quetta", lon=67.0, lat=30.2,
                geo_precision="near", excerpt="An attack in March.", source_id="old.csv", source_title="old.csv",
                actors="[]", regions="[]", status="accepted", revision=1, author="past", created_at=now, updated_at=now,
            )
        )  # fmt: skip
    engine.dispose()
    store = Store(store_url)
    assert [d.name for d in store.datasets()] == ["old"]
    with store.engine.connect() as conn:
        assert t.current_version(conn) == t.VERSION == 6
        assert all(sa.inspect(conn).has_table(n) for n in ("documents", "profiles", "candidates", "grades"))
        columns = set(conn.execute(sa.text("SELECT * FROM events WHERE 1 = 0")).keys())
        assert {"injured", "detained", "date_best", "reliability", "credibility"} <= columns
    old = store.events()
    assert old["date_best"].dt.date.tolist() == [date(2024, 3, 16)]  # an old event's best day: its month's middle
    assert (old["reliability"].tolist(), old["credibility"].tolist()) == (["F"], [6])  # not graded
    assert store.record("old-1")["date_best"] == "2024-03-16"
    add_file(store, UCDP, author="alice")  # events are written and read with the new counts
    assert store.events()["injured"].isna().all() and len(store.events()) == 227


def test_a_column_mapping_is_kept_by_name_with_its_revisions(store_url):
    store = Store(store_url)
    assert store.profiles() == {}
    assert store.save_profile("drone table", {"date": "Date", "latitude": "Lat"}, author="alice") == 1
    assert store.save_profile("drone table", {"date": "Date", "latitude": "Latitude"}, author="bob") == 2
    assert store.profiles() == {"drone table": {"date": "Date", "latitude": "Latitude"}}
    history = store.history("drone table", entity="profile")
    assert [(h.action, h.author) for h in history] == [("add", "alice"), ("edit", "bob")]
    assert history[1].before == {"columns": {"date": "Date", "latitude": "Lat"}}
    with pytest.raises(StoreError, match="needs a name"):
        store.save_profile("  ", {"date": "Date"}, author="bob")
    with pytest.raises(ReadOnlyError):
        Store(store_url, readonly=True).save_profile("x", {"date": "Date"}, author="bob")


def test_a_corrupt_or_unreachable_store_is_a_clear_error_with_the_password_masked(store_url, tmp_path):
    if store_url.startswith("sqlite"):
        bad = tmp_path / "corrupt.sqlite"
        bad.write_bytes(b"this is not a database" * 100)
        url = f"sqlite:///{bad}"
        expected = "file is not a database"
    else:
        url = store_url.rsplit(":", 1)[0] + ":1/incidents_test"  # nothing listens on port 1
        expected = "could not open the store"
    with pytest.raises(StoreError) as info:
        Store(url).events()
    message = str(info.value)
    assert expected in message and "secret" not in message
    assert ("***" in message) == ("secret" in url)


def test_a_team_store_that_refuses_the_read_is_a_clear_error_naming_it(postgis_url):
    """PostGIS events are read by ADBC on its own connection: its errors name the store like the others."""
    from tests.postgis import reset

    reset(postgis_url)
    add_file(Store(postgis_url), UCDP, author="alice")
    admin = make_engine(postgis_url)
    with admin.begin() as conn:
        conn.execute(sa.text("DROP ROLE IF EXISTS reader"))
        conn.execute(sa.text("CREATE ROLE reader LOGIN PASSWORD 'hidden-pw'"))
        conn.execute(sa.text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"))
    reader_url = postgis_url.replace("postgres:secret@", "reader:hidden-pw@", 1)
    reader = Store(reader_url, readonly=True)
    assert len(reader.events()) == 226
    with admin.begin() as conn:
        conn.execute(sa.text("REVOKE SELECT ON events FROM reader"))
    try:
        with pytest.raises(StoreError) as info:
            reader.events()
        message = str(info.value)
        assert "could not read the events" in message and "permission denied" in message
        assert "hidden-pw" not in message and "reader:***@" in message
    finally:
        reader.engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text("REASSIGN OWNED BY reader TO postgres; DROP OWNED BY reader; DROP ROLE reader"))
        admin.dispose()


def test_a_killed_add_leaves_the_store_as_it_was_and_the_same_add_then_succeeds(store_url, tmp_path):
    store = Store(store_url)
    add_file(store, UCDP, author="alice")
    before = store.version(), [d.name for d in store.datasets()]
    big = write_native_csv(synthetic_events(60_000, seed=3), tmp_path / "big.csv")
    env = {**os.environ, "INCIDENT_STORE": store_url}
    cmd = [sys.executable, "-m", "incidents", "store", "add", str(big), "--author", "killed"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()  # printed just before the transaction begins
    assert "storing 60,000 events" in line, line
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = Store(store_url)
    assert (after.version(), [d.name for d in after.datasets()]) == before
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert {d.name: d.events for d in Store(store_url).datasets()} == {"ucdp_ged231_sample_pak_afg_ind": 226, "big": 60_000}


def test_two_adds_at_the_same_time_both_land(store_url, tmp_path):
    files = [write_native_csv(synthetic_events(8_000, seed=s), tmp_path / f"part{s}.csv") for s in (1, 2)]
    # distinct ids in the two files
    for f, prefix in zip(files, ("a-", "b-")):
        text = f.read_text(encoding="utf-8").splitlines(keepends=True)
        f.write_text(text[0] + "".join(prefix + line for line in text[1:]), encoding="utf-8")
    env = {**os.environ, "INCIDENT_STORE": store_url}
    Store(store_url)  # (a SQLite store is created by the first write: both processes race for that too)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "incidents", "store", "add", str(f)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert {d.name: d.events for d in Store(store_url).datasets()} == {"part1": 8_000, "part2": 8_000}


def test_the_command_line_adds_lists_exports_and_tells_the_history(store_url, tmp_path):
    env = {**os.environ, "INCIDENT_STORE": store_url}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "incidents", "store", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    added = run("add", str(UCDP), "--author", "alice")
    assert added.returncode == 0 and "226 accepted, 0 rejected" in added.stdout and "stored as dataset" in added.stdout
    listed = run("list")
    assert listed.stdout.startswith(
        "ucdp_ged231_sample_pak_afg_ind\t226 events\tfrom ucdp_ged231_sample_pak_afg_ind.csv\tadded by alice"
    )
    out = tmp_path / "all.csv"
    assert run("export", str(out)).returncode == 0
    assert len(load_all([out], shipped=False).events) == 226
    history = run("history", "ucdp-133925")
    assert history.stdout.startswith("revision 1\tadd\talice\t")
    broken = run("add", str(DATA / "broken_events.csv"), "--author", "alice")
    assert broken.returncode == 1 and "rejected" in broken.stdout
    assert run("remove", "nope").returncode == 2
    readonly = subprocess.run(
        [sys.executable, "-m", "incidents", "store", "remove", "ucdp_ged231_sample_pak_afg_ind"],
        cwd=ROOT, env={**env, "INCIDENT_STORE_READONLY": "1"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert readonly.returncode == 2 and "read-only" in readonly.stderr
    assert run("list").stdout.count("\n") == 2  # both datasets still there
