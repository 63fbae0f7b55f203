"""The dashboard with a store (AppTest): its events beside the files, shown once, reread after a write, read-only, faults."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from incidents.loader import EVENTS_DIR
from incidents.store import Documents, Review, Store, add_data, add_file
from tests.conftest import DATA, ROOT
from tests.test_dashboard import shown

APP = str(ROOT / "dashboard.py")
UCDP = EVENTS_DIR / "ucdp_ged231_sample_pak_afg_ind.csv"


@pytest.fixture
def app(clean_cache, monkeypatch):
    monkeypatch.delenv("INCIDENT_FILES", raising=False)

    def make() -> AppTest:
        return AppTest.from_file(APP, default_timeout=120).run()

    return make


def _files(at):
    return next(d.value for d in at.dataframe if "accepted" in d.value.columns)


def test_a_stored_copy_of_a_shipped_file_is_shown_once(app, empty_store):
    add_file(Store(empty_store), UCDP, author="alice")
    at = app()
    assert not at.exception and shown(at) == 238
    notes = [t.value for t in at.text]
    note = "Store dataset “ucdp_ged231_sample_pak_afg_ind” holds the same file as ucdp_ged231_sample_pak_afg_ind.csv"
    assert note + ", already loaded: shown once." in notes
    assert not any("store:" in d for d in at.sidebar.multiselect(key="datasets").options)


def test_store_events_join_the_map_and_a_write_shows_at_the_next_rerun_reading_only_the_store(app, empty_store, monkeypatch):
    import views.data

    store = Store(empty_store)
    add_data(store, (DATA / "acled_style_ucdp_sample.csv").read_bytes(), name="acled_copy.csv", author="alice")
    # the ACLED-style copy has other ids (acled-...) than the shipped UCDP rows
    at = app()
    assert not at.exception
    first = shown(at)
    assert first > 238 and "store: acled_copy" in at.sidebar.multiselect(key="datasets").options
    files = _files(at)
    row = files[files["file"] == "store: acled_copy"].iloc[0]
    assert (row["format"], row["accepted"], row["rejected"]) == ("store", first - 238, 0)
    calls = []
    real = views.data.load_all
    monkeypatch.setattr(views.data, "load_all", lambda *a, **k: calls.append(1) or real(*a, **k))
    csv = "event_id,date_start,latitude,longitude,geo_precision,excerpt\nnew-1,2025-06,29.8,66.85,district,a June meeting\n"
    add_data(store, csv.encode(), name="mine.csv", author="bob")
    at.run()
    assert not at.exception and shown(at) == first + 1
    assert calls == []  # the files were not read again: only the store's part
    assert "store: mine" in at.sidebar.multiselect(key="datasets").options


def test_the_name_box_is_there_when_the_store_can_be_written_and_gone_when_read_only(app, monkeypatch):
    at = app()
    assert [t.label for t in at.sidebar.text_input] == [
        "Grade at least (e.g. B2)",
        "Search excerpts and places",
        "Sheet of a workbook (.xlsx)",
        "Your name (recorded with what you add to the store)",
    ]
    monkeypatch.setenv("INCIDENT_STORE_READONLY", "1")
    at = app()
    assert not at.exception
    assert [t.label for t in at.sidebar.text_input] == [
        "Grade at least (e.g. B2)",
        "Search excerpts and places",
        "Sheet of a workbook (.xlsx)",
    ]


def test_a_corrupt_store_leaves_the_shipped_data_with_a_warning(app, monkeypatch, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 50)
    monkeypatch.setenv("INCIDENT_STORE", f"sqlite:///{bad}")
    at = app()
    assert not at.exception and shown(at) == 238
    (warning,) = [w.value for w in at.warning]
    assert warning == "The store could not be read, so only the shipped data and files are shown."
    (detail,) = [t.value for t in at.text if "file is not a database" in t.value]  # as text, never Markdown
    assert str(bad) in detail


MINE = "event_id,date_start,latitude,longitude,geo_precision,excerpt\nnew-1,2025-06,29.8,66.85,district,a June meeting\n"


def _field(at, label):
    return next(t for t in at.text_input if t.label == label)


def _texts(at):
    return [t.value for t in at.text]


def _captions(at):
    return [c.value for c in at.caption]


def test_a_store_incident_is_edited_in_the_panel_and_an_edit_made_from_an_old_revision_shows_both(clean_cache, empty_store):
    from views.store import AUTHOR_KEY

    store = Store(empty_store)
    add_data(store, MINE.encode(), name="mine.csv", author="alice")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["incident"] = "new-1"
    at.run()
    assert not at.exception
    assert "Enter your name in the sidebar to edit." in [c.value for c in at.caption]
    at.sidebar.text_input(key=AUTHOR_KEY).input("Bob <b>Analyst</b>").run()
    assert "Recorded as: Bob <b>Analyst</b>. Editing revision 1 (stored: revision 1)." in _texts(at)
    _field(at, "Place").input("Mastung town")
    _field(at, "Fatalities (best estimate)").input("3")
    next(b for b in at.button if b.label == "Save this edit").click().run()
    assert not at.exception and "Saved as revision 2." in [s.value for s in at.success]
    record = store.record("new-1")
    assert (record["location"], record["fatalities"], record["revision"], record["author"]) == (
        "Mastung town",
        3,
        2,
        "Bob <b>Analyst</b>",
    )
    assert record["admin2"] == "Mastung"  # not moved: placed as before

    store.edit("new-1", {"location": "Quetta"}, base_revision=2, author="carol")  # another analyst saves meanwhile
    at.run()
    assert "Recorded as: Bob <b>Analyst</b>. Editing revision 2 (stored: revision 3)." in _texts(at)
    _field(at, "Place").input("Kalat")
    next(b for b in at.button if b.label == "Save this edit").click().run()
    assert not at.exception and store.record("new-1")["location"] == "Quetta"  # nothing overwritten
    assert [e.value for e in at.error] == ["Not saved: someone else changed this incident since you opened it."]
    assert any("changed by carol" in t and "(revision 3) since revision 2" in t for t in _texts(at))
    both = next(d.value for d in at.dataframe if list(d.value.columns) == ["field", "stored now", "your edit"])
    assert both.to_dict("records") == [{"field": "Place", "stored now": "Quetta", "your edit": "Kalat"}]
    next(b for b in at.button if b.label == "Start again from the stored version").click().run()
    assert not at.exception and not at.error
    assert "Recorded as: Bob <b>Analyst</b>. Editing revision 3 (stored: revision 3)." in _texts(at)
    assert _field(at, "Place").value == "Quetta"


def test_shipped_incidents_and_read_only_stores_offer_no_edit(clean_cache, empty_store, monkeypatch):
    add_data(Store(empty_store), MINE.encode(), name="mine.csv", author="alice")
    for incident, readonly in (("ucdp-133925", None), ("new-1", "1")):
        if readonly:
            monkeypatch.setenv("INCIDENT_STORE_READONLY", readonly)
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["incident"] = incident
        at.run()
        assert not at.exception and incident in " ".join(_texts(at))
        assert not [b for b in at.button if b.label == "Save this edit"]
        assert not [e for e in at.expander if e.label.startswith("Edit this incident")]


def test_the_chosen_document_is_in_the_link_and_a_link_to_one_not_stored_says_so(clean_cache, empty_store):
    from incidents.intake import from_paste
    from views.documents import PICK_KEY

    store = Store(empty_store)
    first = Documents(store).add(from_paste("Forces detained two men in Khuzdar on Sunday."), {"title": "One"}, author="alice")
    Documents(store).add(from_paste("Two people were killed in Mastung district on Monday."), {"title": "Two"}, author="alice")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "Documents"
    at.query_params["doc"] = first.source_id  # not the newest, which is shown by default
    at.run()
    assert not at.exception
    assert next(b for b in at.selectbox if b.label == "Document").value == first.source_id == at.session_state[PICK_KEY]
    assert at.query_params["doc"] == first.source_id and at.query_params["view"] == "Documents"
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "Documents"
    at.query_params["doc"] = "doc-<b>gone</b>"
    at.run()
    assert not at.exception
    assert "The link names document 'doc-<b>gone</b>', which is not in this store: the newest one is shown." in _texts(at)
    assert next(b for b in at.selectbox if b.label == "Document").value != first.source_id


def test_the_review_marks_the_fields_read_with_low_confidence(clean_cache, empty_store):
    from incidents.intake import from_paste

    store = Store(empty_store)
    # no words date it and no place is named: the date and the place are read with low confidence
    added = Documents(store).add(from_paste("Several militants were killed in a raid."), {"title": "Raid"}, author="alice")
    (candidate,) = Review(store).candidates(added.source_id)
    assert candidate.fields["confidence"]["fatalities"] == "low" and candidate.fields["date_best_rule"] == ""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "Documents"
    at.run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning if w.value.startswith("Check these, read with low confidence:")]
    assert "killed" in warning and "place" not in warning and "location" in warning


def test_a_documents_details_are_edited_in_the_view_and_its_events_cite_them(clean_cache, empty_store):
    from incidents.intake import from_paste
    from views.store import AUTHOR_KEY

    store = Store(empty_store)
    text = "QUETTA, Pakistan (March 12, 2025) - Forces detained two men in Khuzdar district yesterday."
    added = Documents(store).add(from_paste(text), {"title": "Raid", "published": "2025-03-12"}, author="alice")
    (first,) = Review(store).candidates(added.source_id)
    Review(store).accept(first.candidate_id, {}, base_revision=1, author="alice")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "Documents"
    at.run()
    at.sidebar.text_input(key=AUTHOR_KEY).input("Bob").run()
    at.text_input(key=f"doc_meta_title_{added.source_id}_1").input("Raid in <i>Khuzdar</i>")
    next(b for b in at.button if b.label == "Save the details").click().run()
    assert not at.exception
    said = [s.value for s in at.success]
    assert "Saved: title. 0 candidate(s) dated again, 0 kept their dates; 1 accepted event(s) cite the new details." in said
    assert at.text_input(key=f"doc_meta_title_{added.source_id}_2").value == "Raid in <i>Khuzdar</i>"
    assert "Raid in <i>Khuzdar</i>" in store.record(f"{added.source_id}-1")["source_title"]
    assert any(t.startswith("Raid in <i>Khuzdar</i> · publisher not stated") for t in _texts(at))  # as text, not markup


def test_a_document_with_no_candidate_says_why_and_what_to_do(clean_cache, empty_store):
    from views.store import AUTHOR_KEY

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "Documents"
    at.run()
    at.sidebar.text_input(key=AUTHOR_KEY).input("Bob").run()
    at.text_area(key="doc_paste_0").input("بلوچستان کے ضلع خضدار میں سیکیورٹی فورسز کی کارروائی، <b>دہشت گرد</b> ہلاک").run()
    language = next(t for t in at.text_input if t.label == "Language")
    language.input("ur <script>").run()
    next(b for b in at.button if b.label == "Store it and propose events").click().run()
    assert not at.exception
    (info,) = [i.value for i in at.info if i.value.startswith("Stored, with no candidate event")]
    assert "reads English only" in info and "Add events from passages below." in info
    assert "court hearings" in info  # why: no act reported, and what is no event
    assert any(c.startswith("No sentence of this text reports an act") for c in _captions(at))  # shown with the text
    assert "language ur <script>" in _texts(at)  # the document's own words, as text
    store = Store(empty_store)
    (doc,) = Documents(store).list()  # stored, with nothing proposed
    assert Review(store).candidates(doc.source_id) == [] and doc.language == "ur <script>"
