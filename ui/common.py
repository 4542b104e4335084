"""Shared page furniture: language, navigation menu, URL parameters, messages.

The interface is Chinese by default; the choice of English is kept in the URL (``?lang=en``) so a
link carries it. ``navigation.py`` draws the menu and the language switch; every page reads its state
from the URL (:func:`param`) and writes it back (:func:`set_params`), so the
address bar is always a link a planner can send.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st

from geo.catalogue import STATUS_NOTE_EN, STATUS_NOTE_ZH
from geo.errors import DataError, GeoError
from geo.features import catalogue_frame

LANGS = ("zh", "en")
LANG_PARAM = "lang"


def lang() -> str:
    value = st.query_params.get(LANG_PARAM, "zh")
    return value if value in LANGS else "zh"


def tr(zh: str, en: str) -> str:
    """The text in the current interface language."""
    return en if lang() == "en" else zh


def html_lang() -> None:
    """``<html lang>`` follows the interface language (Streamlit's page says "en" whatever it shows),
    so screen readers and translators know the page's language."""
    code = lang()
    st.sidebar.html(
        f"<script>document.documentElement.lang = {code!r};</script>",
        unsafe_allow_javascript=True,
    )


def status_note() -> None:
    """The one line every page showing a status carries: it is the plan's ask, not progress."""
    st.caption(tr(STATUS_NOTE_ZH, STATUS_NOTE_EN), help=None)


def esc(text: object) -> str:
    """HTML-escape anything that reaches unsafe_allow_html or a folium popup."""
    return html.escape(str(text), quote=True)


SHOWN_MAX_CHARS = 80
# The marks that start Markdown in Streamlit (CommonMark + GFM + its own directives and LaTeX):
# links, images, HTML, emphasis, code, strike-through, tables, headings, entities, ``:red[…]``
# and ``$…$``. Backslash-escaped, each shows as itself. ``_`` inside a word and ``.``, ``:``,
# ``-`` start nothing and stay as typed (EPSG:3857, 贵州-金沙).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*{}\[\]()<>#+!|~$&@/\"'=^]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
# GFM turns bare URLs and addresses into links after parsing, escapes or not: a zero-width space
# inside ``://``, before the dot of ``www.`` and before ``@`` leaves them as text.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?=@)")
ZERO_WIDTH_SPACE = "\u200b"


def clipped(value: object, limit: int = SHOWN_MAX_CHARS) -> str:
    """A user-supplied value with control and format characters removed (terminal escapes,
    newlines, bidi overrides) and at most ``limit`` characters, ending in an ellipsis if cut."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = SHOWN_MAX_CHARS) -> str:
    """A user-supplied value as plain text inside Markdown (warnings, captions): :func:`clipped`,
    then every Markdown/HTML mark escaped. Use it for anything from a URL or an input echoed on a page."""
    text = _AUTOLINK.sub(ZERO_WIDTH_SPACE, clipped(value, limit))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def warn_bad_param(name: str, value: str, fallback: str) -> None:
    """One clear line for an unknown URL parameter value; the page goes on with the default."""
    name, value = shown(name), shown(value)
    st.warning(
        tr(
            f"链接参数 {name}={value} 无法识别,已改用默认值:{fallback}",
            f"Link parameter {name}={value} is not recognised; using the default: {fallback}",
        ),
        icon=":material/warning:",
    )


def warn_bad_lang() -> None:
    """``?lang=xx``: say so once, and carry on in Chinese."""
    value = st.query_params.get(LANG_PARAM)
    if value is not None and value not in LANGS:
        warn_bad_param(LANG_PARAM, value, "中文 (zh)")


def show_data_error(exc: DataError) -> None:
    """The one message for a damaged or missing data file: what, which file, how to restore it."""
    st.error(
        tr(
            f"数据文件损坏或缺失,页面无法显示。文件:`{exc.file}`;问题:{shown(exc.problem, 200)}。"
            "请运维人员用 `git checkout -- data/` 恢复(或 `python scripts/build_data.py` 重建),"
            "再运行 `python -m geo check` 确认。",
            f"A data file is missing or damaged, so this page cannot be shown. File: `{exc.file}`; "
            f"problem: {shown(exc.problem, 200)}. The operator can restore it with `git checkout -- data/` "
            "(or rebuild it with `python scripts/build_data.py`) and confirm with `python -m geo check`.",
        ),
        icon=":material/error:",
    )


def show_catalogue_error(exc: GeoError) -> None:
    """One line for a catalogue whose files read but do not make a catalogue (a CatalogueError)."""
    st.error(
        tr(
            f"规划要素目录无法读取:{shown(exc, 200)}",
            f"The feature catalogue cannot be read: {shown(exc, 200)}",
        ),
        icon=":material/error:",
    )


@st.cache_resource(show_spinner=False)
def catalogue():
    """The whole catalogue, once per process for every page (read-only: filters return new frames)."""
    return catalogue_frame()


def load_catalogue_or_stop():
    """The catalogue, or one line saying why it cannot be shown (then the page stops)."""
    try:
        return catalogue()
    except DataError:
        raise  # shown once, by the app (show_data_error)
    except GeoError as exc:
        show_catalogue_error(exc)
        st.stop()


# -- pages and the menu ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PageSpec:
    path: str
    url_path: str
    title_zh: str
    title_en: str
    icon: str

    def title(self, language: str | None = None) -> str:
        return self.title_en if (language or lang()) == "en" else self.title_zh


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/home.py", "", "总览", "Overview", ":material/dashboard:"),
    PageSpec("app_pages/map.py", "map", "地图", "Map explorer", ":material/map:"),
    PageSpec("app_pages/city.py", "city", "城市", "Cities & districts", ":material/location_city:"),
    PageSpec("app_pages/tasks.py", "tasks", "任务", "Tasks", ":material/checklist:"),
    PageSpec("app_pages/analysis.py", "analysis", "分析", "Analysis", ":material/analytics:"),
    PageSpec("app_pages/progress.py", "progress", "进展", "Progress", ":material/timeline:"),
    PageSpec("app_pages/export.py", "export", "导出", "Export", ":material/download:"),
    PageSpec("app_pages/data.py", "data", "数据说明", "Data & sources", ":material/info:"),
)
APP_TITLE_ZH = "成渝双城经济圈规划地图"
APP_TITLE_EN = "Chengdu–Chongqing Plan Map"


def lang_params() -> dict[str, str]:
    """Query parameters a link must carry to keep the interface language."""
    return {LANG_PARAM: "en"} if lang() == "en" else {}


def page_href(url_path: str, **params: object) -> str:
    """A relative link to another page with the language kept, e.g. ``/tasks?task=10&lang=en``."""
    from urllib.parse import urlencode

    query = {k: str(v) for k, v in params.items() if v not in (None, "", [], ())}
    query.update(lang_params())
    return "/" + url_path + (f"?{urlencode(query)}" if query else "")


def _on_lang_change() -> None:
    choice = st.session_state.get("ui_lang")
    if choice == "en":
        st.query_params[LANG_PARAM] = "en"
    elif LANG_PARAM in st.query_params:
        del st.query_params[LANG_PARAM]


def language_switch() -> None:
    """中文 / English, kept in the URL; placed in the sidebar above the menu."""
    if st.session_state.get("ui_lang") != lang():
        st.session_state["ui_lang"] = lang()
    st.sidebar.segmented_control(
        "语言 / Language",
        options=list(LANGS),
        format_func=lambda code: "中文" if code == "zh" else "English",
        key="ui_lang",
        on_change=_on_lang_change,
        label_visibility="collapsed",
    )


def sidebar_menu(pages: Iterable[tuple[PageSpec, object]]) -> None:
    """Our own menu: page titles in the interface language, links that keep ``?lang``."""
    st.sidebar.markdown(f"### {tr(APP_TITLE_ZH, APP_TITLE_EN)}")
    language_switch()
    params = lang_params()
    for spec, page in pages:
        st.sidebar.page_link(page, label=spec.title(), icon=spec.icon, query_params=params or None)
    st.sidebar.caption(
        tr(
            "依据《重庆四川两省市贯彻落实〈成渝地区双城经济圈建设规划纲要〉联合实施方案》(2021年12月)。坐标系 WGS 84。",
            "From the Chongqing–Sichuan joint implementation plan (Dec 2021). Coordinates in WGS 84.",
        )
    )


# -- URL state -------------------------------------------------------------------------------------
def param(name: str) -> str | None:
    """A URL parameter's value, stripped; None when absent or empty."""
    value = st.query_params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def set_params(**values: object) -> None:
    """Write page state to the URL; None, empty or default values remove the parameter.

    Lists are joined with commas. Parameters not named (such as ``lang``) are kept. Only changed
    values are written, so an unchanged page does not touch the browser history.
    """
    for name, value in values.items():
        if isinstance(value, list | tuple):
            text = ",".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        current = st.query_params.get(name)
        if text:
            if current != text:
                st.query_params[name] = text
        elif current is not None:
            del st.query_params[name]


def url_changed(page: str) -> bool:
    """True when the URL differs from what this page last wrote (a new link was opened).

    Pages then reset their widgets from the URL; otherwise the widgets are the truth.
    """
    seen = st.session_state.get(f"_url_seen_{page}")
    return seen != st.query_params.to_dict()


def remember_url(page: str) -> None:
    st.session_state[f"_url_seen_{page}"] = st.query_params.to_dict()
