"""Leaflet styles of the thematic layers: a feature's path or circle-marker options.

The colour is the layer's and how it is drawn (filled or hollow point, area, solid or dashed line,
the stroke) is its precision class's, both from :mod:`geo.vocabulary`; this module turns those
attributes into Leaflet options and holds no list of layers or classes.
"""

from __future__ import annotations

from geo.vocabulary import LAYERS, PRECISIONS

# A class the vocabulary does not know is drawn as a plain solid line / hollow point.
PLAIN_LINE_WEIGHT = 3.0


def line_style(layer_id: str, precision: str) -> dict:
    """Leaflet path options for a feature: dashed lines dashed, areas as dashed outlines with a faint
    fill (≤ 0.15, so nothing below is hidden), any other class a solid line of the class's weight."""
    colour = LAYERS[layer_id].colour
    term = PRECISIONS.get(precision)
    weight = term.line_weight if term is not None else PLAIN_LINE_WEIGHT
    if term is not None and term.area:
        return {
            "color": colour,
            "weight": weight,
            "fillColor": colour,
            "fillOpacity": 0.08,
            "dashArray": "4 3",
        }
    if term is not None and term.dashed:
        return {"color": colour, "weight": weight, "opacity": 0.75, "dashArray": "8 6"}
    # A heavier line is a real alignment or river: a little more opaque than a straight line.
    return {"color": colour, "weight": weight, "opacity": 0.85 if weight > 4 else 0.95}


def marker_style(layer_id: str, precision: str, *, stand_in: bool = False) -> dict:
    """Circle-marker options: a class drawn as a filled point is filled, any other point hollow; a
    point standing for a named place elsewhere gets its class's stand-in dash on the outline."""
    colour = LAYERS[layer_id].colour
    term = PRECISIONS.get(precision)
    if term is not None and term.point and not term.hollow:
        style = {"radius": 7, "color": "#ffffff", "weight": 2, "fillColor": colour, "fillOpacity": 1.0}
    else:
        style = {"radius": 6, "color": colour, "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 0.9}
    if stand_in and term is not None and term.stand_in_dash:
        style["dashArray"] = term.stand_in_dash
    return style
