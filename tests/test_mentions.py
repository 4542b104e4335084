"""Place mentions per task, abbreviations and groupings as data, and tasks_for()."""

import pytest

from geo.errors import AmbiguousPlaceError, GeoError, UnknownPlaceError
from geo.gazetteer import Unit, load_gazetteer
from geo.groupings import expand, load_abbreviations, load_groupings, parse_abbreviations, parse_groupings
from geo.mentions import (
    HOWS,
    Matcher,
    Route,
    Term,
    all_mentions,
    load_matcher,
    load_rules,
    mentions_for_task,
    mentions_in_sentences,
    prefecture_of,
    tasks_for,
)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def names(units):
    return {unit.name for unit in units}


def task_mentions(number):
    return [m for m in all_mentions() if m.task == number]


def find(sentence):
    """Mentions in a made-up sentence, read with the shipped dictionary."""
    return [(m.text, m.how, names(m.units)) for m in mentions_in_sentences(0, [sentence], load_matcher())]


# -- the matcher on made-up terms ----------------------------------------------------------------


def _unit(adcode, name):
    return Unit(adcode, name, name[:-1], "county", None, "测试省", 0.0, 0.0, "")


A, B, C = _unit("000001", "甲乙区"), _unit("000002", "乙丙区"), _unit("000003", "丙丁戊区")


def _matcher():
    return Matcher(
        [
            Term("甲乙", (A,), "direct", "甲乙区"),
            Term("乙丙", (B,), "direct", "乙丙区"),
            Term("丙丁戊", (C,), "direct", "丙丁戊区"),
            Term("己甲", (), None, "己甲"),
        ]
    )


def test_matcher_longest_then_leftmost():
    matcher = _matcher()
    assert [(h.start, h.end, h.term.key) for h in matcher.find("甲乙丙丁戊")] == [
        (0, 2, "甲乙区"),
        (2, 5, "丙丁戊区"),
    ]
    assert [h.term.key for h in matcher.find("甲乙丙")] == ["甲乙区"]  # tie: the leftmost wins
    assert [h.term.key for h in matcher.find("乙丙丁戊")] == ["丙丁戊区"]  # the longer wins


def test_matcher_blocker_consumes_without_a_mention():
    matcher = _matcher()
    assert matcher.find("己甲乙") == []
    assert [h.term.key for h in matcher.find("己甲、甲乙")] == ["甲乙区"]


def test_matcher_spans_and_full_width_brackets():
    matcher = Matcher([Term("西部(甲)城", (A,), "site", "x")])
    text = "建设西部（甲）城。"
    [hit] = matcher.find(text)
    assert (hit.start, hit.end) == (2, 8)
    assert text[hit.start : hit.end] == "西部（甲）城"


def test_matcher_needs_terms():
    with pytest.raises(GeoError):
        Matcher([])


# -- made-up sentences with the shipped dictionary ----------------------------------------------


def test_single_characters_never_match_alone():
    assert find("成为建成渝快办川剧蓉城") == []


def test_verbs_ending_in_cheng_do_not_make_compounds():
    assert find("建成南充至成都的高速") == [
        ("南充", "direct", {"南充市"}),
        ("成都", "direct", {"成都市"}),
    ]


def test_compound_abbreviation():
    assert find("扩容改造渝遂高速") == [("渝遂", "abbreviation", {"重庆市", "遂宁市"})]
    [(text, how, units)] = find("成自泸赤高速")
    assert units == {"成都市", "自贡市", "泸州市", "赤水市"}


def test_railway_lines_are_not_districts():
    assert find("沿成渝北线、中线") == [("成渝", "abbreviation", {"成都市", "重庆市"})]
    assert find("开工建设成渝中线") == [("成渝", "abbreviation", {"成都市", "重庆市"})]


def test_da_zhu_county_versus_bamboo_sea_brand():
    assert find("打造大竹海品牌") == []
    assert find("开工建设大竹至垫江高速") == [("大竹", "direct", {"大竹县"}), ("垫江", "direct", {"垫江县"})]


def test_airport_names_its_district():
    assert find("推进重庆江北国际机场扩能改造") == [("重庆江北国际机场", "site", {"渝北区"})]


@pytest.mark.parametrize(
    "brand", ["天府通办", "天府英才", "天府龙芽", "天府菜油", "智游天府", "大峨眉", "大九寨"]
)
def test_brands_are_not_places(brand):
    assert find(f"推行“{brand}”") == []


def test_groupings_next_to_each_other():
    assert [text for text, _, _ in find("推动渝东北川东北地区一体化发展")] == ["渝东北", "川东北"]


def test_plan_area_is_not_a_mention():
    assert find("成渝地区双城经济圈") == []


# -- the shipped plan ---------------------------------------------------------------------------


def test_every_mention_is_a_slice_of_its_sentence(plan):
    mentions = all_mentions()
    assert len(mentions) > 300
    for m in mentions:
        assert plan.task(m.task).sentences[m.sentence][m.start : m.end] == m.text
        assert m.how in HOWS
        assert m.units
        assert len(m.text) >= 2


def test_mentions_for_task_equals_cached(plan):
    assert mentions_for_task(plan.task(7)) == task_mentions(7)


def test_suining_in_task_2_and_7(plan):
    sentence = plan.task(2).sentence_index("与绵阳、乐山、遂宁、雅安等城市协同")
    hits = [m for m in task_mentions(2) if m.sentence == sentence and m.text == "遂宁"]
    assert len(hits) == 1 and hits[0].how == "direct" and names(hits[0].units) == {"遂宁市"}
    assert any(m.text == "遂宁" for m in task_mentions(7))


def test_no_yubei_from_chengyu_north_line():
    assert not [m for m in task_mentions(3) if "渝北区" in names(m.units) and m.how != "grouping"]
    assert any(m.text == "成渝" and m.how == "abbreviation" for m in task_mentions(3))


def test_no_yuzhong_from_chengyu_middle_line(plan):
    sentence = plan.task(10).sentence_index("开工建设成渝中线")
    in_sentence = [m for m in task_mentions(10) if m.sentence == sentence]
    assert "渝中区" not in set().union(*(names(m.units) for m in in_sentence))


def test_jiangbei_airport_is_not_jiangbei_district():
    for m in all_mentions():
        if "江北" in m.text:
            assert "江北区" not in names(m.units), m
    [airport] = [m for m in task_mentions(9) if m.text == "重庆江北国际机场"]
    assert names(airport.units) == {"渝北区"}


def test_tianfu_tongban_is_no_place(plan):
    sentence = plan.task(34).sentence_index("天府通办")
    text = plan.task(34).sentences[sentence]
    start = text.index("天府通办")
    overlapping = [
        m for m in task_mentions(34) if m.sentence == sentence and m.start < start + 4 and m.end > start
    ]
    assert overlapping == []


def test_yusui_expressway_is_an_abbreviation():
    [m] = [m for m in task_mentions(11) if m.text == "渝遂"]
    assert m.how == "abbreviation"
    assert names(m.units) == {"重庆市", "遂宁市"}


def test_grouping_mention(gazetteer):
    [m] = [m for m in task_mentions(2) if m.text == "重庆中心城区"]
    assert m.how == "grouping"
    assert len(m.units) == 9
    assert all(unit.parent == "500000" and unit.level == "county" for unit in m.units)


@pytest.mark.parametrize(
    ("task", "false_friend"),
    [
        (4, "北川羌族自治县"),
        (31, "通川区"),
        (12, "嘉陵区"),
        (27, "大竹县"),
        (41, "西区"),
        (12, "朝天区"),
        (26, "朝天区"),
    ],
)
def test_false_friends(task, false_friend):
    assert false_friend not in set().union(*(names(m.units) for m in task_mentions(task)))


def test_outside_places_are_ends_of_corridors():
    got = {m.text: m.units[0] for m in task_mentions(10) if not m.units[0].in_region}
    assert {"兰州", "西宁", "林芝", "昆明", "长沙", "郑州", "西安", "毕节", "吉首"} <= set(got)
    assert got["兰州"].province == "甘肃省"


# -- tasks_for ----------------------------------------------------------------------------------


def test_tasks_for_suining(plan):
    hits = {hit.task: hit for hit in tasks_for("遂宁")}
    assert {2, 3, 7} <= set(hits)
    assert hits[2].how == "direct"
    assert hits[2].title == plan.task(2).title
    assert hits[11].how == "abbreviation"  # 渝遂
    for hit in hits.values():
        for sentence in hit.sentences:
            assert sentence.text == plan.task(hit.task).sentences[sentence.index]
            for start, end, how in sentence.spans:
                assert sentence.text[start:end]
                assert how in HOWS


def test_tasks_for_includes_counties_but_not_the_parent():
    dazhou = {hit.task: hit for hit in tasks_for("达州")}
    assert dazhou[7].how == "direct"  # task 7 names 达川, 大竹, 开江, 宣汉, 万源 but not 达州
    assert not any(m.text == "达州" for m in dazhou[7].mentions)
    gaoping = {hit.task for hit in tasks_for("高坪", inherited=False)}
    assert 9 in gaoping  # 南充高坪机场
    assert 4 in gaoping  # 南充临江新区 lies in 高坪区
    assert 6 not in gaoping  # task 6 names 南充市 only
    received = {hit.task: hit for hit in tasks_for("高坪") if hit.received}
    assert received[6].how == "prefecture" and received[6].via == "南充"


def test_tasks_for_grouping_strength():
    yibin = {hit.task: hit for hit in tasks_for("宜宾")}
    assert yibin[35].how == "grouping"  # 川南渝西融合发展试验区
    assert yibin[5].how == "direct"


def test_tasks_for_grouping_query_and_unit_object(gazetteer):
    central = {hit.task for hit in tasks_for("重庆中心城区")}
    assert {2, 7, 9} <= central  # 7: 渝北 (高竹新区); 9: the airport in 渝北
    suining = gazetteer.resolve("遂宁").unit
    assert [h.task for h in tasks_for(suining, gazetteer)] == [h.task for h in tasks_for("遂宁")]


def test_county_receives_prefecture_and_groupings():
    dazhu = {hit.task: hit for hit in tasks_for("大竹县")}
    assert {4, 35, 46} <= set(dazhu)
    for number in (4, 35, 46):
        assert dazhu[number].received
    assert dazhu[7].how == "direct" and not dazhu[7].received
    assert Route("grouping", "川东北") in dazhu[4].routes
    assert Route("prefecture", "达州") in dazhu[4].routes
    assert dazhu[35].via == "万达开"
    assert dazhu[6].routes == (Route("prefecture", "达州"),)
    assert dazhu[6].to_dict()["via"] == "达州" and dazhu[6].to_dict()["how"] == "prefecture"
    # every span of a received task is the prefecture or grouping the task came through
    for sentence in dazhu[6].sentences:
        assert {how for _, _, how in sentence.spans} == {"prefecture"}
        assert any(sentence.text[s:e] == "达州" for s, e, _ in sentence.spans)


def test_province_level_mentions_are_passed_down_to_no_unit(gazetteer):
    chengkou = {hit.task: hit for hit in tasks_for("城口")}
    assert all(route.via not in ("重庆", "四川") for hit in chengkou.values() for route in hit.routes)
    assert not any(r.how == "prefecture" for hit in chengkou.values() for r in hit.routes)
    assert any(r.how == "grouping" for hit in chengkou.values() for r in hit.routes)  # 渝东北 …
    assert prefecture_of(gazetteer.resolve("达州").unit, gazetteer) is None


def test_named_only_drops_received_routes():
    named = {hit.task: hit for hit in tasks_for("大竹县", inherited=False)}
    assert set(named) == {7, 11}
    assert all(r.how in ("direct", "site", "abbreviation") for hit in named.values() for r in hit.routes)
    # a Chongqing district's grouping membership is received, not named
    bishan_all = {hit.task: hit for hit in tasks_for("璧山")}
    bishan_named = {hit.task for hit in tasks_for("璧山", inherited=False)}
    grouping_only = [n for n, hit in bishan_all.items() if hit.how == "grouping"]
    assert grouping_only and not set(grouping_only) & bishan_named


def test_every_county_receives_its_prefectures_own_tasks(gazetteer):
    """For each county-level unit of Sichuan and Chongqing: every task naming its prefecture-level
    unit itself (not one of its other counties) reaches it, directly or received. A Chongqing
    district or county is its own prefecture-level unit; a Sichuan county has a prefecture."""
    mentions = all_mentions()
    counties = [u for u in gazetteer.units(level="county", region_only=True)]
    assert len(counties) == 183 + 38
    checked = 0
    for county in counties:
        prefecture = prefecture_of(county, gazetteer)
        if county.adcode.startswith("50"):
            assert prefecture is None, county.name
            prefecture = county
        assert prefecture is not None, county.name
        own = {m.task for m in mentions if prefecture.adcode in {u.adcode for u in m.units}}
        got = {hit.task for hit in tasks_for(county, gazetteer)}
        assert own <= got, (county.name, prefecture.name, sorted(own - got))
        checked += bool(own)
    assert checked > 200


def test_tasks_for_unknown_and_ambiguous():
    with pytest.raises(UnknownPlaceError):
        tasks_for("不存在的地方")
    with pytest.raises(AmbiguousPlaceError):
        tasks_for("市中")


# -- the data files -----------------------------------------------------------------------------


def test_compounds_are_used_by_the_plan_and_read_by_character(plan):
    abbreviations = load_abbreviations()
    for token, compound in abbreviations.compounds.items():
        assert token in plan.text, token
        for char, part in zip(token, compound.parts, strict=True):
            if part is not None:
                assert part in abbreviations.single[char], (token, char, part)


def test_every_abbreviation_and_grouping_resolves(gazetteer):
    abbreviations = load_abbreviations()
    for meanings in abbreviations.single.values():
        for meaning in meanings:
            gazetteer.resolve(meaning)
    for token in abbreviations.compounds:
        assert expand(token, gazetteer)
    for name in load_groupings():
        assert expand(name, gazetteer)


def test_groupings_are_used_by_the_plan(plan):
    groupings = load_groupings()
    referenced = {member for g in groupings.values() for member in g.members}
    for grouping in set(groupings.values()):
        assert grouping.source
        assert any(n in plan.text for n in grouping.names) or grouping.name in referenced, grouping.name


def test_chongqing_one_area_two_groups_cover_its_38_units(gazetteer):
    parts = [expand(n, gazetteer) for n in ("重庆中心城区", "重庆主城新区", "渝东北", "渝东南")]
    assert [len(p) for p in parts] == [9, 12, 11, 6]
    codes = [u.adcode for part in parts for u in part]
    assert sorted(codes) == sorted(u.adcode for u in gazetteer.children("500000"))
    assert len(expand("重庆主城都市区", gazetteer)) == 21


def test_sichuan_five_regions_cover_its_21_prefectures(gazetteer):
    parts = [expand(n, gazetteer) for n in ("成都平原经济区", "川南", "川东北", "攀西", "川西北")]
    codes = [u.adcode for part in parts for u in part]
    assert sorted(codes) == sorted(u.adcode for u in gazetteer.children("510000"))


def test_chongqing_metropolitan_area_includes_guangan(gazetteer):
    units = expand("重庆都市圈", gazetteer)
    assert len(units) == 22
    assert "广安市" in names(units)
    assert names(expand("成都都市圈", gazetteer)) == names(expand("成德眉资", gazetteer))


def test_expand_names_and_single_characters(gazetteer):
    assert names(expand("遂宁", gazetteer)) == {"遂宁市"}
    assert names(expand("蓉", gazetteer)) == {"成都市"}
    assert names(expand("贵州/赤水", gazetteer)) == {"赤水市"}
    with pytest.raises(AmbiguousPlaceError):
        expand("开", gazetteer)
    with pytest.raises(UnknownPlaceError):
        expand("不存在的地方", gazetteer)


def test_expand_detects_cycles_and_unknown_members(gazetteer):
    groupings = parse_groupings(
        {
            "groupings": {
                "甲组": {"members": ["乙组"], "source": "test"},
                "乙组": {"members": ["甲组"], "source": "test"},
                "丙组": {"members": ["遂宁", "没有这里"], "source": "test"},
            }
        }
    )
    with pytest.raises(GeoError, match="cycle"):
        expand("甲组", gazetteer, groupings=groupings)
    with pytest.raises(UnknownPlaceError, match="丙组"):
        expand("丙组", gazetteer, groupings=groupings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"compounds": {"成渝": {"parts": ["成都"]}}}, "one part per character"),
        ({"compounds": {"成": {"parts": ["成都"]}}}, "at least two"),
        ({"compounds": {"隆黄": {"parts": [None, None]}}}, "names no unit"),
        ({"single": {"成都": ["成都"]}}, "not one character"),
    ],
)
def test_parse_abbreviations_rejects(data, message):
    with pytest.raises(GeoError, match=message):
        parse_abbreviations(data)


def test_parse_groupings_rejects_duplicates_and_missing_sources():
    with pytest.raises(GeoError, match="twice"):
        parse_groupings(
            {
                "groupings": {
                    "甲": {"members": ["x"], "source": "s", "aliases": ["乙"]},
                    "乙": {"members": ["y"], "source": "s"},
                }
            }
        )
    with pytest.raises(GeoError, match="no source"):
        parse_groupings({"groupings": {"甲": {"members": ["x"]}}})


def test_rules_phrases_are_in_the_plan(plan):
    rules = load_rules()
    for phrase in [*rules["plan_area"], *rules["sites"], *rules["outside_places"]]:
        assert phrase in plan.text, phrase
