"""The protocol between the page and the map script, written once.

Everything the Python side and ``static/map/*.js`` must agree on is defined here and sent to
the browser in the payloads, never written a second time in the script:

- **Layer arguments.** A layer is built in the browser by ``IncidentMap.<factory>({...})`` with
  one object of named base64 payloads; :func:`layer_call` writes it and :func:`read_layer_call`
  reads it back (tests, benchmarks). A layer class declares its argument names once
  (:attr:`layers.payload.PayloadLayer.args`).
- **Click references.** Every clickable object's popup starts with a reference, a short machine
  token (``⟦incident:12⟧``, ``⟦area:3⟧``) in an element of its own that is hidden from sight
  (``static/map/map.css``, ``.inc-ref``). ``st_folium`` reports the clicked popup's text; the
  page finds what was clicked with :func:`parse_ref`, never by reading the visible headings,
  which are free to be reworded or translated.
- **Words.** Headings, row labels, legend titles (:data:`WORDS`), the letter drawn on a marker
  per location precision (:data:`PRECISION_LETTERS`) and which precisions are approximate
  (:data:`APPROXIMATE`) travel in each layer's payload under ``"words"`` (:func:`vocabulary`).
- **Popup details.** :class:`IncidentDetails` is the typed record of what a popup shows of one
  incident; it is sent as JSON and read by name in the script.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, NamedTuple, TypedDict

from incidents.model.schema import GEO_PRECISIONS

#: What a click reference names: an incident (by its key) or an area of counts per district (by its number).
RefKind = Literal["incident", "area"]
REF_KINDS: tuple[RefKind, ...] = ("incident", "area")
#: A reference as written into a popup; ``{kind}`` and ``{id}`` are filled in by the script.
REF_FORMAT = "\u27e6{kind}:{id}\u27e7"
_REF = re.compile(r"^\s*\u27e6(?P<kind>[a-z]+):(?P<id>\d{1,10})\u27e7")


class Ref(NamedTuple):
    """What a click was on: its kind and its id (an incident's key, an area's number)."""

    kind: RefKind
    id: int


def ref_text(kind: RefKind, ident: int) -> str:
    """The reference of object ``ident`` of ``kind``, as the script writes it at the start of a popup."""
    return REF_FORMAT.format(kind=kind, id=int(ident))


def parse_ref(text: object) -> Ref | None:
    """The reference a clicked popup's text starts with, or ``None`` (no popup, or not one of ours).

    Only the start counts: a reference quoted inside an excerpt further down selects nothing.
    """
    if not isinstance(text, str):
        return None
    m = _REF.match(text)
    if m is None or m["kind"] not in REF_KINDS:
        return None
    kind: RefKind = "incident" if m["kind"] == "incident" else "area"
    return Ref(kind, int(m["id"]))


#: The words the map script shows that the Python side chooses (every other word in the script is its own).
WORDS: dict[str, str] = {
    "incident": "Incident",
    "area": "Area",
    "groups": "Groups",
    "date": "Date",
    "place": "Place",
    "fatalities": "Fatalities",
    "grade": "Grade",
    "source": "Source",
    "location_precision": "Location precision",
    "credibility": "Credibility (ungraded and 3: plain)",
    "loading": "Loading the source excerpt\u2026",
    "legend": "Legend",
    "cluster_title": "incidents: click to zoom in",
}

#: The letter a marker carries per location precision (none where the marker marks a site).
PRECISION_LETTERS: dict[str, str] = {
    "exact": "",
    "near": "",
    "district": "D",
    "province": "P",
    "region": "R",
    "country": "C",
}
#: Precisions whose marker stands for an area, not a site: drawn larger and dashed.
APPROXIMATE: tuple[str, ...] = tuple(p for p in GEO_PRECISIONS if p not in ("exact", "near"))


def reword(words: object, *, source: str) -> None:
    """Replace some of :data:`WORDS` (a translation, a house style); every key and value is checked first.

    ``source`` names where ``words`` came from (a file), for the error. Raises ``ValueError``
    naming the source and each key that is not a word of the map, or whose value is not text.
    Only what the map shows changes: what a click reports back is the reference, not these words.
    """
    if not isinstance(words, dict):
        raise ValueError(f"{source}: expected an object of words by key ({', '.join(WORDS)}), found {type(words).__name__}")
    problems = [f"{k!r} is not a word of the map" for k in words if k not in WORDS]
    problems += [
        f"{k!r}: expected text, found {type(v).__name__}" for k, v in words.items() if k in WORDS and not isinstance(v, str)
    ]
    if problems:
        raise ValueError(f"{source}: " + "; ".join(problems) + f" (the words: {', '.join(WORDS)})")
    WORDS.update(words)


def vocabulary() -> dict[str, Any]:
    """The shared words and codes, as sent in a layer's payload (``"words"``)."""
    return {
        "words": dict(WORDS),
        "precision_letters": dict(PRECISION_LETTERS),
        "approximate": list(APPROXIMATE),
        "ref_format": REF_FORMAT,
    }


class IncidentDetails(TypedDict):
    """What the popup and the Selected incident panel show of one incident, as plain strings.

    ``source_url`` is set only for an http/https link; ``no_text`` (else empty) says there is no
    excerpt to quote; ``key`` is the incident's row position in the loaded frame.
    """

    key: int
    event_id: str
    event_type: str
    date_text: str
    actors_text: str
    place_text: str
    fatalities_text: str
    grade_text: str
    excerpt: str
    no_text: str
    source_title: str
    source_url: str | None
    offsets_text: str


#: An argument's name in a layer call: a plain identifier, so the call is valid JSON and JavaScript.
_ARG_NAME = re.compile(r"^[a-z][a-z_]*$")
_CALL = re.compile(r"IncidentMap\.(?P<factory>[A-Za-z]+)\((?P<args>\{[^()]*\})\)")


def layer_call(factory: str, payloads: dict[str, str]) -> str:
    """The script expression that builds a layer: ``IncidentMap.<factory>({"name": "<b64>", ...})``.

    The payloads must already be checked base64 (:func:`layers.payload.checked`); the names are
    plain identifiers, so the object is valid JSON.
    """
    bad = [n for n in payloads if not _ARG_NAME.match(n)]
    if bad or not re.fullmatch(r"[A-Za-z]+", factory):
        raise ValueError(f"not a layer call: {factory!r} with arguments {bad}")
    return f"IncidentMap.{factory}({json.dumps(payloads, separators=(',', ':'))})"


def read_layer_call(script: str, factory: str) -> dict[str, str]:
    """The named payloads of the one call of ``factory`` in ``script`` (the inverse of :func:`layer_call`)."""
    found = [json.loads(m["args"]) for m in _CALL.finditer(script) if m["factory"] == factory]
    if len(found) != 1:
        raise ValueError(f"expected one IncidentMap.{factory} call, found {len(found)}")
    args: dict[str, str] = found[0]
    return args
