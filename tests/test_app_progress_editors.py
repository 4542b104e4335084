"""进展 Progress page behind a sign-in proxy: a listed editor records events as themselves (no
typed author), anyone else sees no form and why; without a proxy the editor key is the fallback."""

from __future__ import annotations

import pytest

from geo.progress import list_events, open_ledger
from geo.progress.editors import add_editor
from tests.apptest import page_script, record_buttons, run_as, scratch_ledger, shown_text
from ui.common import plain_text

PAGE = page_script("progress")
EDITOR = "王工@bureau.example"


@pytest.fixture
def ledger_url(tmp_path, monkeypatch):
    url = scratch_ledger(tmp_path, monkeypatch)
    add_editor(open_ledger(url), EDITOR)
    return url


def test_a_listed_editor_records_as_themselves(ledger_url, proxy_header):
    at = run_as(PAGE, EDITOR, item="air-leshan")
    assert not at.exception, at.exception
    assert f"以 **{plain_text(EDITOR)}** 的身份记录" in shown_text(at) and "编辑密钥" not in shown_text(at)
    day, source, _note = at.text_input  # no key field and no typed author
    day.input("2022-08")
    source.input("乐山日报 2022-08-02 https://example.org/leshan")
    record_buttons(at)[0].click().run()
    assert not at.exception, at.exception
    assert any("已记录事件" in s.value for s in at.success)
    events = [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]
    assert [(e.date_text, e.author) for e in events] == [("2022-08", EDITOR)]


def test_a_user_who_is_not_an_editor_sees_no_form(ledger_url, proxy_header):
    at = run_as(PAGE, "visitor@bureau.example", item="air-leshan")
    assert not at.exception, at.exception
    assert not record_buttons(at) and not at.text_input
    (reason,) = [i.value for i in at.info if plain_text("visitor@bureau.example") in i.value]
    assert "不在编辑人员名单中" in reason


def test_a_removed_editor_loses_the_form(ledger_url, proxy_header):
    from geo.progress.editors import remove_editor

    remove_editor(open_ledger(ledger_url), EDITOR)
    at = run_as(PAGE, EDITOR, item="air-leshan")
    assert not record_buttons(at) and not at.text_input


def test_behind_the_proxy_a_request_without_a_user_is_read_only(ledger_url, proxy_header):
    at = run_as(PAGE, None, item="air-leshan")
    assert not at.exception, at.exception
    assert not record_buttons(at) and not at.text_input  # not even the key field
    assert any("登录代理没有提供用户名" in i.value for i in at.info)


def test_without_a_proxy_the_editor_key_is_the_fallback_and_the_page_says_so(ledger_url):
    at = run_as(PAGE, None, item="air-leshan")
    assert not at.exception, at.exception
    assert any("共享的编辑密钥" in c.value for c in at.caption)
    assert [t.key for t in at.text_input] == ["progress_key"]
    assert not record_buttons(at)


def test_english_reason(ledger_url, proxy_header):
    at = run_as(PAGE, "visitor", item="air-leshan", lang="en")
    assert any("visitor is not on the list of editors" in i.value for i in at.info)
