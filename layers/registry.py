"""Leaflet styles of the thematic layers.

Titles, colours and labels are shared with the exports and live in :mod:`geo.styles`; this module
holds only how a feature is drawn on the web map.
"""

from __future__ import annotations

from geo.styles import LAYERS


def line_style(layer_id: str, precision: str) -> dict:
    """Leaflet path options for a feature: schematic lines dashed, areas as outlines with a faint
    fill (≤ 0.15, so nothing below is hidden), any other class a solid line."""
    colour = LAYERS[layer_id].colour
    if precision == "area":
        return {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": 0.08, "dashArray": "4 3"}
    if precision == "schematic":
        return {"color": colour, "weight": 2.5, "opacity": 0.75, "dashArray": "8 6"}
    if precision == "river":
        return {"color": colour, "weight": 5, "opacity": 0.85}
    if precision == "route":  # a real alignment: solid and a little heavier than a straight line
        return {"color": colour, "weight": 4, "opacity": 0.95}
    return {"color": colour, "weight": 3, "opacity": 0.95}


def marker_style(layer_id: str, precision: str) -> dict:
    """Circle-marker options: an exact point or known site is filled, a seat-located one is hollow."""
    colour = LAYERS[layer_id].colour
    if precision in ("exact", "site"):
        return {"radius": 7, "color": "#ffffff", "weight": 2, "fillColor": colour, "fillOpacity": 1.0}
    return {"radius": 6, "color": colour, "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 0.9}
