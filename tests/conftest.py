"""Shared fixtures: the real shipped data, loaded once, and a clean Streamlit cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from incidents import load_all
from incidents.model.documents import DOCUMENTS_DIR

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def empty_store(tmp_path_factory, monkeypatch):
    """Every test starts with an empty store of its own (never the project's data/store/)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'incidents.sqlite'}"
    monkeypatch.setenv("INCIDENT_STORE", url)
    monkeypatch.delenv("INCIDENT_STORE_READONLY", raising=False)
    return url


@pytest.fixture(scope="session")
def loaded():
    """All shipped events (no INCIDENT_FILES), loaded once per test session."""
    return load_all([])


@pytest.fixture(scope="session")
def events(loaded):
    return loaded.events


@pytest.fixture
def clean_cache():
    """Streamlit's caches are shared by AppTest runs in one process: start each test empty.

    The app caches with ``st.cache_resource`` (the loaded frame, the boundaries); both kinds are cleared.
    """
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def dossier_text() -> str:
    return (DOCUMENTS_DIR / "000_adc269e28bd41553.txt").read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def postgis_url():
    """A throwaway PostGIS database for the whole test session (see tests/postgis.py)."""
    from tests.postgis import postgis_server

    with postgis_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgis"])
def store_url(request, tmp_path):
    """A fresh, empty store on each back-end: a SQLite file, or the PostGIS database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'incidents.sqlite'}"
    from tests.postgis import reset

    url = request.getfixturevalue("postgis_url")
    reset(url)
    return url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright, for a test module (see ``tests/browser.py``)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def readme_facet_source() -> str:
    """The README's facet example (the first Python block under "Adding a filter"), exactly as written there."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adding a filter", 1)[1]
    return re.search(r"```python\n(.+?)\n```", section, re.S).group(1)


@pytest.fixture
def readme_facet():
    """The README's ``MinDeaths`` facet, registered by running the README's block as written; taken out after."""
    from incidents.query.registry import FACETS, unregister

    namespace: dict = {}
    exec(compile(readme_facet_source(), "README.md", "exec"), namespace)  # noqa: S102 - the project's own README
    try:
        yield FACETS["min_deaths"]
    finally:
        unregister("min_deaths")
