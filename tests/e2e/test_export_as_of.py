"""A day travels with the selection in a real Chromium: the map coloured by progress as of
2024-06-30 → "export these features" → the export page's download link → a GeoJSON whose phases
are the ledger's as of 2024-06-30 (computed by the library), not today's.

The server has a ledger of its own with one event after that day, so "as of 2024-06-30" and
"today" give different files and the test can tell them apart."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.clock import plan_today
from geo.progress import NewEvent, add_event, latest_as_of, list_events, open_ledger
from tests.e2e.browser import TIMEOUT_MS, screenshot, wait_until_finished
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.browser

AS_OF = date(2024, 6, 30)
LATER = NewEvent("air-leshan", "2025-03", "开工", "乐山市人民政府公告 2025-03 as-of-test", "", "监测科")


@pytest.fixture(scope="module")
def ledger_app(tmp_path_factory):
    """(base URL, ledger URL): the app over a ledger of its own, holding an event after AS_OF."""
    directory = tmp_path_factory.mktemp("as_of")
    ledger_url = f"sqlite:///{directory / 'ledger.sqlite'}"
    add_event(open_ledger(ledger_url), LATER)
    with running_app(directory, env={"PLANMAP_DATABASE_URL": ledger_url}) as url:
        yield url, ledger_url


def test_the_map_s_day_reaches_the_downloaded_file(ledger_app, browser_page):
    app_url, ledger_url = ledger_app
    page = browser_page
    page.goto(f"{app_url}/map?layers=aviation&colour=phase&as_of={AS_OF}", wait_until="domcontentloaded")
    link = page.get_by_role("link", name=re.compile("导出这些要素"))
    link.wait_for(timeout=TIMEOUT_MS)
    wait_until_finished(page)
    with page.context.expect_page(timeout=TIMEOUT_MS) as opened:
        link.click()  # the link opens the export page in a new tab
    page = opened.value
    page.wait_for_url(re.compile(r"/export\?"), timeout=TIMEOUT_MS)
    assert parse_qs(urlsplit(page.url).query)["as_of"] == [AS_OF.isoformat()]

    button = page.locator('a[download][href^="/api/export?"]').first
    button.wait_for(state="visible", timeout=TIMEOUT_MS)
    wait_until_finished(page)
    asked = parse_qs(urlsplit(button.get_attribute("href")).query)
    assert asked["as_of"] == [AS_OF.isoformat()] and asked["layers"] == ["aviation"]
    assert asked["format"] == ["geojson"]
    screenshot(page, "export-as-of")
    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        button.click()
    document = json.loads(Path(download_info.value.path()).read_bytes().decode("utf-8"))

    events = list_events(open_ledger(ledger_url))
    then, now = latest_as_of(events, AS_OF), latest_as_of(events, plan_today())
    phases = {f["id"]: f["properties"] for f in document["features"]}
    assert phases and all(props["layer"] == "aviation" for props in phases.values())
    for item_id, props in phases.items():
        event = then.get(item_id)
        assert props["phase"] == (event.phase if event else None), item_id
        assert props["phase_date"] == (event.date_text if event else None), item_id
    # The event after the day is in the ledger (today's file would show it), not in this file.
    assert now[LATER.item_id].phase == "开工" and phases[LATER.item_id]["phase"] is None
