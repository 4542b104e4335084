"""The whole-catalogue rules of ``python -m geo check``: each passes on the shipped data and
reports a planted error."""

import dataclasses

import pytest

from geo.catalogue import Entry, load_catalogue, load_unlocated, load_unplaceable
from geo.errors import CatalogueError
from geo.resolve import PRECISIONS, Resolver, resolve_catalogue
from geo.rules import (
    missing_task_numbers,
    precision_problems,
    province_crossings,
    status_problems,
    uncovered_designations,
)


@pytest.fixture(scope="module")
def entries():
    return load_catalogue()


def _entry(**fields) -> Entry:
    base = dict(
        id="test-item", name="测试", layer="railway", status="推进", tasks=(10,), sentence=1,
        quote="成都至西宁", geometry={"via": ["重庆", "秀山"]},
    )  # fmt: skip
    return Entry(**{**base, **fields})


def _by_id(entries, ident):
    return next(e for e in entries if e.id == ident)


# -- coverage walk ---------------------------------------------------------------------------------
def test_every_designation_of_the_plan_is_accounted_for(plan, entries):
    assert uncovered_designations(plan, entries, load_unlocated(), load_unplaceable()) == []


def test_a_named_item_in_no_list_is_reported(plan, entries):
    unlocated = [u for u in load_unlocated() if u.name != "成品油输送管道"]
    problems = uncovered_designations(plan, entries, unlocated, load_unplaceable())
    assert len(problems) == 1 and "task 33" in problems[0] and "成品油输送管道" in problems[0]


def test_a_dropped_entry_is_reported(plan, entries):
    kept = [e for e in entries if e.id != "zone-chuan-yu-gaozhu-new-area" and e.name != "川渝高竹新区"]
    problems = uncovered_designations(plan, kept, load_unlocated(), load_unplaceable())
    assert any("川渝高竹新区" in p for p in problems)


def test_a_generic_designation_counts_once_listed_as_not_placeable(plan, entries):
    generic = [u for u in load_unplaceable() if u.name != "近零碳排放示范区"]
    problems = uncovered_designations(plan, entries, load_unlocated(), generic)
    assert len(problems) == 1 and "近零碳排放示范区" in problems[0]


def test_unplaceable_items_quote_the_plan_and_are_not_also_mapped_or_unlocated(plan, entries):
    items = load_unplaceable()
    assert len(items) >= 30
    names = {e.name for e in entries} | {u.name for u in load_unlocated()}
    for item in items:
        assert item.quote in plan.task(item.task).text, item.quote
        assert item.reason and item.reason_en
        assert item.name not in names, item.name


# -- task lists ------------------------------------------------------------------------------------
def test_every_task_naming_an_item_is_in_its_tasks(plan, entries):
    assert missing_task_numbers(plan, entries) == []


def test_a_missing_task_is_reported(plan, entries):
    tianfu = _by_id(entries, "air-tianfu")
    problems = missing_task_numbers(plan, [dataclasses.replace(tianfu, tasks=(9,))])
    assert problems == ["air-tianfu: 成都天府国际机场 is named in task(s) [11] but does not list them"]


def test_aliases_count_as_names(plan):
    entry = _entry(name="不在方案里的名字", aliases=("成都天府国际机场",), tasks=(9,))
    assert "[11]" in missing_task_numbers(plan, [entry])[0]


# -- province crossing -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def resolver():
    return Resolver()


def test_no_line_crosses_a_province_it_does_not_declare(resolver):
    assert province_crossings(resolve_catalogue()) == []


def test_a_straight_line_through_guizhou_is_reported(resolver):
    feature = resolver.resolve(
        _entry(geometry={"via": ["重庆", "秀山土家族苗族自治县"]}, provinces=("重庆",))
    )
    problems = province_crossings([feature])
    assert len(problems) == 1 and "through 贵州" in problems[0]


def test_a_line_from_sichuan_to_sichuan_through_chongqing_is_reported(resolver):
    feature = resolver.resolve(_entry(geometry={"via": ["泸州", "广安市"]}, provinces=("四川",)))
    problems = province_crossings([feature])
    assert len(problems) == 1 and "through 重庆" in problems[0]


@pytest.mark.parametrize(
    "note", [None, "the real route crosses 青海", "real route crosses 青海, 甘肃 and 陕西"]
)
def test_a_line_through_qinghai_fails_whatever_its_note_says(resolver, note):
    # The old drawing of 疆电入渝: 哈密 straight to 重庆 cuts 700 km through 青海.
    entry = _entry(
        geometry={"via": ["新疆/哈密", "重庆"]}, provinces=("新疆", "甘肃", "陕西", "四川", "重庆"), note=note
    )
    problems = province_crossings([resolver.resolve(entry)])
    assert any("through 青海" in p for p in problems), problems
    assert any("declares 陕西 but the line never enters it" in p for p in problems), problems


def test_declaring_the_crossed_province_is_what_passes(resolver):
    entry = _entry(geometry={"via": ["重庆", "秀山土家族苗族自治县"]}, provinces=("重庆", "贵州"))
    assert province_crossings([resolver.resolve(entry)]) == []


def test_a_province_without_a_polygon_is_reported(resolver):
    entry = _entry(geometry={"via": ["重庆", "万州区"]}, provinces=("重庆", "宁夏"))
    assert province_crossings([resolver.resolve(entry)]) == [
        "test-item: provinces 宁夏 have no polygon in the province rule"
    ]


def test_the_tolerance_is_at_most_two_km():
    from geo.provinces import PROVINCE_TOLERANCE_KM

    assert PROVINCE_TOLERANCE_KM <= 2.0


@pytest.mark.parametrize(
    ("ident", "inside", "outside"),
    [
        ("energy-xinjiang-chongqing-power", ("新疆", "甘肃", "陕西", "四川", "重庆"), ("青海",)),
        ("rail-qianjiang-wanzhou", ("重庆",), ("湖北", "贵州")),
        ("rail-guangan-zhongxian-qianjiang", ("四川", "重庆"), ("湖北",)),
    ],
)
def test_the_fixed_lines_keep_to_their_provinces(ident, inside, outside):
    from geo.provinces import km_by_province

    feature = next(f for f in resolve_catalogue() if f.entry.id == ident)
    km = km_by_province(feature.geometry)
    assert feature.entry.provinces == inside
    assert all(km.get(name, 0.0) > 10 for name in inside), km
    assert all(km.get(name, 0.0) == 0.0 for name in outside), km
    assert km.get(None, 0.0) == 0.0, km


# -- statuses --------------------------------------------------------------------------------------
def test_no_target_has_status_complete(entries):
    assert status_problems(entries) == []


def test_a_target_marked_complete_is_reported(entries):
    park = _by_id(entries, "zone-chengdu-park-city")
    assert park.verb == "建成" and park.status != "建成"
    problems = status_problems([dataclasses.replace(park, status="建成")])
    assert len(problems) == 1 and "zone-chengdu-park-city" in problems[0]


# -- precision classes -----------------------------------------------------------------------------
def test_every_precision_class_is_used_and_kept():
    features = resolve_catalogue()
    assert {f.precision for f in features} == set(PRECISIONS)
    assert precision_problems(features, PRECISIONS) == []


def test_a_site_without_a_note_is_reported(resolver):
    feature = resolver.resolve(_entry(geometry={"site": "天府新区"}, note=None))
    assert feature.precision == "site"
    assert precision_problems([feature], PRECISIONS) == ["test-item: a site needs a note and a cited source"]


def test_an_official_area_larger_than_the_drawn_units_is_reported(resolver):
    feature = resolver.resolve(_entry(geometry={"area": ["邻水"]}, official_area_km2=99999.0))
    assert "exceeds" in precision_problems([feature], PRECISIONS)[0]
    point = resolver.resolve(_entry(geometry={"seat": "邻水"}, official_area_km2=10.0))
    assert "only for items drawn as areas" in precision_problems([point], PRECISIONS)[0]


def test_an_unknown_precision_is_reported(resolver):
    feature = dataclasses.replace(resolver.resolve(_entry()), precision="guess")
    assert "unknown precision" in precision_problems([feature], PRECISIONS)[0]


def test_a_site_outside_its_unit_or_unknown_is_refused(resolver):
    with pytest.raises(CatalogueError, match="outside"):
        resolver.resolve(_entry(geometry={"site": "天府新区", "in": "万州"}, note="n"))
    with pytest.raises(CatalogueError, match="no known site"):
        resolver.resolve(_entry(geometry={"site": "无此地"}, note="n"))


def test_a_route_named_after_a_far_place_is_refused(resolver):
    with pytest.raises(CatalogueError, match="passes"):
        resolver.resolve(
            _entry(geometry={"route": "chengyu-chengdu-longchang", "from": "成都", "to": "万州"})
        )


def test_new_sites_lie_at_their_cores():
    features = {f.entry.id: f for f in resolve_catalogue()}
    tianfu = features["zone-inland-open-tianfu"]
    area = features["zone-tianfu-new-area"]
    assert tianfu.precision == "site" and area.geometry.contains(tianfu.geometry)
    route = (
        features["rail-chengyu-chengdu-longchang"] if "rail-chengyu-chengdu-longchang" in features else None
    )
    routes = [f for f in features.values() if f.precision == "route"]
    assert len([f for f in routes if f.entry.layer == "railway"]) == 1
    assert all("OpenStreetMap" in f.source for f in routes)
    assert route is None or route.precision == "route"


def test_readme_counts_per_precision_class_match_the_data():
    import re
    from collections import Counter
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    stated = {m[0]: int(m[1]) for m in re.findall(r"^\s*\| `(\w+)` \| (\d+) \|", readme, flags=re.M)}
    counts = Counter(f.precision for f in resolve_catalogue())
    assert stated == {p: counts[p] for p in PRECISIONS}
    assert f"{len(load_unlocated())} named items" in readme
    assert (
        f"{len(load_unplaceable())}\n  designations" in readme
        or f"{len(load_unplaceable())} designations" in readme
    )


def test_emei_miyi_is_the_new_line_and_says_why_it_is_schematic():
    # The plan's 扩能改造 is the new 峨眉–米易 double track (峨边, 越西, 冕宁), not the old 成昆 line
    # along 沙湾 and 乃托 that the OpenStreetMap section mixes in.
    feature = next(f for f in resolve_catalogue() if f.entry.id == "rail-chengkun-emei-miyi")
    via = feature.entry.geometry["via"]
    assert feature.precision == "schematic"
    assert via[0] == "峨眉山市" and via[-1] == "米易县"
    assert {"峨边彝族自治县", "越西县", "冕宁县"} <= set(via) and "沙湾区" not in via
    assert "金口河南" in feature.entry.note and "old 成昆 line" in feature.entry.note
    assert "chengkun-emei-miyi" not in set(Resolver().routes.index)
