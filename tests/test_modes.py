"""The map modes: each builds its layer, names the script parts that draw it, and the switch and link follow the list."""

from __future__ import annotations

import re

import numpy as np
import pytest

from incidents import load_all
from incidents.query.index import EventIndex
from layers import base_map, group_colors
from layers.assets import CORE_PARTS, STATIC_DIR
from views import map as map_view
from views.modes import BY_NAME, MODES, MapInput, MapMode, script_parts


@pytest.fixture(scope="module")
def page():
    events = load_all().events
    index = EventIndex.build(events)
    return MapInput(events, index, np.arange(index.n), group_colors(index.actors.counts()))


def _factories(part: str) -> set[str]:
    """The layer factories a part of the map script defines (``IM.fooLayer = ...``)."""
    return set(re.findall(r"IM\.(\w+Layer) = ", (STATIC_DIR / "map" / f"{part}.js").read_text(encoding="utf-8")))


def test_the_switch_and_the_link_offer_the_modes_in_their_order():
    assert map_view.MAP.options == tuple(m.name for m in MODES) == tuple(BY_NAME)
    assert map_view.MAP.options[0] == "Markers"  # the default


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.name)
def test_each_mode_builds_a_layer_drawn_by_the_parts_it_names(page, mode):
    drawn = mode.build(page)
    m = base_map([], parts=script_parts((mode,)))
    drawn.layer.add_to(m)
    html = m.get_root().render()
    called = set(re.findall(r"IncidentMap\.(\w+Layer)\(", html))
    assert called, mode.name
    defined = set().union(*(_factories(p) for p in (*CORE_PARTS, *mode.scripts)))
    assert called <= defined, (mode.name, called - defined)
    for part in mode.scripts:
        assert f"/app/static/map/{part}.js" in html


def test_markers_give_way_to_counts_above_the_point_limit_and_say_so(page):
    from dataclasses import replace

    drawn = BY_NAME["Markers"].build(replace(page, point_limit=10))
    assert drawn.notice and "more than the map draws one by one" in drawn.notice
    assert "IncidentMap.countLayer(" in base_map([]).add_child(drawn.layer).get_root().render()


def test_a_new_mode_is_one_entry_and_renumbers_nothing(page):
    heat = MapMode("Heat", lambda p: BY_NAME["Counts per grid cell"].build(p), ("counts", "heat"))
    parts = script_parts((*MODES, heat))
    assert parts[: len(script_parts())] == script_parts()  # the others keep their place
    assert parts[-1] == "heat" and parts.count("counts") == 1
    for part in script_parts():  # no part numbers itself among the others
        assert not re.search(r"part \d+ of \d+", (STATIC_DIR / "map" / f"{part}.js").read_text(encoding="utf-8"))
