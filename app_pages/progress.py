"""进展 Progress: what has happened to each plan item since December 2021, with its sources.

Anyone can read the ledger. Behind a sign-in proxy, a listed editor records events as
themselves; without one, recording needs the editor key configured in ``.streamlit/secrets.toml``
(``PLANMAP_EDITOR_KEY``); see :mod:`ui.editor_key`. Anyone else sees the page read-only, and why. The item shown is kept in the URL
(``/progress?item=air-tianfu``). Stored notes, sources and authors are shown as text
(:func:`ui.common.plain_text`); a source is a link only when it is a plain http(s) URL.
Below the summary, the warnings the rules of ``data/progress/warnings.yaml`` give today
(:mod:`ui.warnings_panel`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.clock import plan_today
from geo.errors import GeoError, LedgerUnavailable
from geo.progress import PHASE_IDS, NewEvent
from geo.progress.ledger import MAX_AUTHOR, MAX_NOTE, MAX_SOURCE
from geo.vocabulary import LAYERS
from layers.progress import ledger_events, phase_label, record_event, since_plan_counts, timeline_rows
from ui.common import (
    catalogue,
    lang,
    load_catalogue_or_stop,
    page_href,
    plain_text,
    shown,
    source_markdown,
    table_cell,
    tr,
)
from ui.editor_key import recorder
from ui.ledger import PROGRESS_WITHOUT, read_ledger, show_ledger_fault
from ui.page_state import PageState, Refused, checked
from ui.warnings_panel import warnings_panel
from ui.withdraw import withdraw_control, withdrawn_note

PAGE = "progress"


def _known_item(item_id: str) -> str:
    if item_id not in set(catalogue()["id"]):
        raise Refused(item_id)
    return item_id


STATE = PageState(
    PAGE, (checked("item", "progress_item", _known_item, None, lambda: tr("第一个要素", "the first item")),)
)
RECENT = 10
DATE_MAX_CHARS = len("YYYY-MM-DD")
ERROR_MAX_CHARS = 300


def _item_label(gdf: pd.DataFrame, item_id: str) -> str:
    row = gdf.loc[gdf["id"] == item_id]
    if row.empty:
        return item_id
    name = row.iloc[0]["name_en"] if lang() == "en" and row.iloc[0].get("name_en") else row.iloc[0]["name"]
    return f"{name} ({item_id})"


def _events_or_stop():
    return read_ledger(ledger_events, *PROGRESS_WITHOUT, stop=True)


def _summary(gdf, events) -> None:
    language = lang()
    today = plan_today()
    st.header(tr("规划以来", "Since the plan"))
    counts = since_plan_counts(gdf, events, today)
    touched = int(counts.drop(columns=[""], errors="ignore").to_numpy().sum())
    live = [row for row in timeline_rows(events) if not (row["superseded"] or row["withdrawn"])]
    left, middle, right = st.columns(3)
    left.metric(tr("已记录事件", "Events recorded"), len(live))
    middle.metric(tr("有进展记录的要素", "Items with an event"), touched)
    right.metric(tr("尚无记录(按规划)", "Items without an event"), len(gdf) - touched)
    table = counts.rename(
        columns={"": tr("无记录", "none")} | {p: phase_label(p, language) for p in counts.columns if p}
    )
    table.index = [LAYERS[layer].label(language) for layer in table.index]
    table.index.name = tr("图层", "Layer")
    st.caption(
        tr(
            f"各图层要素截至 {today.isoformat()} 的最新进展阶段:",
            f"Latest phase per layer as of {today.isoformat()}:",
        )
    )
    st.dataframe(table, width="stretch")

    st.subheader(tr("最近记录", "Recent events"))
    recent = sorted(live, key=lambda r: (r["recorded_at"], r["id"]), reverse=True)[:RECENT]
    if not recent:
        st.info(tr("账本中还没有事件。", "The ledger has no event yet."))
        return
    st.dataframe(
        pd.DataFrame(
            {
                tr("要素", "Item"): [_item_label(gdf, r["item_id"]) for r in recent],
                tr("日期", "Date"): [r["date"] for r in recent],
                tr("阶段", "Phase"): [phase_label(r["phase"], language) for r in recent],
                tr("来源", "Source"): [table_cell(r["source"]) for r in recent],
                tr("记录时间", "Recorded"): [r["recorded_at"] for r in recent],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _timeline(gdf, events) -> str | None:
    language = lang()
    st.header(tr("要素进展时间线", "Timeline of an item"))
    with_events = sorted({e.item_id for e in events})
    options = with_events + sorted(set(gdf["id"]) - set(with_events))
    if st.session_state.get("progress_item") not in options:
        st.session_state["progress_item"] = options[0] if options else None
    item_id = st.selectbox(
        tr("要素", "Item"),
        options=options,
        format_func=lambda i: _item_label(gdf, i),
        key="progress_item",
    )
    if not item_id:
        return None
    rows = timeline_rows(e for e in events if e.item_id == item_id)
    row = gdf.loc[gdf["id"] == item_id].iloc[0]
    st.caption(
        tr(f"规划原文:{row['verb'] or row['status']}", f"The plan says: {row['verb'] or row['status']}")
        + f" · [{tr('在地图上查看', 'Show on the map')}]({page_href('map', feature=item_id)})"
    )
    if not rows:
        st.info(
            tr(
                "此要素尚无进展记录,状态仍为规划原文。",
                "No event recorded for this item; its status is still the plan's.",
            )
        )
        return item_id
    lines = []
    for r in rows:
        mark = tr("(已被更正)", " (superseded)") if r["superseded"] else ""
        corrects = (
            tr(f",更正事件 {r['supersedes']}", f", corrects event {r['supersedes']}")
            if r["supersedes"]
            else ""
        )
        note = f" — {plain_text(r['note'])}" if r["note"] else ""
        text = (
            f"**{plain_text(r['date'])}** · {plain_text(phase_label(r['phase'], language))}{plain_text(mark)}{note}  \n"
            f"<small>{tr('来源：', 'Source: ')}{source_markdown(r['source'])} · {tr('记录', 'recorded')} "
            f"{plain_text(r['recorded_at'])} {tr('由', 'by')} {plain_text(r['author'] or '—')} · "
            f"#{r['id']}{plain_text(corrects)}</small>"
        )
        text = f"<s>{text}</s>" if r["superseded"] or r["withdrawn"] else text
        lines.append(f"{text}  \n{withdrawn_note(r)}" if r["withdrawn"] else text)
    st.markdown("\n\n".join(lines), unsafe_allow_html=True)
    withdraw_control(e for e in events if e.item_id == item_id)
    return item_id


def _editor(gdf, events, item_id: str | None) -> None:
    language = lang()
    st.header(tr("记录事件", "Record an event"))
    allowed, named_author = recorder()
    if not allowed:
        return
    flash = st.session_state.pop("progress_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    item_events = [e for e in events if e.item_id == item_id]
    with st.form("progress_record", clear_on_submit=True):
        st.markdown(
            tr(
                f"为 **{plain_text(_item_label(gdf, item_id))}** 记录事件",
                f"Event for **{plain_text(_item_label(gdf, item_id))}**",
            )
        )
        day = st.text_input(
            tr("日期(YYYY-MM-DD、YYYY-MM 或 YYYY)", "Date (YYYY-MM-DD, YYYY-MM or YYYY)"),
            value=plan_today().isoformat(),
            max_chars=DATE_MAX_CHARS,
        )
        phase = st.selectbox(
            tr("阶段", "Phase"), options=list(PHASE_IDS), format_func=lambda p: phase_label(p, language)
        )
        source = st.text_input(
            tr("来源(网址或文件引用,必填)", "Source (URL or document citation, required)"),
            max_chars=MAX_SOURCE,
        )
        note = st.text_input(tr("备注", "Note"), max_chars=MAX_NOTE)
        author = named_author or st.text_input(tr("记录人", "Recorded by"), max_chars=MAX_AUTHOR)
        supersedes = st.selectbox(
            tr("更正以前的事件(可选)", "Corrects an earlier event (optional)"),
            options=[None, *[e.id for e in item_events]],
            format_func=lambda i: tr("无", "none") if i is None else f"#{i}",
        )
        submitted = st.form_submit_button(tr("记录", "Record"))
    if submitted:
        try:
            event = record_event(NewEvent(item_id, day, phase, source, note, author, supersedes))
        except LedgerUnavailable as exc:  # the database, not the event: said without server paths
            show_ledger_fault(exc, "事件未记录。", "The event was not recorded. ")
        except GeoError as exc:
            # The message may quote what was typed: shown as text, never as Markdown. Typed text
            # never follows an ASCII ":" here, where ":red" would start one of Streamlit's directives.
            st.error(
                tr(f"未记录：{shown(exc, ERROR_MAX_CHARS)}", f"Not recorded: {shown(exc, ERROR_MAX_CHARS)}")
            )
        else:
            # Shown after the rerun that draws the timeline with the new event in it.
            st.session_state["progress_flash"] = tr(
                f"已记录事件 #{event.id}:{event.date_text} {event.phase}",
                f"Recorded event #{event.id}: {event.date_text} {event.phase}",
            )
            st.rerun()


def main() -> None:
    st.title(tr("进展", "Progress"))
    st.caption(
        tr(
            "2021 年 12 月规划发布以来各要素的实施进展:每条记录都有日期、阶段和来源;更正以新记录替代旧记录,历史可查。",
            "What has happened to each item since the plan of December 2021: every event has a date, a phase and a source; a correction is a new event replacing an earlier one, so the history stays auditable.",
        )
    )
    gdf = load_catalogue_or_stop()
    events = _events_or_stop()
    STATE.load()
    item_id = _timeline(gdf, events)
    if item_id:
        _editor(gdf, events, item_id)
    STATE.save()
    _summary(gdf, events)
    warnings_panel(gdf, events)


main()
