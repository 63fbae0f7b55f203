"""Exports of a view: each file re-imports to the same events; citations quote stored documents exactly; the share link."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from incidents import EventFilter, filter_mask, from_query, load_all
from incidents.model.documents import read_document, stored_document_ids
from incidents.query.index import EventIndex
from incidents.writers import CITATION_COLUMNS, format_of
from tests.hostile import HOSTILE
from views.exports import OFFERED, downloads, share_link
from views.selection import query

MODEL = ["event_id", "date_start", "date_end", "date_precision", "date_best", "event_type", "actors", "location", "geometry",
         "geo_precision", "admin1", "admin2", "regions", "fatalities", "excerpt", "source_id", "source_title",
         "excerpt_start", "excerpt_end"]  # fmt: skip


@pytest.fixture(scope="module")
def view(events):
    index = EventIndex.build(events)
    f = EventFilter(regions={"Balochistan"})
    rows = np.flatnonzero(filter_mask(index, f))
    assert 0 < len(rows) < len(events)
    return events, rows, f


def _model(frame):
    return frame[MODEL].sort_values("event_id").reset_index(drop=True)


@pytest.mark.parametrize("name", ["incidents.csv", "incidents.geojson", "incidents.parquet"])
def test_each_exported_file_re_imports_to_the_events_shown(view, name, tmp_path):
    events, rows, _ = view
    (d,) = [d for d in downloads(events, rows) if d.file_name == name]
    path = tmp_path / name
    path.write_bytes(d.data())
    back = load_all([path], shipped=False)
    assert not back.rejected and len(back.events) == len(rows)
    assert_geodataframe_equal(_model(back.events), _model(events.iloc[rows]), check_less_precise=True)


def test_the_citations_quote_stored_documents_exactly(view):
    events, rows, _ = view
    (d,) = [d for d in downloads(events, rows) if d.file_name.endswith(".citations.csv")]
    cited = list(csv.DictReader(io.StringIO(d.data().decode("utf-8"))))
    assert tuple(cited[0]) == CITATION_COLUMNS
    assert sorted(r["event_id"] for r in cited) == sorted(events["event_id"].iloc[rows])
    shown = events.iloc[rows].set_index("event_id")
    stored = set(stored_document_ids())
    quoted = 0
    for r in cited:
        assert r["excerpt"] == shown.loc[r["event_id"], "excerpt"]
        if r["source_id"] in stored and r["excerpt_start"]:
            text = read_document(r["source_id"]).text
            assert text[int(r["excerpt_start"]) : int(r["excerpt_end"])] == r["excerpt"]
            quoted += 1
    assert quoted > 0  # the dossier's events quote it


def test_hostile_text_is_written_verbatim_and_read_back_as_text(tmp_path):
    rows = ["event_id,date_start,latitude,longitude,geo_precision,excerpt,location,actors"]
    for i, text in enumerate(HOSTILE):
        clean = text.replace("\x00", "").replace('"', '""')
        rows.append(f'h-{i},2024-05,{30 + i / 100},{66 + i / 100},exact,"x {clean}","{clean[:30]}",ISKP')
    src = tmp_path / "hostile.csv"
    src.write_text("\n".join(rows), encoding="utf-8")
    events = load_all([src], shipped=False).events
    assert len(events) == len(HOSTILE)
    for d in downloads(events, np.arange(len(events))):
        path = tmp_path / f"out-{d.file_name}"
        path.write_bytes(d.data())
        if d.file_name.endswith(".citations.csv"):
            cited = pd.read_csv(path, dtype=str, keep_default_na=False)
            assert cited["excerpt"].tolist() == events["excerpt"].tolist()
            continue
        back = load_all([path], shipped=False).events
        assert back["excerpt"].tolist() == events["excerpt"].tolist() and back["location"].tolist() == events["location"].tolist()


def test_the_share_link_reopens_the_same_view(view):
    events, _, f = view
    f = EventFilter(regions={"Balochistan"}, distance=("Durand Line", 25, True), text="<script>&q=1#x")
    link = share_link("http://127.0.0.1:8501/?old=1#frag", query(f, "dossier-007"))
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("http", "127.0.0.1:8501", "/", "")
    params = parse_qs(parts.query)
    assert params["incident"] == ["dossier-007"]
    assert from_query(params, EventIndex.build(events)) == (f, [])
    assert share_link(None, query(f, None)).startswith("?region=Balochistan")


def test_file_names_name_their_format():
    assert [format_of(name) for _, name, _ in OFFERED] == [".csv", ".geojson", ".parquet", ".citations.csv", ".acled.csv"]
    assert format_of("OUT.CITATIONS.CSV") == ".citations.csv" and format_of("OUT.Acled.csv") == ".acled.csv"
    with pytest.raises(ValueError, match="notes.txt: expected a .csv, .geojson, .parquet, .citations.csv or .acled.csv"):
        format_of("notes.txt")
