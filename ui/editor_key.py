"""Who may record events on the progress page: a named editor, or the holder of the editor key.

Behind an authenticating proxy (``python -m deploy up``: nginx ``auth_basic``; in production a
bureau's single sign-on), the proxy passes the signed-in user in a header that Streamlit's
``server.trustedUserHeaders`` puts into ``st.user`` under ``planmap_user``. Then only a user listed
in the ledger's editors table (``python -m geo progress editors add NAME``) sees the form, and every
event records that user as its author. When the option is set but a request carries no user, the
page is read-only. Without the option (a single ``streamlit run app.py``), the editor key below is
the fallback, and the page says so.

The key (``PLANMAP_EDITOR_KEY``) is shared by the monitoring office and typed into a small form.
A configured key shorter than ``EDITOR_KEY_MIN_CHARS`` leaves the page read-only with a message
for the operator. Every submitted key counts: wrong ones lock this browser session and this client
address for a growing time (:mod:`geo.progress.keyguard`), during which every key is refused, the
right one too. Each refused key is logged at warning level with the client address and the time,
never with what was typed. A session that gave the right key stays unlocked until the configured
key changes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from datetime import UTC, datetime

import streamlit as st

from geo.errors import LedgerUnavailable
from geo.progress import open_ledger
from geo.progress.editors import find_editor
from geo.progress.keyguard import KeyGuard
from geo.progress.settings import EDITOR_KEY_MIN_CHARS, editor_key, editor_key_too_short
from ui.common import plain_text, tr
from ui.ledger import show_ledger_fault

LOG = logging.getLogger("planmap.editor_key")
# One per server process, shared by every session's thread.
GUARD = KeyGuard()
KEY_INPUT = "progress_key"
_UNLOCKED = "progress_unlocked_for"
_SESSION = "progress_session_id"
# The st.user key that server.trustedUserHeaders maps the proxy's user header to.
PROXY_USER_KEY = "planmap_user"


def client_address() -> str:
    """The client's address as the server sees it. Streamlit gives none for this machine, so every
    local visitor — and every visitor of a reverse proxy on this machine — counts as one client
    (and so does a headless test run, which has no connection)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def _subjects() -> tuple[str, str]:
    if _SESSION not in st.session_state:
        st.session_state[_SESSION] = uuid.uuid4().hex[:12]
    return f"session {st.session_state[_SESSION]}", f"client {client_address()}"


def _fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _try(entered: str, configured: str, subjects: tuple[str, str]) -> str:
    """The verdict on one key, "right", "wrong" or "locked": the guard counts it; a refused key is logged."""
    verdict, wait = GUARD.attempt(
        subjects, lambda: hmac.compare_digest(entered.encode(), configured.encode())
    )
    if verdict != "right":
        session, client = subjects
        LOG.warning(
            "editor key refused (%s) for %s, %s, at %s: %d wrong in a row, locked for %.0f s",
            verdict,
            client,
            session,
            datetime.now(UTC).isoformat(timespec="seconds"),
            GUARD.failures(client),
            wait,
        )
    return verdict


def _configured_or_explain() -> str | None:
    configured = editor_key()
    if configured is None:
        st.info(
            tr(
                "只读:未配置编辑密钥(.streamlit/secrets.toml 中的 PLANMAP_EDITOR_KEY),不能在此记录事件。",
                "Read-only: no editor key is configured (PLANMAP_EDITOR_KEY in .streamlit/secrets.toml), so events cannot be recorded here.",
            ),
            icon=":material/lock:",
        )
        return None
    if editor_key_too_short(configured):
        st.warning(
            tr(
                f"只读:配置的编辑密钥(PLANMAP_EDITOR_KEY)短于 {EDITOR_KEY_MIN_CHARS} 个字符,容易被猜中,"
                "因此不被使用。请运维人员在 .streamlit/secrets.toml 中设置更长的随机密钥。",
                f"Read-only: the configured editor key (PLANMAP_EDITOR_KEY) is shorter than {EDITOR_KEY_MIN_CHARS} "
                "characters, too easy to guess, so it is not used. The operator can set a longer random key "
                "in .streamlit/secrets.toml.",
            ),
            icon=":material/lock:",
        )
        return None
    return configured


def editor_unlocked() -> bool:
    """True when this session may record events; otherwise the key form and why it is read-only."""
    configured = _configured_or_explain()
    if configured is None:
        return False
    if hmac.compare_digest(st.session_state.get(_UNLOCKED, ""), _fingerprint(configured)):
        return True
    with st.form("progress_unlock", clear_on_submit=True, border=False):
        entered = st.text_input(tr("编辑密钥", "Editor key"), type="password", key=KEY_INPUT)
        submitted = st.form_submit_button(tr("解锁编辑", "Unlock editing"), icon=":material/key:")
    subjects = _subjects()
    entered = entered.strip()  # as the configured key is read: a pasted key's stray space is no typo
    verdict = _try(entered, configured, subjects) if submitted and entered else None
    if verdict == "right":
        st.session_state[_UNLOCKED] = _fingerprint(configured)
        st.rerun()
    wait = GUARD.wait_whole_s(*subjects)
    if verdict == "wrong":
        st.error(tr("编辑密钥不正确。", "The editor key is not correct."))
    if wait > 0:
        st.error(
            tr(
                f"编辑密钥错误次数过多,请 {wait} 秒后再试;在此之前任何密钥(包括正确的)都不被接受。",
                f"Too many wrong keys: try again in {wait} s. Until then every key is refused, the right one too.",
            ),
            icon=":material/timer:",
        )
    elif verdict is None:
        st.info(
            tr("只读:输入编辑密钥后才能记录事件。", "Read-only: enter the editor key to record events."),
            icon=":material/lock:",
        )
    return False


def proxy_configured() -> bool:
    """True when this server takes the user from a proxy's header (server.trustedUserHeaders)."""
    mapping = st.get_option("server.trustedUserHeaders")
    return isinstance(mapping, dict) and PROXY_USER_KEY in mapping.values()


def proxy_user() -> str | None:
    """The user the authenticating proxy signed in, or None when there is none."""
    value = st.user.get(PROXY_USER_KEY)
    if not isinstance(value, str) or not value.strip():
        return None
    # Header values arrive as Latin-1; a browser sends a basic-auth name such as 王工 as UTF-8.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _named_editor(user: str) -> bool:
    try:
        editor = find_editor(open_ledger(), user)
    except LedgerUnavailable as exc:
        show_ledger_fault(exc, "不能记录事件。", "Events cannot be recorded. ")
        return False
    if editor is None:
        st.info(
            tr(
                f"只读:{plain_text(user)} 不在编辑人员名单中,不能记录事件(请管理员运行 "
                "`python -m geo progress editors add` 添加)。",
                f"Read-only: {plain_text(user)} is not on the list of editors, so cannot record events "
                "(an administrator adds editors with `python -m geo progress editors add`).",
            ),
            icon=":material/lock:",
        )
        return False
    st.caption(tr(f"以 **{plain_text(user)}** 的身份记录。", f"Recording as **{plain_text(user)}**."))
    return True


def recorder() -> tuple[bool, str | None]:
    """Who records here: ``(True, name)`` for a listed editor named by the proxy (the author of
    every event), ``(True, None)`` for a session unlocked by the editor key (the author is typed),
    ``(False, None)`` otherwise — the reason is shown on the page."""
    user = proxy_user()
    if user is not None:
        return (True, user) if _named_editor(user) else (False, None)
    if proxy_configured():
        st.info(
            tr(
                "只读:登录代理没有提供用户名,不能记录事件。",
                "Read-only: the sign-in proxy gave no user name, so events cannot be recorded.",
            ),
            icon=":material/lock:",
        )
        return False, None
    st.caption(
        tr(
            "本服务未经登录代理运行,记录事件改用共享的编辑密钥。",
            "This server runs without a sign-in proxy, so recording is guarded by the shared editor key.",
        )
    )
    return editor_unlocked(), None
