"""进展 Progress page: timeline with sources, read-only without the editor key, recording with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.progress import list_events, open_ledger
from tests.apptest import run_script
from tests.conftest import TEST_EDITOR_KEY

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "progress.py")


@pytest.fixture
def ledger_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    return url


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [df.value.to_csv() for df in at.dataframe] + [e.value for e in at.error]
    return "\n".join(parts)


def test_timeline_shows_events_with_their_sources(ledger_url):
    at = run_script(PAGE, item="air-dazhou")
    assert not at.exception, at.exception
    assert at.selectbox(key="progress_item").value == "air-dazhou"
    text = _text(at)
    assert "2022-05-19" in text and "建成投运" in text
    assert "society.people.com.cn" in text  # the source is shown beside the event
    assert "规划以来" in [h.value for h in at.header]
    assert at.metric[0].value == "5"  # the seed events of a new ledger


def test_without_the_key_the_page_is_read_only_and_says_so(ledger_url, monkeypatch):
    at = run_script(PAGE, item="air-leshan")
    assert "只读" in _text(at)
    assert not at.button and len(at.text_input) == 1  # only the key field: no form
    monkeypatch.delenv("PLANMAP_EDITOR_KEY")
    at = run_script(PAGE, item="air-leshan")
    assert "未配置编辑密钥" in _text(at) and not at.text_input


def test_a_wrong_key_records_nothing(ledger_url):
    at = run_script(PAGE, item="air-leshan")
    at.text_input(key="progress_key").input("not-the-key").run()
    assert "编辑密钥不正确" in _text(at)
    assert not at.button


def test_recording_an_event_with_the_key(ledger_url):
    at = run_script(PAGE, item="air-leshan")
    at.text_input(key="progress_key").input(TEST_EDITOR_KEY).run()
    form_inputs = [t for t in at.text_input if t.key != "progress_key"]
    day, source, note, author = form_inputs
    day.input("2022-08")
    source.input("乐山日报 2022-08-02 https://example.org/leshan")
    author.input("监测科")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("已记录事件" in s.value for s in at.success)
    events = [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]
    assert [(e.date_text, e.phase, e.author) for e in events] == [("2022-08", "前期研究", "监测科")]
    assert "乐山日报 2022-08-02" in _text(at)


def test_an_event_without_source_is_refused_in_one_line(ledger_url):
    at = run_script(PAGE, item="air-leshan")
    at.text_input(key="progress_key").input(TEST_EDITOR_KEY).run()
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "未记录:empty source: every event needs a URL or a document citation"
    ]
    assert not [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]


def test_unknown_item_in_the_link_warns_and_falls_back(ledger_url):
    at = run_script(PAGE, item="<b>nope</b>")
    assert not at.exception
    assert any("item=\\<b\\>nope\\<\\/b\\>" in w.value for w in at.warning)


def test_english_interface(ledger_url):
    at = run_script(PAGE, item="air-tianfu", lang="en")
    assert not at.exception, at.exception
    assert [h.value for h in at.header][:1] == ["Timeline of an item"]
    assert "Since the plan" in [h.value for h in at.header]
    assert "completed, in service" in _text(at)
    assert "Read-only: enter the editor key" in _text(at)


def test_editor_key_comes_from_the_secrets_file(tmp_path, monkeypatch):
    from geo.progress.settings import editor_key

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('PLANMAP_EDITOR_KEY = "from-the-file"\n', encoding="utf-8")
    monkeypatch.delenv("PLANMAP_EDITOR_KEY")
    assert editor_key(secrets) == "from-the-file"
    assert editor_key(tmp_path / "none.toml") is None
    secrets.write_text("not toml = = =", encoding="utf-8")
    assert editor_key(secrets) is None
