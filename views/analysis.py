"""The views under the map, one at a time, from one registry: the timeline, the actor network, the documents.

An analysis view is a module with ``NAME`` (its label in the switch and its value in the link,
``?view=``) and ``show(page)`` (see :class:`views.page.Page`). :data:`VIEWS` lists them in the
switch's order; adding one is a module and a line here (see the README).
"""

from __future__ import annotations

import streamlit as st

from views import documents, network, timeline
from views.page import AnalysisView, Page
from views.selection import Session
from views.settings import Setting

#: The analysis views, in the order of the switch (the first is the default).
VIEWS: tuple[AnalysisView, ...] = (timeline, network, documents)
#: Which view is shown, kept in the link (``?view=Actor+network``).
VIEW = Setting("view", tuple(v.NAME for v in VIEWS))
_BY_NAME: dict[str, AnalysisView] = {v.NAME: v for v in VIEWS}


def shown(session: Session) -> str:
    """The name of the view shown (the default when the session has none)."""
    return VIEW.value(session)


def render(page: Page) -> None:
    """Draw the view switch and the chosen view."""
    st.subheader("Analysis")
    st.segmented_control("View", VIEW.options, key=VIEW.widget_key, required=True, label_visibility="collapsed")
    _BY_NAME[shown(st.session_state)].show(page)
