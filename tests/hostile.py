"""Hostile strings and a writer for an event file that carries them in every text field."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

#: Marker file a server-side template payload would create if it were ever evaluated.
PWNED_NAME = "incident_map_pwned_marker"
PWNED_PATH = Path(tempfile.gettempdir()) / PWNED_NAME

HOSTILE: list[str] = [
    "{{ 7*7 }}",
    "{% raw %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
    "{{ c('touch " + str(PWNED_PATH) + "', shell=True) }}{% endif %}{% endfor %}",
    "<img src=x onerror=\"window.top.__pwned='img'\">",
    "</script><script>window.top.__pwned='script'</script>",
    "${window.top.__pwned='template-literal'}",
    "`; window.top.__pwned='backtick'; `",
    "\"'><svg onload=\"window.top.__pwned='svg'\">",
    "javascript:window.top.__pwned='js-url'",
    "map_div feature_group_0 _abc123 {{'map_div'}}",
    "\u202eright-to-left override\u202c and \u200b zero width",
]


def write_hostile_file(path: Path) -> list[dict[str, str]]:
    """Write one exact-located event per hostile string, that string in every text field.

    Events are spread 2.5 degrees apart over Balochistan and beyond, so none cluster at zoom 5.
    Returns the rows written.
    """
    rows = []
    for i, text in enumerate(HOSTILE):
        lat = 25.5 + 2.5 * (i // 4)
        lon = 62.5 + 2.5 * (i % 4)
        rows.append(
            {
                "event_id": f"hostile-{i:02d} {text}",
                "date_start": "2024-05-01",
                "event_type": f"hostile {text}",
                "actors": f"Hostile {text}",
                "location": f"hostile place {text}",
                "latitude": f"{lat}",
                "longitude": f"{lon}",
                "geo_precision": "exact",
                "excerpt": f"hostile excerpt {i}: {text}",
                "source_title": f"hostile source {text}",
                "source_url": "https://example.org/a?b=<c>&d='e'",
            }
        )
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows
