"""Expressway upgrades on their real roads (Travel Mapping waypoints) and the line-km table."""

import dataclasses
import json
import re
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point

from geo.catalogue import load_catalogue
from geo.errors import CatalogueError
from geo.expressways import EXPRESSWAYS_PATH, distance_to_source_km, load_expressways, section
from geo.features import catalogue_frame
from geo.line_lengths import format_line_km, line_km_table
from geo.resolve import Resolver, resolve_catalogue

ROOT = Path(__file__).resolve().parents[1]
UPGRADES = {
    "hw-chengyu-upgrade", "hw-yusui-upgrade", "hw-yulu-upgrade", "hw-yulin-upgrade",
    "hw-nanguangyu-upgrade", "hw-yuxiang-upgrade", "hw-yuwu-upgrade", "hw-chengnan-upgrade",
    "hw-chengle-upgrade",
}  # fmt: skip


@pytest.fixture(scope="module")
def features():
    return {f.entry.id: f for f in resolve_catalogue()}


def test_the_reference_holds_the_g_numbered_expressways_as_published():
    collection = json.loads(EXPRESSWAYS_PATH.read_text(encoding="utf-8"))
    routes = {f["properties"]["route"] for f in collection["features"]}
    assert all(re.fullmatch(r"G\d+", r) for r in routes)
    assert {"G5", "G42", "G65", "G75", "G76", "G85", "G93", "G0512", "G8515"} <= routes
    # WGS 84 as published: every waypoint lies in the two provinces' box, none shifted.
    for line in load_expressways():
        assert all(97 < w.lon < 111 and 26 < w.lat < 34.5 for w in line["waypoints"])


def test_every_upgrade_of_an_existing_expressway_is_on_its_road(features):
    upgrades = {e.id for e in load_catalogue() if e.layer == "highway" and e.verb == "扩容改造"}
    on_road = {i for i in upgrades if "expressway" in features[i].entry.geometry}
    # 成自泸赤: the reference holds only its 泸州–赤水 stretch, so it stays schematic and says so.
    assert upgrades - on_road == {"hw-chengzilu-chi-upgrade"}
    assert "泸州–赤水" in features["hw-chengzilu-chi-upgrade"].entry.note
    assert on_road == UPGRADES
    for ident in on_road:
        feature = features[ident]
        routes = tuple(feature.entry.geometry["expressway"])
        assert feature.precision == "route" and "Travel Mapping" in feature.source
        assert distance_to_source_km(feature.geometry, routes) <= 1.0, ident
        assert len(feature.geometry.coords) >= 10, ident


def test_a_section_is_cut_between_interchanges_nearest_its_ends():
    line = next(x for x in load_expressways() if x["root"] == "chnsc.g42")
    chengdu, nanchong = (104.0657, 30.6595), (106.1107, 30.8373)
    cut = section(("G42",), [chengdu, nanchong])
    assert cut.waypoints[0].interchange and cut.waypoints[-1].interchange
    labels = [w.label for w in line["waypoints"]]
    first, last = labels.index(cut.waypoints[0].label), labels.index(cut.waypoints[-1].label)
    assert [w.label for w in cut.waypoints] == labels[min(first, last) : max(first, last) + 1][::-1]
    source = LineString([(w.lon, w.lat) for w in line["waypoints"]])
    assert all(source.distance(Point(c)) < 1e-9 for c in cut.line.coords)


def test_unknown_expressway_and_far_ends_are_refused():
    resolver = Resolver()
    entry = next(e for e in load_catalogue() if e.id == "hw-yusui-upgrade")
    unknown = {"expressway": ["G999"], "from": "重庆", "to": "遂宁"}
    with pytest.raises(CatalogueError, match="no expressway G999"):
        resolver.resolve(dataclasses.replace(entry, geometry=unknown))
    far = {"expressway": ["G93"], "from": "重庆", "to": "万州区"}  # G93 passes nowhere near 万州
    with pytest.raises(CatalogueError, match="passes"):
        resolver.resolve(dataclasses.replace(entry, geometry=far))


def test_highway_straight_share_falls_and_the_readme_table_is_current():
    table = line_km_table(catalogue_frame())
    assert table.loc["highway", "route"] > 1500
    assert table.loc["highway", "straight_share"] < 0.7
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = "\n".join(line.strip() for line in readme.splitlines())
    assert format_line_km(table) in shown


def test_the_credit_is_on_the_map_and_in_exports():
    from geo.export import OSM_LICENCE
    from layers.legends import precision_legend_html

    assert "Travel Mapping (travelmapping.net)" in precision_legend_html()
    assert "Travel Mapping (travelmapping.net)" in OSM_LICENCE
