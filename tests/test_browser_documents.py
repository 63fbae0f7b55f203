"""The Documents view in Chromium: upload a report, review its candidates, accept one onto the map; hostile documents stay text.

Each test runs ``streamlit run dashboard.py`` on a store of its own and drives the page as an
analyst would: the sidebar's name box, the view's uploader, the review's buttons.
"""

from __future__ import annotations

import html
import time

from playwright.sync_api import expect

from incidents.store import Documents, Store
from tests.browser import MAP_FRAME, incidents_on_map, map_frame, open_page, streamlit_server, wait_for_count, zoom_out
from tests.hostile import HOSTILE, PWNED_PATH
from tests.test_browser import _INJECTED, _artifact, _enter_name
from tests.test_intake import ARTICLE

SHIPPED = 238


def _hostile_html() -> str:
    """The article with every hostile string in its text, and scripts, handlers and javascript: links in its markup."""
    paragraphs = "".join(f"<p>Claim {i}: {html.escape(h)} was written on a wall in Mastung.</p>\n" for i, h in enumerate(HOSTILE))
    return ARTICLE.replace("<footer>", f"<section>{paragraphs}</section><footer>")


def _named(page, name: str) -> None:
    """Enter the reviewer's name, and wait for the view to take it."""
    _enter_name(page.locator("section[data-testid='stSidebar']"), name)
    expect(page.get_by_text("Enter your name in the sidebar to add documents and review them.")).to_have_count(0, timeout=30_000)


def _upload(page, name: str, mime: str, data: bytes) -> None:
    main = page.locator("[data-testid='stMain']")
    if not main.get_by_label("Paste the text").is_visible():
        main.get_by_text("Add a document", exact=True).click()
    for _ in range(3):  # a file set while the page reruns can be dropped by the uploader: set it again
        main.locator("input[type='file']").last.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
        try:
            expect(main.get_by_role("button", name="Store it and propose events")).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"the upload of {name!r} was not taken")


def test_an_uploaded_article_gets_candidates_and_an_accepted_one_is_on_the_map_with_its_evidence(browser, tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with streamlit_server({"INCIDENT_STORE": store_url}) as url:
        page, watch = open_page(browser, url + "?view=Documents", height=1400)
        try:
            frame = map_frame(page)
            zoom_out(frame)
            assert wait_for_count(frame, SHIPPED) == SHIPPED
            _named(page, "Analyst <b>One</b>")
            _upload(page, "article.html", "text/html", ARTICLE.encode())
            title = page.get_by_label("Title")
            expect(title).to_have_value("Two killed in Mastung blast", timeout=30_000)  # prefilled from the page
            expect(page.get_by_label("Publisher")).to_have_value("Daily Example")
            page.get_by_role("button", name="Store it and propose events").click()
            expect(page.get_by_text("Stored, with 1 candidate event(s) to review.")).to_be_visible(timeout=30_000)
            box = page.locator(".document-text")
            expect(box).to_contain_text("Two people were killed and five injured")
            assert box.locator("mark").count() >= 3  # the excerpt and the evidence of the first candidate
            assert box.locator("script, img, a").count() == 0
            page.get_by_role("button", name="Accept", exact=True).click()
            expect(page.get_by_text("Accepted candidate 1: it is on the map.")).to_be_visible(timeout=30_000)
            frame = map_frame(page)
            zoom_out(frame)
            assert wait_for_count(frame, SHIPPED + 1) == SHIPPED + 1
            page.screenshot(path=str(_artifact("documents-review.png")))
            assert not watch.blocked and not watch.errors and not watch.dialogs
        finally:
            page.close()
        (event,) = Store(store_url).events().itertuples()
        assert event.dataset == "document: Two killed in Mastung blast" and event.admin2 == "Mastung"
        # the incident's panel: the excerpt in its stored document, and the words each field came from
        page, watch = open_page(browser, url + f"?incident={event.event_id}", height=1400)
        try:
            expect(page.get_by_text("Evidence: the words each field came from")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("place ← “Mastung", exact=False).first).to_be_visible()
            expect(page.get_by_text("In context (characters", exact=False)).to_be_visible()
        finally:
            page.close()
    # a restart (a new server on the same store): the review is as it was
    with streamlit_server({"INCIDENT_STORE": store_url}) as url:
        page, watch = open_page(browser, url + "?view=Documents", height=1400)
        try:
            expect(page.get_by_text("1. accepted · attack", exact=False)).to_be_visible(timeout=60_000)
            assert wait_for_count(map_frame(page), SHIPPED + 1) >= 1
            frame = map_frame(page)
            zoom_out(frame)
            assert incidents_on_map(frame) == SHIPPED + 1
        finally:
            page.close()


def test_hostile_html_and_text_documents_are_stored_shown_and_reviewed_as_text(browser, tmp_path):
    PWNED_PATH.unlink(missing_ok=True)
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with streamlit_server({"INCIDENT_STORE": store_url}) as url:
        page, watch = open_page(browser, url + "?view=Documents", height=1400)
        try:
            map_frame(page)
            _named(page, HOSTILE[12])
            injected_before = page.evaluate(_INJECTED)
            for name, mime, data in (
                (HOSTILE[0] + ".txt", "text/plain", ("Report\n" + "\n".join(HOSTILE)).encode()),
                ("hostile.html", "text/html", _hostile_html().encode()),
            ):
                _upload(page, name, mime, data)
                page.get_by_role("button", name="Store it and propose events").click()
                expect(page.get_by_text("Stored, with", exact=False)).to_be_visible(timeout=30_000)
                box = page.locator(".document-text")
                expect(box).to_be_visible(timeout=30_000)
                shown = box.inner_text()
                for h in ("{{ 7*7 }}", "<script>window.top.__pwned='plain-script'</script>", "javascript:"):
                    assert h in shown, h  # the words are there, as words
                assert box.locator("*:not(mark)").count() == 0  # nothing but the marks is an element
                if name.endswith(".txt"):  # the extractor finds no event in it: add one from a hostile passage
                    expect(page.get_by_text("The extractor found no event in this document", exact=False)).to_be_visible()
                    page.get_by_text("Add an event from a passage the extractor missed").click()
                    passage = page.get_by_label("Paste the passage exactly as it stands in the text")
                    passage.fill(HOSTILE[14])
                    passage.press("Control+Enter")
                    page.get_by_role("button", name="Add as a candidate").click()
                    expect(page.get_by_text("Added as candidate 1", exact=False)).to_be_visible(timeout=30_000)
                    expect(page.get_by_text(f"Excerpt: {HOSTILE[14]}", exact=True)).to_be_visible()
            page.get_by_role("button", name="Accept", exact=True).first.click()
            expect(page.get_by_text("it is on the map", exact=False)).to_be_visible(timeout=30_000)
            page.frame_locator(MAP_FRAME).locator(".inc-icon, .inc-cluster").first.wait_for(timeout=60_000)
            page.screenshot(path=str(_artifact("documents-hostile.png")))
            time.sleep(1)
            assert page.evaluate("() => window.__pwned === undefined")
            assert page.evaluate(_INJECTED) == injected_before == []
            assert watch.dialogs == [] and watch.blocked == []
            assert not [e for e in watch.errors if "__pwned" in e or "SyntaxError" in e]
        finally:
            page.close()
    assert not PWNED_PATH.exists()
    docs = Documents(Store(store_url)).list()
    assert len(docs) == 2 and {d.author for d in docs} == {HOSTILE[12]}


def test_a_pdf_claiming_many_pages_and_a_5_mb_text_are_stored_paged_and_shown_as_text(browser, tmp_path):
    from benchmarks.documents import long_report
    from tests.pdfs import pdf

    pages = ["QUETTA (March 12, 2025) - Insurgents attacked a checkpoint in Mastung district, killing two policemen.",
             "<script>window.top.__pwned='pdf'</script> {{ 7*7 }} <img src=x onerror=alert(1)>"]  # fmt: skip
    claimed = pdf(pages, claimed=2_000_000_000)
    big = long_report(5_000_000)
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with streamlit_server({"INCIDENT_STORE": store_url}) as url:
        page, watch = open_page(browser, url + "?view=Documents", height=1400)
        try:
            map_frame(page)
            _named(page, "Analyst Three")
            _upload(page, "claims.pdf", "application/pdf", claimed)
            expect(page.get_by_text("text layer of PDF file claims.pdf (2 page(s)) read by pypdf", exact=False)).to_be_visible()
            page.get_by_role("button", name="Store it and propose events").click()
            expect(page.get_by_text("Stored, with 1 candidate event(s) to review.")).to_be_visible(timeout=30_000)
            box = page.locator(".document-text")
            expect(box).to_contain_text("</script> {{ 7*7 }} <img src=x onerror=alert(1)>")  # (Helvetica's quote is ’)
            assert box.locator("*:not(mark)").count() == 0
            _upload(page, "large.txt", "text/plain", big.encode())
            page.get_by_role("button", name="Store it and propose events").click()  # (its time: benchmarks/documents.py)
            expect(page.get_by_text("candidate event(s) to review", exact=False)).to_be_visible(timeout=180_000)
            expect(page.get_by_text("are shown, around the chosen candidate", exact=False)).to_be_visible()
            expect(page.get_by_label("Candidates shown")).to_be_visible()  # thousands of candidates, a page at a time
            assert page.locator("[data-testid='stVerticalBlockBorderWrapper']").filter(has_text="Excerpt:").count() <= 20
            assert page.evaluate("() => window.__pwned === undefined") and not watch.dialogs and not watch.blocked
        finally:
            page.close()
    (large,) = [d for d in Documents(Store(store_url)).list() if d.title.startswith("QUETTA, Pakistan (March 12, 2025) - Daily")]
    assert sum(large.states.values()) > 20
