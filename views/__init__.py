"""The parts of the page, one module each: pure functions compute what to show, a thin ``render`` draws it.

Only the dashboard and these modules call Streamlit; ``incidents/`` and ``layers/`` never do.
"""

from views import accounting, data, headline, selected, selection, sidebar, table
from views import map as map_view

__all__ = ["accounting", "data", "headline", "map_view", "selected", "selection", "sidebar", "table"]
