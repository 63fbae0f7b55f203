"""The page's query-string and session keys: each declared by its owner, none claimed twice, none undeclared."""

from __future__ import annotations

import ast
import subprocess

from incidents.query.filters import PAGE_KEYS
from tests.conftest import ROOT
from views import keys
from views import map as map_view


def test_no_key_is_claimed_by_two_owners():
    assert keys.clashes() == []


def test_a_clash_is_found(monkeypatch):
    monkeypatch.setattr(map_view, "SESSION_KEYS", (*map_view.SESSION_KEYS, "table", "doc_x", "groups"))
    found = keys.clashes()
    assert "table: views.map, views.table" in found
    assert "doc_x (views.map) lies under doc_* (views.documents)" in found
    assert "groups: facet groups, views.map" in found


def test_the_links_keys_that_select_nothing_are_the_ones_the_cli_passes_over():
    """``incidents export`` cannot import the page: its list of the page's own keys must be the owners' keys."""
    assert keys.page_url_keys() == set(PAGE_KEYS)


def _literal_keys() -> list[tuple[str, str]]:
    """Every ``key=`` given to a widget in the page's code: a string, or the fixed start of an f-string."""
    files = subprocess.run(["git", "ls-files", "views", "dashboard.py"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    found = []
    for f in files:
        if not f.endswith(".py"):
            continue
        for node in ast.walk(ast.parse((ROOT / f).read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "key":
                v = node.value
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    found.append((f, v.value))
                elif isinstance(v, ast.JoinedStr) and v.values and isinstance(v.values[0], ast.Constant):
                    found.append((f, str(v.values[0].value)))
    return found


def test_every_widget_key_written_in_the_page_has_a_declared_owner():
    literal = _literal_keys()
    assert len(literal) > 30  # the scan sees the page's widgets
    assert [(f, k) for f, k in literal if keys.owner_of(k) is None] == []


def test_owners_declare_keys_they_use():
    """The declarations are not a list apart: each owner's module names each of its keys in its code."""
    for module in keys.OWNERS:
        source = (ROOT / (module.__name__.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        for key in (*module.SESSION_KEYS, *module.SESSION_PREFIXES, *getattr(module, "URL_KEYS", ())):
            assert source.count(f'"{key}') >= 2 or f'= "{key}"' in source, (module.__name__, key)
