"""Recording progress in a real Chromium: with the editor key an event is recorded on 进展 and shows
on the map as of today, not as of the day before; without the key there is no edit control.
Stored Markdown, HTML and formulas in notes, sources and authors show as text on 进展 and in the
map's details: no link, image or script is made from them and no request leaves the machine."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import timedelta

import pytest

from geo.clock import plan_today
from tests.conftest import TEST_EDITOR_KEY
from tests.e2e.browser import TIMEOUT_MS, screenshot, wait_until_finished
from tests.e2e.conftest import ROOT
from tests.e2e.test_map_city import folium_frame, map_features
from tests.test_escaping import STORED

pytestmark = pytest.mark.browser

ITEM = "air-wansheng"
SOURCE = "万盛经开区管委会公告 https://example.org/wansheng-airport"


def _phase_on_map(page, url: str) -> str:
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    frame = folium_frame(page)
    wait_until_finished(page)
    # The selected item is also drawn as a highlight outline, which carries no phase.
    (phase,) = {p["phase"] for p in map_features(frame) if p.get("id") == ITEM and "phase" in p}
    return phase


def test_without_the_key_there_is_no_edit_control(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.get_by_text("只读:输入编辑密钥后才能记录事件。").wait_for(timeout=TIMEOUT_MS)
    wait_until_finished(page)
    assert page.get_by_role("button", name="记录").count() == 0
    assert page.get_by_label("来源(网址或文件引用,必填)").count() == 0


def test_recorded_event_shows_on_the_map_as_of_today_only(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/progress?item={ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    key = page.get_by_label("编辑密钥")
    key.wait_for(timeout=TIMEOUT_MS)
    key.fill(TEST_EDITOR_KEY)
    key.press("Enter")
    source = page.get_by_label("来源(网址或文件引用,必填)")
    source.wait_for(timeout=TIMEOUT_MS)
    source.fill(SOURCE)
    page.get_by_label("记录人").fill("监测科")
    page.get_by_role("button", name="记录").click()
    page.get_by_text("已记录事件", exact=False).wait_for(timeout=TIMEOUT_MS)
    page.get_by_text(SOURCE, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "progress-recorded")

    today = plan_today()
    base = f"{app_server}/map?layers=aviation&colour=phase&feature={ITEM}"
    assert _phase_on_map(page, base) == "前期研究"
    page.get_by_text(f"截至 {today.isoformat()} 的进展:", exact=False).wait_for(timeout=TIMEOUT_MS)
    page.get_by_text(SOURCE, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "map-as-of-today")

    yesterday = (today - timedelta(days=1)).isoformat()
    assert _phase_on_map(page, f"{base}&as_of={yesterday}") == ""
    page.get_by_text(f"截至 {yesterday} 的进展:", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text(SOURCE, exact=False).count() == 0


HOSTILE_ITEM = "air-guangan"
CLEAN_URL = "https://example.org/notice?id=1&lang=zh"
# (source, note, author) of the events recorded through the CLI, oldest first; the last one is
# the latest, whose source the map's details show.
HOSTILE_EVENTS = [
    (STORED["formula"], f"{STORED['image']} {STORED['link']}", STORED["html-img"]),
    (
        "data:text/html,<script>window.__pwned=4</script>",
        f"{STORED['script']} {STORED['data-link']}",
        "**粗体** <b>作者</b>",
    ),
    ("javascript:window.__pwned=5", STORED["autolink"], STORED["javascript-link"]),
    (CLEAN_URL, STORED["emphasis"], "[监测科](https://evil.example/a)"),
    (f"{STORED['image']} {STORED['link']} {STORED['html-img']}", STORED["data-link"], "ops@evil.example"),
]
# Addresses and markup that must never become an element's link or source.
NOT_LINKED = (
    "a[href*='evil.example'], a[href^='javascript:'], a[href^='data:'], "
    "[src*='tracker.example'], [src*='evil.example'], img[src='x']"
)


@pytest.fixture(scope="module")
def hostile_events(app_server, tmp_path_factory):
    """The events above, recorded with ``progress import`` into the server's ledger."""
    path = tmp_path_factory.mktemp("hostile") / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item_id", "date", "phase", "source", "note", "author"])
        for day, (source, note, author) in enumerate(HOSTILE_EVENTS, start=1):
            writer.writerow([HOSTILE_ITEM, f"2022-01-{day:02d}", "前期研究", source, note, author])
    done = subprocess.run(
        [sys.executable, "-m", "geo", "progress", "import", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return HOSTILE_EVENTS


def _shown_text(page) -> str:
    """The page's text as a reader sees it (the zero-width spaces that stop autolinks removed)."""
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u200b", "")


def _assert_nothing_made_from_stored_text(page) -> None:
    for frame in page.frames:
        assert frame.locator(NOT_LINKED).count() == 0, frame.url
    hrefs = page.locator('[data-testid="stMain"] a[href]').evaluate_all("links => links.map(a => a.href)")
    outside = [h for h in hrefs if not h.startswith("http://127.0.0.1:") and h != CLEAN_URL]
    assert outside == []
    assert page.evaluate("window.__pwned") is None
    assert page.blocked_requests == []


def test_stored_text_is_shown_as_text_on_the_progress_page(app_server, browser_page, hostile_events):
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{app_server}/progress?item={HOSTILE_ITEM}", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.get_by_text("HYPERLINK", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    wait_until_finished(page)
    screenshot(page, "progress-stored-text")
    text = _shown_text(page)
    for source, note, author in hostile_events:
        for value in (source, note, author):
            assert value in text, value
    link = page.locator(f'[data-testid="stMain"] a[href="{CLEAN_URL}"]')
    assert link.count() == 1 and link.inner_text().replace("\u200b", "") == CLEAN_URL
    _assert_nothing_made_from_stored_text(page)
    assert dialogs == []


def test_stored_source_is_shown_as_text_in_the_map_details(app_server, browser_page, hostile_events):
    page = browser_page
    latest_source = hostile_events[-1][0]
    url = f"{app_server}/map?layers=aviation&basemap=admin&feature={HOSTILE_ITEM}&as_of=2022-01-31"
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.get_by_text("截至 2022-01-31 的进展:", exact=False).wait_for(timeout=TIMEOUT_MS)
    folium_frame(page)
    wait_until_finished(page)
    screenshot(page, "map-details-stored-text")
    assert latest_source in _shown_text(page)
    _assert_nothing_made_from_stored_text(page)
