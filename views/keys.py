"""Every query-string key and session key of the page, collected from the modules that own them.

Each owner declares its keys where it uses them: a facet its query keys and widget key
(:mod:`incidents.query.registry`), a view setting its key (:class:`views.settings.Setting`, in the
module that draws it), a module of ``views/`` its ``SESSION_KEYS``, the prefixes of the keys it
makes per item (``SESSION_PREFIXES``: ``doc_`` + a document's id) and its ``URL_KEYS``. Nothing
is listed here but the owners; :func:`clashes` finds a key two owners claim.
"""

from __future__ import annotations

from collections import defaultdict
from types import ModuleType

from incidents.query.registry import FACETS
from views import (
    accounting,
    analysis,
    edit,
    exports,
    grading,
    mapping,
    review,
    selection,
    settings,
    sidebar,
    store,
    table,
    timeline,
)
from views import map as map_view
from views.settings import Setting

#: The view settings kept in the link, each declared by the module that draws it.
SETTINGS: tuple[Setting, ...] = (map_view.MAP, analysis.VIEW, timeline.BY, timeline.COUNT)
#: The modules of ``views/`` that own session or query-string keys: the parts of the page, and every
#: analysis view (:data:`views.analysis.VIEWS`), so a new view's keys are collected with no line here.
_PARTS: tuple[ModuleType, ...] = (
    accounting, edit, exports, grading, map_view, mapping, review, selection, settings, sidebar, store, table,
)  # fmt: skip
OWNERS: tuple[ModuleType, ...] = tuple(dict.fromkeys((*_PARTS, *analysis.VIEWS)))  # type: ignore[arg-type]


def url_keys() -> dict[str, list[str]]:
    """Each query-string key of the page, with every owner that claims it (one, unless they clash)."""
    owners: dict[str, list[str]] = defaultdict(list)
    for name, facet in FACETS.items():
        for key in facet.keys:
            owners[key].append(f"facet {name}")
    for s in SETTINGS:
        owners[s.key].append(f"setting {s.key}")
    for module in OWNERS:
        for key in getattr(module, "URL_KEYS", ()):
            owners[key].append(module.__name__)
    return dict(owners)


def page_url_keys() -> set[str]:
    """The page's own query-string keys, that select nothing (the settings, the selected incident, the document)."""
    facet_keys = {k for f in FACETS.values() for k in f.keys}
    return set(url_keys()) - facet_keys


def session_keys() -> dict[str, list[str]]:
    """Each session key of the page, with its owners; a prefix stands as ``<prefix>*``."""
    owners: dict[str, list[str]] = defaultdict(list)
    for name, facet in FACETS.items():
        owners[facet.widget_key].append(f"facet {name}")
        owners[f"{facet.widget_key}.*"].append(f"facet {name}")  # a widget of several parts: <key>.<part>
    for s in SETTINGS:
        owners[s.widget_key].append(f"setting {s.key}")
    for module in OWNERS:
        for key in module.SESSION_KEYS:
            owners[key].append(module.__name__)
        for prefix in module.SESSION_PREFIXES:
            owners[f"{prefix}*"].append(module.__name__)
    return dict(owners)


def clashes() -> list[str]:
    """Every key two owners claim: the same key, or a key (or prefix) inside another owner's prefix."""
    keys = session_keys()
    found = [f"{k}: {', '.join(o)}" for names in (url_keys(), keys) for k, o in names.items() if len(set(o)) > 1]
    prefixes = {k[:-1]: o[0] for k, o in keys.items() if k.endswith("*")}
    for key, (owner, *_) in keys.items():
        plain = key[:-1] if key.endswith("*") else key
        for prefix, other in prefixes.items():
            if other != owner and plain.startswith(prefix) and plain != prefix:
                found.append(f"{key} ({owner}) lies under {prefix}* ({other})")
    return sorted(found)


def owner_of(key: str) -> str | None:
    """The owner of session key ``key`` (by name or by prefix), or ``None``: a key nobody declared."""
    keys = session_keys()
    if key in keys:
        return keys[key][0]
    under = [o[0] for k, o in keys.items() if k.endswith("*") and key.startswith(k[:-1])]
    return under[0] if under else None
