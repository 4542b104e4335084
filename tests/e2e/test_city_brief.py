"""The city brief in a real Chromium: /city?place=遂宁 offers the PDF, and the file downloaded
is an A4 brief naming the unit (read back with pdftotext)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
    reason="poppler-utils (pdftotext) not installed",
)
def test_download_the_brief_from_the_city_page(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/city?place=遂宁", wait_until="domcontentloaded")
    button = page.locator('[data-testid="stDownloadButton"] button').filter(has_text="下载城市简报 PDF")
    button.wait_for(state="visible", timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == f"遂宁市-{date.today().isoformat()}-zh.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "城市简报:遂宁市" in flat and f"截至{date.today().isoformat()}" in flat and "第1/" in flat
