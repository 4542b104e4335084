"""A line's kilometres are called what they are: the length of a real alignment or river section,
the straight-line distance of a schematic line — on the map's details and table and in exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geo.export import write_export
from geo.export_selection import catalogue_bundle
from geo.features import catalogue_frame
from geo.formats.measures import length_wording
from tests.apptest import run_script

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "map.py")
SCHEMATIC = "rail-sichuan-tibet-yaan-nyingchi"  # straight legs 雅安 → 林芝, ≈ 844 km
ROUTE = "rail-chengyu-chengdu-longchang"  # an OpenStreetMap alignment, ≈ 252 km
RIVER = "corridor-yangtze-golden-waterway"  # a river section, ≈ 784 km


def test_wording_says_straight_line_distance_for_schematic_lines_only():
    assert length_wording(843.8, "schematic") == ("直线距离约 844 km", "straight-line distance ≈ 844 km")
    assert length_wording(493.9, "route") == ("长度 494 km", "length 494 km")
    assert length_wording(1685.1, "river") == ("长度 1,685 km", "length 1,685 km")
    assert length_wording(12.0, "seat")[0].startswith("直线距离")  # any other class is no alignment


def _details_captions(feature: str, lang: str = "zh") -> str:
    at = run_script(PAGE, feature=feature, lang=lang)
    assert not at.exception, at.exception
    return "\n".join(c.value for c in at.caption)


def test_details_of_a_schematic_line_give_its_straight_line_distance_not_a_length():
    zh = _details_captions(SCHEMATIC)
    assert "直线距离约 844 km" in zh and "长度" not in zh
    en = _details_captions(SCHEMATIC, "en")
    assert "straight-line distance ≈ 844 km" in en and "length" not in en.lower()


@pytest.mark.parametrize(
    ("feature", "zh", "en"),
    [(ROUTE, "长度 252 km", "length 252 km"), (RIVER, "长度 784 km", "length 784 km")],
)
def test_details_of_a_real_alignment_give_its_length(feature, zh, en):
    captions = _details_captions(feature)
    assert zh in captions and "直线距离" not in captions and "长度约" not in captions
    assert en in _details_captions(feature, "en")


def test_the_map_table_words_each_line_as_the_details_do():
    at = run_script(PAGE, layers="railway")
    assert not at.exception, at.exception
    table = at.dataframe[0].value.set_index("名称")
    measures = table["长度/面积"]
    names = catalogue_frame().set_index("id")["name"]
    assert measures[names[SCHEMATIC]] == "直线距离约 844 km"
    assert measures[names[ROUTE]] == "长度 252 km"
    assert not measures.str.contains("长度约").any()


def test_the_export_holds_the_panel_figure_as_straight_km_and_says_what_it_is(tmp_path):
    path = write_export(catalogue_bundle(layers=("railway",)), tmp_path / "rail.gpkg", fmt="gpkg")[0]
    lines = pyogrio.read_dataframe(path, layer="railway_lines").set_index("id")
    assert pd.isna(lines.at[SCHEMATIC, "length_km"]) and round(lines.at[SCHEMATIC, "straight_km"]) == 844
    assert round(lines.at[ROUTE, "length_km"]) == 252 and pd.isna(lines.at[ROUTE, "straight_km"])
    about = dict(pyogrio.read_dataframe(path, layer="about")[["key", "value"]].to_numpy())
    assert (
        about["fields.straight_km"].startswith("straight-line distance")
        and "直线距离" in about["fields.straight_km"]
    )
    assert "real alignment" in about["fields.length_km"]
