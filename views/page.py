"""What every analysis view is given: the events, their index, the rows the filters keep, the store, who is signed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from incidents.query.index import EventIndex
from incidents.store import Store


@dataclass(frozen=True)
class Page:
    """The inputs of an analysis view (the frame and index are shared, never modified)."""

    events: pd.DataFrame
    index: EventIndex
    rows: np.ndarray
    store: Store | None
    author: str | None


class AnalysisView(Protocol):
    """An analysis view: a module with its name in the view switch and a ``show`` that draws it."""

    NAME: str

    def show(self, page: Page) -> None:
        """Draw the view for ``page``."""
