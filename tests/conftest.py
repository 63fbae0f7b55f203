"""Shared fixtures: the real shipped data, loaded once, and a clean Streamlit cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from incidents import load_all
from incidents.documents import DOCUMENTS_DIR

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


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
