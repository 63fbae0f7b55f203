"""The analysis views under the map, one at a time: the timeline, the actor network."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from incidents.index import EventIndex
from views import network, timeline
from views.settings import VIEW


def render(events: pd.DataFrame, index: EventIndex, rows: np.ndarray) -> None:
    """Draw the view switch and the chosen view for the events at ``rows``."""
    st.subheader("Analysis")
    view = st.segmented_control("View", VIEW.options, key=VIEW.widget_key, required=True, label_visibility="collapsed")
    if view == "Timeline":
        timeline.render(index, rows)
    else:
        network.render(events, index, rows)
