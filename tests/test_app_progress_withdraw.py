"""进展 Progress page: an admin signed in through the proxy withdraws an event with a reason; the
timeline strikes it through and says who withdrew it and why; an editor, a visitor and the holder
of the editor key see no withdraw control."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.progress import NewEvent, add_event, latest_as_of, list_events, open_ledger
from geo.progress.editors import add_editor
from tests.apptest import page_script, run_as
from tests.conftest import TEST_EDITOR_KEY
from ui.common import plain_text

PAGE = page_script("progress")
ADMIN = "chief_<b>@bureau.example"  # markup in a name is shown as text
EDITOR = "王工"
REASON = "乐山机场的消息是 *传闻*,不是开工"


@pytest.fixture
def ledger_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    ledger = open_ledger(url)
    add_editor(ledger, ADMIN, admin=True)
    add_editor(ledger, EDITOR)
    add_event(ledger, NewEvent("air-leshan", "2022-08", "开工", "乐山日报 2022-08-02", author=EDITOR))
    return url


def _run(user: str | None, lang: str | None = None) -> AppTest:
    return run_as(PAGE, user, item="air-leshan", **({"lang": lang} if lang else {}))


def _withdraw_buttons(at: AppTest) -> list:
    return [b for b in at.button if "撤回" in b.label or "Withdraw" in b.label]


def test_an_admin_withdraws_an_event_and_the_timeline_says_who_and_why(ledger_url, proxy_header):
    at = _run(ADMIN)
    assert not at.exception, at.exception
    (button,) = _withdraw_buttons(at)
    assert plain_text(ADMIN) in button.label
    (event,) = list_events(open_ledger(ledger_url), "air-leshan")
    (choice,) = [s for s in at.selectbox if s.label == "要撤回的事件"]
    assert choice.options == [f"#{event.id} · 2022-08 · 开工 · 乐山日报 2022-08-02"]

    button.click().run()  # no reason: refused, nothing written
    assert not at.exception, at.exception
    assert any("未撤回" in e.value and "needs a reason" in e.value for e in at.error)
    assert list_events(open_ledger(ledger_url), "air-leshan")[0].withdrawal is None

    (reason,) = [t for t in at.text_area if t.label == "理由(必填)"]
    reason.input(REASON)
    _withdraw_buttons(at)[0].click().run()
    assert not at.exception, at.exception
    assert any(f"已撤回事件 #{event.id}" in s.value for s in at.success)
    (stored,) = list_events(open_ledger(ledger_url), "air-leshan")
    assert (stored.withdrawal.by, stored.withdrawal.reason) == (ADMIN, REASON)
    assert "air-leshan" not in latest_as_of([stored], stored.withdrawal.day)

    timeline = next(m.value for m in at.markdown if f"#{event.id}" in m.value)
    assert timeline.startswith("<s>") and "</s>" in timeline
    assert f"**已撤回**:{plain_text(ADMIN)} 于 " in timeline and plain_text(REASON) in timeline
    assert "<b>" not in timeline.replace("</s>", "")  # the name's markup is escaped
    assert not _withdraw_buttons(at)  # nothing standing is left to withdraw


def test_english_timeline_names_the_admin(ledger_url, proxy_header):
    from geo.progress.withdrawals import withdraw_event

    (event,) = list_events(open_ledger(ledger_url), "air-leshan")
    withdraw_event(open_ledger(ledger_url), event.id, by=ADMIN, reason="a rumour")
    at = _run(None, lang="en")
    assert not at.exception, at.exception
    timeline = next(m.value for m in at.markdown if f"#{event.id}" in m.value)
    assert f"**Withdrawn** by {plain_text(ADMIN)} at " in timeline and "Reason: a rumour" in timeline


@pytest.mark.parametrize("user", [EDITOR, "visitor@bureau.example", None])
def test_no_one_but_an_admin_sees_the_control(ledger_url, proxy_header, user):
    at = _run(user)
    assert not at.exception, at.exception
    assert not _withdraw_buttons(at) and not at.text_area


def test_the_editor_key_holder_cannot_withdraw(ledger_url):
    at = _run(None)  # no proxy: the shared key is the fallback
    at.text_input(key="progress_key").input(TEST_EDITOR_KEY)
    [b for b in at.button if b.label == "解锁编辑"][0].click().run()
    assert not at.exception, at.exception
    assert any(b.label == "记录" for b in at.button)  # unlocked for recording …
    assert not _withdraw_buttons(at)  # … but not for withdrawing
