"""Load test: N simultaneous visitors on a local server, each doing what a planner does.

    python benchmarks/load.py --sessions 1 10 20

For each N it starts ``streamlit run app.py`` on 127.0.0.1 (a free port), opens N headless
Chromium pages at once (Debian's /usr/bin/chromium; every request not to this machine is
aborted) and has each one:

1. open ``/map?layers=railway`` and wait for the map's shapes,
2. filter: ``/map?layers=railway&status=加快建设`` until the map shows the filtered count,
3. open ``/city``, click 遂宁 on the map and wait for its heading,
4. open ``/export?layers=railway`` and download the GeoJSON (the whole file).

It prints per step and for the whole visit the p50/p95 seconds, the number of failed visits,
and the server's CPU seconds and resident memory (start, peak, end) read from /proc. It is a
measurement, not a test: nothing is asserted, and every wait is bounded (--timeout), so a run
ends even on a broken server. The browsers run on the same machine as the server and compete
with it for the cores; the server's CPU seconds say how much of the time was the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.gazetteer import load_gazetteer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
STEPS = ("map", "filter", "city click", "export download")
MAX_SESSIONS = 40
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


# -- the server and its /proc figures --------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"the server did not start:\n{log.read_text()[-2000:]}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE / 2**20


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, rss_mb(pid), threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:
                return


# -- one visitor -------------------------------------------------------------------------------------
async def _finished(page, timeout_ms: int) -> None:
    await page.wait_for_selector(FINISHED, timeout=timeout_ms)


async def _map_shapes(page, timeout_ms: int, at_least: int = 1):
    await page.wait_for_selector("iframe[title*='st_folium']", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        frame = next((f for f in page.frames if "streamlit_folium" in f.url), None)
        if frame is not None:
            break
        if time.monotonic() > deadline:
            raise TimeoutError("no map frame")
        await page.wait_for_timeout(100)
    await frame.wait_for_function(
        "n => window.map && document.querySelectorAll('.leaflet-interactive').length >= n",
        arg=at_least,
        timeout=timeout_ms,
    )
    return frame


async def visit(browser, url: str, suining: tuple[float, float], timeout_ms: int) -> dict[str, float]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

    async def local_only(route):
        host = urlparse(route.request.url).hostname or ""
        if urlparse(route.request.url).scheme in ("data", "blob") or host in LOCAL_HOSTS:
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", local_only)
    page = await context.new_page()
    times: dict[str, float] = {}
    step = "map"
    try:
        started = time.perf_counter()
        await page.goto(f"{url}/map?layers=railway", wait_until="domcontentloaded", timeout=timeout_ms)
        await _map_shapes(page, timeout_ms)
        await _finished(page, timeout_ms)
        times["map"] = time.perf_counter() - started

        step = "filter"
        started = time.perf_counter()
        await page.goto(
            f"{url}/map?layers=railway&status=加快建设", wait_until="domcontentloaded", timeout=timeout_ms
        )
        await page.get_by_text("显示", exact=False).first.wait_for(timeout=timeout_ms)
        await _map_shapes(page, timeout_ms)
        await _finished(page, timeout_ms)
        times["filter"] = time.perf_counter() - started

        step = "city click"
        started = time.perf_counter()
        await page.goto(f"{url}/city", wait_until="domcontentloaded", timeout=timeout_ms)
        frame = await _map_shapes(page, timeout_ms, at_least=59)
        await _finished(page, timeout_ms)
        lat, lon = suining
        point = await frame.evaluate(
            "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
            [lat, lon],
        )
        box = await frame.locator("#map_div").bounding_box()
        await page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        await page.get_by_role("heading", name="遂宁市").first.wait_for(timeout=timeout_ms)
        times["city click"] = time.perf_counter() - started

        step = "export download"
        started = time.perf_counter()
        await page.goto(f"{url}/export?layers=railway", wait_until="domcontentloaded", timeout=timeout_ms)
        button = page.locator('a[download][href^="/api/export?"]').first
        await button.wait_for(state="visible", timeout=timeout_ms)
        async with page.expect_download(timeout=timeout_ms) as info:
            await button.click()
        download = await info.value
        if await download.failure() is not None or Path(await download.path()).stat().st_size == 0:
            raise RuntimeError(f"download failed: {await download.failure()}")
        times["export download"] = time.perf_counter() - started
        return times
    except Exception as exc:  # the report counts failures by the step they happened in
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        shot = Path(tempfile.mkstemp(prefix="load-failure-", suffix=".png")[1])
        try:
            await page.screenshot(path=str(shot), full_page=True, timeout=30_000)
        except Exception:  # a page that cannot even be photographed: the message says so
            shot = Path("(no screenshot)")
        raise RuntimeError(f"{step}: {type(exc).__name__}: {first_line} at {page.url} ({shot})") from exc
    finally:
        await context.close()


async def run_sessions(n: int, url: str, timeout_ms: int) -> tuple[list[dict], list[str], float]:
    from playwright.async_api import async_playwright

    inside = load_gazetteer().boundary("510900").representative_point()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            started = time.perf_counter()
            results = await asyncio.gather(
                *(visit(browser, url, (inside.y, inside.x), timeout_ms) for _ in range(n)),
                return_exceptions=True,
            )
            wall = time.perf_counter() - started
        finally:
            await browser.close()
    done = [r for r in results if isinstance(r, dict)]
    errors = [
        f"{type(r).__name__}: {str(r).splitlines()[0] if str(r) else ''}"
        for r in results
        if not isinstance(r, dict)
    ]
    return done, errors, wall


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure(n: int, timeout_ms: int) -> dict:
    log = Path(tempfile.mkstemp(prefix="load-server-", suffix=".log")[1])
    process, url = start_server(log)
    try:
        # One visit first, so every run measures a warm server (data loaded, caches filled).
        asyncio.run(run_sessions(1, url, timeout_ms))
        cpu_before, rss_before = cpu_seconds(process.pid), rss_mb(process.pid)
        sampler = RssSampler(process.pid)
        sampler.start()
        done, errors, wall = asyncio.run(run_sessions(n, url, timeout_ms))
        sampler.stopped.set()
        cpu = cpu_seconds(process.pid) - cpu_before
        rss_after = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    totals = [sum(r.values()) for r in done]
    return {
        "sessions": n,
        "ok": len(done),
        "errors": errors,
        "wall_s": wall,
        "server_cpu_s": cpu,
        "rss_mb": (rss_before, sampler.peak, rss_after),
        "steps": {step: [r[step] for r in done] for step in STEPS},
        "total": totals,
    }


def report(result: dict) -> None:
    n = result["sessions"]
    start, peak, end = result["rss_mb"]
    print(
        f"\n{n} session(s): {result['ok']} completed, {len(result['errors'])} failed; wall {result['wall_s']:.1f} s; "
        f"server CPU {result['server_cpu_s']:.1f} s ({result['server_cpu_s'] / result['wall_s']:.0%} of one core); "
        f"server RSS {start:.0f} → peak {peak:.0f} → {end:.0f} MB"
    )
    print(f"  {'step':<16} {'p50 s':>7} {'p95 s':>7}")
    for step, values in [*result["steps"].items(), ("whole visit", result["total"])]:
        print(f"  {step:<16} {percentile(values, 50):7.2f} {percentile(values, 95):7.2f}")
    for error in sorted(set(result["errors"])):
        print(f"  error ×{result['errors'].count(error)}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 20], metavar="N")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds any one wait may take (default 300)"
    )
    args = parser.parse_args()
    if any(not 1 <= n <= MAX_SESSIONS for n in args.sessions):
        parser.error(f"--sessions: between 1 and {MAX_SESSIONS}")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    # SIGTERM unwinds like Ctrl-C, so the server this script started is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"load test on {os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.1f}")
    for n in args.sessions:
        report(measure(n, int(args.timeout * 1000)))


if __name__ == "__main__":
    main()
