"""Sites, stand-ins and official areas keep their promise: a ``site`` lies within 2 km of the
shipped point that places the item itself, a seat drawn for a named place that is no unit says
so, and a published area travels with its source to the map, the details and the exports."""

import dataclasses
import json

import pytest
from shapely.geometry import Point

from geo.catalogue import Entry, entry_problems, load_catalogue
from geo.features import catalogue_frame, stand_in_note, stand_in_text
from geo.formats.fields import FIELD_TYPES
from geo.formats.metadata import FIELD_DESCRIPTIONS
from geo.formats.shp import shapefile_field
from geo.gazetteer import load_gazetteer
from geo.resolve import Resolver, load_sites, resolve_catalogue
from geo.rules import site_problems, site_reference, stand_in_problems
from layers.map_themes import map_features

XINGLONGHU = "OpenStreetMap node 6544756475"


@pytest.fixture(scope="module")
def features():
    return resolve_catalogue()


@pytest.fixture(scope="module")
def sites():
    return load_sites().reset_index()


@pytest.fixture(scope="module")
def frame():
    return catalogue_frame().set_index("id", drop=False)


def _entry(**fields):
    base = {
        "id": "test-item", "name": "测试", "layer": "science", "status": "推进", "tasks": (22,),
        "sentence": 1, "quote": "在四川天府新区布局建设电磁驱动聚变大科学装置",
        "geometry": {"site": "天府新区"}, "note": "n", "note_zh": "n", "site_ref": XINGLONGHU,
    }  # fmt: skip
    return Entry(**{**base, **fields})


def test_every_shipped_site_cites_a_shipped_point_within_2_km(features, sites):
    assert site_problems(features, sites) == []
    shipped = {site_reference(s) for s in sites["source"]}
    for feature in features:
        if feature.precision == "site":
            assert feature.entry.site_ref in shipped


def test_a_planted_site_5_km_off_its_cited_point_fails(sites):
    feature = Resolver().resolve(_entry())
    assert site_problems([feature], sites) == []
    moved = dataclasses.replace(feature, geometry=Point(feature.geometry.x + 0.052, feature.geometry.y))
    (problem,) = site_problems([moved], sites)
    assert problem.startswith("test-item: drawn 5.0 km from its cited site (OpenStreetMap node 6544756475)")


def test_a_site_citing_another_point_or_none_fails(sites):
    resolver = Resolver()
    # 高新 station places 成都高新区, 21 km from 兴隆湖: citing it for a 天府新区 site is caught.
    wrong = resolver.resolve(_entry(site_ref="OpenStreetMap node 8242891888"))
    assert "km from its cited site" in site_problems([wrong], sites)[0]
    unknown = resolver.resolve(_entry(site_ref="OpenStreetMap node 1"))
    assert "is no point of data/reference/sites.csv" in site_problems([unknown], sites)[0]
    uncited = resolver.resolve(_entry(site_ref=None))
    assert "cites no shipped point" in site_problems([uncited], sites)[0]


def test_items_whose_own_site_is_not_published_are_drawn_at_a_seat(frame):
    for ident in (
        "industry-tianfu-software-park",
        "industry-digital-service-export-base",
        "culture-shopping-jiaozi-park",
        "science-electromagnetic-fusion-facility",
        "science-chengdu-supercomputing-centre",
    ):
        row = frame.loc[ident]
        assert row["precision"] == "seat", ident
        assert "stands for" in row["note"] and row["stand_in_note"], ident


def test_every_seat_for_a_named_place_is_marked_as_a_stand_in(sites):
    entries = load_catalogue()
    gazetteer = load_gazetteer()
    assert stand_in_problems(entries, gazetteer, sites["name"]) == []
    port = next(e for e in entries if e.id == "waterway-guoyuan-port")
    assert port.stand_in == ("果园港",)
    unmarked = dataclasses.replace(port, stand_in=())
    assert stand_in_problems([unmarked], gazetteer, sites["name"]) == [
        "waterway-guoyuan-port: stand_in lists nothing but the seat stands for 果园港"
    ]
    unit_seat = dataclasses.replace(port, geometry={"seat": "江北"})
    assert "stands for no named place" in stand_in_problems([unit_seat], gazetteer, sites["name"])[0]


def test_stand_in_sentences_name_the_unit_and_the_place():
    assert stand_in_text("果园港") == "以江北区驻地代表果园港"
    assert stand_in_text(["万盛"], "en") == "the seat of 綦江区 stands for 万盛"
    assert stand_in_note([]) == ""


def test_the_map_feature_carries_the_stand_in_and_says_it(frame):
    subset = frame.loc[["waterway-guoyuan-port", "zone-liangjiang-new-area"]].reset_index(drop=True)
    zh = {k: json.loads(v) for k, v in map_features(subset, lang="zh").items()}
    en = {k: json.loads(v) for k, v in map_features(subset, lang="en").items()}
    port = zh["waterway-guoyuan-port"]["properties"]
    assert port["stand_in"] == "果园港" and "以江北区驻地代表果园港" in port["tooltip"]
    assert "the seat of 江北区 stands for 果园港" in en["waterway-guoyuan-port"]["properties"]["tooltip"]
    area = zh["zone-liangjiang-new-area"]["properties"]
    assert (
        area["stand_in"] == ""
        and "公布面积 1,200 km²" in area["tooltip"]
        and "国函〔2010〕36号" in area["tooltip"]
    )
    assert "official area 1,200 km²" in en["zone-liangjiang-new-area"]["properties"]["tooltip"]


def test_new_areas_with_a_published_size_carry_it_with_its_source(frame):
    expected = {
        "zone-liangjiang-new-area": 1200,
        "zone-tianfu-new-area": 1578,
        "zone-chengdu-eastern-new-area": 729,
        "zone-gaozhu-new-area": 262,
    }
    for ident, km2 in expected.items():
        row = frame.loc[ident]
        assert row["official_area_km2"] == km2 and row["official_area_source"].endswith(
            ("2010", "2014", "2020")
        )
        assert row["official_area_km2"] < row["area_km2"]
    with_area = frame[frame["official_area_km2"].notna()]
    assert (with_area["official_area_source"] != "").all()


def test_an_official_area_without_its_source_is_a_problem(plan):
    entry = next(e for e in load_catalogue() if e.id == "zone-gaozhu-new-area")
    bare = dataclasses.replace(entry, official_area_source=None)
    assert f"{entry.id}: official_area_km2 and official_area_source go together" in entry_problems(bare, plan)
    assert entry_problems(entry, plan) == []


def test_export_fields_for_areas_and_stand_ins_are_described_and_fit_a_shapefile():
    for column in ("official_area_km2", "official_area_source", "stand_in", "stand_in_note"):
        assert column in FIELD_TYPES and column in FIELD_DESCRIPTIONS
        assert len(shapefile_field(column)) <= 10 and shapefile_field(column).isascii()
