"""The plan parser on the shipped article and on broken texts made in code."""

import pytest

from geo.errors import PlanError
from geo.plan import (
    PLAN_PATH,
    chinese_numeral,
    parse_plan,
    split_sentences,
    to_chinese_numeral,
)

CHAPTER_RANGES = {
    1: (1, 8),
    2: (9, 15),
    3: (16, 21),
    4: (22, 25),
    5: (26, 27),
    6: (28, 30),
    7: (31, 35),
    8: (36, 39),
    9: (40, 44),
    10: (45, 47),
}


def test_47_tasks_numbered_in_order(plan):
    assert [task.number for task in plan.tasks] == list(range(1, 48))


def test_10_chapters_with_their_task_ranges(plan):
    assert len(plan.chapters) == 10
    for chapter in plan.chapters:
        first, last = CHAPTER_RANGES[chapter.number]
        assert [t.number for t in chapter.tasks] == list(range(first, last + 1)), chapter.title
        assert all(t.chapter == chapter.number for t in chapter.tasks)
        assert chapter.task_numbers == range(first, last + 1)


@pytest.mark.parametrize(
    ("number", "title"),
    [
        (1, "推动重庆成都双核引领相向发展"),
        (9, "共同打造国际航空门户枢纽"),
        (10, "共建轨道上的双城经济圈"),
        (27, "共建巴蜀文化旅游走廊"),
        (47, "营造良好社会氛围"),
    ],
)
def test_titles(plan, number, title):
    assert plan.task(number).title == title


def test_title_is_sentence_zero(plan):
    for task in plan.tasks:
        assert task.sentences[0].rstrip("。;；") == task.title
        assert task.sentence_index(task.title) == 0


def test_sentences_reassemble_the_task_text(plan):
    for task in plan.tasks:
        assert "".join(task.sentences) == task.text.replace(" ", "") or "".join(task.sentences) == task.text


def test_portal_header_and_footer_are_not_in_the_plan(plan):
    source = PLAN_PATH.read_text(encoding="utf-8")
    assert "版权声明" in source or "山西大院" in source  # the portal's material is in the source …
    for word in ("版权声明", "山西大院"):
        assert word not in plan.text  # … but not in the plan
    assert plan.preamble.startswith("为全面贯彻党的十九大")
    assert plan.text.rstrip().endswith(plan.task(47).text)


def test_semicolon_splits_verb_groups(plan):
    task = plan.task(10)
    assert task.sentences[1].endswith(";")
    assert task.sentence_index("开工建设成渝中线") == 2
    assert task.sentence_index("研究论证南充至广安") == 6
    assert task.sentence_index("no such words") is None


def test_split_sentences():
    assert split_sentences("甲乙。丙;丁；戊") == ["甲乙。", "丙;", "丁；", "戊"]
    assert split_sentences("  ") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("四十七", 47), ("九十九", 99)],
)
def test_chinese_numeral(text, value):
    assert chinese_numeral(text) == value
    assert to_chinese_numeral(value) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "零",
        "一二",
        "二十三四",
        "abc",
        # chinese_numeral looks up the units digit without checking it (KeyError, not ValueError)
        "十十",
    ],
)
def test_chinese_numeral_rejects(text):
    with pytest.raises(ValueError):
        chinese_numeral(text)


def _article(
    tasks_per_chapter=(8, 7, 6, 4, 2, 3, 5, 4, 5, 3), *, skip=None, footer="版权声明:转载请注明来源。"
):
    lines = ["门户网站 首页 新闻", "为全面贯彻党的十九大精神,制定本方案。"]
    number = 1
    for chapter, count in enumerate(tasks_per_chapter, start=1):
        lines.append(f"{to_chinese_numeral(chapter)}、第{chapter}章")
        for _ in range(count):
            if number != skip:
                lines.append(f"({to_chinese_numeral(number)})任务{number}标题。任务{number}正文;第二句。")
            number += 1
    lines.append(footer)
    return "\n".join(lines)


def test_parse_made_article():
    plan = parse_plan(_article())
    assert len(plan.tasks) == 47
    assert plan.task(3).title == "任务3标题"
    assert plan.task(3).sentences == ("任务3标题。", "任务3正文;", "第二句。")
    assert "版权声明" not in plan.text and "门户网站" not in plan.text


def test_missing_task_is_a_plan_error():
    with pytest.raises(PlanError, match="task 6 found where task 5 was expected"):
        parse_plan(_article(skip=5))


def test_missing_preamble_is_a_plan_error():
    with pytest.raises(PlanError, match="preamble"):
        parse_plan(_article().replace("为全面贯彻党的十九大", "为贯彻"))


def test_too_few_tasks_is_a_plan_error():
    with pytest.raises(PlanError, match="47 tasks"):
        parse_plan(_article((8, 7, 6, 4, 2, 3, 5, 4, 5, 2)))


def test_chapter_out_of_order_is_a_plan_error():
    text = _article().replace("三、第3章", "四、第3章")
    with pytest.raises(PlanError, match="out of order"):
        parse_plan(text)


def test_english_titles_for_every_chapter_and_task(plan):
    from geo.plan import chapter_title, load_titles_en, task_title

    chapters, tasks = load_titles_en()
    assert set(chapters) == {c.number for c in plan.chapters}
    assert set(tasks) == {t.number for t in plan.tasks}
    for title in [*chapters.values(), *tasks.values()]:
        assert title.strip() == title and title[0].isupper() and len(title) < 100
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in title)
    assert task_title(10, "en") == "Jointly building a twin-city economic circle on rails"
    assert task_title(10) == plan.task(10).title
    assert chapter_title(2, "en") == "Jointly building a modern infrastructure network"
    assert chapter_title(2, "zh") == plan.chapter(2).title
