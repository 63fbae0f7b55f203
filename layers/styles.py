"""Colours and styles: one colour per group, stable whatever the filter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

#: The dossier's groups get fixed, distinct colours.
FIXED_COLORS: dict[str, str] = {
    "Lashkar-e-Taiba": "#d62728",
    "Islamic State Khorasan Province": "#111111",
    "Inter-Services Intelligence": "#9467bd",
    "Shafiq Mengal militia": "#8c564b",
    "Baloch separatists (unnamed)": "#e377c2",
}
#: Colours handed out to the other groups, most frequent first.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#aec7e8",
    "#98df8a",
    "#ffbb78",
    "#c5b0d5",
    "#f7b6d2",
    "#9edae5",
)
OTHER_COLOR = "#cccccc"
OTHER_LABEL = "Other groups"
NO_GROUP_LABEL = "No group named"

BOUNDARY_STYLES = {
    "countries": {"color": "#555555", "weight": 1.2, "fillColor": "#f2efe9", "fillOpacity": 1.0},
    "neighbour_admin1": {"color": "#aaaaaa", "weight": 0.6, "fill": False},
    "afg_provinces": {"color": "#8a8a8a", "weight": 0.8, "fillColor": "#eae6dc", "fillOpacity": 0.6},
    "pak_provinces": {"color": "#6b6b6b", "weight": 1.2, "fillColor": "#f7f3ea", "fillOpacity": 0.6},
    "balochistan": {"color": "#b35900", "weight": 2.5, "fillColor": "#ffe3c2", "fillOpacity": 0.35},
    "balochistan_districts": {"color": "#b38a5e", "weight": 0.8, "fill": False},
    "highlight_districts": {"color": "#b00020", "weight": 3, "fillColor": "#b00020", "fillOpacity": 0.12},
    "kashmir": {"color": "#2b6cb0", "weight": 1.2, "dashArray": "4 4", "fillColor": "#9ec5f0", "fillOpacity": 0.3},
    "lines": {"color": "#000000", "weight": 2.5, "dashArray": "8 6"},
    "rivers": {"color": "#3a7bd5", "weight": 1.6, "opacity": 0.8},
}


def group_colors(actors: Mapping[str, int] | Iterable[Iterable[str]], *, max_colors: int = len(PALETTE)) -> dict[str, str]:
    """Assign colours: fixed ones first, then the most frequent groups; the rest share grey.

    ``actors`` is a count per group, or the actor lists of the events.
    """
    counts = actors if isinstance(actors, Mapping) else Counter(a for names in actors for a in names)
    colors = {g: c for g, c in FIXED_COLORS.items()}
    ranked = [g for g, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if g not in colors]
    for group, color in zip(ranked[:max_colors], PALETTE):
        colors[group] = color
    return colors
