"""The analysis views under the map, one at a time: the timeline, the actor network."""

from __future__ import annotations

import numpy as np
import streamlit as st

from incidents.index import EventIndex
from views import timeline
from views.settings import VIEW


def render(index: EventIndex, rows: np.ndarray) -> None:
    """Draw the view switch and the chosen view for the events at ``rows``."""
    st.subheader("Analysis")
    view = st.segmented_control("View", VIEW.options, key=VIEW.widget_key, required=True, label_visibility="collapsed")
    if view == "Timeline":
        timeline.render(index, rows)
    else:
        st.info("The actor network is not built yet.")
