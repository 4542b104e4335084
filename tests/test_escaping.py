"""Whatever a link carries is shown back as plain text: no Markdown, no HTML, ≤ 80 characters,
no control characters — on every page (the browser test in tests/e2e/test_hostile_links.py
checks the same in Chromium). Stored ledger text (notes, sources, authors) is shown whole, as
text, and a source is a link only when it is a plain http(s) URL."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import ROOT, TIMEOUT_S, run_script
from ui.common import (
    PAGES,
    SHOWN_MAX_CHARS,
    checked_url,
    clipped,
    plain_text,
    shown,
    source_markdown,
    table_cell,
)

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


# What people have typed into ledger notes, sources and authors. None may become a link, an image
# or HTML anywhere; tests/e2e/test_progress_page.py shows the same in Chromium.
STORED = {
    "image": "![](https://tracker.example/pixel.png)",
    "link": "[官方公告](https://evil.example/phish)",
    "html-img": "<img src=x onerror=window.__pwned=1>",
    "script": "<script>window.__pwned=2</script>",
    "data-link": "[点此](data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==)",
    "javascript-link": "[点此](javascript:window.__pwned=3)",
    "autolink": "https://evil.example/bare www.evil.example 报送 ops@evil.example",
    "formula": '=HYPERLINK("https://evil.example/x","点击")',
    "emphasis": "**粗体** _斜体_ `代码` ~~删除~~ :red[红] $x^2$ &lt;b&gt; # 标题",
}
# Sources that are not plain http(s) URLs: each a citation, shown as text.
NOT_URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "/relative/notice.html",
    "example.org/notice",
    "https://",
    "https://example.org/a b",
    'https://example.org/"onmouseover=x',
    "https://example.org/<b>",
    "https://trusted.example@evil.example/",
    "https://example.org:port/",
    "https://example.org/\\evil",
    "乐山日报 2022-08-02 https://example.org/leshan",
    "HTTPS://example.org/x javascript:alert(1)",
]
URLS = [
    "https://example.org/notice?id=1&lang=zh",
    "http://www.gov.cn/zhengce/2021-12/(1).htm",
    "HTTPS://EXAMPLE.ORG/",
]
# Markdown that is live: a link or image not made by the app, raw HTML, a bare address, a
# directive such as ``:red[…]``.
LIVE = re.compile(r"(?<!\\)(\]\(|!\[|<|>|://|@|www\.|\[|:[A-Za-z])")


@pytest.mark.parametrize("kind", list(STORED))
def test_stored_text_is_shown_whole_as_text(kind):
    value = STORED[kind]
    text = plain_text(value)
    assert not LIVE.search(text), text
    # Nothing is lost: without the escapes and the zero-width spaces it reads as typed.
    assert re.sub(r"\\(.)", r"\1", text).replace("\u200b", "") == value
    assert plain_text(value * 50).count(text) == 50  # never clipped


def test_plain_text_removes_control_characters_and_keeps_ordinary_text():
    assert plain_text("第一行\r\n\x1b[31m第二行\u202e") == "第一行 \\[31m第二行"
    assert plain_text("成都天府国际机场 T1 航站楼 2021-06-27") == "成都天府国际机场 T1 航站楼 2021-06-27"


@pytest.mark.parametrize("source", NOT_URLS)
def test_a_source_that_is_not_a_plain_web_address_is_a_citation(source):
    assert checked_url(source) is None
    assert source_markdown(source) == plain_text(source)
    assert not LIVE.search(source_markdown(source))


@pytest.mark.parametrize("url", URLS)
def test_a_plain_web_address_is_a_link_whose_text_is_the_address(url):
    assert checked_url(url) == url
    assert source_markdown(url) == f"[{plain_text(url)}](<{url}>)"


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", STORED["formula"]])
def test_table_cells_never_start_a_formula(value):
    assert table_cell(value) == "'" + value
    assert table_cell("新华社 2021-06-27") == "新华社 2021-06-27"


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
