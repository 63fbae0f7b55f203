"""The actor network against a row-by-row reading; the dossier's four-way tie; a layout that does not move."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import networkx as nx
import numpy as np
import pytest

from incidents.network import cited_documents, network, pair, tie_rows
from incidents.query.index import EventIndex
from incidents.store import Documents, Review
from views.network import clicked_group, tie_label

DOSSIER = "000_adc269e28bd41553"
NEXUS = ("Lashkar-e-Taiba", "Islamic State Khorasan Province", "Inter-Services Intelligence", "Shafiq Mengal militia")


@pytest.fixture(scope="module")
def index(events):
    return EventIndex.build(events)


@pytest.fixture(scope="module")
def net(events, index):
    rows = np.arange(len(events))
    return network(index, rows, cited_documents(events["source_id"]))


def test_nodes_and_event_ties_agree_with_a_row_by_row_count(events, net):
    per_group = Counter(g for actors in events["actors"] for g in set(actors))
    per_pair = Counter(pair(a, b) for actors in events["actors"] for a, b in combinations(sorted(set(actors)), 2))
    nodes = dict(zip(net.nodes["group"], net.nodes["events"]))
    assert {g: n for g, n in nodes.items() if n} == dict(per_group)
    ties = net.edges[net.edges["kind"] == "event"]
    assert {(a, b): w for a, b, w in zip(ties["a"], ties["b"], ties["weight"])} == dict(per_pair)
    assert net.left_out == 0


def test_document_ties_join_the_groups_a_cited_document_names(events, net):
    documents = cited_documents(events["source_id"])
    assert list(documents) == [DOSSIER]
    named = documents[DOSSIER]
    assert {"Lashkar-e-Taiba", "Islamic State Khorasan Province", "Inter-Services Intelligence"} <= set(named)
    ties = net.edges[net.edges["kind"] == "document"]
    assert sorted(zip(ties["a"], ties["b"])) == sorted(pair(a, b) for a, b in combinations(sorted(set(named)), 2))
    assert set(ties["weight"]) == {1}


def test_a_document_kept_in_the_store_ties_the_groups_it_names_when_its_events_are_shown(store_url):
    from incidents.intake import from_paste
    from incidents.store import Store
    from views.network import _kept

    store = Store(store_url)
    text = "QUETTA (March 12, 2025) - Lashkar-e-Taiba and ISKP fighters attacked a post in Mastung district, killing two."
    added = Documents(store).add(from_paste(text), {"title": "report"}, author="alice")
    (c,) = Review(store).candidates(added.source_id)
    Review(store).accept(c.candidate_id, {}, base_revision=1, author="alice")
    kept = _kept(store)
    found = cited_documents([added.source_id, DOSSIER, "ucdp-ged"], kept)
    assert found[added.source_id] == ("Lashkar-e-Taiba", "Islamic State Khorasan Province") and DOSSIER in found
    assert "ucdp-ged" not in found and cited_documents(["ucdp-ged"], kept) == {}


def test_the_dossier_four_way_tie_is_one_connected_part(net):
    graph = nx.Graph()
    graph.add_edges_from(zip(net.edges["a"], net.edges["b"]))
    assert set(NEXUS) <= set(net.nodes["group"])
    assert nx.has_path(graph, NEXUS[0], NEXUS[3]) and all(graph.has_edge(a, b) for a, b in combinations(NEXUS[:3], 2))
    assert graph.has_edge("Islamic State Khorasan Province", "Shafiq Mengal militia")


def test_the_layout_is_the_same_on_every_run_and_inside_the_frame(events, index, net):
    again = network(index, np.arange(len(events)), cited_documents(events["source_id"]))
    assert net.nodes.equals(again.nodes) and net.edges.equals(again.edges)
    assert net.nodes[["x", "y"]].to_numpy().min() >= 0 and net.nodes[["x", "y"]].to_numpy().max() <= 1
    assert len(set(zip(net.nodes["x"], net.nodes["y"]))) == len(net.nodes)  # no two groups on one spot
    ends = net.edges.merge(net.nodes, left_on="a", right_on="group")
    assert (ends["x_x"] == ends["x_y"]).all() and (ends["y_x"] == ends["y_y"]).all()  # edges start at their node


def test_only_the_most_active_groups_are_drawn_and_the_rest_counted(events, index):
    small = network(index, np.arange(len(events)), {}, max_nodes=5)
    per_group = Counter(g for actors in events["actors"] for g in set(actors))
    top = sorted(per_group, key=lambda g: (-per_group[g], g))[:5]
    assert sorted(small.nodes["group"]) == sorted(top) and small.left_out == len(per_group) - 5
    assert set(small.edges["a"]) | set(small.edges["b"]) <= set(top)


def test_a_tie_lists_the_events_that_name_both_groups(events, index):
    rows = np.arange(len(events))
    found = tie_rows(index, rows, "Lashkar-e-Taiba", "Inter-Services Intelligence")
    expected = [i for i, a in enumerate(events["actors"]) if {"Lashkar-e-Taiba", "Inter-Services Intelligence"} <= set(a)]
    assert found.tolist() == expected and len(expected) == 2
    half = rows[: len(rows) // 2]
    assert set(tie_rows(index, half, "Lashkar-e-Taiba", "Inter-Services Intelligence")) <= set(half)


def test_a_click_and_a_tie_read_as_text():
    assert clicked_group({"node": [{"group": "<b>LeT</b>"}]}) == "<b>LeT</b>"
    assert clicked_group({"node": []}) is None and clicked_group(None) is None and clicked_group({"node": [{}]}) is None
    assert tie_label({"a": "A", "b": "B", "kind": "event", "weight": 1}) == "A \u2014 B: 1 event"
    assert tie_label({"a": "A", "b": "B", "kind": "document", "weight": 2}) == "A \u2014 B: named in 2 documents"
