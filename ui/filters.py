"""The selection pickers the map and export pages share: status, province, chapter and task.

Each page keeps its own widget keys (``map_status``, ``export_status`` …, declared with their URL
parameters by :func:`ui.page_state.selection_params`) so the two selections are independent; the
choices and labels are the same.
"""

from __future__ import annotations

import streamlit as st

from geo.catalogue import STATUSES, status_group
from geo.features import PROVINCE_SCOPES
from geo.plan import load_plan
from geo.vocabulary import PHASES
from geo.vocabulary import PROVINCE_SCOPES as PROVINCE_SCOPE_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers.summaries import phase_definition, phase_matching
from ui.common import lang, status_note, tr


def plan_filters(prefix: str) -> None:
    """Multiselects for status, province, chapter and task, each showing 全部 / All when empty.

    The task list follows the chosen chapters; tasks chosen before a chapter narrowed the list stay.
    """
    language = lang()
    plan = load_plan()
    everything = tr("全部", "All")
    _phase_choice(prefix, language)
    st.multiselect(
        tr("状态", "Status"),
        options=list(STATUSES),
        format_func=lambda s: f"{STATUS_TERMS.label(s, language)} · {status_group(s).label(language)}",
        key=f"{prefix}_status",
        placeholder=everything,
        help=tr(
            "链接中可写阶段,如 status=在建(开工建设、加快建设、迁建)。",
            "A link may name a phase, e.g. status=在建 (start, accelerate, relocate).",
        ),
    )
    status_note()
    st.multiselect(
        tr("省份", "Province"),
        options=list(PROVINCE_SCOPES),
        format_func=lambda p: PROVINCE_SCOPE_TERMS.label(p, language),
        key=f"{prefix}_province",
        placeholder=everything,
    )
    st.multiselect(
        tr("方面(章)", "Chapter"),
        options=[chapter.number for chapter in plan.chapters],
        format_func=lambda n: f"{plan.chapter(n).label}、{plan.chapter(n).title}",
        key=f"{prefix}_chapter",
        placeholder=everything,
    )
    chapters = st.session_state.get(f"{prefix}_chapter") or []
    task_options = [task.number for task in plan.tasks if not chapters or task.chapter in chapters]
    task_options = sorted(set(task_options) | set(st.session_state.get(f"{prefix}_task") or []))
    st.multiselect(
        tr("任务", "Task"),
        options=task_options,
        format_func=lambda n: f"{n}. {plan.task(n).title}",
        key=f"{prefix}_task",
        placeholder=everything,
    )


def _on_phase_pick(prefix: str) -> None:
    key = st.session_state.get(f"{prefix}_phase")
    st.session_state[f"{prefix}_status"] = list(PHASES[key].statuses) if key in PHASES else []


def _phase_choice(prefix: str, language: str) -> None:
    """The planners' phases (在建 …) as one click each: a phase chooses its statuses, the same set a
    link's ?status=在建 chooses, so the map then counts what the Overview counts. The pill shows the
    phase the status list holds exactly, whichever way it was chosen."""
    matching = phase_matching(st.session_state.get(f"{prefix}_status") or [])
    st.session_state[f"{prefix}_phase"] = matching.id if matching else None
    st.pills(
        tr("阶段", "Phase"),
        options=[phase.id for phase in PHASES.terms()],
        format_func=lambda key: PHASES[key].label(language),
        key=f"{prefix}_phase",
        on_change=_on_phase_pick,
        args=(prefix,),
        help=tr("一个阶段包含的状态:", "The statuses of each phase: ")
        + "; ".join(phase_definition(phase, language) for phase in PHASES.terms()),
    )


def _apply_suggestion(prefix: str) -> None:
    choice = st.session_state.get(f"{prefix}_suggest")
    if choice:
        st.session_state[f"{prefix}_query"] = choice
    st.session_state[f"{prefix}_suggest"] = None


def search_suggestions(prefix: str) -> None:
    """Autocomplete for the search box: type in this box to pick any item's name or common name
    (成达万高铁, 天府机场 …); the choice becomes the search. Names first, then aliases."""
    from geo.search import autocomplete_options

    st.selectbox(
        tr("按名称或别名补全", "Complete a name or common name"),
        options=autocomplete_options(),
        index=None,
        key=f"{prefix}_suggest",
        placeholder=tr("输入以补全,如 成达万、天府机场", "type to complete, e.g. 成达万, 天府机场"),
        on_change=_apply_suggestion,
        args=(prefix,),
        label_visibility="collapsed",
    )
