"""Withdrawn events on the progress page: how the timeline marks them, and the admins' control.

Only an admin named by the sign-in proxy (``st.user``, see :mod:`ui.editor_key`) sees the control;
the withdrawal records that name, the time and the reason typed
(:func:`geo.progress.withdrawals.withdraw_event`, which checks the role again in the same
transaction). The holder of the shared editor key cannot withdraw: a withdrawal must name the
admin who made it, and the key names no one; without a proxy an admin withdraws with
``python -m geo progress withdraw EVENT_ID --by NAME --reason TEXT``.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from geo.errors import GeoError, LedgerUnavailable
from geo.progress import Event, open_ledger
from geo.progress.editors import find_editor
from geo.progress.withdrawals import MAX_REASON, withdraw_event
from ui.common import clipped, plain_text, shown, tr
from ui.editor_key import proxy_user
from ui.ledger import show_ledger_fault

FLASH = "progress_withdraw_flash"
FORM = "progress_withdraw"
ERROR_MAX_CHARS = 300


def withdrawn_note(row: dict) -> str:
    """Markdown (stored text escaped) saying who withdrew a timeline row's event, when and why;
    empty for an event that stands."""
    if not row.get("withdrawn"):
        return ""
    by, at, reason = (plain_text(row[k]) for k in ("withdrawn_by", "withdrawn_at", "withdraw_reason"))
    return tr(
        f"**已撤回**:{by} 于 {at} 撤回,理由:{reason}", f"**Withdrawn** by {by} at {at}. Reason: {reason}"
    )


def _admin() -> str | None:
    """The proxy's user when they are an admin; otherwise None (nothing is shown)."""
    user = proxy_user()
    if user is None:
        return None
    try:
        editor = find_editor(open_ledger(), user)
    except LedgerUnavailable:  # the editor's form above already says the ledger cannot be used
        return None
    return user if editor is not None and editor.is_admin else None


def _label(event: Event) -> str:
    return f"#{event.id} · {event.date_text} · {event.phase} · {event.source}"


def withdraw_control(item_events: Iterable[Event]) -> None:
    """For an admin signed in through the proxy: a form to withdraw one of the item's standing events."""
    admin = _admin()
    if admin is None:
        return
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    standing = [e for e in item_events if not e.withdrawn()]
    if not standing:
        return
    by_id = {e.id: e for e in standing}
    with st.expander(tr("撤回事件(管理员)", "Withdraw an event (admin)"), icon=":material/block:"):
        st.caption(
            tr(
                "撤回不删除记录:事件保留在账本中并标明由谁、何时、为何撤回;自撤回之日起不再计入进展阶段。",
                "Withdrawing deletes nothing: the event stays in the ledger, marked with who withdrew it, "
                "when and why, and from that day on it no longer counts for the phase.",
            )
        )
        with st.form(FORM, clear_on_submit=True):
            event_id = st.selectbox(
                tr("要撤回的事件", "Event to withdraw"),
                options=list(by_id),
                format_func=lambda i: clipped(_label(by_id[i]), 160),
            )
            reason = st.text_area(tr("理由(必填)", "Reason (required)"), max_chars=MAX_REASON)
            submitted = st.form_submit_button(
                tr(f"以 {plain_text(admin)} 的身份撤回", f"Withdraw as {plain_text(admin)}"),
                icon=":material/block:",
            )
    if not submitted:
        return
    try:
        withdraw_event(open_ledger(), event_id, by=admin, reason=reason)
    except LedgerUnavailable as exc:
        show_ledger_fault(exc, "事件未撤回。", "The event was not withdrawn. ")
    except GeoError as exc:
        st.error(
            tr(f"未撤回：{shown(exc, ERROR_MAX_CHARS)}", f"Not withdrawn: {shown(exc, ERROR_MAX_CHARS)}")
        )
    else:
        st.session_state[FLASH] = tr(f"已撤回事件 #{event_id}。", f"Withdrew event #{event_id}.")
        st.rerun()
