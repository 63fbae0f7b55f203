"""The one channel by which data reaches the browser: base64-encoded UTF-8 JSON.

Base64's alphabet (``A-Z a-z 0-9 + / =``) contains nothing that Jinja (``{{``, ``{%``), HTML
(``<``, ``&``), JavaScript strings or template literals (quotes, backslash, backtick, ``${``)
interpret, nor the ``_name`` pattern streamlit-folium rewrites in scripts. Whatever text a
document holds, it arrives in the browser unchanged and inert, and is decoded there by
``IncidentMap.decode`` and put on the page with ``textContent``.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from branca.element import Element
from folium.map import Layer
from folium.template import Template

from layers.protocol import layer_call

_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def encode_payload(data: Any) -> str:
    """Encode JSON-serialisable ``data`` for embedding in a script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def encode_bytes(data: bytes) -> str:
    """Encode raw bytes (packed arrays) for embedding in a script."""
    return base64.b64encode(data).decode("ascii")


def decode_payload(b64: str) -> Any:
    """Inverse of :func:`encode_payload` (used by tests)."""
    return json.loads(base64.b64decode(b64.encode("ascii"), validate=True).decode("utf-8"))


def checked(b64: str) -> str:
    """Return ``b64`` after checking it is plain base64 (guards every template that embeds it)."""
    if not _BASE64.match(b64):
        raise ValueError("payload is not base64")
    return b64


class PayloadLayer(Layer):
    """A map layer that the browser builds from named payloads: ``IncidentMap.<factory>({"name": "<b64>", ...})``.

    The only place payloads enter a template; each is checked to be plain base64 first. A
    subclass names its script's factory and the arguments it takes (:attr:`args`, in order);
    the call is written by :func:`layers.protocol.layer_call`.
    """

    factory = ""
    #: The names of the payloads the factory reads (``args.meta``, ``args.rows``, ...).
    args: tuple[str, ...] = ("data",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this.call }};
            {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self, payloads: str | list[str], bounds: list[list[float | None]], *, name: str, control: bool, show: bool = True
    ):
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = type(self).__name__
        payloads = [payloads] if isinstance(payloads, str) else payloads
        if len(payloads) != len(self.args):
            wanted = ", ".join(self.args)
            raise ValueError(f"{type(self).__name__} takes {len(self.args)} payloads ({wanted}), got {len(payloads)}")
        self.payloads = dict(zip(self.args, (checked(p) for p in payloads)))
        self._bounds = bounds

    @property
    def call(self) -> str:
        """The script expression that builds this layer in the browser."""
        return layer_call(self.factory, self.payloads)

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._bounds

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # adds to the figure, returns nothing
        """Add this layer's script to the figure as text.

        folium's own ``render`` wraps each rendered script in a new ``Element``, which compiles
        it as a Jinja template: harmless for base64, but at 100,000 incidents that lexing of
        megabytes took 0.2 s of every rerun. The script adds the layer to its parent itself
        (when ``show``), so no add-to element is needed either.
        """
        script = self._template.module.__dict__["script"]
        root: Any = self.get_root()  # the Figure, which has a script section
        root.script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _Text(Element):
    """Rendered script text, put into the page as it is (never compiled as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text
