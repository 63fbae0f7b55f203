"""The fixed split of every development set into a part that is read and a part that is never read.

A record belongs to the unread part when the first byte of ``sha256("incidents-dev-split:" + id)``
is odd: fixed for ever by the id alone, the same on every machine, about half of each set. Rules
are written while reading the read part only; figures are reported on both, and the unread
part's are the ones to trust (the held-out sets come out nearer to them).
"""

from __future__ import annotations

import hashlib

READ = "read"
UNREAD = "unread"
PARTS = (READ, UNREAD)


def part(record_id: str) -> str:
    """``"read"`` or ``"unread"``: the part of the development data ``record_id`` belongs to."""
    digest = hashlib.sha256(f"incidents-dev-split:{record_id}".encode()).digest()
    return UNREAD if digest[0] & 1 else READ
