"""地图 page coloured by warnings: ``/map?colour=warnings&as_of=…`` colours red exactly the items
the ledger's warning rules flag on that day, names the rules in the tooltips and counts each class."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.features import catalogue_frame
from geo.progress import NewEvent, add_event, list_events, open_ledger
from geo.progress.warnings import evaluate, load_rules
from layers.progress_warnings import CLEAR_COLOUR, WARNED_COLOUR
from tests.apptest import page_script, run_script, scratch_ledger

PAGE = page_script("map")
ROOT = Path(__file__).resolve().parents[1]
DAY = "2024-06-30"


@pytest.fixture()
def ledger(tmp_path, monkeypatch) -> str:
    """The seed events and one more: 广安机场 started in 2022-03, its source without a web address
    (so on DAY it is both stale and unlinked)."""
    url = scratch_ledger(tmp_path, monkeypatch)
    add_event(open_ledger(url), NewEvent("air-guangan", "2022-03", "开工", "广安日报"))
    return url


def _expected(url: str, day: str) -> dict[str, set[str]]:
    """Item id → the rules the library says hold for it on ``day``."""
    frame = catalogue_frame()
    items = dict(zip(frame["id"], frame["status"], strict=True))
    found = evaluate(load_rules(), items, list_events(open_ledger(url)), date.fromisoformat(day))
    expected: dict[str, set[str]] = {}
    for warning in found:
        expected.setdefault(warning.item_id, set()).add(warning.rule)
    return expected


def _drawn_features(at: AppTest) -> list[dict]:
    """The features of the static file the map's view draws."""
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    (url,) = re.findall(r'"url":"(/app/static/generated/[^"]+)"', args["feature_group"])
    return json.loads((ROOT / url.removeprefix("/app/")).read_text(encoding="utf-8"))["features"]


def _legend(at: AppTest) -> str:
    (key,) = [m.value for m in at.markdown if "plan-warning-legend" in m.value]
    return key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_red_items_are_the_ones_the_rules_flag_on_the_day(ledger, lang):
    at = run_script(PAGE, colour="warnings", as_of=DAY, lang=lang)
    assert not at.exception, at.exception
    assert not at.warning and not at.error
    expected = _expected(ledger, DAY)
    assert {"stale", "source-without-link"} <= expected["air-guangan"]  # the case the test sets up
    features = _drawn_features(at)
    colours = {f["properties"]["id"]: f["properties"]["style"]["color"] for f in features}
    assert {i for i, c in colours.items() if c == WARNED_COLOUR} == set(expected)
    assert {i for i, c in colours.items() if c != WARNED_COLOUR} == set(colours) - set(expected)
    assert set(colours.values()) == {WARNED_COLOUR, CLEAR_COLOUR}
    tooltips = {f["properties"]["id"]: f["properties"]["tooltip"] for f in features}
    for item_id, rules in expected.items():
        assert all(rule in tooltips[item_id] for rule in rules), tooltips[item_id]
    reason = "no web address" if lang == "en" else "来源没有网址"
    assert reason in tooltips["air-guangan"]
    counted = (
        (f"at least one warning ({len(expected)})", f"no warning ({len(colours) - len(expected)})")
        if lang == "en"
        else (f"有预警({len(expected)})", f"无预警({len(colours) - len(expected)})")
    )
    assert all(part in _legend(at) for part in counted), _legend(at)
    assert at.radio(key="map_colour").value == "warnings"
    assert at.query_params["colour"] == "warnings" and at.query_params["as_of"] == DAY


def test_the_colours_follow_the_day(ledger):
    before = run_script(PAGE, colour="warnings", as_of="2022-01-01")
    red = {f["properties"]["id"] for f in _drawn_features(before) if f["properties"]["warnings"]}
    assert red == set(_expected(ledger, "2022-01-01"))
    assert "air-guangan" not in red  # its event comes later


def test_a_bad_colour_is_one_warning_and_the_layer_colours(ledger):
    at = run_script(PAGE, colour="alarms", as_of=DAY)
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert "colour=alarms" in warning.value and "\n" not in warning.value.strip()
    assert at.radio(key="map_colour").value == "layer"
    assert not [m for m in at.markdown if "plan-warning-legend" in m.value]


def test_a_broken_ledger_is_its_one_line_and_the_map_still_draws(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'a-file' / 'ledger.sqlite'}")
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    at = run_script(PAGE, colour="warnings", as_of=DAY)
    assert not at.exception, at.exception
    messages = [m.value for m in [*at.error, *at.warning] if "PLANMAP_DATABASE_URL" in m.value]
    assert len(messages) == 1
    assert len(at.get("component_instance")) == 1
    assert all(not f["properties"].get("warnings") for f in _drawn_features(at))
