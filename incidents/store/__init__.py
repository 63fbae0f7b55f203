"""The store that keeps the analysts' work: SQLite by default, PostGIS for a team (see the README).

``Store(url)`` opens it (``INCIDENT_STORE``, default ``data/store/incidents.sqlite``); files go in
with :func:`add_file` / :func:`add_data`, one dataset per file, one transaction each; documents
with :class:`Documents` and their candidates' review with :class:`Review`, both built on a ``Store``.
"""

from incidents.store.documents import Documents
from incidents.store.engine import ConflictError, ReadOnlyError, StoreError, is_readonly, masked, store_url
from incidents.store.entries import Added, DatasetInfo, Revision
from incidents.store.imports import add_data, add_file
from incidents.store.review import Review
from incidents.store.store import STATUSES, Store

__all__ = [
    "STATUSES",
    "Added",
    "ConflictError",
    "DatasetInfo",
    "Documents",
    "ReadOnlyError",
    "Review",
    "Revision",
    "Store",
    "StoreError",
    "add_data",
    "add_file",
    "is_readonly",
    "masked",
    "store_url",
]
