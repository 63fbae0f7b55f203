"""The analysis views in a real browser: ``streamlit run`` + Debian Chromium, no internet."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from incidents import EventFilter, apply_filter, load_all
from tests.browser import choose, launch, map_frame, open_page, streamlit_server, wait_for_count, zoom_out


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def shipped():
    return load_all().events


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def test_the_distance_filter_and_the_citations_download(server, browser, shipped):
    """Choose the Durand Line: the map keeps the events within 50 km, says what it left out; the export holds them."""
    page, watch = open_page(browser, server)
    frame = map_frame(page)
    choose(page, "Within a distance of a line", "Durand Line")
    near = apply_filter(shipped, EventFilter(distance=("Durand Line", 50, False)))
    approx = apply_filter(shipped, EventFilter(distance=("Durand Line", 50, True)))
    assert 0 < len(near) < len(approx) < len(shipped)
    zoom_out(frame)
    assert wait_for_count(frame, len(near)) == len(near)
    expect(page).to_have_url(re.compile(r"near=Durand\+Line&km=50"))
    expect(page.get_by_text(re.compile(r"within 50 km of the Durand Line"))).to_be_visible()
    left_out = len(approx) - len(near)
    expect(page.get_by_text(re.compile(rf"^{left_out} incidents? located only to a district or coarser"))).to_be_visible()

    page.get_by_text("Export this view").click()
    with page.expect_download() as got:
        page.get_by_role("button", name=re.compile("Citations")).click()
    download = got.value
    assert download.suggested_filename == "incidents.citations.csv"
    cited = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert sorted(r["event_id"] for r in cited) == sorted(near["event_id"])
    assert page.get_by_text(re.compile(r"near=Durand\+Line")).count() >= 1  # the share link shows the view

    page.get_by_test_id("stCheckbox").get_by_text("Include approximate locations").click()
    assert wait_for_count(frame, len(approx)) == len(approx)
    expect(page).to_have_url(re.compile(r"approx=1"))
    assert watch.blocked == [] and watch.errors == [] and watch.dialogs == []
