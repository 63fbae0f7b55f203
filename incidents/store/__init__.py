"""The store that keeps the analysts' work: SQLite by default, PostGIS for a team (see the README).

``Store(url)`` opens it (``INCIDENT_STORE``, default ``data/store/incidents.sqlite``); files go in
with :func:`add_file` / :func:`add_data`, one dataset per file, one transaction each.
"""

from incidents.store.engine import ConflictError, ReadOnlyError, StoreError, is_readonly, masked, store_url
from incidents.store.entries import Added, DatasetInfo, Revision
from incidents.store.imports import add_data, add_file
from incidents.store.store import STATUSES, Store

__all__ = [
    "STATUSES",
    "Added",
    "ConflictError",
    "DatasetInfo",
    "ReadOnlyError",
    "Revision",
    "Store",
    "StoreError",
    "add_data",
    "add_file",
    "is_readonly",
    "masked",
    "store_url",
]
