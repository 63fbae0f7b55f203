"""The actor network: groups as nodes, ties as edges, laid out the same way on every run.

Nodes are the groups of the events shown (size: how many of them name the group; colour: the
group type in ``data/actors.csv``) and the groups named in the stored documents those events
cite. Edges are of two kinds:

- ``event``: both groups are actors of one event; the weight is how many events;
- ``document``: both groups are named in one stored document the shown events cite; the weight
  is how many documents.

The layout is networkx's spring layout with a fixed seed, over nodes and edges added in sorted
order, so the same data gives the same picture. At most :data:`MAX_NODES` groups are drawn (the
most active); :attr:`Network.left_out` says how many were not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from incidents.extract import named_groups
from incidents.model.actors import actor_table
from incidents.model.documents import read_document, stored_document_ids
from incidents.query.index import EventIndex

MAX_NODES = 40
EDGE_KINDS = ("event", "document")
SEED = 7


@dataclass(frozen=True)
class Network:
    """What the network view draws.

    Attributes
    ----------
    nodes : DataFrame
        ``group``, ``group_type``, ``events``, ``x``, ``y`` (the layout, in [0, 1]).
    edges : DataFrame
        ``a``, ``b`` (groups, ``a < b``), ``kind``, ``weight``, and the two ends' ``x``/``y``
        (``x2``/``y2``): one row per pair and kind.
    left_out : int
        Groups not drawn (beyond :data:`MAX_NODES`).

    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    left_out: int


def pair(a: str, b: str) -> tuple[str, str]:
    """The two groups of an edge in its canonical order."""
    return (a, b) if a <= b else (b, a)


def network(
    index: EventIndex,
    rows: np.ndarray,
    documents: Mapping[str, Sequence[str]] | None = None,
    *,
    max_nodes: int = MAX_NODES,
) -> Network:
    """The network of the events at positions ``rows``; ``documents`` maps each cited document to the groups it names."""
    combos = index.actors
    per_combo = np.bincount(combos.codes[rows], minlength=len(combos.values)) if len(rows) else np.zeros(0, int)
    events: Counter[str] = Counter()
    ties: Counter[tuple[str, str, str]] = Counter()
    for combo, n in zip(combos.values, per_combo.tolist()):
        if not n:
            continue
        groups = sorted(set(combo))
        for g in groups:
            events[g] += n
        for a, b in combinations(groups, 2):
            ties[(a, b, "event")] += n
    named: set[str] = set()
    for named_there in (documents or {}).values():
        unique = sorted(set(named_there))
        named.update(unique)
        for a, b in combinations(unique, 2):
            ties[(a, b, "document")] += 1
    everyone = sorted(set(events) | named, key=lambda g: (-events[g], g))
    kept = set(everyone[:max_nodes])
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(kept))
    for (a, b, _), w in sorted(ties.items()):
        if a in kept and b in kept:
            old = graph.get_edge_data(a, b, {"weight": 0})["weight"]
            graph.add_edge(a, b, weight=old + w)
    where = _layout(graph)
    table = actor_table()
    nodes = pd.DataFrame(
        {
            "group": sorted(kept),
            "group_type": [table.group_type(g) for g in sorted(kept)],
            "events": [events[g] for g in sorted(kept)],
            "x": [where[g][0] for g in sorted(kept)],
            "y": [where[g][1] for g in sorted(kept)],
        }
    )
    rows_out = [
        {"a": a, "b": b, "kind": kind, "weight": w, "x": where[a][0], "y": where[a][1], "x2": where[b][0], "y2": where[b][1]}
        for (a, b, kind), w in sorted(ties.items())
        if a in kept and b in kept
    ]
    columns = ["a", "b", "kind", "weight", "x", "y", "x2", "y2"]
    return Network(nodes, pd.DataFrame(rows_out, columns=columns), len(everyone) - len(kept))


def _layout(graph: nx.Graph[str]) -> dict[str, tuple[float, float]]:
    """Node positions in [0, 1] x [0, 1], the same for the same graph.

    Each connected part is laid out on its own (spring layout, edge weights damped by a
    logarithm so one heavy tie does not fold the rest onto it): the largest fills the left
    three quarters, the others are stacked in the right quarter, larger first.
    """
    parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    out: dict[str, tuple[float, float]] = {}
    others = parts[1:]
    boxes = [(0.0, 0.0, 0.75 if others else 1.0, 1.0)]
    height = 1.0 / max(1, len(others))
    boxes += [(0.8, 1.0 - (i + 1) * height, 0.2, height) for i in range(len(others))]
    for part, (x0, y0, w, h) in zip(parts, boxes):
        sub: nx.Graph[str] = nx.Graph()
        sub.add_nodes_from(part)
        sub.add_edges_from(
            (a, b, {"weight": 1.0 + np.log(d["weight"])}) for a, b, d in sorted(graph.subgraph(part).edges(data=True))
        )
        if len(part) == 1:
            pos = {part[0]: np.array([0.5, 0.5])}
        else:
            pos = nx.spring_layout(sub, seed=SEED, weight="weight", iterations=300, k=2.5 / np.sqrt(len(part)))
        xy = np.array([pos[n] for n in part], dtype=float)
        lo, span = xy.min(axis=0), np.ptp(xy, axis=0)
        span[span == 0] = 1.0
        scaled = (xy - lo) / span if len(part) > 1 else np.full_like(xy, 0.5)
        margin = 0.1
        for n, (x, y) in zip(part, scaled):
            out[n] = (round(x0 + w * (margin + (1 - 2 * margin) * x), 4), round(y0 + h * (margin + (1 - 2 * margin) * y), 4))
    return out


def tie_rows(index: EventIndex, rows: np.ndarray, a: str, b: str) -> np.ndarray:
    """The positions among ``rows`` of the events that name both ``a`` and ``b``: the evidence for an event tie."""
    both = index.actors.matches(frozenset({a})) & index.actors.matches(frozenset({b}))
    found: np.ndarray = rows[both[rows]]
    return found


@cache
def groups_named_in(source_id: str) -> tuple[str, ...]:
    """The groups of the alias table that the stored document ``source_id`` names (read once per process)."""
    return tuple(named_groups(read_document(source_id).text))


def cited_documents(
    source_ids: Iterable[str], kept: Mapping[str, Callable[[], tuple[str, ...]]] | None = None
) -> dict[str, tuple[str, ...]]:
    """Of ``source_ids`` (the shown events' sources), the stored documents, each with the groups it names.

    ``kept`` adds the documents kept in the store: by id, what gives the groups one names.
    """
    wanted = set(source_ids)
    found = {s: groups_named_in(s) for s in sorted(wanted & set(stored_document_ids()))}
    for s in sorted(wanted & set(kept or {}) - set(found)):
        found[s] = (kept or {})[s]()
    return found
