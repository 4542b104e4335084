"""进展 Progress page: timeline with sources, read-only without the editor key, recording with it;
wrong keys lock the form for a growing time; stored text is shown as text."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.progress import NewEvent, add_event, list_events, open_ledger
from geo.progress.keyguard import KeyGuard
from tests.apptest import page_script, record_buttons, run_script, scratch_ledger, shown_text
from tests.conftest import TEST_EDITOR_KEY
from tests.test_escaping import LIVE, NOT_URLS, STORED
from ui import editor_key
from ui.common import plain_text, source_markdown

PAGE = page_script("progress")
WRONG_KEY = "wrong-key-typed-by-a-guess"


@pytest.fixture
def ledger_url(tmp_path, monkeypatch):
    return scratch_ledger(tmp_path, monkeypatch)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    """A key guard of the test's own, on a clock the test moves: every test starts unlocked."""
    clock = Clock()
    monkeypatch.setattr(editor_key, "GUARD", KeyGuard(clock=clock))
    return clock


def _submit_key(at: AppTest, key: str) -> AppTest:
    at.text_input(key="progress_key").input(key)
    (unlock,) = [b for b in at.button if b.label in ("解锁编辑", "Unlock editing")]
    return unlock.click().run()


def test_timeline_shows_events_with_their_sources(ledger_url):
    at = run_script(PAGE, item="air-dazhou")
    assert not at.exception, at.exception
    assert at.selectbox(key="progress_item").value == "air-dazhou"
    text = shown_text(at)
    assert "2022-05-19" in text and "建成投运" in text
    assert "society.people.com.cn" in text  # the source is shown beside the event
    assert "规划以来" in [h.value for h in at.header]
    assert at.metric[0].value == "5"  # the seed events of a new ledger


def test_without_the_key_the_page_is_read_only_and_says_so(ledger_url, monkeypatch):
    at = run_script(PAGE, item="air-leshan")
    assert "只读" in shown_text(at)
    assert not record_buttons(at) and len(at.text_input) == 1  # only the key field: no form
    monkeypatch.delenv("PLANMAP_EDITOR_KEY")
    at = run_script(PAGE, item="air-leshan")
    assert "未配置编辑密钥" in shown_text(at) and not at.text_input


def test_a_wrong_key_records_nothing(ledger_url):
    at = _submit_key(run_script(PAGE, item="air-leshan"), WRONG_KEY)
    assert "编辑密钥不正确" in shown_text(at)
    assert not record_buttons(at)


def test_recording_an_event_with_the_key(ledger_url):
    at = _submit_key(run_script(PAGE, item="air-leshan"), TEST_EDITOR_KEY)
    day, source, note, author = at.text_input  # the key field is gone once the session is unlocked
    day.input("2022-08")
    source.input("乐山日报 2022-08-02 https://example.org/leshan")
    assert (day.max_chars, source.max_chars, note.max_chars, author.max_chars) == (10, 500, 2000, 80)
    author.input("  监测科 ")  # kept trimmed
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("已记录事件" in s.value for s in at.success)
    events = [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]
    assert [(e.date_text, e.phase, e.author) for e in events] == [("2022-08", "前期研究", "监测科")]
    assert "乐山日报 2022-08-02" in shown_text(at)


def test_a_ledger_that_cannot_be_written_says_so_without_its_path(ledger_url, tmp_path, monkeypatch):
    open_ledger(ledger_url)  # created and seeded, then opened read-only: reading works, a write fails
    monkeypatch.setenv("PLANMAP_DATABASE_URL", f"sqlite:///file:{tmp_path / 'page.sqlite'}?mode=ro&uri=true")
    at = _submit_key(run_script(PAGE, item="air-leshan"), TEST_EDITOR_KEY)
    day, source, _note, _author = at.text_input
    day.input("2022-08")
    source.input("乐山日报 2022-08-02")
    at.button[0].click().run()
    assert not at.exception, at.exception
    (message,) = [m.value for m in [*at.error, *at.warning] if "进展数据库无法使用" in m.value]
    assert "事件未记录" in message
    assert str(tmp_path) not in message
    assert not [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]


def test_an_event_without_source_is_refused_in_one_line(ledger_url):
    at = _submit_key(run_script(PAGE, item="air-leshan"), TEST_EDITOR_KEY)
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "未记录：empty source: every event needs a URL or a document citation"
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
    assert "completed, in service" in shown_text(at)
    assert "Read-only: enter the editor key" in shown_text(at)


def test_editor_key_comes_from_the_secrets_file(tmp_path, monkeypatch):
    from geo.progress.settings import editor_key

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('PLANMAP_EDITOR_KEY = "from-the-file"\n', encoding="utf-8")
    monkeypatch.delenv("PLANMAP_EDITOR_KEY")
    assert editor_key(secrets) == "from-the-file"
    assert editor_key(tmp_path / "none.toml") is None
    secrets.write_text("not toml = = =", encoding="utf-8")
    assert editor_key(secrets) is None


def test_a_configured_key_shorter_than_16_characters_leaves_the_page_read_only(ledger_url, monkeypatch):
    monkeypatch.setenv("PLANMAP_EDITOR_KEY", "short-key-15chr")
    at = run_script(PAGE, item="air-leshan")
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert "短于 16 个字符" in warning.value and "PLANMAP_EDITOR_KEY" in warning.value
    assert not at.text_input and not record_buttons(at)
    at = run_script(PAGE, item="air-leshan", lang="en")
    assert "shorter than 16 characters" in at.warning[0].value


def test_wrong_keys_lock_the_form_and_the_right_key_waits_too(ledger_url, clock, caplog):
    caplog.set_level(logging.WARNING, logger="planmap.editor_key")
    at = run_script(PAGE, item="air-leshan")
    for _ in range(2):
        at = _submit_key(at, WRONG_KEY)
        assert "编辑密钥不正确" in shown_text(at) and "次数过多" not in shown_text(at)
    at = _submit_key(at, WRONG_KEY)
    assert "编辑密钥错误次数过多,请 1 秒后再试" in shown_text(at)
    clock.now += 1
    at = _submit_key(at, WRONG_KEY)
    assert "请 2 秒后再试" in shown_text(at)

    at = _submit_key(at, TEST_EDITOR_KEY)  # refused while locked
    assert "请 2 秒后再试" in shown_text(at) and not record_buttons(at)
    other = run_script(PAGE, item="air-leshan")  # a new session from the same client
    assert "请 2 秒后再试" in shown_text(_submit_key(other, TEST_EDITOR_KEY))

    refused = [r for r in caplog.records if r.name == "planmap.editor_key"]
    assert len(refused) == 6 and all(r.levelno == logging.WARNING for r in refused)
    assert all("client local" in r.getMessage() for r in refused)
    assert "4 wrong in a row" in refused[3].getMessage()
    assert not [r for r in refused if WRONG_KEY in r.getMessage() or TEST_EDITOR_KEY in r.getMessage()]

    clock.now += 2
    at = _submit_key(at, TEST_EDITOR_KEY)
    assert record_buttons(at) and "次数过多" not in shown_text(at)


def test_a_locked_client_sees_the_lock_in_english_too(ledger_url):
    at = run_script(PAGE, item="air-leshan")
    for _ in range(3):
        at = _submit_key(at, WRONG_KEY)
    english = run_script(PAGE, item="air-leshan", lang="en")  # another session of the same client
    assert "Too many wrong keys: try again in 1 s" in shown_text(english)


def _hostile_events(url: str, item: str) -> None:
    ledger = open_ledger(url)
    notes = list(STORED.values())
    sources = [*NOT_URLS, *STORED.values(), "https://example.org/notice?id=1&lang=zh"]
    for n, source in enumerate(sources):
        note = notes[n % len(notes)]
        author = notes[(n + 1) % len(notes)][:80]
        add_event(ledger, NewEvent(item, f"2022-01-{n % 28 + 1:02d}", "前期研究", source, note, author))


def test_stored_notes_sources_and_authors_are_shown_as_text(ledger_url):
    _hostile_events(ledger_url, "air-guangan")
    at = run_script(PAGE, item="air-guangan")
    assert not at.exception, at.exception
    timeline = next(m.value for m in at.markdown if "前期研究" in m.value)
    for value in [*STORED.values(), *NOT_URLS]:
        assert plain_text(value) in timeline
    # The only link is the one plain web address, shown as itself.
    ours = source_markdown("https://example.org/notice?id=1&lang=zh")
    allowed = re.compile(r"</?(small|s)>")
    assert not LIVE.search(allowed.sub("", timeline.replace(ours, "")))
    assert timeline.count(ours) == 1
    table = at.dataframe[-1].value
    assert not [c for c in table.iloc[:, 3] if str(c)[:1] in "=+-@"]  # no formula in the CSV download


@pytest.mark.parametrize("typed", ["![](//t.cn)", "[x](javascript:alert(1)) <img src=x onerror=alert(2)>"])
def test_a_bad_date_is_echoed_as_text(ledger_url, typed):
    at = _submit_key(run_script(PAGE, item="air-leshan"), TEST_EDITOR_KEY)
    # The field takes 10 characters in a browser; a client of its own may send more.
    at.text_input[0].set_value(typed)
    at.text_input[1].input("新华社 2022-01-01")
    at.button[0].click().run()
    (error,) = at.error
    assert "bad date" in error.value and not LIVE.search(error.value), error.value


@pytest.mark.parametrize("author", ["监测科\x1b[2J", "监测科\u202e"])
def test_an_author_with_control_characters_is_refused_in_one_line(ledger_url, author):
    at = _submit_key(run_script(PAGE, item="air-leshan"), TEST_EDITOR_KEY)
    day, source, note, typed_author = at.text_input
    source.input("新华社 2022-01-01")
    typed_author.set_value(author)  # past the field's own limit, as a client of its own could send
    at.button[0].click().run()
    (error,) = at.error
    assert error.value.startswith("未记录：author ") and not LIVE.search(error.value), error.value
    assert all(ch.isprintable() for ch in error.value)
    assert not [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]


def test_the_author_field_holds_at_most_80_characters_whatever_a_client_sends(ledger_url):
    at = _submit_key(run_script(PAGE, item="air-leshan"), TEST_EDITOR_KEY)
    day, source, note, author = at.text_input
    source.input("新华社 2022-01-01")
    author.set_value("记" * 500)
    at.button[0].click().run()
    assert not at.error
    (event,) = [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]
    assert event.author == "记" * 80
