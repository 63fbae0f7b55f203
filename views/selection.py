"""Which incident is selected: by a map click, a table row or a shared link (``?incident=``).

Pure bookkeeping over the session state (any mutable mapping), so it is tested without
Streamlit: each selection source (map, table) remembers its last state, and only a change of
that state selects, so a selection made in one place is not undone on the next rerun by the
other's unchanged state.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import numpy as np

from incidents import EventFilter, to_query
from incidents.query.facets import Params, Query
from incidents.query.index import EventIndex
from layers import clicked_incident

#: The session state (Streamlit's, or any mutable mapping in tests).
Session = MutableMapping[Any, Any]

#: Session keys: the selected incident's id, the rows the table listed last run, each source's last state.
SELECTED = "_selected_id"
LISTED = "_listed"
MAP_CLICK = "_map_click"
TABLE_ROWS = "_table_rows"
#: The query-string key of the selected incident.
QUERY_KEY = "incident"


def from_link(session: Session, params: Params) -> None:
    """Once per session (with the filters), take the selected incident from the link."""
    if SELECTED not in session:
        wanted = list(params.get(QUERY_KEY) or [])
        session[SELECTED] = wanted[-1] if wanted else None


def select_if_changed(session: Session, source: str, state: object, key: int | None, index: EventIndex) -> None:
    """Select incident ``key`` when ``state`` of the selection ``source`` has changed since the last run."""
    if state == session.get(source):
        return
    session[source] = state
    if key is not None:
        session[SELECTED] = str(index.event_ids[key])


def table_pick(table_state: Mapping[str, Any] | None, listed: np.ndarray) -> tuple[tuple[int, ...], int | None]:
    """The table's selected rows (positions in what it listed on the previous run), and the incident key of the first."""
    picked = tuple(table_state["selection"]["rows"]) if table_state else ()
    return picked, int(listed[picked[0]]) if picked and picked[0] < len(listed) else None


def apply_clicks(session: Session, index: EventIndex) -> int | None:
    """Select what the last map or table click chose; return the selected incident's key (``None``: none).

    A click reruns the app; it is applied before the map is built, so this run already sends the
    clicked incident's source text to its popup. The map's state is what ``st_folium`` returned
    (under the key ``map``); the table's is the dataframe's selection (under ``table``).
    """
    map_state = session.get("map")
    select_if_changed(
        session, MAP_CLICK, (map_state or {}).get("last_object_clicked_count"), clicked_incident(index, map_state), index
    )
    picked, key = table_pick(session.get("table"), session.get(LISTED, np.array([], dtype=np.int64)))
    select_if_changed(session, TABLE_ROWS, picked, key, index)
    return index.key_of(session.get(SELECTED))


def query(f: EventFilter, selected_id: str | None) -> Query:
    """The page's query string: the filter, and the selected incident."""
    return {**to_query(f), **({QUERY_KEY: selected_id} if selected_id else {})}


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (SELECTED, LISTED, MAP_CLICK, TABLE_ROWS)
SESSION_PREFIXES: tuple[str, ...] = ()
#: The query-string keys it reads and writes.
URL_KEYS: tuple[str, ...] = (QUERY_KEY,)
