"""Provenance: every stored excerpt is a verbatim slice of its stored document."""

from __future__ import annotations

import shutil

import pytest

from incidents import IncidentDataError
from incidents.model.documents import DOCUMENTS_DIR, load_document, read_document, stored_document_ids


def test_every_stored_excerpt_is_a_slice_of_its_document(events):
    stored = events[events["excerpt_start"].notna()]
    assert len(stored) == 12  # the dossier's events
    for _, ev in stored.iterrows():
        text = load_document(ev["source_id"]).text
        assert text[int(ev["excerpt_start"]) : int(ev["excerpt_end"])] == ev["excerpt"], ev["event_id"]


def test_events_without_stored_text_have_no_offsets(events):
    unstored = events[~events["source_id"].isin(stored_document_ids())]
    assert len(unstored) == 226
    assert unstored["excerpt_start"].isna().all() and unstored["excerpt_end"].isna().all()


def test_document_metadata_matches_the_text(dossier_text):
    doc = load_document("000_adc269e28bd41553")
    assert doc.text == dossier_text
    assert doc.meta["characters"] == len(dossier_text)
    assert "NDTV" in doc.meta["publisher_note"]
    before, quote, after = doc.context(100, 120, chars=10)
    assert (before, quote, after) == (dossier_text[90:100], dossier_text[100:120], dossier_text[120:130])


def test_a_tampered_document_is_refused(tmp_path):
    for suffix in (".txt", ".json"):
        shutil.copy(DOCUMENTS_DIR / f"000_adc269e28bd41553{suffix}", tmp_path)
    path = tmp_path / "000_adc269e28bd41553.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Mastung", "Quetta"), encoding="utf-8")
    with pytest.raises(IncidentDataError, match="does not match the checksum"):
        read_document("000_adc269e28bd41553", tmp_path)
    (tmp_path / "000_adc269e28bd41553.json").unlink()
    with pytest.raises(IncidentDataError, match="000_adc269e28bd41553.json.*missing"):
        read_document("000_adc269e28bd41553", tmp_path)
