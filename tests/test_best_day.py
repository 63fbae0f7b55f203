"""The best single day (``date_best``): kept from the sources that give one, derived where none does, carried by
every export, the ACLED-style file dated by it, and reviewed and edited with the dates it lies in."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from incidents import load_all
from incidents.acled_layout import LEFT_OUT, acled_rows, left_out_note
from incidents.intake import from_paste
from incidents.store import Documents, Review, Store, StoreError
from views.exports import OFFERED, downloads

DATA = Path(__file__).parent / "data"
HEADER = "event_id,date_start,date_end,date_best,latitude,longitude,geo_precision,excerpt"


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_acleds_own_day_is_kept_as_the_best_day_of_a_week_or_a_month(tmp_path):
    with (DATA / "acled_style_ucdp_sample.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0].update(event_date="2019-03-28", time_precision="3")  # known to the month; ACLED's day the 28th
    path = tmp_path / "acled.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    events = load_all([path], shipped=False).events
    given = {f"acled-{r['event_id_cnty']}": r["event_date"] for r in rows}
    assert len(events) == len(rows) and (events["date_precision"] == "week").any()
    for event_id, best, start, end in zip(
        events["event_id"], events["date_best"].dt.date, events["date_start"].dt.date, events["date_end"].dt.date
    ):
        assert best.isoformat() == given[event_id] and start <= best <= end
    month = events[events["event_id"] == f"acled-{rows[0]['event_id_cnty']}"].iloc[0]
    assert (month["date_start"].date(), month["date_end"].date()) == (date(2019, 3, 1), date(2019, 3, 31))


def test_a_best_day_not_given_is_the_middle_of_the_span_and_one_given_is_kept(tmp_path):
    path = _csv(
        tmp_path,
        "a,2024-03,,,30.1,66.9,near,A month.",
        "b,2024-03-01,2024-03-04,,30.1,66.9,near,Four days.",
        "c,2024-03,,2024-03-28,30.1,66.9,near,A month with its day.",
        "d,2024-03-05,,,30.1,66.9,near,A day.",
    )
    events = load_all([path], shipped=False).events.set_index("event_id")
    assert events["date_best"].dt.date.to_dict() == {
        "a": date(2024, 3, 16),
        "b": date(2024, 3, 2),
        "c": date(2024, 3, 28),
        "d": date(2024, 3, 5),
    }


def test_a_best_day_outside_its_span_or_not_a_day_is_refused_by_row_and_field(tmp_path):
    path = _csv(
        tmp_path,
        "a,2024-03,,2024-04-02,30.1,66.9,near,Outside.",
        "b,2024-03,,2024-03,30.1,66.9,near,Not one day.",
        "c,2024-03,,2024-03-09,30.1,66.9,near,Fine.",
    )
    result = load_all([path], shipped=False)
    assert result.events["event_id"].tolist() == ["c"]
    reasons = {(r.row, r.field): r.reason for r in result.rejected}
    assert reasons == {
        (1, "date_best"): "date_best is outside date_start..date_end",
        (2, "date_best"): "expected one day as YYYY-MM-DD",
    }


@pytest.mark.parametrize("name", ["incidents.csv", "incidents.geojson", "incidents.parquet"])
def test_every_export_carries_the_best_day(events, name, tmp_path):
    (d,) = [d for d in downloads(events, np.arange(len(events))) if d.file_name == name]
    path = tmp_path / name
    path.write_bytes(d.data())
    back = load_all([path], shipped=False).events.set_index("event_id")["date_best"]
    assert back.to_dict() == events.set_index("event_id")["date_best"].to_dict()


def test_the_acled_style_file_is_dated_by_the_best_day_reads_back_and_leaves_out_what_acled_cannot_hold(events, tmp_path):
    assert any(name.endswith(".acled.csv") for _, name, _ in OFFERED)
    (d,) = [d for d in downloads(events, np.arange(len(events))) if d.file_name.endswith(".acled.csv")]
    written = list(csv.DictReader(io.StringIO(d.data().decode("utf-8"))))
    rows, left = acled_rows(events)
    assert len(written) == len(rows) and len(written) + sum(left.values()) == len(events)
    assert left["date"] > 0 and left["place"] > 0  # the dossier's years and Kashmir-wide claims
    for why, n in left.items():
        assert f"{n:,} incidents {LEFT_OUT[why]}" in left_out_note(events)
    path = tmp_path / "view.acled.csv"
    path.write_bytes(d.data())
    back = load_all([path], shipped=False)
    assert not back.rejected and len(back.events) == len(written)
    shown = events.set_index("event_id")
    for r in back.events.itertuples():
        original = r.event_id.removeprefix("acled-")
        source = shown.loc[original if original in shown.index else r.event_id]
        assert r.date_best == source["date_best"]
        assert source["date_start"] >= r.date_start and source["date_end"] <= r.date_end  # never narrower than it was
        assert (r.location, r.excerpt, r.fatalities) == (source["location"], source["excerpt"], source["fatalities"])
    countries = {w["country"] for w in written}
    assert {"Pakistan", "Afghanistan"} <= countries


def test_a_reviewed_report_keeps_the_extractors_best_day_and_moving_the_dates_gives_it_way(store_url):
    store = Store(store_url)
    text = "Militants attacked a checkpost in Mastung district, officials said. Two soldiers were killed.\n"
    added = Documents(store).add(from_paste(text), {"title": "Checkpost", "published": "2025-03-12"}, author="alice")
    (c,) = Review(store).candidates(added.source_id)
    assert (c.fields["date_start"], c.fields["date_end"], c.fields["date_best"]) == ("2025-03-01", "2025-03-12", "2025-03-12")
    accepted = Review(store).accept(c.candidate_id, {}, base_revision=1, author="bob")
    event = store.record(accepted.event_id)
    assert event is not None and event["date_best"] == "2025-03-12"  # the day of the telling, not the month's middle
    moved = store.edit(accepted.event_id, {"date_start": "2025-02-01", "date_end": "2025-02-28"}, base_revision=1, author="bob")
    assert moved["date_best"] == "2025-02-14"  # left outside the new span: its middle
    with pytest.raises(StoreError, match="date_best is outside"):
        store.edit(accepted.event_id, {"date_best": "2025-03-01"}, base_revision=2, author="bob")
    kept = store.edit(accepted.event_id, {"date_best": "2025-02-20"}, base_revision=2, author="bob")
    assert kept["date_best"] == "2025-02-20" and store.events()["date_best"].dt.date.tolist() == [date(2025, 2, 20)]
