"""Items the plan names, read task by task, are each mapped or listed with a reason: nothing the
plan commits to silently drops out of the catalogue."""

import pytest

from geo.catalogue import load_catalogue, load_unlocated, load_unplaceable

# Named items of the plan that no designation word (…基地, …示范区) finds: a reading of the plan
# task by task, (task, name as written).
NAMED_ITEMS = (
    (17, "西部数据资源和数字资产交易平台"),
    (20, "西部种质资源中心库"),
    (20, "国家西部农业人工智能技术创新中心"),
    (20, "国家现代农业产业科技创新中心"),
    (27, "巴蜀文化旅游走廊"),
    (28, "川渝森林城市群"),
    (29, "长江、嘉陵江一级支流水环境治理试点示范"),
    (42, "文化艺术品和文物拍卖中心"),
    (42, "国际小球赛事中心"),
    (43, "公共卫生综合临床中心"),
    (44, "川渝应急科普主题馆"),
    (44, "紧急医学救援中心"),
)


def accounted_for(task: int, name: str) -> str | None:
    """Where the named item is: 'mapped', 'unlocated' or 'unplaceable' (None: nowhere)."""
    for entry in load_catalogue():
        if task in entry.tasks and (name in (entry.name, *entry.aliases) or name in entry.quote):
            return "mapped"
    for where, items in (("unlocated", load_unlocated()), ("unplaceable", load_unplaceable())):
        if any(item.task == task and item.name == name for item in items):
            return where
    return None


@pytest.mark.parametrize(("task", "name"), NAMED_ITEMS)
def test_a_named_item_is_mapped_or_listed_with_a_reason(plan, task, name):
    assert name in plan.task(task).text, f"{name} is not in task {task}"
    where = accounted_for(task, name)
    assert where, f"task {task}: {name} is neither mapped nor listed with a reason"
    if where != "mapped":
        items = load_unlocated() if where == "unlocated" else load_unplaceable()
        (item,) = [i for i in items if i.task == task and i.name == name]
        assert item.reason.strip() and item.reason_en.strip()
        assert item.quote in plan.task(task).text
        assert name in item.quote or item.quote in name


def test_an_item_dropped_from_the_lists_is_caught():
    assert accounted_for(44, "川渝应急科普主题馆") == "unlocated"
    assert accounted_for(44, "川渝应急科普主题馆(不存在)") is None
