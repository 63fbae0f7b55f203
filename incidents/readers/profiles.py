"""Column mappings as the user gives them: ``--columns field=column,...`` and saved profiles (JSON).

A profile file is ``{"columns": {"field": "column", ...}}``; the dashboard keeps the same
mappings by name in the store (``Store.save_profile``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from incidents.readers.mapped import FIELDS, NAMES


def parse_columns(text: str) -> dict[str, str]:
    """``field=column,field=column`` as a mapping (the command line's ``--columns``).

    Raises
    ------
    ValueError
        Naming a part that is not ``field=column`` or a field the model does not have.

    """
    mapping: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise ValueError(f"--columns: {part.strip()!r} is not field=column")
        if field not in NAMES:
            raise ValueError(f"--columns: {field!r} is not a field; fields are {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


def read_profile(path: Path) -> dict[str, str]:
    """A saved mapping: a JSON file ``{"columns": {"field": "column", ...}}``.

    Raises
    ------
    ValueError
        When the file is missing, not such JSON, or names a field the model does not have.

    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"profile {path.name}: not readable as JSON ({exc})") from exc
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items()):
        raise ValueError(f'profile {path.name}: expected {{"columns": {{"field": "column", ...}}}}')
    return parse_columns(",".join(f"{k}={v}" for k, v in columns.items()))


def profile_text(mapping: Mapping[str, str]) -> str:
    """A mapping as a profile file's text (see :func:`read_profile`)."""
    return json.dumps({"columns": dict(mapping)}, ensure_ascii=False, indent=2) + "\n"
