"""The details of one catalogue feature, shown beside the map on the map and task pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.features import stand_in_text
from geo.formats.measures import length_wording
from geo.plan import load_plan
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.summaries import FEATURE, Span, highlight_html
from ui.common import esc, lang, page_href, tr

HIGHLIGHT_CSS = """<style>
mark.hl-feature { background: #ffe08a; padding: 0 2px; border-radius: 2px; }
.feature-quote { font-size: 1.02rem; line-height: 1.7; border-left: 4px solid #c0392b; padding: 4px 12px; background: #fafafa; }
</style>"""


@st.cache_resource(show_spinner=False)
def _plan():
    return load_plan()


def feature_details(row: pd.Series, latest: dict | None = None) -> None:
    """Everything about one feature: what, where from in the plan, how precisely it is placed."""
    language = lang()
    plan = _plan()
    layer = LAYERS[row["layer"]]
    name = row["name"]
    st.markdown(f"#### {esc(name)}", unsafe_allow_html=True)
    if row.get("name_en"):
        st.caption(row["name_en"])
    chapter = plan.chapter(int(row["chapter"]))
    task = plan.task(int(row["task"]))
    verb = row.get("verb") or ""
    status_text = STATUS_TERMS.label(row["status"], language)
    if verb and verb != row["status"]:
        status_text += tr(f"(原文:{verb})", f" (the plan says: {verb})")
    lines = [
        f"**{tr('图层', 'Layer')}:** {esc(layer.label(language))}",
        f"**{tr('状态', 'Status')}:** {esc(status_text)}",
        f"**{tr('任务', 'Task')}:** [{int(row['task'])}. {esc(task.title)}]({page_href('tasks', task=int(row['task']))})",
        f"**{tr('方面', 'Chapter')}:** {esc(chapter.label)}、{esc(chapter.title)}",
    ]
    others = [int(t) for t in row["tasks"] if int(t) != int(row["task"])]
    if others:
        links = ", ".join(f"[{t}]({page_href('tasks', task=t)})" for t in others)
        lines.append(f"**{tr('另见任务', 'Also in tasks')}:** {links}")
    st.markdown("  \n".join(lines), unsafe_allow_html=True)
    if latest is not None:
        from ui import map_progress

        map_progress.details_line(row, latest, map_progress.current_as_of())

    sentence = str(row["sentence_text"])
    quote = str(row["quote"])
    start = sentence.find(quote) if quote else -1
    spans = [Span(start, start + len(quote), FEATURE, name)] if start >= 0 else []
    st.markdown(HIGHLIGHT_CSS, unsafe_allow_html=True)
    st.markdown(
        f'<div class="feature-quote">{highlight_html(sentence, spans)}</div>',
        unsafe_allow_html=True,
    )
    st.caption(
        tr(
            f"原文:任务 {task.number} 第 {int(row['sentence'])} 句",
            f"Plan text: task {task.number}, sentence {int(row['sentence'])}",
        )
    )

    precision = row["precision"]
    st.markdown(
        f"**{tr('位置精度', 'Precision')}:** {esc(PRECISION_TERMS.label(precision, language))} — {esc(PRECISION_TERMS[precision].explanation.label(language))}  \n"
        f"**{tr('几何来源', 'Geometry source')}:** {esc(row['source'])}",
        unsafe_allow_html=True,
    )
    measures = []
    if pd.notna(row.get("length_km")):
        measures.append(tr(*length_wording(row["length_km"], row["precision"])))
    if pd.notna(row.get("area_km2")):
        measures.append(tr(f"面积约 {row['area_km2']:,.0f} km²", f"area ≈ {row['area_km2']:,.0f} km²"))
    official = row.get("official_area_km2")
    if official is not None and pd.notna(official):
        source = str(row.get("official_area_source") or "")
        measures.append(
            tr(f"公布面积 {official:,.0f} km²（{source}）", f"official area {official:,.0f} km² ({source})")
        )
    places = list(row["places"]) if row.get("places") is not None else []
    if places:
        measures.append(tr("涉及:", "places: ") + "、".join(places))
    if measures:
        st.caption(" · ".join(measures))
    if row.get("stand_in"):
        st.markdown(
            f"**{tr('代表地点', 'Stand-in')}:** {esc(stand_in_text(str(row['stand_in']), lang()))}",
            unsafe_allow_html=True,
        )
    # The note in the interface language; the English one stands in where a Chinese one is missing.
    note = (row.get("note_zh") if lang() == "zh" else None) or row.get("note")
    if note:
        st.info(note, icon=":material/edit_note:")
