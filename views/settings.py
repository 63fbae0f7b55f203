"""The page's view settings (which analysis view, the timeline's resolution ...), kept in the URL.

A :class:`Setting` is one choice among fixed options, with a query-string key and a session key
for its widget. Each is declared by the module that uses it (the map's mode, the analysis view,
the timeline's resolution and measure) and collected in :data:`views.keys.SETTINGS`. The link
is read once per session, with the filters; the value is written back only when it is not the
default, so links stay short.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.query.facets import Params, Query
from views.selection import Session


@dataclass(frozen=True)
class Setting:
    """One view setting: its query key, its options (the first is the default) and its widget's session key."""

    key: str
    options: tuple[str, ...]

    @property
    def widget_key(self) -> str:
        """The session key of the setting's widget."""
        return f"setting_{self.key}"

    def read(self, params: Params) -> tuple[str, list[str]]:
        """The value in ``params`` (the default when absent), and a note when it is not an option."""
        values = list(params.get(self.key) or [])
        if not values:
            return self.options[0], []
        if values[-1] in self.options:
            return values[-1], []
        return self.options[0], [f"ignored {self.key}={values[-1]!r}: expected one of {', '.join(self.options)}"]

    def value(self, session: Session) -> str:
        """The setting's value in ``session`` (its widget's state), or the default."""
        got = session.get(self.widget_key)
        return got if isinstance(got, str) and got in self.options else self.options[0]


#: Session key: whether the link's settings have been read this session.
SETTINGS_READ = "_settings_read"


def read_url_once(session: Session, params: Params, settings: tuple[Setting, ...], *, flag: str = SETTINGS_READ) -> list[str]:
    """Once per session, set each setting's widget state from the link; the notes for what was ignored."""
    if session.get(flag):
        return []
    session[flag] = True
    notes = []
    for s in settings:
        value, more = s.read(params)
        session[s.widget_key] = value
        notes += more
    return notes


#: Session key: widget states a view asks for (a brushed range, a clicked group), set at the top of the next run.
PENDING = "_pending_widgets"


def request(session: Session, changes: dict[str, object]) -> None:
    """Ask for widget states (by widget key) that are drawn before the view: applied by :func:`apply_pending`."""
    session[PENDING] = {**session.get(PENDING, {}), **changes}


def is_new(session: Session, key: str, wanted: object) -> bool:
    """Whether ``wanted`` (a brush, a click; ``None``: none) differs from the last one kept under ``key``; keeps it."""
    if wanted is None or wanted == session.get(key):
        return False
    session[key] = wanted
    return True


def apply_pending(session: Session) -> None:
    """At the top of a run, before the sidebar is drawn: set the widget states views asked for."""
    for key, value in session.pop(PENDING, {}).items():
        session[key] = value


def query(session: Session, settings: tuple[Setting, ...]) -> Query:
    """The settings that are not at their default, as query-string parameters."""
    return {s.key: v for s in settings if (v := s.value(session)) != s.options[0]}


#: The session keys this module owns, and the prefixes of those it makes per item (collected in views/keys.py).
SESSION_KEYS: tuple[str, ...] = (PENDING, SETTINGS_READ)
SESSION_PREFIXES: tuple[str, ...] = ()
