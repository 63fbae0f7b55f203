"""The facets in use, in the order of the sidebar and of the caption: one explicit list.

As datasette lists its default plugins, :data:`DEFAULT_FACETS` names every built-in facet once,
in order; nothing depends on which module happens to be imported first. :func:`register` adds
another facet after them (see the README's "Adding a filter").
"""

from __future__ import annotations

from typing import Any

from incidents.query.area import AreaFacet
from incidents.query.facets import DatasetFacet, DateFacet, EventTypeFacet, Facet, GroupFacet, RegionFacet, TextFacet
from incidents.query.grade import GradeFacet
from incidents.query.near import DistanceFacet

#: The built-in facets, in sidebar order.
DEFAULT_FACETS: tuple[type[Facet[Any]], ...] = (
    DateFacet,
    GroupFacet,
    EventTypeFacet,
    RegionFacet,
    DatasetFacet,
    GradeFacet,
    TextFacet,
    AreaFacet,
    DistanceFacet,
)

#: Every facet in use, by name, in the order of the sidebar and of the description.
FACETS: dict[str, Facet[Any]] = {}


def register(cls: type[Facet[Any]]) -> type[Facet[Any]]:
    """Add one instance of the facet class ``cls`` to :data:`FACETS`, after those there (usable as a class decorator).

    Raises ``ValueError`` when its name or one of its query keys is taken already.
    """
    facet = cls()
    taken = {k for f in FACETS.values() for k in f.keys}
    if facet.name in FACETS or taken & set(facet.keys):
        raise ValueError(f"facet {facet.name!r} reuses a name or query key already registered")
    FACETS[facet.name] = facet
    return cls


def unregister(name: str) -> None:
    """Take the facet ``name`` out of :data:`FACETS` (a facet registered for a while, as tests do)."""
    del FACETS[name]


for _cls in DEFAULT_FACETS:
    register(_cls)
