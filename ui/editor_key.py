"""The editor key on the progress page: who may record events from the app.

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

from geo.progress.keyguard import KeyGuard
from geo.progress.settings import EDITOR_KEY_MIN_CHARS, editor_key, editor_key_too_short
from ui.common import tr

LOG = logging.getLogger("planmap.editor_key")
# One per server process, shared by every session's thread.
GUARD = KeyGuard()
KEY_INPUT = "progress_key"
_UNLOCKED = "progress_unlocked_for"
_SESSION = "progress_session_id"


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
