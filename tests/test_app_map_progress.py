"""地图 page and the progress ledger: the "as of" day in the link colours the map and fills the details."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.progress import NewEvent, add_event, open_ledger
from geo.progress.phases import phases_by_id
from tests.apptest import run_script
from tests.test_escaping import LIVE, NOT_URLS, STORED
from ui.common import plain_text

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "map.py")
COMPLETED = phases_by_id()["建成投运"].colour


@pytest.fixture(autouse=True)
def seeded_ledger(tmp_path, monkeypatch):
    """A new ledger: the shipped seed events only (达州金垭机场 opened 2022-05-19)."""
    monkeypatch.setenv("PLANMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'map.sqlite'}")


def _details(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _drawn(at: AppTest) -> str:
    """What the map draws: its arguments and the static features file its view names."""
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    text = json.dumps(args, ensure_ascii=False)
    root = Path(__file__).resolve().parents[1]
    for url in re.findall(r'"url":"(/app/static/generated/[^"]+)"', args["feature_group"]):
        text += (root / url.removeprefix("/app/")).read_text(encoding="utf-8")
    return text


def test_details_show_the_latest_event_with_its_source_on_the_day():
    at = run_script(PAGE, feature="air-dazhou", as_of="2022-05-19")
    assert not at.exception, at.exception
    text = _details(at)
    assert "截至 2022-05-19 的进展:** 建成投运 · 2022-05-19" in text
    assert "society.people.com.cn" in text
    assert at.date_input(key="map_as_of").value.isoformat() == "2022-05-19"


def test_the_day_before_shows_the_plans_status():
    at = run_script(PAGE, feature="air-dazhou", as_of="2022-05-18")
    text = _details(at)
    assert "截至 2022-05-18 的进展:** 无记录,按规划为 迁建" in text
    assert "society.people.com.cn" not in text


def test_colouring_by_phase_follows_the_day():
    now = _drawn(run_script(PAGE, colour="phase", layers="aviation"))
    before = _drawn(run_script(PAGE, colour="phase", layers="aviation", as_of="2021-01-01"))
    assert COMPLETED in now and "建成投运 · 2022-05-19" in now
    assert COMPLETED not in before and "无进展记录(规划:迁建)" in before


@pytest.mark.parametrize("value", ["2099-01-01", "yesterday", "2024-02-30"])
def test_a_bad_day_in_the_link_warns_and_uses_today(value):
    at = run_script(PAGE, as_of=value)
    assert not at.exception, at.exception
    assert any(f"as_of={value}" in w.value for w in at.warning)
    assert "as_of" not in at.query_params


def _progress_line(at: AppTest) -> str:
    (line,) = [m.value for m in at.markdown if "的进展:**" in m.value]
    return line


@pytest.mark.parametrize("source", [*STORED.values(), *NOT_URLS])
def test_the_latest_events_source_is_shown_as_text_in_the_details(tmp_path, monkeypatch, source):
    url = f"sqlite:///{tmp_path / 'hostile.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    add_event(
        open_ledger(url), NewEvent("air-guangan", "2022-03", "开工", source, STORED["image"], STORED["link"])
    )
    line = _progress_line(run_script(PAGE, feature="air-guangan", as_of="2022-03-01"))
    assert "开工 · 2022-03" in line and plain_text(source) in line
    assert not LIVE.search(re.sub(r"</?small>", "", line)), line


def test_a_plain_web_address_as_source_is_a_link_showing_the_address(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'link.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    add_event(open_ledger(url), NewEvent("air-guangan", "2022-03", "开工", "https://example.org/a?b=1"))
    line = _progress_line(run_script(PAGE, feature="air-guangan"))
    assert line.endswith("[https:\u200b\\/\\/example.org\\/a?b\\=1](<https://example.org/a?b=1>)</small>"), (
        line
    )
