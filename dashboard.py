"""Incident map: Balochistan, Kashmir and the Durand Line.

Run with ``streamlit run dashboard.py``. The frame of the page only: load, the filters from the
facet registry, then each part of the page from its module in ``views/``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from incidents import describe, filter_mask
from incidents.query.filters import remarks
from layers import incident_details
from views import (
    accounting,
    analysis,
    data,
    documents,
    edit,
    exports,
    grading,
    headline,
    keys,
    map_view,
    mapping,
    selected,
    selection,
    settings,
    sidebar,
    table,
)
from views import store as store_view
from views.page import Page

st.set_page_config(page_title="Incident map: Balochistan, Kashmir, Durand Line", layout="wide")


def main() -> None:
    """Draw the page."""
    data.assets_installed()
    data.map_words()
    filters_area = st.sidebar.container()  # filters first; the uploader below them is read before (it feeds them)
    upload_keys, files = accounting.upload_box(st.sidebar)
    store, part, store_key = store_view.read_store()
    loaded = data.load(upload_keys, files, part, store_key)
    accounting.render_upload_report(st.sidebar, loaded.result, upload_keys)
    author = store_view.author_box(st.sidebar, store)
    store_view.add_buttons(st.sidebar, store, author, upload_keys, files)
    events, index = loaded.result.events, loaded.index
    st.title("Incident map: Balochistan, Kashmir, Durand Line")
    if loaded.store_error:
        st.warning("The store could not be read, so only the shipped data and files are shown.")
        st.text(loaded.store_error)  # names a path or URL and the database's words: plain text
    # always there (empty when no upload needs a mapping), so that the map after it keeps its place and is never remounted
    mapping.render(st.container(), st.session_state, store, author, list(zip(upload_keys, files)), loaded.result)

    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    setting_notes = settings.read_url_once(st.session_state, params, keys.SETTINGS)
    settings.apply_pending(st.session_state)  # a range brushed on the timeline, a group clicked in the network
    map_view.apply_area_click(st.session_state)  # an area clicked in counts per district
    f = sidebar.render(filters_area, index, params, setting_notes)
    selection.from_link(st.session_state, params)
    documents.from_link(st.session_state, params)
    rows = np.flatnonzero(filter_mask(index, f))
    key = selection.apply_clicks(st.session_state, index)
    query = {
        **selection.query(f, st.session_state.get(selection.SELECTED)),
        **settings.query(st.session_state, keys.SETTINGS),
        **documents.query(st.session_state, analysis.shown(st.session_state)),
    }
    st.query_params.from_dict(query)
    st.text(describe(len(rows), f))  # contains group names and search text: plain text only
    remarks_area = st.container()  # always there (often empty), so the map after it keeps its place
    for remark in remarks(index, f):
        remarks_area.text(remark)
    headline.render(index, rows)

    details = incident_details(events, key) if key is not None else None  # for the popup and the panel
    map_col, panel_col = st.columns([2, 1])
    with map_col:
        map_view.render(data.boundaries(), events, index, rows, loaded.colors, details, f)
    table.render(events, index, rows, st.session_state)
    exports.render(events, rows, query)
    analysis.render(Page(events, index, rows, store, author))
    with panel_col:
        lookup, evidence = documents.for_panel(store, events, key)
        selected.render(events, details, shown=key is None or index.contains(rows, key), documents=lookup, evidence=evidence)
        if details is not None:
            edit.render(st, store, author, str(events["dataset"].iloc[key]), details["event_id"])
            grading.render(st, store, author, events, details["key"])
    accounting.render(loaded.result, loaded.notes)


main()
