"""A new document's text and metadata: pasted, or from .txt, .md, .html and .pdf; bad files refused by name."""

from __future__ import annotations

import hashlib

import pytest

from incidents.intake import MAX_FILE_BYTES, MAX_PDF_PAGES, from_paste, from_upload
from incidents.model.errors import IncidentDataError
from tests.hostile import HOSTILE
from tests.pdfs import pdf

ARTICLE = """<!doctype html><html lang="en"><head><title>Two killed in Mastung blast | Daily Example</title>
<meta property="og:site_name" content="Daily Example"><meta name="date" content="2025-03-12">
<link rel="canonical" href="https://news.example.org/mastung-blast">
<script>window.top.__pwned = 'head-script'</script><style>p { color: red }</style></head>
<body><nav>Home | World | Sport</nav><article><h1>Two killed in Mastung blast</h1>
<p>QUETTA: Two people were killed and five injured when a bomb exploded near a market in Mastung district on
Tuesday, officials said.</p>
<p onclick="window.top.__pwned='handler'">Police said <a href="javascript:window.top.__pwned='link'">Lashkar-e-Taiba</a>
was suspected. <img src=x onerror="window.top.__pwned='img'"></p>
<script>window.top.__pwned = 'body-script'</script></article><footer>Copyright 2025</footer></body></html>"""


def test_html_gives_its_main_text_without_scripts_markup_or_handlers_and_its_stated_metadata():
    intake = from_upload("article.html", ARTICLE.encode())
    assert "Two people were killed and five injured" in intake.text
    assert "Lashkar-e-Taiba" in intake.text  # a link's words stay, its target goes
    for gone in ("__pwned", "<", "javascript", "onclick", "color: red", "Home | World"):
        assert gone not in intake.text, gone
    assert (intake.title, intake.publisher, intake.published) == ("Two killed in Mastung blast", "Daily Example", "2025-03-12")
    assert (intake.url, intake.language) == ("https://news.example.org/mastung-blast", "en")
    assert "trafilatura" in intake.obtained and "article.html" in intake.obtained
    assert intake.sha256 == hashlib.sha256(intake.text.encode()).hexdigest()


def test_plain_text_keeps_every_character_but_line_ends_and_states_its_title_and_date():
    text = "\ufeffKABUL, Afghanistan (Sept. 13, 2011)\r\nTwo insurgents were killed in Khost.\rEnd."
    intake = from_upload("release.txt", text.encode("utf-8"))
    assert intake.text == "KABUL, Afghanistan (Sept. 13, 2011)\nTwo insurgents were killed in Khost.\nEnd."
    assert (intake.title, intake.published) == ("KABUL, Afghanistan (Sept. 13, 2011)", "2011-09-13")
    markdown = from_upload("note.md", b"# The June meeting\n\nThey met in Quetta.")
    assert markdown.title == "The June meeting" and markdown.text.startswith("# The June meeting")
    assert from_paste("  pasted words  ").text == "  pasted words  "  # verbatim, spaces kept


def test_a_language_the_document_does_not_state_is_detected_when_the_model_is_sure_and_the_record_says_so():
    english = from_paste("Two people were killed and five injured when a bomb exploded near a market in Mastung district.")
    assert english.language == "en" and "language en detected by py3langid" in english.obtained
    french = from_upload(
        "note.txt", "Deux personnes ont été tuées et cinq blessées dans l'explosion d'une bombe au marché.".encode()
    )
    assert french.language == "fr"
    assert from_paste("Khuzdar, 12 March.").language is None  # too short to tell
    stated = from_upload("a.html", ARTICLE.replace('lang="en"', 'lang="ur"').encode())
    assert stated.language == "ur" and "detected" not in stated.obtained  # what the page states is kept


def test_windows_1252_and_utf16_text_is_decoded_and_the_record_says_so():
    assert "Windows-1252" in from_upload("a.txt", "café Mastung".encode("cp1252")).obtained
    utf16 = from_upload("b.txt", "café Mastung".encode("utf-16"))
    assert utf16.text == "café Mastung" and "UTF-16" in utf16.obtained


def test_hostile_strings_are_kept_as_the_text_they_are_but_nul_which_no_store_keeps():
    text = "\n".join(HOSTILE)
    kept = text.replace("\r\n", "\n").replace("\x00", "\ufffd")
    for intake in (from_paste(text), from_upload("hostile.txt", text.encode())):
        assert intake.text == kept
        assert "1 NUL character(s) replaced by U+FFFD" in intake.obtained


def test_pdf_text_layer_is_read_page_by_page_and_a_claimed_page_count_is_not_trusted():
    intake = from_upload("report.pdf", pdf(["QUETTA (March 12, 2025) - A base in Mastung was attacked.", "Second page."]))
    assert intake.text == "QUETTA (March 12, 2025) - A base in Mastung was attacked.\n\nSecond page."
    assert intake.published == "2025-03-12" and "2 page(s)" in intake.obtained
    claims = from_upload("claims.pdf", pdf(["Only one page here."], claimed=2_000_000_000))
    assert claims.text == "Only one page here." and "1 page(s)" in claims.obtained
    many = from_upload("many.pdf", pdf([f"page {i}" for i in range(MAX_PDF_PAGES + 5)]))
    assert f"page {MAX_PDF_PAGES - 1}" in many.text and f"page {MAX_PDF_PAGES}" not in many.text
    assert f"only the first {MAX_PDF_PAGES:,} pages" in many.obtained


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\t ", "no text"),
        ("photo.jpg", b"\xff\xd8\xff", "not a document type"),
        ("archive.txt", b"PK\x03\x04" + b"\x00\x01\x02" * 100, "control characters"),
        ("bytes.txt", bytes(range(256)), "neither UTF-8 nor Windows-1252"),
        ("control.txt", b"ab\x07cd\x01" * 20, "control characters"),
        ("scan.pdf", pdf(["", ""]), "no text layer on its 2 page(s)"),
        ("broken.pdf", b"%PDF-1.4 not really", "the PDF cannot be read"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "no main text found"),
        ("huge.txt", b"a" * (MAX_FILE_BYTES + 1), "at most"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_reason(name, data, reason):
    with pytest.raises(IncidentDataError) as info:
        from_upload(name, data)
    assert reason in str(info.value) and str(info.value).startswith(name)


def test_a_path_in_an_uploaded_name_is_reduced_to_the_name():
    assert from_upload("../../etc/notes.txt", b"words").name == "notes.txt"
