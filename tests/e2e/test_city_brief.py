"""The city brief in a real Chromium: /city?place=遂宁 offers the PDF, and the file downloaded
is an A4 brief naming the unit (read back with pdftotext)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from geo.cli import main
from geo.clock import plan_today

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
    reason="poppler-utils (pdftotext) not installed",
)
def test_download_the_brief_from_the_city_page(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/city?place=遂宁", wait_until="domcontentloaded")
    button = page.locator("a.brief-download").filter(has_text="下载城市简报 PDF")
    button.wait_for(state="visible", timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == f"遂宁市-{plan_today().isoformat()}-zh.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "城市简报:遂宁市" in flat and f"截至{plan_today().isoformat()}" in flat and "第1/" in flat


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=180) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_the_route_gives_the_command_lines_bytes(app_server, tmp_path):
    status, headers, body = _get(f"{app_server}/api/brief?place={quote('万州区')}&as_of=2024-06-30&lang=en")
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert "Wanzhou-2024-06-30-en.pdf" in unquote(headers["content-disposition"])
    out = tmp_path / "cli.pdf"
    assert main(["brief", "500101", "--as-of", "2024-06-30", "--lang", "en", "--out", str(out)]) == 0
    assert body == out.read_bytes()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("place=" + quote("不存在"), "unknown place"),
        ("place=" + quote("遂宁") + "&as_of=2024-02-30", "bad --as-of date"),
        ("place=" + quote("遂宁") + "&lang=fr", "bad lang"),
        ("", "missing place"),
        ("place=1&colour=red", "unknown parameter 'colour'"),
    ],
)
def test_a_bad_parameter_is_400_with_one_line_of_json(app_server, query, message):
    status, headers, body = _get(f"{app_server}/api/brief?{query}")
    assert status == 400 and headers["content-type"] == "application/json"
    assert message in json.loads(body)["error"]
