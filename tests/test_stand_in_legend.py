"""Points drawn at a seat that stand for a named place: drawn apart on the map, with a legend row
of their own in the in-map legend and the PNG/print legend only when one is on the map."""

from __future__ import annotations

import re

from geo.features import catalogue_frame
from geo.vocabulary import PRECISIONS
from layers.leaflet_styles import marker_style
from layers.legends import has_stand_in, precision_legend_html
from layers.planmap import features_collection, precision_legend

STAND_IN_ZH = "代表点(以驻地代表具名地点)"
STAND_IN_EN = "stand-in (a unit's seat stands for a named place)"


def _stand_in_rows(html: str) -> list[str]:
    return re.findall(r'<div class="row plan-legend-stand-in"[^>]*>', html)


def test_the_stand_in_drawing_comes_from_the_vocabulary():
    seat = PRECISIONS["seat"]
    assert seat.stand_in is not None and seat.stand_in.label("zh") == STAND_IN_ZH
    assert seat.stand_in.label("en") == STAND_IN_EN
    plain = marker_style("waterway", "seat")
    standing = marker_style("waterway", "seat", stand_in=True)
    assert "dashArray" not in plain and standing["dashArray"] == seat.stand_in_dash
    # Everything but the outline's dash is the seat's own hollow marker.
    assert {k: v for k, v in standing.items() if k != "dashArray"} == plain
    # A class without a stand-in drawing is drawn as itself even when flagged.
    assert "dashArray" not in marker_style("waterway", "site", stand_in=True)


def test_map_features_carry_stand_in_with_its_style_and_popup():
    features = features_collection(catalogue_frame(), lang="en")["features"]
    standing = [f["properties"] for f in features if f["properties"]["stand_in"]]
    others = [f["properties"] for f in features if not f["properties"]["stand_in"]]
    assert standing and others
    for props in standing:
        assert props["style"]["dashArray"] == PRECISIONS[props["precision"]].stand_in_dash
        assert "stands for" in props["popup_html"]
    assert all("dashArray" not in p["style"] for p in others if p["precision"] == "seat")
    assert any(p["stand_in"] == "果园港" and p["layer"] == "waterway" for p in standing)


def test_in_map_legend_shows_the_stand_in_row_only_when_asked():
    shown = precision_legend_html(lang="zh", stand_in=True)
    hidden = precision_legend_html(lang="zh")
    assert STAND_IN_ZH in shown and _stand_in_rows(shown) == ['<div class="row plan-legend-stand-in">']
    assert _stand_in_rows(hidden) == ['<div class="row plan-legend-stand-in" hidden>']
    assert 'stroke-dasharray="3 3"' in precision_legend_html(lang="en", stand_in=True)
    assert STAND_IN_EN.replace("'", "&#x27;") in precision_legend_html(lang="en", stand_in=True)


def test_legend_entry_present_iff_a_stand_in_is_in_the_features():
    features = features_collection(catalogue_frame())["features"]
    with_port = [f for f in features if f["properties"]["stand_in"] == "果园港"]
    without = [f for f in features if not f["properties"]["stand_in"]]
    assert has_stand_in(with_port) and has_stand_in(features)
    assert not has_stand_in(without) and not has_stand_in([])
    assert has_stand_in([{"stand_in": "果园港"}]) and not has_stand_in([{"stand_in": ""}])


def test_print_legend_has_one_stand_in_row_drawn_as_the_map_draws_it():
    rows = [row for row in precision_legend("en") if row.get("stand_in")]
    assert [row["title"] for row in rows] == [STAND_IN_EN]
    assert rows[0]["marker"]["dashArray"] == PRECISIONS["seat"].stand_in_dash
    assert rows[0]["marker"]["fillColor"] == "#ffffff"
