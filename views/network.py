"""The actor network: who acts with whom in the events shown, and who is named together in their documents.

:func:`chart` draws :func:`incidents.network.network` with Altair (offline, laid out on the
server); clicking a node sets the group filter to that group; :func:`render` also offers every
tie with its evidence: the events that name both groups, with their excerpts, or the documents
that name both.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from incidents.extract import named_groups
from incidents.model.actors import actor_table
from incidents.network import Network, cited_documents, network, tie_rows
from incidents.query.index import EventIndex
from incidents.query.registry import FACETS
from incidents.store import Documents, Store
from views.page import Page
from views.settings import is_new, request

#: The view's name in the switch and the link.
NAME = "Actor network"
NODE = "node"
#: The sidebar's group widget (see incidents.query.facets.GroupFacet), and the last node click applied.
GROUP_WIDGET = FACETS["groups"].widget_key
APPLIED = "_node_applied"
EVIDENCE_LIMIT = 200


def group_types() -> list[str]:
    """Every group type, for a colour scale that does not change with the data."""
    return sorted({*actor_table().type_by_canonical.values(), "unclassified"})


def chart(net: Network) -> alt.LayerChart:
    """Edges (solid: same event; dashed: same document), nodes sized by events, coloured by type; labels."""
    no_axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x = alt.X("x:Q", axis=no_axis, scale=alt.Scale(domain=[-0.02, 1.3]))  # room for the labels on the right
    y = alt.Y("y:Q", axis=no_axis, scale=alt.Scale(domain=[-0.05, 1.05]))
    node = alt.selection_point(name=NODE, fields=["group"], on="click")
    edges = (
        alt.Chart(net.edges)
        .mark_rule(opacity=0.55)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[1, 8]), title="Ties"),
            strokeDash=alt.StrokeDash(
                "kind:N", scale=alt.Scale(domain=["event", "document"], range=[[1, 0], [5, 4]]), title="Tie"
            ),
            color=alt.value("#666"),
            tooltip=["a:N", "b:N", alt.Tooltip("kind:N", title="tie"), alt.Tooltip("weight:Q", title="events or documents")],
        )
    )
    nodes = (
        alt.Chart(net.nodes)
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size("events:Q", scale=alt.Scale(range=[60, 1600]), title="Events"),
            color=alt.Color("group_type:N", scale=alt.Scale(domain=group_types()), title="Group type"),
            tooltip=["group:N", alt.Tooltip("group_type:N", title="type"), "events:Q"],
        )
        .add_params(node)
    )
    labels = alt.Chart(net.nodes).mark_text(align="left", dx=9, fontSize=11).encode(x=x, y=y, text="group:N")
    layered: alt.LayerChart = alt.layer(edges, nodes, labels).properties(height=560).configure_view(stroke=None)
    return layered


def clicked_group(selection: Any) -> str | None:
    """The group of a clicked node (``{"node": [{"group": ...}]}``), or ``None``."""
    picked = (selection or {}).get(NODE) or []
    return str(picked[0]["group"]) if picked and isinstance(picked[0], dict) and "group" in picked[0] else None


def tie_label(tie: pd.Series) -> str:
    """How a tie is listed: ``A — B: 3 events`` or ``A — B: named in 1 document``."""
    n = int(tie["weight"])
    what = f"{n} event{'s' if n != 1 else ''}" if tie["kind"] == "event" else f"named in {n} document{'s' if n != 1 else ''}"
    return f"{tie['a']} \u2014 {tie['b']}: {what}"


@st.cache_data(show_spinner=False, max_entries=256)
def _groups_in(_store: Store, source_id: str, sha256: str) -> tuple[str, ...]:
    """The groups a document kept in the store names (once per text: its sha256 is in the key)."""
    doc = Documents(_store).get(source_id)
    return tuple(named_groups(doc.text)) if doc is not None else ()


def _kept(store: Store | None) -> dict[str, Any]:
    """The store's documents, each with what gives the groups it names."""
    if store is None:
        return {}
    return {d.source_id: (lambda d=d: _groups_in(store, d.source_id, d.sha256)) for d in Documents(store).list()}


def render(events: pd.DataFrame, index: EventIndex, rows: np.ndarray, store: Store | None = None) -> None:
    """Draw the network of the events at ``rows``, the tie chooser and its evidence (documents: shipped and kept in ``store``)."""
    documents = cited_documents(events["source_id"].iloc[rows].unique(), _kept(store))
    net = network(index, rows, documents)
    if net.nodes.empty:
        st.info("No group is named in the incidents shown.")
        return
    event = st.altair_chart(chart(net), key="network", on_select="rerun", selection_mode=NODE)
    st.caption(
        f"{len(net.nodes)} groups, {len(net.edges)} ties. Solid: named in the same incident; dashed: named in the same "
        f"stored document ({len(documents)} cited). Size: incidents shown. Click a group to filter to it."
        + (f" The {net.left_out} least active groups are not drawn." if net.left_out else "")
    )
    wanted = clicked_group(getattr(event, "selection", None))
    if is_new(st.session_state, APPLIED, wanted):
        if wanted in set(index.actors.counts()):
            request(st.session_state, {GROUP_WIDGET: [wanted]})
            st.rerun()
    ties = net.edges.sort_values(["weight", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)
    labels = [tie_label(t) for _, t in ties.iterrows()]
    chosen = st.selectbox("Evidence for a tie", labels, index=None, placeholder="Choose a tie", key="network_tie")
    if chosen is None:
        return
    tie = ties.iloc[labels.index(chosen)]
    if tie["kind"] == "document":
        for source_id, named in documents.items():
            if tie["a"] in named and tie["b"] in named:
                st.text(f"Both named in the stored document {source_id}")  # ids and names: plain text
        return
    found = index.most_recent(tie_rows(index, rows, tie["a"], tie["b"]), EVIDENCE_LIMIT)
    shown = events.iloc[found]
    st.container(key="tie_evidence").dataframe(
        pd.DataFrame(
            {
                "event_id": shown["event_id"],
                "date_start": shown["date_start"].dt.date,
                "location": shown["location"],
                "groups": ["; ".join(a) for a in shown["actors"]],
                "excerpt": shown["excerpt"],
            }
        ),
        hide_index=True,
        key="network_evidence",
    )


def show(page: Page) -> None:
    """The view: the network of the events shown."""
    render(page.events, page.index, page.rows, page.store)


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = ("network", "network_tie", "network_evidence", "tie_evidence", APPLIED)
SESSION_PREFIXES: tuple[str, ...] = ()
