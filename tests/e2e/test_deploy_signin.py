"""``python -m deploy up --users FILE``: a listed editor signs in through nginx in Chromium and
records an event that names them; an admin withdraws it with a reason; a signed-in user who is not
an editor, and who sends a forged user header, sees no form; without signing in nginx answers 401."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.browser import TIMEOUT_MS, screenshot, wait_until_finished
from tests.e2e.conftest import _is_local
from tests.e2e.deploy_run import deploy_up, require_servers, run_module, write_users

pytestmark = pytest.mark.browser

EDITOR, VIEWER, ADMIN = "wang.gong", "visitor", "chief"
PASSWORD = "a long sign-in password"
ITEM = "air-leshan"
SOURCE = "乐山日报 2022-08-02 https://example.org/leshan-signin"


def _context(browser, name: str, **extra):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        locale="zh-CN",
        http_credentials={"username": name, "password": PASSWORD},
        **extra,
    )
    context.route("**/*", lambda r: r.continue_() if _is_local(r.request.url) else r.abort())
    return context


def test_a_named_editor_records_through_nginx(_browser, tmp_path):
    require_servers()
    users_file = write_users(tmp_path / "users", (EDITOR, VIEWER, ADMIN), PASSWORD)
    with deploy_up("--replicas", "1", "--users", str(users_file)) as run:
        _check_sign_in(_browser, run.base, run.database_url)


def _check_sign_in(browser, base: str, database: str) -> None:
    contexts = []
    try:
        run_module("geo", "progress", "--database", database, "editors", "add", EDITOR)
        run_module("geo", "progress", "--database", database, "editors", "add", ADMIN, "--role", "admin")

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/progress", timeout=60)
        assert refused.value.code == 401

        # A signed-in user who is not an editor, claiming to be one by header: no form.
        context = _context(browser, VIEWER, extra_http_headers={"X-Planmap-User": EDITOR})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        page.get_by_text(f"只读:{VIEWER} 不在编辑人员名单中", exact=False).wait_for(timeout=TIMEOUT_MS)
        wait_until_finished(page)
        assert page.get_by_role("button", name="记录").count() == 0
        assert page.get_by_label("编辑密钥").count() == 0

        # The editor records an event; it names them, with no author typed.
        context = _context(browser, EDITOR)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        page.get_by_text(f"以 {EDITOR} 的身份记录", exact=False).wait_for(timeout=TIMEOUT_MS)
        source = page.get_by_label("来源(网址或文件引用,必填)")
        source.wait_for(timeout=TIMEOUT_MS)
        assert page.get_by_label("记录人").count() == 0
        source.fill(SOURCE)
        page.get_by_role("button", name="记录").click()
        page.get_by_text("已记录事件", exact=False).wait_for(timeout=TIMEOUT_MS)
        page.get_by_text(f"由 {EDITOR}", exact=False).first.wait_for(timeout=TIMEOUT_MS)
        screenshot(page, "progress-named-editor")

        assert page.get_by_text("撤回事件(管理员)").count() == 0  # an editor, not an admin

        # The admin withdraws it with a reason; the timeline says who and why.
        context = _context(browser, ADMIN)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        page.get_by_text("撤回事件(管理员)").click(timeout=TIMEOUT_MS)
        page.get_by_label("理由(必填)").fill("a test of withdrawing")
        page.get_by_role("button", name=f"以 {ADMIN} 的身份撤回").click()
        page.get_by_text("已撤回事件", exact=False).wait_for(timeout=TIMEOUT_MS)
        page.get_by_text(f"{ADMIN} 于", exact=False).first.wait_for(timeout=TIMEOUT_MS)
        screenshot(page, "progress-admin-withdrew")

        listed = json.loads(
            run_module("geo", "progress", "--database", database, "list", ITEM, "--json").stdout
        )
        assert [(e["source"], e["author"], e["withdrawn_by"], e["withdraw_reason"]) for e in listed] == [
            (SOURCE, EDITOR, ADMIN, "a test of withdrawing")
        ]
    finally:
        for context in contexts:
            context.close()
