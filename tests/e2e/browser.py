"""What the browser tests do to a Streamlit page: wait for it, count Leaflet shapes, screenshot it."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.conftest import SHOTS_DIR

TIMEOUT_MS = 90_000
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SCRIPT_FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The screen point (inside the map frame) of the middle of a long line drawn in ``colour`` that is
# on top there and away from the map's edges; null when none is in view.
RAILWAY_POINT = """(colour) => {
  const paths = Array.from(document.querySelectorAll('path.leaflet-interactive'))
    .filter(p => p.getAttribute('stroke') === colour);
  for (const p of paths) {
    const len = p.getTotalLength(); if (len < 60) continue;
    const pt = p.getPointAtLength(len / 2); const m = p.getScreenCTM();
    const x = pt.x * m.a + pt.y * m.c + m.e, y = pt.x * m.b + pt.y * m.d + m.f;
    if (document.elementFromPoint(x, y) === p && x > 80 && y > 80 && x < innerWidth - 80 && y < innerHeight - 80)
      return [x, y];
  }
  return null; }"""


def wait_until_finished(page) -> None:
    """Streamlit says the page's script has run to its end."""
    page.wait_for_selector(SCRIPT_FINISHED, timeout=TIMEOUT_MS)


def open_page(page, url: str, *, last_text: str | None = None, heading: str | None = None) -> float:
    """Seconds from asking for ``url`` until its last text (or its heading) is drawn and the script ends."""
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    if last_text is not None:
        page.get_by_text(last_text, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    if heading is not None:
        page.get_by_role("heading", name=heading, level=1).wait_for(timeout=TIMEOUT_MS)
    wait_until_finished(page)
    return time.perf_counter() - started


def map_shapes(page, index: int = 0) -> int:
    """Number of vector shapes Leaflet drew in the ``index``-th map (waits for the map first)."""
    frame = page.frame_locator(MAP_FRAME).nth(index)
    frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
    shapes = frame.locator("path.leaflet-interactive")
    shapes.first.wait_for(timeout=TIMEOUT_MS)
    return shapes.count()


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is made as tall."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(1500)  # let the maps and charts redraw at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
