"""Documents in the store and the review of their candidates, on SQLite and on PostGIS."""

from __future__ import annotations

import pytest

from incidents.intake import from_paste, from_upload
from incidents.store import ConflictError, Documents, ReadOnlyError, Review, Store, StoreError
from tests.hostile import HOSTILE

ARTICLE = (
    "Blast in Mastung\n"
    "QUETTA, Pakistan (March 12, 2025) - Two people were killed and five injured when a bomb exploded near a market "
    "in Mastung district yesterday, officials said. Police said Lashkar-e-Taiba was suspected.\n"
    "In a separate incident, security forces detained three men in Khuzdar on Sunday.\n"
)
META = {"title": "Blast in Mastung", "publisher": "Daily Example", "published": "2025-03-12", "url": "https://news.example.org/1"}


def _added(store_url):
    store = Store(store_url)
    added = Documents(store).add(from_paste(ARTICLE), META, author="alice")
    return store, added


def test_a_document_is_stored_once_with_its_dataset_and_candidates_whose_excerpts_are_verbatim(store_url):
    store, added = _added(store_url)
    assert added.dataset == "document: Blast in Mastung" and added.candidates == 2 and not added.already
    again = Documents(store).add(from_paste(ARTICLE), {"title": "Another title"}, author="bob")
    assert again.already and again.source_id == added.source_id and again.dataset == added.dataset
    (listed,) = Documents(store).list()
    assert (listed.title, listed.publisher, listed.author) == ("Blast in Mastung", "Daily Example", "alice")
    assert listed.states == {"candidate": 2}
    doc = Documents(store).get(added.source_id)
    assert doc is not None and doc.text == ARTICLE
    first, second = Review(store).candidates(added.source_id)
    assert (first.rank, first.fields["location"], first.fields["fatalities"]) == (1, "Mastung", 2)
    assert (second.fields["location"], second.fields["detained"]) == ("Khuzdar", 3)
    assert first.fields["new_actors"] == [] and first.fields["actors"] == ["Lashkar-e-Taiba"]
    for c in (first, second):
        f = c.fields
        assert ARTICLE[f["excerpt_start"] : f["excerpt_end"]] == f["excerpt"]
        for start, end in c.evidence.values():
            assert 0 <= start < end <= len(ARTICLE)
    assert ARTICLE[slice(*first.evidence["location"])].startswith("Mastung")
    assert first.fields["date_start"] == "2025-03-11"  # "yesterday", read against the publication date
    assert len(store.events()) == 0  # candidates are not on the map until accepted


def test_accepting_puts_the_event_in_the_documents_dataset_and_a_restart_sees_the_same_review(store_url):
    store, added = _added(store_url)
    first, second = Review(store).candidates(added.source_id)
    assert first.fields["injured"] == 5  # "were killed and five injured"
    accepted = Review(store).accept(first.candidate_id, {"event_type": "bombing"}, base_revision=1, author="bob")
    assert (accepted.status, accepted.revision, accepted.event_id) == ("accepted", 2, f"{added.source_id}-1")
    Review(store).reject(second.candidate_id, base_revision=1, author="bob")
    again = Store(store_url)  # another analyst, or the app after a restart
    assert [c.status for c in Review(again).candidates(added.source_id)] == ["accepted", "rejected"]
    events = again.events()
    assert events["event_id"].tolist() == [accepted.event_id]
    ev = events.iloc[0]
    assert (ev["dataset"], ev["admin2"], ev["injured"], ev["fatalities"]) == (added.dataset, "Mastung", 5, 2)
    assert ARTICLE[ev["excerpt_start"] : ev["excerpt_end"]] == ev["excerpt"]
    assert "Blast in Mastung" in ev["source_title"] and ev["source_url"] == META["url"]
    assert "Mastung" in ev["regions"] and "accepted by bob" in ev["coding_note"]
    history = again.history(first.candidate_id, entity="candidate")
    assert [(h.action, h.author) for h in history] == [("add", "alice"), ("accept", "bob")]
    assert history[1].before == {"event_type": "attack", "coding_note": None, "regions": [], "status": "candidate"}
    assert history[1].after["event_type"] == "bombing" and "Mastung" in history[1].after["regions"]
    # the accepted event is edited like any other: its quote is checked against the stored document
    edited = again.edit(accepted.event_id, {"location": "Mastung town"}, base_revision=1, author="carol")
    assert edited["location"] == "Mastung town"
    with pytest.raises(StoreError, match="excerpt is not the text"):
        again.edit(accepted.event_id, {"excerpt": "Three people were killed"}, base_revision=2, author="carol")


def test_a_stale_or_invalid_review_step_is_refused_and_nothing_is_written(store_url):
    store, added = _added(store_url)
    first, second = Review(store).candidates(added.source_id)
    Review(store).edit(first.candidate_id, {"event_type": "bombing"}, base_revision=1, author="alice")
    with pytest.raises(ConflictError, match="changed by alice"):
        Review(store).accept(first.candidate_id, {}, base_revision=1, author="bob")
    with pytest.raises(StoreError, match="is not accepted: latitude: expected latitude between -90 and 90"):
        Review(store).accept(second.candidate_id, {"lat": 95.0}, base_revision=1, author="bob")
    with pytest.raises(StoreError, match="cannot change excerpt"):
        Review(store).edit(second.candidate_id, {"excerpt": "words"}, base_revision=1, author="bob")
    Review(store).reject(second.candidate_id, base_revision=1, author="bob")
    with pytest.raises(StoreError, match="is rejected: it cannot accept"):
        Review(store).accept(second.candidate_id, {}, base_revision=2, author="bob")
    assert Review(store).reopen(second.candidate_id, base_revision=2, author="bob").status == "candidate"
    assert len(store.events()) == 0


def test_a_passage_the_extractor_missed_becomes_a_candidate_quoting_it_exactly(store_url):
    store, added = _added(store_url)
    start = ARTICLE.index("Police said")
    end = ARTICLE.index("suspected.") + len("suspected.")
    made = Review(store).add_passage(added.source_id, start, end, author="carol")
    assert (made.origin, made.rank, made.candidate_id) == ("passage", 3, f"{added.source_id}:3")
    assert made.fields["excerpt"] == ARTICLE[start:end] == "Police said Lashkar-e-Taiba was suspected."
    assert (made.fields["excerpt_start"], made.fields["excerpt_end"]) == (start, end)
    # nothing in the passage dates or places it: the reviewer must
    with pytest.raises(StoreError, match=r"date_start: expected a date.*latitude: expected a number.*geo_precision"):
        Review(store).accept(made.candidate_id, {}, base_revision=1, author="carol")
    changes = {"date_start": "2025-03", "date_end": "2025-03", "lon": 66.73, "lat": 29.75, "geo_precision": "district"}
    done = Review(store).accept(made.candidate_id, changes, base_revision=1, author="carol")
    assert done.status == "accepted" and store.events()["date_precision"].tolist() == ["month"]
    with pytest.raises(StoreError, match="not a passage"):
        Review(store).add_passage(added.source_id, 10, 10_000, author="carol")


def test_document_metadata_is_checked_and_a_read_only_store_refuses_documents(store_url):
    store = Store(store_url)
    with pytest.raises(StoreError, match="needs a title"):
        Documents(store).add(from_paste(ARTICLE), {"title": " "}, author="alice")
    with pytest.raises(StoreError, match="url 'javascript:alert"):
        Documents(store).add(from_paste(ARTICLE), {"title": "x", "url": "javascript:alert(1)"}, author="alice")
    with pytest.raises(StoreError, match="published '12 March'"):
        Documents(store).add(from_paste(ARTICLE), {"title": "x", "published": "12 March"}, author="alice")
    with pytest.raises(ReadOnlyError):
        Documents(Store(store_url, readonly=True)).add(from_paste(ARTICLE), {"title": "x"}, author="alice")
    assert Documents(store).list() == []


def test_hostile_text_is_stored_and_read_back_as_the_same_text(store_url):
    store = Store(store_url)
    intake = from_upload("hostile.txt", ("Report\n" + "\n".join(HOSTILE)).encode())
    added = Documents(store).add(intake, {"title": HOSTILE[0], "publisher": HOSTILE[11]}, author=HOSTILE[12])
    doc = Documents(store).get(added.source_id)
    assert doc is not None and doc.text == intake.text and doc.title == HOSTILE[0]
    assert Documents(store).list()[0].author == HOSTILE[12]


def test_moving_an_excerpt_quotes_the_documents_own_words_between_the_new_offsets(store_url):
    store, added = _added(store_url)
    first = Review(store).candidates(added.source_id)[0]
    start = ARTICLE.index("Two people were killed")
    end = ARTICLE.index(" when a bomb")
    moved = Review(store).edit(first.candidate_id, {"excerpt_start": start, "excerpt_end": end}, base_revision=1, author="bob")
    assert moved.fields["excerpt"] == ARTICLE[start:end] == "Two people were killed and five injured"
    for bad in ({"excerpt_start": end, "excerpt_end": start}, {"excerpt_end": 10**6}, {"excerpt_start": "3"}):
        with pytest.raises(StoreError, match="not a span of the text"):
            Review(store).edit(first.candidate_id, bad, base_revision=2, author="bob")
    assert Review(store).accept(first.candidate_id, {}, base_revision=2, author="bob").fields["excerpt"] == ARTICLE[start:end]


def test_an_acceptance_withdrawn_takes_the_event_off_the_map_and_accepting_again_brings_it_back(store_url):
    store, added = _added(store_url)
    first = Review(store).candidates(added.source_id)[0]
    accepted = Review(store).accept(first.candidate_id, {}, base_revision=1, author="bob")
    withdrawn = Review(store).withdraw(first.candidate_id, base_revision=2, author="carol")
    assert withdrawn.status == "rejected" and len(store.events()) == 0
    assert store.record(str(accepted.event_id))["status"] == "removed"  # kept, with a revision
    with pytest.raises(StoreError, match="is rejected: it cannot withdraw"):
        Review(store).withdraw(first.candidate_id, base_revision=3, author="carol")
    reopened = Review(store).reopen(first.candidate_id, base_revision=3, author="carol")
    again = Review(store).accept(first.candidate_id, {"event_type": "bombing"}, base_revision=reopened.revision, author="dave")
    (event,) = store.events().itertuples()
    assert (again.status, event.event_id, event.event_type) == ("accepted", accepted.event_id, "bombing")
    actions = [h.action for h in store.history(str(accepted.event_id))]
    assert actions == ["add", "remove", "restore"]


def test_a_documents_metadata_is_changed_its_citation_follows_and_a_new_date_redates_only_what_no_one_reviewed(store_url):
    store, added = _added(store_url)
    first, second = Review(store).candidates(added.source_id)
    assert (first.fields["date_start"], second.fields["date_start"]) == ("2025-03-11", "2025-03-09")
    accepted = Review(store).accept(first.candidate_id, {}, base_revision=1, author="bob")
    passage = ARTICLE.index("In a separate")
    made = Review(store).add_passage(added.source_id, passage, len(ARTICLE.rstrip()), author="bob")
    meta = {**META, "title": "Bomb blast in Mastung", "published": "2025-03-19"}
    done = Documents(store).describe(added.source_id, meta, base_revision=1, author="carol")
    assert (done.changed, done.redated, done.kept, done.events) == (("title", "published"), 2, 0, 1)
    by_id = {p.candidate_id: p for p in Review(store).candidates(added.source_id)}
    # "on Sunday", read again against 19 March 2025 (a Wednesday); the passage too; the accepted one keeps its day
    assert by_id[second.candidate_id].fields["date_start"] == "2025-03-16"
    assert by_id[made.candidate_id].fields["date_start"] == "2025-03-16"
    assert by_id[first.candidate_id].fields["date_start"] == "2025-03-11"
    assert all("Bomb blast in Mastung" in p.fields["source_title"] for p in by_id.values())
    event = store.record(accepted.event_id)
    assert "Bomb blast in Mastung" in event["source_title"] and event["revision"] == 2 and event["author"] == "carol"
    doc = next(d for d in Documents(store).list() if d.source_id == added.source_id)
    assert (doc.title, doc.published, doc.revision, doc.author) == ("Bomb blast in Mastung", "2025-03-19", 2, "carol")
    assert [h.action for h in store.history(added.source_id, entity="document")] == ["add", "edit"]
    # an edited candidate keeps its date when the date changes again
    Review(store).edit(second.candidate_id, {"fatalities": 0}, base_revision=by_id[second.candidate_id].revision, author="bob")
    again = Documents(store).describe(added.source_id, {**meta, "published": "2025-03-26"}, base_revision=2, author="carol")
    assert (again.changed, again.redated, again.kept) == (("published",), 1, 1)
    assert {p.candidate_id: p for p in Review(store).candidates(added.source_id)}[second.candidate_id].fields["date_start"] == (
        "2025-03-16"
    )
    with pytest.raises(ConflictError, match="changed by carol"):
        Documents(store).describe(added.source_id, {**meta, "title": "Late"}, base_revision=2, author="dave")
    with pytest.raises(StoreError, match="published '19 March' is refused"):
        Documents(store).describe(added.source_id, {**meta, "published": "19 March"}, base_revision=3, author="dave")
    assert (
        Documents(store).describe(added.source_id, {**meta, "published": "2025-03-26"}, base_revision=3, author="dave").changed
        == ()
    )
