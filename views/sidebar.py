"""The filters in the sidebar, drawn from the facet registry and kept in the URL.

Pure: :func:`widgets` (what to draw), :func:`initial_state` (the widgets' state a link opens
with) and :func:`filter_from_state` (the filter the widgets' state stands for). :func:`render`
draws them with Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from incidents import FACETS, EventFilter, Widget, from_query
from incidents.query.facets import Params
from incidents.query.index import EventIndex
from views.selection import Session

#: Session keys: whether the URL has been read this session, and what in it was ignored.
URL_READ = "_url_loaded"
URL_NOTES = "_url_notes"


def widgets(index: EventIndex) -> dict[str, Widget]:
    """Each facet's widget for the loaded events, by facet name, in sidebar order."""
    return {name: facet.widget(index) for name, facet in FACETS.items()}


def state_keys(w: Widget) -> tuple[str, ...]:
    """The session keys that hold ``w``'s state: its key, or one per part (``<key>.<part>``)."""
    return tuple(f"{w.key}.{p}" for p in w.parts) if w.parts else (w.key,)


def initial_state(params: Params, index: EventIndex) -> tuple[dict[str, Any], list[str]]:
    """The widgets' state (by session key) that shows the filter in ``params``, and what was ignored."""
    f, notes = from_query(params, index)
    state: dict[str, Any] = {}
    for name, w in widgets(index).items():
        value = FACETS[name].to_widget(f.get(name), w)
        state.update(zip(state_keys(w), value) if w.parts else {w.key: value})
    return state, notes


def filter_from_state(state: Mapping[Any, Any], drawn: Mapping[str, Widget]) -> EventFilter:
    """The filter that the widgets' ``state`` (by session key) stands for; ``drawn`` is :func:`widgets`."""
    values = {}
    for name, w in drawn.items():
        keys = state_keys(w)
        values[name] = FACETS[name].from_widget(tuple(state.get(k) for k in keys) if w.parts else state.get(w.key), w)
    return EventFilter(**values)


def read_url_once(session: Session, params: Params, index: EventIndex) -> None:
    """Once per session, set the widgets' state from the URL's query string."""
    if session.get(URL_READ):
        return
    session[URL_READ] = True
    state, notes = initial_state(params, index)
    session.update(state)
    session[URL_NOTES] = notes


def _date_range(area: Any, w: Widget) -> None:
    assert w.bounds is not None
    area.date_input(w.label, min_value=w.bounds[0], max_value=w.bounds[1], key=w.key, format="YYYY-MM-DD")


def _multiselect(area: Any, w: Widget) -> None:
    area.multiselect(w.label, w.options, key=w.key, format_func=lambda o: w.labels.get(o, o), placeholder=w.placeholder)


def _text(area: Any, w: Widget) -> None:
    area.text_input(w.label, key=w.key)


def _distance(area: Any, w: Widget) -> None:
    line, km, approx = state_keys(w)
    area.selectbox(w.label, w.options, key=line, index=None, placeholder=w.placeholder)
    area.slider("Kilometres from the line", 0.0, 500.0, step=5.0, key=km)
    area.checkbox("Include approximate locations (district or coarser)", key=approx)


#: How each kind of widget is drawn (:attr:`incidents.query.facets.Widget.kind`): a new kind is one function here.
DRAWERS: dict[str, Callable[[Any, Widget], None]] = {
    "date_range": _date_range,
    "multiselect": _multiselect,
    "text": _text,
    "distance": _distance,
}


def _draw(area: Any, w: Widget) -> None:
    drawer = DRAWERS.get(w.kind)
    if drawer is None:
        raise ValueError(f"no way to draw a {w.kind!r} widget (known kinds: {', '.join(DRAWERS)})")
    drawer(area, w)
    if w.caption:
        area.caption(w.caption)


def render(area: Any, index: EventIndex, params: Params, more_notes: list[str] | None = None) -> EventFilter:
    """Draw the filters in ``area`` (the sidebar, or a container in it); return the filter chosen.

    ``more_notes`` are other parts of the link that were ignored (the view settings'), shown with the filters'.
    """
    read_url_once(st.session_state, params, index)
    if more_notes:
        st.session_state[URL_NOTES] = [*st.session_state.get(URL_NOTES, []), *more_notes]
    area.header("Filters")
    drawn = widgets(index)
    for w in drawn.values():
        _draw(area, w)
    notes = st.session_state.get(URL_NOTES, [])
    if notes:
        area.warning("Parts of the link were ignored:")
        for note in notes:
            area.text(note)  # link parameters are untrusted: shown as text, never as markdown
    return filter_from_state(st.session_state, drawn)


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (URL_READ, URL_NOTES)
SESSION_PREFIXES: tuple[str, ...] = ()
