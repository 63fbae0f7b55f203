"""Hostile strings, and event files that carry them in every field that reaches the page.

Each string sets ``window.top.__pwned`` (or opens a dialog, or creates :data:`PWNED_PATH` on the
server) if it is ever evaluated as a template, HTML or JavaScript. The tests check none does and
that each is shown as literal text.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

#: Marker file a server-side template payload would create if it were ever evaluated.
PWNED_NAME = "incident_map_pwned_marker"
PWNED_PATH = Path(tempfile.gettempdir()) / PWNED_NAME
_TOUCH = f"touch {PWNED_PATH}"

HOSTILE: list[str] = [
    # Jinja2 expressions and statements (folium renders popups as templates on the server)
    "{{ 7*7 }}",
    "{% raw %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
    "{{ c('" + _TOUCH + "', shell=True) }}{% endif %}{% endfor %}",
    "{{ cycler.__init__.__globals__.os.system('" + _TOUCH + "') }}",
    "{{ lipsum.__globals__['os'].popen('" + _TOUCH + "').read() }}",
    "{% set x = 7*7 %}{{ x }}",
    "{# a comment that would vanish #}",
    "{{ config }}{{ self }}{{ request }}",
    "{%- if true -%}yes{%- endif -%}",
    # HTML tags and event handlers
    "<img src=x onerror=\"window.top.__pwned='img'\">",
    "<img src=x onerror=alert(1)>",
    "</script><script>window.top.__pwned='script'</script>",
    "<script>window.top.__pwned='plain-script'</script>",
    "<svg/onload=\"window.top.__pwned='svg'\">",
    "\"'><svg onload=\"window.top.__pwned='svg-break'\">",
    "<iframe src=\"javascript:window.top.__pwned='iframe'\"></iframe>",
    "<a href=\"javascript:window.top.__pwned='a'\">click me</a>",
    "<details open ontoggle=\"window.top.__pwned='details'\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.top.__pwned='mxss'\">",
    "<style>*{display:none !important}</style>",
    "<!-- a comment --><b>bold?</b>",
    "&lt;script&gt;entities stay entities&lt;/script&gt; &amp; &#x3C;",
    "</textarea></title></noscript><script>window.top.__pwned='breakout'</script>",
    # JavaScript string and template-literal breakouts
    "${window.top.__pwned='template-literal'}",
    "`; window.top.__pwned='backtick'; `",
    "'); window.top.__pwned='single-quote'; ('",
    '"); window.top.__pwned="double-quote"; ("',
    "\\'; window.top.__pwned='backslash'; //",
    "\u2028\u2029 line and paragraph separators ${1+1}",
    "__proto__",
    "constructor",
    # URLs that must never become links
    "javascript:window.top.__pwned='js-url'",
    "JaVaScRiPt:window.top.__pwned='mixed-case-url'",
    "data:text/html,<script>window.top.__pwned='data-url'</script>",
    "vbscript:msgbox(1)",
    # quotes of every kind
    "\u201csmart\u201d \u2018quotes\u2019 \u00abguillemets\u00bb \u201e\u201f \u2039\u203a \uff02\uff07 \u00b4",
    "' \" ` '' \"\" ``",
    # Unicode direction overrides, invisible and combining characters
    "\u202eright-to-left override\u202c and \u200b zero width",
    "\u2066isolate\u2069 \u200fRLM\u200e LRM \u061c",
    "Z\u0334\u0321a\u0337l\u0336g\u0338o\u0335 \U0001f469\u200d\U0001f4bb",
    # control characters, format strings, paths, names the page's own code uses
    "null byte \x00 inside",
    "carriage\r\nreturn\r\nSet-Cookie: x=1",
    "%s %d %(x)s {0} {x} %n",
    "../../../../etc/passwd",
    "map_div feature_group_0 _abc123 {{'map_div'}}",
    # very long
    "long " + "A" * 20_000 + " <img src=x onerror=\"window.top.__pwned='long'\">",
]

#: Events in the hostile files: each carries every ``EVENTS``-th string, so every string is in
#: every field of some event, and the markers are few enough to sit apart on the map.
EVENTS = 12
SEP = " \u25c6 "


def group(i: int) -> list[str]:
    """The hostile strings carried by event ``i``."""
    return HOSTILE[i::EVENTS]


def hostile_rows() -> list[dict[str, str]]:
    """One exact-located event per group of strings, those strings in every text field.

    Events are 2.5 degrees apart over Balochistan and beyond, so none cluster at zoom 5.
    """
    rows = []
    for i in range(EVENTS):
        texts = group(i)
        rows.append(
            {
                "event_id": f"hostile-{i:02d} {texts[0]}",
                "date_start": "2024-05-01",
                "event_type": "hostile " + SEP.join(texts),
                "actors": ";".join(texts),
                "location": "hostile place " + SEP.join(texts),
                "latitude": f"{25.5 + 2.5 * (i // 4)}",
                "longitude": f"{62.5 + 2.5 * (i % 4)}",
                "geo_precision": "exact",
                "excerpt": f"hostile excerpt {i}: " + SEP.join(texts),
                "source_title": "hostile source " + SEP.join(texts),
                "source_url": "https://example.org/a?b=<c>&d='e'&q=" + texts[0],
            }
        )
    return rows


def write_hostile_file(path: Path) -> list[dict[str, str]]:
    """Write the hostile events as the project CSV; returns the rows written."""
    rows = hostile_rows()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def hostile_geojson() -> bytes:
    """The hostile events as a GeoJSON FeatureCollection, with hostile property names too.

    Actors are a list here (no splitting at ``;``); ids are prefixed ``geo-`` so the file can be
    loaded beside the CSV. Every hostile string is also the name of an extra property.
    """
    features = []
    for i, row in enumerate(hostile_rows()):
        props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        props["event_id"] = "geo-" + props["event_id"]
        props["actors"] = group(i)
        props.update({text: text for text in group(i)})  # property names the importer must ignore safely
        geometry = {
            "type": "Point",
            "coordinates": [float(row["longitude"]), float(row["latitude"]) + 7.5],
        }  # rows above the CSV's
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


#: A file name an analyst's upload might carry (no ``/``: it cannot be in a file name).
HOSTILE_FILE_NAME = "{{ 7*7 }}<img src=x onerror=\"window.top.__pwned='file-name'\">${1+1}`.geojson"
