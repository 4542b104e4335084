"""The zone, industry and science catalogues (chapters 一, 三 and 四): provenance and coverage.

Coverage is checked against the plan itself: every platform word (新区, 示范区, 基地, 中心, …) in
the covered tasks must fall inside some entry's quote, or be on the list of items deliberately
left out, each with its reason.
"""

import re

import pytest

from geo.catalogue import CATALOGUE_DIR, STATUSES, catalogue_problems, load_catalogue, read_catalogue_file

FILES = {
    "zone.yaml": ("zone", range(1, 9)),
    "industry.yaml": ("industry", (16, 17, 20, 21)),
    "science.yaml": ("science", range(22, 26)),
}
COVERED_TASKS = (*range(1, 9), 16, 17, 20, 21, *range(22, 26))

# A platform word; 中心 before 城/镇 is a city role (中心城区, 区域中心城市), 平台经济 an economy.
PLATFORM_WORD = re.compile(
    r"示范区|试验区|新区|先行区|示范带|产业带|产区|开发区|合作区|基地|软件园|产业园|科学城|科技城"
    r"|生物城|创新区|实验室|装置|中心(?![城镇])|平台(?!经济)|示范城市"
)

NO_PLACE = "the plan gives no place and none is known for certain"
GENERIC = "a generic class of platform, not a named item"
CITY_ROLE = "a function of the whole city, not a site"
# Items left out, by task: a fragment of the plan ending at the platform word, and why.
OMITTED: dict[int, dict[str, str]] = {
    1: {
        "国家重要先进制造业中心": CITY_ROLE,
        "西部金融中心": CITY_ROLE,
        "区域经济中心": CITY_ROLE,
        "科技中心": CITY_ROLE,
    },
    7: {"开发开放合作新平台": GENERIC},
    8: {"促进通道、平台": GENERIC},
    16: {
        "汽车产业研发生产制造基地": NO_PLACE,
        "国家原料药生产基地": NO_PLACE,
        "西部大健康产业基地": NO_PLACE,
    },
    17: {
        "西部数据资源和数字资产交易平台": NO_PLACE,
        "反向定制(C2M)产业基地": NO_PLACE,
        "数字化管理平台": GENERIC,
    },
    20: {
        "国家优质粮油保障基地": NO_PLACE,
        "国家优质商品猪战略保障基地": NO_PLACE,
        "全国优质道地中药材产业带": NO_PLACE,
        "川菜产业、茶产业、竹产业基地": NO_PLACE,
        "国家农业高新技术产业示范区": NO_PLACE,
        "西部种质资源中心": NO_PLACE,
        "国家西部农业人工智能技术创新中心": NO_PLACE,
        "国家现代农业产业科技创新中心": NO_PLACE,
        "农业资源资产等交易中心": NO_PLACE,
        "国际农产品加工产业园": NO_PLACE,
    },
    21: {
        "成都国际铁路港经济开发区等开发区": GENERIC,
        "国家新型工业化产业示范基地": GENERIC,
    },
    22: {"高能级创新平台": GENERIC, "国家创新体系的基础平台": GENERIC},
    23: {
        "协同创新示范区": "the aim of 西部科学城, drawn there",
        "国家自主创新示范区": GENERIC,
        "各类开发区、高新区、新区": GENERIC,
    },
    24: {
        "新型研究基地": GENERIC,
        "产业创新中心": GENERIC,
        "技术创新中心": GENERIC,
        "制造业创新中心": GENERIC,
        "工程研究中心": GENERIC,
        "等创新平台": GENERIC,
        "综合性检验检测平台": GENERIC,
        "科技创新合作区": NO_PLACE,
        "国际技术转移中心": NO_PLACE,
    },
    25: {"示范基地": GENERIC, "“双创”支撑平台": GENERIC},
}


@pytest.fixture(scope="module")
def entries():
    return {name: read_catalogue_file(CATALOGUE_DIR / name) for name in FILES}


def all_entries(entries):
    return [entry for file_entries in entries.values() for entry in file_entries]


def test_entries_have_no_schema_or_provenance_problems(entries, plan):
    assert catalogue_problems(all_entries(entries), plan) == []


def test_ids_are_unique_across_the_whole_catalogue():
    ids = [entry.id for entry in load_catalogue()]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("name", FILES)
def test_each_file_keeps_to_its_prefix_and_chapter(entries, name):
    prefix, tasks = FILES[name]
    assert entries[name], f"{name} is empty"
    for entry in entries[name]:
        assert entry.id.startswith(prefix + "-"), entry.id
        assert entry.tasks[0] in tasks, (entry.id, entry.tasks)
        assert entry.status in STATUSES


def test_quote_holds_the_verb_when_it_is_in_the_same_sentence(entries, plan):
    for entry in all_entries(entries):
        sentence = plan.task(entry.tasks[0]).sentences[entry.sentence]
        assert entry.quote in sentence
        if entry.verb and entry.verb in entry.quote:
            assert entry.verb in sentence


def test_later_tasks_of_an_entry_mention_it(entries, plan):
    for entry in all_entries(entries):
        for number in entry.tasks[1:]:
            text = plan.task(number).text
            assert entry.name in text or entry.quote in text, (entry.id, number)


def test_geometry_lists_are_well_formed(entries):
    for entry in all_entries(entries):
        for key in ("area", "seats", "via"):
            places = entry.geometry.get(key)
            if places is None:
                continue
            assert isinstance(places, list) and all(isinstance(p, str) and p for p in places), entry.id
            assert len(places) == len(set(places)), f"{entry.id}: a place repeats"
            if key in ("seats", "via"):
                assert len(places) >= 2, f"{entry.id}: {key} needs two places or more"


def test_plan_named_members_are_the_area(entries, plan):
    """Where the quote lists the member units (支持梁平、垫江…共建), the area is exactly them."""
    unit = r"(?:(?!等)[\u4e00-\u9fff]){2,3}"
    listed = re.compile(rf"^(?:支持|推动|推进)((?:{unit}、)+{unit})等?(?:共同|共|率先|建设|打造)")
    checked = 0
    for entry in all_entries(entries):
        match = listed.match(entry.quote)
        if not match or "area" not in entry.geometry:
            continue
        named = match.group(1).split("、")
        area = [place.removesuffix("市") for place in entry.geometry["area"]]
        if named == area:
            checked += 1
            continue
        # 川渝高竹新区 is built by 广安 but lies in 邻水县; its note says so.
        assert entry.note and set(area) - set(named) <= {"邻水"}, (entry.id, named, area)
        checked += 1
    assert checked >= 8


def _covered(sentence: str, end: int, spans: list[str]) -> bool:
    for span in spans:
        start = sentence.find(span)
        while start != -1:
            if start < end <= start + len(span):
                return True
            start = sentence.find(span, start + 1)
    return False


def test_every_platform_word_is_catalogued_or_deliberately_left_out(entries, plan):
    quotes: dict[tuple[int, int], list[str]] = {}
    for entry in load_catalogue():
        quotes.setdefault((entry.tasks[0], entry.sentence), []).append(entry.quote)
        for number in entry.tasks:  # the item named again anywhere in its tasks
            for index in range(len(plan.task(number).sentences)):
                quotes.setdefault((number, index), []).append(entry.name)
    missing = []
    for number in COVERED_TASKS:
        task = plan.task(number)
        omitted = list(OMITTED.get(number, {}))
        for index, sentence in enumerate(task.sentences):
            if index == 0:
                continue  # the title restates an item of its sentences
            for match in PLATFORM_WORD.finditer(sentence):
                spans = quotes.get((number, index), []) + omitted
                if not _covered(sentence, match.end(), spans):
                    missing.append(
                        f"task {number}.{index}: …{sentence[max(0, match.start() - 12) : match.end()]}"
                    )
    assert missing == []


def test_omitted_items_exist_in_the_plan_and_are_not_also_catalogued(plan):
    quotes_by_task: dict[int, list[str]] = {}
    for entry in load_catalogue():
        quotes_by_task.setdefault(entry.tasks[0], []).append(entry.quote)
    for number, items in OMITTED.items():
        text = plan.task(number).text
        for fragment in items:
            assert fragment in text, (number, fragment)
            assert not any(fragment in quote for quote in quotes_by_task.get(number, [])), (number, fragment)
