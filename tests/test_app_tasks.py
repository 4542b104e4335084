"""任务 Task browser page: deep links, highlighted text, feature table."""

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.features import catalogue_frame
from geo.plan import load_plan
from layers.summaries import task_feature_counts
from tests.apptest import run_script

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "tasks.py")


def _run(**params) -> AppTest:
    return run_script(PAGE, **params)


def _html(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def _table(at: AppTest):
    assert len(at.dataframe) == 1
    return at.dataframe[0].value


@pytest.fixture(scope="module")
def task10() -> AppTest:
    return _run(task="10")


def test_default_is_task_one_with_chapter_and_task_selectors():
    at = _run()
    assert not at.exception, at.exception
    assert not at.warning
    assert at.selectbox(key="tasks_chapter").value == 1
    assert at.selectbox(key="tasks_task").value == 1
    assert "(一)" in at.subheader[0].value


def test_task_10_shows_its_railway_features(task10):
    assert not task10.exception, task10.exception
    assert task10.selectbox(key="tasks_task").value == 10
    assert task10.selectbox(key="tasks_chapter").value == 2
    table = _table(task10)
    names = set(table.iloc[:, 0])
    assert any("成渝中线" in name for name in names)
    expected = catalogue_frame()
    expected = expected[expected["tasks"].apply(lambda tasks: 10 in tasks)]
    assert len(table) == len(expected)
    assert set(table.iloc[:, 1]) >= {"铁路"}


def test_task_text_is_whole_escaped_and_marked(task10):
    page = _html(task10)
    assert '<mark class="hl-place' in page
    body = re.search(r'<div class="plan-text">(.*?)</div>', page, re.S).group(1)
    # Without the markup, what remains is exactly the task's escaped text: nothing lost, nothing raw.
    assert re.sub(r"</?mark[^>]*>", "", body) == html.escape(load_plan().task(10).text, quote=True)
    # The pieces marked with a feature's name spell that feature's quote, in order.
    gdf = catalogue_frame()
    feature = gdf[(gdf["task"] == 10) & gdf["quote"].str.contains("成渝中线")].iloc[0]
    pieces = re.findall(r'<mark class="hl-feature[^"]*" title="([^"]*)">([^<]*)</mark>', body)
    marked = "".join(text for title, text in pieces if html.escape(feature["name"]) in title.split(" · "))
    assert marked == feature["quote"]


def test_task_links_to_its_places_and_to_the_map(task10):
    page = _html(task10)
    assert 'href="/city?place=510900&amp;level=county"' not in page  # 遂宁 is a prefecture
    assert 'href="/city?place=510900"' in page
    assert 'href="/map?task=10"' in page
    links = task10.dataframe[0].value.iloc[:, -1]
    assert all(link.startswith("/map?task=10&feature=") for link in links)


@pytest.mark.parametrize("value", ["99", "abc", "0", "-3"])
def test_bad_task_warns_and_falls_back_to_task_one(value):
    at = _run(task=value)
    assert not at.exception, at.exception
    assert len(at.warning) == 1
    assert f"task={value}" in at.warning[0].value
    assert at.selectbox(key="tasks_task").value == 1


def test_chapter_link_lists_the_chapters_tasks():
    at = _run(chapter="2")
    assert not at.exception, at.exception
    assert at.selectbox(key="tasks_chapter").value == 2
    assert at.selectbox(key="tasks_task").value is None
    chapter = load_plan().chapter(2)
    labels = [b.label for b in at.button]
    assert len(labels) == len(chapter.tasks)
    assert all(label.startswith(task.label) for label, task in zip(labels, chapter.tasks, strict=True))


def test_task_without_features_says_so_and_draws_no_table():
    counts = task_feature_counts(catalogue_frame(), range(1, 48))
    empty = next(number for number, count in counts.items() if count == 0)
    at = _run(task=str(empty))
    assert not at.exception, at.exception
    assert len(at.info) == 1
    assert not at.dataframe


def test_chapter_view_maps_the_chapters_features():
    at = _run(chapter="2")
    assert not at.exception
    assert not at.info  # chapter 2 (infrastructure) has features, so a map rather than a message


def test_bad_chapter_warns_and_lists_chapter_one():
    at = _run(chapter="abc")
    assert not at.exception, at.exception
    assert len(at.warning) == 1 and "chapter=abc" in at.warning[0].value
    assert at.selectbox(key="tasks_chapter").value == 1
    assert len(at.button) == len(load_plan().chapter(1).tasks)


def test_task_may_be_given_as_the_plans_numeral():
    at = _run(task="十")
    assert not at.exception and not at.warning
    assert at.selectbox(key="tasks_task").value == 10


def test_opening_a_task_from_the_chapter_list_and_moving_next():
    at = _run(chapter="2")
    at.button(key="open_task_10").click().run()
    assert not at.exception
    assert at.query_params["task"] == "10"
    assert at.selectbox(key="tasks_task").value == 10
    at.button(key="task_next").click().run()
    assert at.selectbox(key="tasks_task").value == 11
    at.button(key="task_previous").click().run()
    assert at.selectbox(key="tasks_task").value == 10


def test_selecting_a_task_updates_the_link():
    at = _run(task="10")
    at.selectbox(key="tasks_task").select(12).run()
    assert not at.exception
    assert at.query_params["task"] == "12"
    assert "(十二)" in at.subheader[0].value


def test_english_interface_keeps_the_plan_text_chinese(task10):
    at = _run(task="10", lang="en")
    assert not at.exception
    table = _table(at)
    assert list(table.columns)[:4] == ["Name", "Layer", "Status", "Precision"]
    assert any("Chengdu" in name for name in table["Name"])
    assert "共建轨道上的双城经济圈" in _html(at)


def test_english_interface_has_english_titles_and_item_names_beside_the_quotes():
    at = _run(task="10", lang="en")
    assert not at.exception
    assert at.subheader[0].value == "(十) Jointly building a twin-city economic circle on rails"
    captions = " ".join(c.value for c in at.caption)
    assert "共建轨道上的双城经济圈" in captions  # the plan's own title stays visible
    assert "Chapter 2 · Jointly building a modern infrastructure network" in captions
    page = _html(at)
    assert '<span class="hl-note">[Chengdu–Dazhou–Wanzhou high-speed railway]</span>' in page
    assert "not progress since" in captions


def test_chinese_interface_has_the_plans_titles_and_the_status_note(task10):
    assert task10.subheader[0].value == "(十) 共建轨道上的双城经济圈"
    assert '<span class="hl-note">' not in _html(task10)
    assert any("不是此后的实际进展" in c.value for c in task10.caption)


def test_feature_link_opens_its_details_beside_the_task_map():
    from geo.features import catalogue_frame

    row = catalogue_frame().query("task == 10 and layer == 'railway'").iloc[0]
    at = run_script(PAGE, task="10", feature=row["id"])
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert f"#### {row['name']}" in text and '<mark class="hl-feature"' in text
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert f'"selected":"{row["id"]}"' in args["feature_group"]


def test_feature_of_another_task_warns():
    at = run_script(PAGE, task="10", feature="no-such-feature")
    assert not at.exception, at.exception
    assert any("feature=no-such-feature" in w.value for w in at.warning)
