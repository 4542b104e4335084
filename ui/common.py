"""Shared page furniture: language, navigation menu, URL parameters, messages.

The interface is Chinese by default; the choice of English is kept in the URL (``?lang=en``) so a
link carries it. ``navigation.py`` draws the menu and the language switch; every page reads its state
from the URL and writes it back through its :class:`ui.page_state.PageState` (on :func:`set_params`
and :func:`url_changed` here), so the address bar is always a link a planner can send.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st

from geo.catalogue import STATUS_NOTE_EN, STATUS_NOTE_ZH
from geo.csvcells import neutralise_formula
from geo.errors import DataDirError, DataError, GeoError, UndescribedDataFile
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
# (a ``:`` before a letter: the directive would swallow its name) and ``$…$``. Backslash-escaped,
# each shows as itself. ``_`` inside a word and ``.``, ``-`` and a ``:`` before anything but a
# letter start nothing and stay as typed (EPSG:3857, 贵州-金沙).
_MARKDOWN_PUNCTUATION = re.compile(
    r"([\\`*{}\[\]()<>#+!|~$&@/\"'=^]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|:(?=[A-Za-z]))"
)
# GFM turns bare URLs and addresses into links after parsing, escapes or not: a zero-width space
# inside ``://``, before the dot of ``www.`` and before ``@`` leaves them as text.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?=@)")
ZERO_WIDTH_SPACE = "\u200b"
# What a source may hold to be shown as a link: one http(s) URL of RFC 3986 characters only (no
# space, quote, angle bracket or backslash, which could end or bend the Markdown link around it).
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
URL_MAX_CHARS = 2000


def clipped(value: object, limit: int | None = SHOWN_MAX_CHARS) -> str:
    """A user-supplied value with control and format characters removed (terminal escapes,
    newlines, bidi overrides) and at most ``limit`` characters (None: all), ending in an ellipsis if cut."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(value))
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def plain_text(value: object) -> str:
    """Stored or typed text, whole, shown as itself inside Markdown — st.markdown (with or without
    unsafe_allow_html), messages, captions: control characters become spaces, every Markdown and
    HTML mark is escaped, and nothing turns into a link. The one way ledger notes, sources, authors
    and echoed input reach a page. Put it after a space or a full-width colon, not right after an
    ASCII ``:`` (``来源:red …`` would start one of Streamlit's colour directives)."""
    text = _AUTOLINK.sub(ZERO_WIDTH_SPACE, clipped(value, None))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def shown(value: object, limit: int = SHOWN_MAX_CHARS) -> str:
    """A value from a URL or an error echoed in a message: :func:`plain_text` of at most ``limit``
    characters (:func:`clipped`)."""
    return plain_text(clipped(value, limit))


def checked_url(value: object) -> str | None:
    """``value`` when it is a single http or https URL that parses cleanly (a host, no user name,
    no space or quote), else None: a citation, or a link of another scheme (data:, javascript:,
    file:, relative), is never made a link."""
    text = str(value).strip()
    if len(text) > URL_MAX_CHARS or not _URL_CHARACTERS.fullmatch(text):
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return text


def source_markdown(source: object) -> str:
    """An event's source in Markdown: a link whose visible text is the URL itself when the source is
    a checked http(s) URL (:func:`checked_url`), else the citation as plain text."""
    url = checked_url(source)
    if url is None:
        return plain_text(source)
    return f"[{plain_text(url)}](<{url}>)"


def table_cell(value: object) -> str:
    """Stored text for a table (st.dataframe): control characters removed, and a leading ``'`` on
    text a spreadsheet would take for a formula, since the table's toolbar downloads it as CSV."""
    return neutralise_formula(clipped(value, None))


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
    """The one message for a damaged or missing data file: what, which file, how to restore it.

    Never the server's path: a file is named as ``data/…``, a bad ``PLANMAP_DATA_DIR`` by the
    setting's name only (the command line, run by the operator, also prints the directory).
    """
    if isinstance(exc, DataDirError):
        message = tr(
            f"数据目录设置有误,页面无法显示:环境变量 `{exc.file}` 所指的目录不可用({shown(exc.problem, 200)})。"
            "请运维人员把它指向一份完整的 data/ 副本(或删除该设置以使用项目自带的 data/),"
            "再运行 `python -m geo check` 确认。",
            f"The data directory is set wrongly, so this page cannot be shown: the directory the environment "
            f"variable `{exc.file}` names is not usable ({shown(exc.problem, 200)}). The operator can point it "
            "at a complete copy of data/ (or unset it to use the project's data/) and confirm with "
            "`python -m geo check`.",
        )
    elif isinstance(exc, UndescribedDataFile):
        message = tr(
            f"目录数据中有一个不属于任何图层的文件,页面无法显示:`{exc.file}`(未在 PROVENANCE.json 中登记,"
            "读入会造成重复或未经核对的条目)。请运维人员把它移出 data/catalogue/,再运行 `python -m geo check` 确认。",
            f"The catalogue holds a file that belongs to no layer, so this page cannot be shown: `{exc.file}` "
            "(not described in PROVENANCE.json; reading it would add duplicate or unchecked entries). The "
            "operator can move it out of data/catalogue/ and confirm with `python -m geo check`.",
        )
    else:
        message = tr(
            f"数据文件损坏或缺失,页面无法显示。文件:`{exc.file}`;问题:{shown(exc.problem, 200)}。"
            "请运维人员用 `git checkout -- data/` 恢复(或 `python scripts/build_data.py` 重建),"
            "再运行 `python -m geo check` 确认。",
            f"A data file is missing or damaged, so this page cannot be shown. File: `{exc.file}`; "
            f"problem: {shown(exc.problem, 200)}. The operator can restore it with `git checkout -- data/` "
            "(or rebuild it with `python scripts/build_data.py`) and confirm with `python -m geo check`.",
        )
    st.error(message, icon=":material/error:")


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
