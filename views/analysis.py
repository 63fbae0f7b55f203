"""The views under the map, one at a time: the timeline, the actor network, the documents and their review."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from incidents.query.index import EventIndex
from incidents.store import Store
from views import documents, network, timeline
from views.settings import VIEW


def render(events: pd.DataFrame, index: EventIndex, rows: np.ndarray, store: Store | None, author: str | None) -> None:
    """Draw the view switch and the chosen view for the events at ``rows`` (the documents: those in ``store``)."""
    st.subheader("Analysis")
    view = st.segmented_control("View", VIEW.options, key=VIEW.widget_key, required=True, label_visibility="collapsed")
    if view == "Timeline":
        timeline.render(index, rows)
    elif view == "Documents":
        documents.render(store, author)
    else:
        network.render(events, index, rows, store)
