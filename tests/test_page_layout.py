"""Pages are layout: each page's ``main()`` fits on a screen, and no page reads or writes the URL
itself (its parameters are declared once, in a ``ui.page_state.PageState``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MAIN_LINES = 60
# The URL plumbing a page leaves to ui.page_state.
URL_PLUMBING = {"query_params", "url_changed", "remember_url", "set_params", "param"}


def long_mains(pages: Path) -> list[str]:
    """``page.py: N lines`` for every page whose ``main()`` is longer than MAX_MAIN_LINES (with its
    decorators), and ``page.py: no main()`` for a page without one."""
    found = []
    for path in sorted(pages.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        mains = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "main"
        ]
        if not mains:
            found.append(f"{path.name}: no main()")
        for node in mains:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines = node.end_lineno - first + 1
            if lines > MAX_MAIN_LINES:
                found.append(f"{path.name}: {lines} lines")
    return found


def url_plumbing(pages: Path) -> list[str]:
    """``page.py:line name`` for every use of the URL's own functions in a page."""
    found = []
    for path in sorted(pages.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else None
            )
            if name in URL_PLUMBING:
                found.append(f"{path.name}:{node.lineno} {name}")
    return found


def test_every_page_main_is_layout_of_at_most_60_lines():
    assert long_mains(ROOT / "app_pages") == []


def test_no_page_reads_or_writes_the_url_itself():
    assert url_plumbing(ROOT / "app_pages") == []


def test_the_checks_find_a_long_main_and_a_page_reading_the_url(tmp_path):
    body = "".join(f"    st.write({n})\n" for n in range(MAX_MAIN_LINES))
    (tmp_path / "long.py").write_text(f"def main():\n{body}\n\nmain()\n", encoding="utf-8")
    (tmp_path / "short.py").write_text(
        "@decorated\ndef main():\n    st.write(st.query_params.get('x'))\n", encoding="utf-8"
    )
    (tmp_path / "nomain.py").write_text("import streamlit as st\n", encoding="utf-8")
    assert long_mains(tmp_path) == [f"long.py: {MAX_MAIN_LINES + 1} lines", "nomain.py: no main()"]
    assert url_plumbing(tmp_path) == ["short.py:3 query_params"]
