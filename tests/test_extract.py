"""The extractor: dates read against the publication date, places at the text's level, counts by rule, verbatim excerpts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from incidents.extract import extract, placenames, tolls, when
from tests.conftest import ROOT
from tests.hostile import HOSTILE

DEV = ROOT.parent / "shared" / "text-sources" / "isaf_press_releases_dev.jsonl"
DOSSIER = ROOT / "data" / "documents" / "000_adc269e28bd41553.txt"
RELEASE = (
    "KABUL, Afghanistan (Jan. 22, 2013)\n"
    "Afghan and coalition forces detained two suspected insurgents in Maiwand district, Kandahar province, {when}."
)


def _first(text: str, **kw):
    found = extract(text, **kw)
    assert found, text
    return found[0]


def _texts():
    yield DOSSIER.read_text(encoding="utf-8")
    for line in DEV.read_text(encoding="utf-8").splitlines():
        yield json.loads(line)["text"]
    for hostile in HOSTILE:
        yield f"KABUL, Afghanistan (Jan. 22, 2013)\n{hostile} detained two {hostile} in Khost province yesterday. {hostile}"


def test_every_excerpt_and_evidence_span_is_a_verbatim_slice_of_its_text():
    n = 0
    for text in _texts():
        for c in extract(text):
            n += 1
            assert text[c.excerpt_start : c.excerpt_end] == c.excerpt and c.excerpt.strip() == c.excerpt
            assert all(0 <= a <= b <= len(text) for a, b in c.evidence.values()), c.evidence
    assert n >= 224 + len(HOSTILE)  # every release and every hostile text gives one at least


@pytest.mark.parametrize(
    ("words", "start", "end", "precision"),
    [
        ("yesterday", date(2013, 1, 21), date(2013, 1, 21), "day"),
        ("last night", date(2013, 1, 21), date(2013, 1, 21), "day"),
        ("overnight", date(2013, 1, 21), date(2013, 1, 21), "day"),
        ("today", date(2013, 1, 22), date(2013, 1, 22), "day"),
        ("Sunday", date(2013, 1, 20), date(2013, 1, 20), "day"),  # 22 January 2013 was a Tuesday
        ("Tuesday", date(2013, 1, 22), date(2013, 1, 22), "day"),
        ("last Tuesday", date(2013, 1, 15), date(2013, 1, 15), "day"),  # said on a Tuesday: a week back
        ("last Sunday", date(2013, 1, 20), date(2013, 1, 20), "day"),
        ("on Jan. 13", date(2013, 1, 13), date(2013, 1, 13), "day"),
        ("on Dec. 30", date(2012, 12, 30), date(2012, 12, 30), "day"),  # after publication: the year before
        ("in December 2012", date(2012, 12, 1), date(2012, 12, 31), "month"),
        ("by November 2012", date(2012, 11, 1), date(2012, 11, 30), "month"),
        ("since 2011", date(2011, 1, 1), date(2013, 1, 22), "year"),
        ("in 2012", date(2012, 1, 1), date(2012, 12, 31), "year"),
    ],
)
def test_dates_are_read_against_the_publication_date_never_more_precise_than_the_words(words, start, end, precision):
    c = _first(RELEASE.format(when=words))
    assert (c.date_start, c.date_end, c.date_precision) == (start, end, precision)
    a, b = c.evidence["date"]
    assert words.split()[-1] in RELEASE.format(when=words)[a:b]


def test_an_undated_event_gets_the_publication_month_and_a_text_without_any_date_gets_none():
    c = _first("KABUL, Afghanistan (Jan. 22, 2013)\nAfghan forces detained two suspected insurgents in Khost province.")
    assert (c.date_start, c.date_end, c.date_precision) == (date(2013, 1, 1), date(2013, 1, 22), "month")
    c = _first("Afghan forces detained two suspected insurgents in Khost province yesterday.")
    assert (c.date_start, c.date_precision) == (None, None)
    c = _first("Afghan forces detained two suspected insurgents in Khost province yesterday.", published=date(2020, 5, 2))
    assert c.date_start == date(2020, 5, 1)


def test_a_weekday_in_a_possessive_is_another_event_and_a_release_number_gives_only_a_month():
    c = _first("KABUL, Afghanistan (June 21, 2012)\nThe force detained a leader responsible for Tuesday's attack, today.")
    assert c.date_start == date(2012, 6, 21)
    assert when.published("2011-07-S-064\nFor Immediate Release\nForces detained two men yesterday.").precision == "month"
    undone = when.published("2010-08-CA-XXX For Immediate Release KABUL, Afghanistan (Aug. 18) - Forces detained two men.")
    assert undone is not None and undone.start == date(2010, 8, 18)  # a release number not yet numbered still gives the year


def test_a_day_of_the_telling_or_of_another_event_gives_way_to_the_events_own_day():
    told = _first("KABUL, Afghanistan (Sept. 15, 2012) - Forces confirmed yesterday a leader was killed in Khost, Wednesday.")
    assert told.date_start == date(2012, 9, 12)  # Wednesday, not the day of confirming
    other = _first("KABUL, Afghanistan (July 15, 2010) - Forces struck a commander linked to the July 2 attack in Kunduz today.")
    assert other.date_start == date(2010, 7, 15)
    only = _first("KABUL, Afghanistan (July 15, 2010) - Police said the July 2 attack in Kunduz killed four people.")
    assert only.date_start == date(2010, 7, 2)  # no other date: the attack's own


@pytest.mark.parametrize(
    ("sentence", "location", "level", "admin1", "admin2"),
    [
        ("Militants attacked a checkpoint in Balochistan on Monday.", "Balochistan", "province", "Balochistan", None),
        ("Militants attacked a checkpoint in Mastung district on Monday.", "Mastung", "district", "Balochistan", "Mastung"),
        ("Forces detained two men in Andar district, Ghazni province, on Monday.", "Andar", "district", "Ghazni", "Andar"),
        ("Forces detained two men in Zurmat district, Paktiya province.", "Zurmat", "district", "Paktia", "Zurmat"),
        ("Forces detained two men in Qara Bagh district on Monday.", None, None, None, None),  # not Bagh (Azad Kashmir)
        ("Militants attacked a convoy near Turbat on Monday.", "Turbat", "near", "Balochistan", "Kech"),
        ("Forces killed two insurgents in Nawah district, Ghanzi province, on Monday.", "Ghazni", "province", "Ghazni", None),
    ],
)
def test_places_are_read_at_the_level_the_text_names(sentence, location, level, admin1, admin2):
    c = _first(sentence, published=date(2025, 3, 20))
    assert (c.location, c.geo_precision, c.admin1, c.admin2) == (location, level, admin1, admin2)
    if location:
        a, b = c.evidence["location"]
        assert sentence[a:b].split()[0] in sentence


def test_a_name_two_units_share_is_read_from_the_word_after_it_else_at_the_coarser_level():
    by_kind = {m.unit.level for m in placenames.mentions("Quetta district")}
    assert by_kind == {"district"}
    assert [m.unit.level for m in placenames.mentions("the takeover of Kabul")] == ["province"]  # a city and a province


@pytest.mark.parametrize(
    ("sentence", "killed", "injured", "detained"),
    [
        ("The force detained two suspected insurgents.", None, None, 2),
        ("The force detained a Taliban leader and two associates.", None, None, 3),
        ("Several insurgents were killed in the strike.", 3, None, None),
        ("Coalition forces killed more than 30 insurgents.", 31, None, None),
        ("The force detained a few suspects.", None, None, 3),
        ("The force detained a number of suspects.", None, None, 3),
        ("Forces returned fire, killing one and wounding two others.", 1, 2, None),
        ("The force detained two suspected insurgents. The two detainees were taken into custody.", None, None, 2),
        ("The operation resulted in the deaths of 12 insurgents.", 12, None, None),
        ("The force detained several suspects. Several men were detained during the operation.", None, None, 3),
        ("Two people were killed and five injured when a bomb exploded.", 2, 5, None),
        ("The force detained several suspects. It detained a Taliban leader and two of his associates.", None, None, 3),
        ("The security force member defended himself, killing the insurgent.", 1, None, None),
        ("Forces detained two suspects. Forces then detained the leader.", None, None, 2),
        ("The operation resulted in six Afghans being killed.", 6, None, None),
        ("The force detained a Taliban leader. Several suspects were detained during the operation.", None, None, 4),
        ("The force detained a leader and an associate. Several men were detained in the raid.", None, None, 2),
        ("Three soldiers were killed and 12 others wounded in the attack.", 3, 12, None),
        ("Forces conducted an operation to arrest a Taliban leader. They detained two suspects.", None, None, 2),
        ("Forces were able to detain a Taliban leader.", None, None, 1),
        ("Forces detained two suspected insurgents while searching for a Taliban leader.", None, None, 2),
        ("Initial reports indicate eight to 12 insurgents were killed in the strike.", 8, None, None),
        ("Forces arrested a senior Islamic Movement of Uzbekistan (IMU) leader.", None, None, 1),
        ("Forces wounded two insurgents. The two wounded were detained for medical care.", None, 2, 2),
        ("Police stopped a car and took the two occupants of the vehicle into custody.", None, None, 2),
        ("A HIG leader along with two suspected insurgents was detained.", None, None, 3),
        ("Forces detained two other militants. Two other insurgents were also detained.", None, None, 2),
        ("An air strike killed Qari Ziauddin, the shadow governor. Forces then killed four insurgents.", 5, None, None),
        ("Muhammad Yah, a senior Taliban commander in the area, was killed during the operation.", 1, None, None),
        ("Jan and several Haqqani fighters were killed in the strike.", 4, None, None),
        ("Militants killed Pakistani and Afghan soldiers in the attack.", None, None, None),  # no name, no number
        ("Coalition Forces Kill Two Insurgents\nForces killed two insurgents in Khost province today.", 2, None, None),
        ("Forces were engaged, resulting in 18 insurgents killed, one wounded and two men taken into custody.", 18, 1, 2),
        ("Forces killed numerous insurgents and detained one during the operation.", 4, None, 1),
        ("Forces detained two men. The leader planned a bombing that killed four soldiers last year.", None, None, 2),
        ("Forces killed several insurgents. Later, several more insurgents were killed in the fight.", 6, None, None),
        ("Forces killed two insurgents in Khost. During the raid, the force killed two armed individuals.", 2, None, None),
    ],
)
def test_counts_follow_the_written_rules(sentence, killed, injured, detained):
    c = _first(f"KABUL, Afghanistan (Jan. 22, 2013)\n{sentence}")
    assert (c.fatalities, c.injured, c.detained) == (killed, injured, detained)


def test_a_headline_line_is_quoted_with_the_sentence_that_reports_it():
    text = "Blast in Mastung\nQUETTA: Two people were killed in Mastung district on Tuesday, officials said.\n"
    c = _first(text)
    assert c.excerpt == "Blast in Mastung\nQUETTA: Two people were killed in Mastung district on Tuesday, officials said."
    assert text[c.excerpt_start : c.excerpt_end] == c.excerpt


def test_a_paragraph_opening_with_an_act_on_a_day_of_its_own_is_another_report_a_follow_up_is_not():
    text = (
        "QUETTA, Pakistan (March 12, 2025) - Two people were killed in Mastung district on Tuesday.\n\n"
        "Security forces detained three suspected militants in Khuzdar on Sunday.\n\n"
        "During the operation, the force also detained two suspects.\n"
    )
    first, second = extract(text)
    assert (first.location, first.fatalities, first.detained) == ("Mastung", 2, None)
    assert (second.location, second.detained, second.date_start) == ("Khuzdar", 5, date(2025, 3, 9))


def test_a_group_the_alias_table_does_not_know_is_proposed_and_flagged_as_new_state_forces_and_places_are_not():
    c = _first(
        "QUETTA, Pakistan (March 12, 2025) - Two people were killed in Mastung district on Tuesday. The Jaish al-Hind "
        "Front and Lashkar-e-Taiba claimed the attack; Afghan National Army troops and Pakistan Army units in Lashkar Gah "
        "were not involved, said U.S. Army Col. John Smith."
    )
    assert c.actors == ["Lashkar-e-Taiba", "Jaish al-Hind Front"] and c.new_actors == ["Jaish al-Hind Front"]
    start, end = c.evidence["new_actors"]
    assert c.excerpt_start <= start and c.evidence["new_actors"] == [start, start + len("Jaish al-Hind Front")]
    claimed = _first("KABUL, Afghanistan (Jan. 22, 2013)\nThe attack was claimed by Tanzeem Nifaz, a new outfit.")
    assert claimed.new_actors == ["Tanzeem Nifaz"]


def test_the_rules_table_in_the_docstring_is_the_one_applied():
    for words, n in tolls.VAGUE.items():
        assert tolls.number(words) == n
        assert f"``{words}``" in (tolls.__doc__ or "")
    assert tolls.number("10", "more than") == 11 and tolls.number("10", "at least") == 10


def test_groups_come_from_the_alias_table_and_a_short_alias_only_as_a_name():
    c = _first("Lashkar-e-Taiba and ISKP fighters attacked a post in Khuzdar district in March 2025.")
    assert c.actors[:2] == ["Lashkar-e-Taiba", "Islamic State Khorasan Province"]
    c = _first("Police let the convoy pass before militants attacked it in Khuzdar district in March 2025.")
    assert "Lashkar-e-Taiba" not in c.actors


def test_a_roundup_of_several_operations_ranks_after_the_reports_it_sums_which_take_its_day():
    text = (
        "KABUL, Afghanistan (Jan. 28, 2011) - Numerous insurgents were killed during separate clearing operations in "
        "southern and eastern Afghanistan today. In Sangin district, Helmand province, a patrol killed one insurgent. "
        "In a separate operation, forces detained two suspects in Khost province yesterday."
    )
    first, second, roundup = extract(text)
    assert (first.location, first.admin1, first.fatalities) == ("Sangin", "Helmand", 1)
    assert (first.date_start, first.date_precision) == (date(2011, 1, 28), "day")
    assert (second.location, second.detained, second.date_start) == ("Khost", 2, date(2011, 1, 27))
    assert (roundup.rank, roundup.fatalities) == (3, 4)
    one = _first("KABUL (Feb. 21, 2011) - Forces detained two suspects during two separate operations in Khost province.")
    assert (one.rank, one.location, one.detained) == (1, "Khost", 2)  # one place: one event


def test_a_publication_or_a_meeting_told_after_another_development_is_a_candidate_of_its_own():
    text = (
        "QUETTA, Pakistan (June 30, 2025) - Militants attacked a checkpoint in Mastung district in March 2025. "
        "Two soldiers were wounded. The group's magazine Yalgaar later published plans to strike in Kashmir. "
        "Its leaders held a meeting in Quetta in June 2025."
    )
    attack, magazine, meeting = extract(text)
    assert (attack.event_type, attack.injured, attack.location) == ("attack", 2, "Mastung")
    assert magazine.event_type == "publication" and magazine.excerpt.startswith("The group's magazine")
    assert meeting.event_type == "meeting" and meeting.date_start == date(2025, 6, 1)
    assert extract("Report\nNothing happened; the report was filed and reports were read.") == []  # a report is no event
    # a follow-up of the same kind stays in its passage
    (one,) = extract("KABUL (Jan. 22, 2013) - Leaders met in Khost province today. The meeting was held at a school.")
    assert one.event_type == "meeting"


def test_each_report_in_a_release_is_its_own_candidate_the_main_one_first():
    text = (
        "KABUL, Afghanistan (Jan. 22, 2013)\nForces detained two suspected insurgents in Khost province yesterday. "
        "In a separate operation, forces killed three insurgents in Helmand province today."
    )
    first, second = extract(text)
    assert (first.rank, first.location, first.detained, first.fatalities) == (1, "Khost", 2, None)
    assert (second.rank, second.location, second.fatalities, second.date_start) == (2, "Helmand", 3, date(2013, 1, 22))


def test_the_command_line_prints_one_json_object_per_candidate(tmp_path):
    doc = tmp_path / "report.txt"
    doc.write_text(RELEASE.format(when="yesterday"), encoding="utf-8")
    quiet = tmp_path / "quiet.md"
    quiet.write_text("Nothing of the kind here.", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "incidents", "extract", str(doc), str(quiet), "--published", "2013-02-01"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (line,) = run.stdout.splitlines()
    got = json.loads(line)
    keys = "document rank date_start date_end date_precision event_type actors location geo_precision latitude longitude"
    keys += " admin1 admin2 fatalities injured detained excerpt excerpt_start excerpt_end evidence"
    assert set(keys.split()) <= set(got)
    assert (got["document"], got["rank"], got["date_start"], got["detained"]) == (str(doc), 1, "2013-01-31", 2)
    # the best single day, the rule that chose it, and how sure each field is
    assert (got["date_best"], got["date_best_rule"], got["parts"], got["claims"]) == ("2013-01-31", "words", {}, {})
    keys = "date location admin1 admin2 fatalities injured detained actors event_type"
    assert set(got["confidence"]) == set(keys.split()) and set(got["confidence"].values()) <= {"high", "medium", "low"}
    text = doc.read_text(encoding="utf-8")
    assert text[got["excerpt_start"] : got["excerpt_end"]] == got["excerpt"]


def test_the_command_line_stops_quietly_when_its_reader_stops_early(tmp_path):
    long = tmp_path / "long.txt"
    long.write_text(
        "KABUL, Afghanistan (Jan. 22, 2013)\n" + "In a separate operation, forces detained two men in Khost.\n" * 5000
    )
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    run = subprocess.run(
        [sys.executable, "-m", "incidents", "extract", str(long)],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        check=False,
    )
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.close()
    first = reader.stdout.read().decode()
    reader.wait()
    assert json.loads(first)["rank"] == 1  # the reader got its line
    assert run.stderr.decode() == "" and run.returncode == 1  # no traceback; the output was cut short


def test_the_command_line_reads_html_and_pdf_and_refuses_what_it_cannot_read_and_goes_on(tmp_path):
    from tests.pdfs import pdf
    from tests.test_intake import ARTICLE

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf([""]))
    page = tmp_path / "article.html"
    page.write_text(ARTICLE, encoding="utf-8")
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf(["KABUL, Afghanistan (Jan. 22, 2013) - Forces detained two suspected insurgents in Khost province."]))
    paths = [str(p) for p in (broken, scan, page, report, tmp_path / "missing.txt")]
    run = subprocess.run(
        [sys.executable, "-m", "incidents", "extract", *paths], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert run.returncode == 2
    assert (
        "broken.pdf: not read: the PDF cannot be read" in run.stderr
        and "scan.pdf: not read: the PDF has no text layer" in run.stderr
    )
    assert "missing.txt: cannot be read" in run.stderr and "article.html: main text of HTML file" in run.stderr
    got = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(g["document"], g["location"]) for g in got] == [(str(page), "Mastung"), (str(report), "Khost")]
    assert got[0]["fatalities"] == 2 and got[0]["injured"] == 5 and got[1]["detained"] == 2


def test_the_evaluation_scores_a_release_it_gets_right_and_one_it_gets_wrong():
    from benchmarks.extract import score

    right = {"id": "a", "text": RELEASE.format(when="yesterday"), "labels": _labels("2013-01-21", "kandahar", 0, 2)}
    wrong = {"id": "b", "text": RELEASE.format(when="yesterday"), "labels": _labels("2013-01-20", "paktya", 1, 3)}
    got, seconds, rows = score([right, wrong])
    assert got == {"date": 1, "province": 1, "killed": 1, "captured": 1} and len(seconds) == 2
    assert rows[1]["same"] == {"date": False, "province": False, "killed": False, "captured": False}
    assert [r["within"] for r in rows] == [True, False]
    undated = {"id": "c", "text": RELEASE.format(when="in a raid"), "labels": _labels("2013-01-19", "kandahar", 0, 2)}
    _, _, (row,) = score([undated])
    assert not row["same"]["date"] and row["within"]  # the publication's month holds the label's day, not scored right


def _labels(day: str, province: str, killed: int, captured: int) -> dict:
    return {"start_date": day, "province": [province], "min_killed": killed, "min_captured": captured}
