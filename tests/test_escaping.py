"""Whatever a link carries is shown back as plain text: no Markdown, no HTML, ≤ 80 characters,
no control characters — on every page (the browser test in tests/e2e/test_hostile_links.py
checks the same in Chromium)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import ROOT, TIMEOUT_S, run_script
from ui.common import PAGES, SHOWN_MAX_CHARS, clipped, shown

LINK = "[text](https://evil.example/phish)"
IMAGE = "![t](https://evil.example/track.png)"
HTML = "<script>alert(1)</script><img src=https://evil.example/x.png>"
AUTOLINK = "www.evil.example a@evil.example :red[x] $x^2$ **b** _i_ `c`"
CONTROL = "\x1b[31mred\x1b[0m\r\nnext\u202eline\x00"
LONG = "A" * 20_000
HOSTILE = {"markup": f"{LINK} {IMAGE} {HTML}", "autolinks": AUTOLINK, "control-and-long": CONTROL + LONG}
# Every page's own parameters, and the language: each gets the hostile value.
PARAMS = (
    "lang layers status province chapter task basemap colour feature q level place "
    "analysis radius scenario corridor speed format crs"
).split()
# What must never appear unescaped in a message: link, image and HTML syntax, autolinks.
UNSAFE = re.compile(r"(?<!\\)(\]\(|!\[|<|>|://|@|www\.|\*\*|\$|\[)")


def test_shown_escapes_shortens_and_cleans():
    assert shown(LINK) == "\\[text\\]\\(https:\u200b\\/\\/evil.example\\/phish\\)"
    assert not UNSAFE.search(shown(f"{LINK} {IMAGE} {HTML}", 1000))
    assert not UNSAFE.search(shown(AUTOLINK))
    cleaned = clipped(CONTROL + LONG)
    assert len(cleaned) == SHOWN_MAX_CHARS and cleaned.endswith("…")
    assert all(ch.isprintable() for ch in cleaned)
    assert clipped("EPSG:3857") == shown("EPSG:3857") == "EPSG:3857"  # ordinary values stay as typed
    assert shown("贵州/金沙") == r"贵州\/金沙"


def _messages(at: AppTest) -> list[str]:
    return [e.value for kind in ("warning", "error", "info", "success") for e in getattr(at, kind)]


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path or "home" for spec in PAGES])
def test_every_page_shows_hostile_link_values_as_plain_text(spec, kind):
    at = run_script(ROOT / spec.path, **dict.fromkeys(PARAMS, HOSTILE[kind]))
    assert not at.exception, at.exception
    for message in _messages(at):
        assert not UNSAFE.search(message), message
        assert "A" * (SHOWN_MAX_CHARS + 1) not in message
        # The only invisible character is the zero-width space that keeps a URL from turning into a link.
        assert all(ch.isprintable() or ch == "\u200b" for ch in message), repr(message)


@pytest.mark.parametrize("value", ["xx", HOSTILE["markup"]], ids=["xx", "markup"])
def test_unknown_language_warns_once_and_falls_back_to_chinese(value):
    at = AppTest.from_file(str(ROOT / "navigation.py"), default_timeout=TIMEOUT_S)
    at.query_params["lang"] = value
    at.run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning if "lang=" in w.value]
    assert len(warnings) == 1 and not UNSAFE.search(warnings[0])
    assert value != "xx" or "lang=xx" in warnings[0]
    assert at.sidebar.get("page_link")[0].proto.label == "总览"
