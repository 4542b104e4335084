"""Shared page furniture: language, navigation menu, URL parameters, messages.

Every page calls :func:`page_setup` first. The interface is Chinese by default; the choice of
English is kept in the URL (``?lang=en``) so a link carries it.
"""

from __future__ import annotations

import html

import streamlit as st

LANGS = ("zh", "en")


def lang() -> str:
    value = st.query_params.get("lang", "zh")
    return value if value in LANGS else "zh"


def tr(zh: str, en: str) -> str:
    """The text in the current interface language."""
    return en if lang() == "en" else zh


def esc(text: object) -> str:
    """HTML-escape anything that reaches unsafe_allow_html or a folium popup."""
    return html.escape(str(text), quote=True)


def warn_bad_param(name: str, value: str, fallback: str) -> None:
    """One clear line for an unknown URL parameter value; the page goes on with the default."""
    st.warning(
        tr(
            f"链接参数 {name}={value} 无法识别,已改用默认值:{fallback}",
            f"Link parameter {name}={value} is not recognised; using the default: {fallback}",
        ),
        icon="⚠️",
    )
