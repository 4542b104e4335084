"""进展 Progress page behind a sign-in proxy: a listed editor records events as themselves (no
typed author), anyone else sees no form and why; without a proxy the editor key is the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from geo.progress import list_events, open_ledger
from geo.progress.editors import add_editor
from tests.apptest import TIMEOUT_S
from ui.common import plain_text
from ui.editor_key import PROXY_USER_KEY

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "progress.py")
EDITOR = "王工@bureau.example"


@pytest.fixture
def ledger_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.sqlite'}"
    monkeypatch.setenv("PLANMAP_DATABASE_URL", url)
    add_editor(open_ledger(url), EDITOR)
    return url


@pytest.fixture
def proxy_header():
    """The server takes the user from the proxy's header, as ``deploy up`` configures the replicas."""
    before = config.get_option("server.trustedUserHeaders")
    config.set_option("server.trustedUserHeaders", {"X-Planmap-User": PROXY_USER_KEY})
    yield
    config.set_option("server.trustedUserHeaders", before)


def _run(user: str | None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)
    at.query_params["item"] = "air-leshan"
    if user is not None:
        at.user = {PROXY_USER_KEY: user}
    return at.run()


def _record_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.label in ("记录", "Record")]


def _text(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    )


def test_a_listed_editor_records_as_themselves(ledger_url, proxy_header):
    at = _run(EDITOR)
    assert not at.exception, at.exception
    assert f"以 **{plain_text(EDITOR)}** 的身份记录" in _text(at) and "编辑密钥" not in _text(at)
    day, source, _note = at.text_input  # no key field and no typed author
    day.input("2022-08")
    source.input("乐山日报 2022-08-02 https://example.org/leshan")
    _record_buttons(at)[0].click().run()
    assert not at.exception, at.exception
    assert any("已记录事件" in s.value for s in at.success)
    events = [e for e in list_events(open_ledger(ledger_url)) if e.item_id == "air-leshan"]
    assert [(e.date_text, e.author) for e in events] == [("2022-08", EDITOR)]


def test_a_user_who_is_not_an_editor_sees_no_form(ledger_url, proxy_header):
    at = _run("visitor@bureau.example")
    assert not at.exception, at.exception
    assert not _record_buttons(at) and not at.text_input
    (reason,) = [i.value for i in at.info if plain_text("visitor@bureau.example") in i.value]
    assert "不在编辑人员名单中" in reason


def test_a_removed_editor_loses_the_form(ledger_url, proxy_header):
    from geo.progress.editors import remove_editor

    remove_editor(open_ledger(ledger_url), EDITOR)
    at = _run(EDITOR)
    assert not _record_buttons(at) and not at.text_input


def test_behind_the_proxy_a_request_without_a_user_is_read_only(ledger_url, proxy_header):
    at = _run(None)
    assert not at.exception, at.exception
    assert not _record_buttons(at) and not at.text_input  # not even the key field
    assert any("登录代理没有提供用户名" in i.value for i in at.info)


def test_without_a_proxy_the_editor_key_is_the_fallback_and_the_page_says_so(ledger_url):
    at = _run(None)
    assert not at.exception, at.exception
    assert any("共享的编辑密钥" in c.value for c in at.caption)
    assert [t.key for t in at.text_input] == ["progress_key"]
    assert not _record_buttons(at)


def test_english_reason(ledger_url, proxy_header):
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT_S)
    at.query_params["lang"] = "en"
    at.user = {PROXY_USER_KEY: "visitor"}
    at.run()
    assert any("visitor is not on the list of editors" in i.value for i in at.info)
