"""How fast the map, city and task pages feel in a browser, beside a naive build of the same pages.

Run: python benchmarks/browser.py [--samples 5] [--out results.json] [--pages all|city]
(``--pages city``: only the city page's load and click, no restarts or memory runs).

Starts the app (``app.py``) and the naive build (``benchmarks/naive/app.py``) on free local ports
and drives Debian's Chromium (``/usr/bin/chromium``) headless with every non-local request
blocked and a fresh browser context for each sample. Samples alternate between the two builds so
both see the same machine load. Prints a table of medians with the ratio app/naive and the
target, and writes the figures, ratios and raw samples as JSON.

What is measured (seconds unless noted):
- ``load_map`` / ``load_city`` / ``load_tasks``: navigation → the map's vector features drawn;
- ``first_map``: the first /map visit after ``streamlit run`` (both servers restarted per sample);
- ``click_city``: click on 遂宁 on the /city map → its panel heading shown;
- ``card_city``: the same click → the unit named on the map itself (the app only: the browser
  answers before the server does);
- ``click_map``: click on a railway on /map → the details panel shown;
- ``filter_map``: one layer removed on /map → the map redrawn (and whether it was re-mounted);
- ``ws_first_map`` / ``ws_click_map`` / ``ws_filter_map``, ``ws_first_city`` / ``ws_click_city``:
  bytes received over the websocket;
- ``rss_1`` / ``rss_10``: server memory (MB) with 1 and with 10 open /map sessions.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

# Run in every frame before its scripts: the map tools then publish ``window.PlanMap.test``.
MAP_TEST_HOOKS = "window.__planmapTestHooks = true;"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.browser import RAILWAY_POINT  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 120_000
BUILDS = {"app": "app.py", "naive": "benchmarks/naive/app.py"}
# Interactive shapes that mean "the map is drawn" on each page (both builds draw at least these).
MIN_SHAPES = {"/map": 100, "/city": 59, "/city?place=遂宁": 59, "/tasks?task=10": 30}
TARGETS = {
    "load_map": "≤ 2.0 s",
    "load_city": "≤ 2.0 s",
    "load_tasks": "≤ 2.0 s",
    "first_map": "≤ 4.0 s",
    "click_city": "≤ 0.5 s",
    "card_city": "",
    "click_map": "≤ 1.0 s",
    "filter_map": "≤ 1.0 s",
    "ws_first_map": "≤ 1.0 MB",
    "ws_click_map": "",
    "ws_filter_map": "",
    "ws_first_city": "",
    "ws_click_city": "≤ 20 KB",
    "rss_1": "",
    "rss_10": "≤ 1.5 × rss_1",
}
SUINING = (30.53, 105.59)  # a point inside 遂宁市 (its seat's district)


# -- servers ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, build: str):
        self.build = build
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable, "-m", "streamlit", "run", BUILDS[self.build],
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.enableStaticServing", "true",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.build} server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def rss_mb(self) -> float:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:"))
        return kb / 1024


# -- browser ---------------------------------------------------------------------------------------
def _local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


class Probe:
    """A fresh context and page with non-local requests blocked and websocket bytes counted."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        self.context.add_init_script(MAP_TEST_HOOKS)  # to see when the city map's units are drawn
        self.page = self.context.new_page()
        self.received = 0
        self.page.route("**/*", lambda r: r.continue_() if _local(r.request.url) else r.abort())
        self.page.on("websocket", self._on_ws)

    def _on_ws(self, ws) -> None:
        ws.on("framereceived", lambda payload: self._count(payload))

    def _count(self, payload) -> None:
        self.received += len(payload) if isinstance(payload, bytes | bytearray) else len(payload.encode())

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> Probe:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open_map(self, base: str, path: str):
        """Load ``path``, wait for its script to end, and give the map's frame."""
        self.load(base, path)
        self.finished()
        return self.frame()

    def frame(self):
        handle = self.page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
        return handle.content_frame()

    def wait_drawn(self, minimum: int):
        frame = self.frame()
        frame.wait_for_function(
            "n => document.querySelectorAll('path.leaflet-interactive').length >= n",
            arg=minimum,
            timeout=TIMEOUT_MS,
        )
        return frame

    def finished(self) -> None:
        self.page.wait_for_selector(FINISHED, timeout=TIMEOUT_MS)

    def load(self, base: str, path: str) -> float:
        started = time.perf_counter()
        self.page.goto(base + path, wait_until="commit", timeout=TIMEOUT_MS)
        self.wait_drawn(MIN_SHAPES[path])
        return time.perf_counter() - started

    def click_lat_lon(self, frame, lat: float, lon: float) -> None:
        x, y = frame.evaluate(
            "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
            [lat, lon],
        )
        box = self.page.locator(MAP_FRAME).first.bounding_box()
        self.page.mouse.click(box["x"] + x, box["y"] + y)

    def click_railway(self, frame) -> None:
        point = frame.evaluate(RAILWAY_POINT, "#d62728")
        if point is None:
            raise RuntimeError("no railway in view")
        box = self.page.locator(MAP_FRAME).first.bounding_box()
        self.page.mouse.click(box["x"] + point[0], box["y"] + point[1])


SHAPES = "() => document.querySelectorAll('path.leaflet-interactive').length"
DETAILS = {"app": ".st-key-map_details", "naive": ".st-key-naive_details"}


# -- scenarios -------------------------------------------------------------------------------------
def sample_loads(browser, build: str, base: str) -> dict:
    out = {}
    for name, path in (
        ("load_map", "/map"),
        ("load_city", "/city?place=遂宁"),
        ("load_tasks", "/tasks?task=10"),
    ):
        with Probe(browser) as probe:
            out[name] = probe.load(base, path)
            if name in ("load_map", "load_city"):
                probe.finished()
                out[f"ws_first_{name[5:]}"] = probe.received
    return out


def sample_city_click(browser, build: str, base: str) -> dict:
    with Probe(browser) as probe:
        frame = probe.open_map(base, "/city")
        probe.wait_drawn(MIN_SHAPES["/city"])
        before = probe.received
        started = time.perf_counter()
        probe.click_lat_lon(frame, *SUINING)
        out = {}
        if frame.evaluate(
            "() => !!(window.PlanMap && window.PlanMap.test && window.PlanMap.test.state.units)"
        ):
            frame.locator(".plan-unit-card", has_text="遂宁市").wait_for(timeout=TIMEOUT_MS)
            out["card_city"] = time.perf_counter() - started
        probe.page.get_by_role("heading", name="遂宁市").first.wait_for(timeout=TIMEOUT_MS)
        out["click_city"] = time.perf_counter() - started
        probe.finished()
        out["ws_click_city"] = probe.received - before
        return out


def sample_map_interactions(browser, build: str, base: str) -> dict:
    with Probe(browser) as probe:
        frame = probe.open_map(base, "/map")
        frame.evaluate("() => { window.__benchMark = 1; }")
        before = probe.received
        started = time.perf_counter()
        probe.click_railway(frame)
        probe.page.locator(DETAILS[build]).first.wait_for(timeout=TIMEOUT_MS)
        click = time.perf_counter() - started
        probe.finished()
        click_bytes = probe.received - before

        shapes = probe.frame().evaluate(SHAPES)
        before = probe.received
        started = time.perf_counter()
        # Remove the last chosen layer (公共服务) from the layer multiselect.
        probe.page.locator('[data-testid="stMultiSelect"] input').first.click()
        probe.page.keyboard.press("Backspace")
        probe.page.keyboard.press("Escape")
        _wait_for_redraw(probe, shapes)
        filter_time = time.perf_counter() - started
        probe.finished()
        remounted = probe.frame().evaluate("() => window.__benchMark !== 1")
        return {
            "click_map": click,
            "ws_click_map": click_bytes,
            "filter_map": filter_time,
            "ws_filter_map": probe.received - before,
            "filter_remounted": bool(remounted),
        }


def _wait_for_redraw(probe: Probe, before: int) -> None:
    """The map shows a different number of shapes (a re-mounted map's frame may be replaced)."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    check = f"() => {{ const n = ({SHAPES[6:]}); return n !== {before} && n > 50; }}"
    while time.monotonic() < deadline:
        try:
            probe.frame().wait_for_function(check, timeout=TIMEOUT_MS)
            return
        except Error:
            continue
    raise TimeoutError("the map was not redrawn")


def sample_first_visit(browser, server: Server) -> float:
    server.stop()
    server.start()
    with Probe(browser) as probe:
        return probe.load(server.url, "/map")


def memory(browser, server: Server) -> dict:
    one = Probe(browser)
    one.load(server.url, "/map")
    one.finished()
    rss_1 = server.rss_mb()
    probes = [Probe(browser) for _ in range(9)]
    for probe in probes:
        probe.page.goto(server.url + "/map", wait_until="commit", timeout=TIMEOUT_MS)
    for probe in probes:
        probe.wait_drawn(MIN_SHAPES["/map"])
        probe.finished()
    rss_10 = server.rss_mb()
    for probe in [one, *probes]:
        probe.close()
    return {"rss_1": rss_1, "rss_10": rss_10}


# -- report ----------------------------------------------------------------------------------------
def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "–"
    if metric.startswith("ws_"):
        return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.0f} KB"
    if metric.startswith("rss_"):
        return f"{value:.0f} MB"
    return f"{value:.2f} s"


def table(figures: dict, load: tuple[float, float, float], samples: int) -> str:
    lines = [
        f"Medians of {samples} samples, headless Chromium, non-local requests blocked, fresh context each; "
        f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.",
        "",
        "| measure | app | naive | app/naive | target |",
        "|---|---|---|---|---|",
    ]
    for metric, target in TARGETS.items():
        app = figures["app"].get(metric)
        naive = figures["naive"].get(metric)
        if app is None and naive is None:
            continue  # not measured in this run (--pages)
        ratio = f"{app / naive:.2f}" if app is not None and naive else "–"
        lines.append(f"| {metric} | {_fmt(metric, app)} | {_fmt(metric, naive)} | {ratio} | {target} |")
    if "filter_map" in figures["app"]:
        remounts = figures["app"].get("filter_remounted"), figures["naive"].get("filter_remounted")
        lines.append("")
        lines.append(f"Map re-mounted on a filter change: app {remounts[0]}, naive {remounts[1]}.")
    return "\n".join(lines)


def report(raw: dict, mem: dict, samples: int, out: Path | None, *, final: bool) -> None:
    figures: dict[str, dict] = {}
    for build, records in raw.items():
        figures[build] = {
            metric: statistics.median(r[metric] for r in records)
            for metric in TARGETS
            if metric in records[0]
        }
        figures[build].update(mem.get(build, {}))
        figures[build]["filter_remounted"] = any(r.get("filter_remounted") for r in records)
    ratios = {
        metric: figures["app"][metric] / figures["naive"][metric]
        for metric in TARGETS
        if figures["naive"].get(metric) and metric in figures["app"]
    }
    load = os.getloadavg()
    text = table(figures, load, samples)
    if final:
        print(text)
    else:
        print(f"after {samples} samples:\n{text}", file=sys.stderr)
    if out:
        result = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "complete": final,
            "cpus": os.cpu_count(),
            "load_average": load,
            "samples": samples,
            "targets": TARGETS,
            "figures": figures,
            "ratios": ratios,
            "raw": raw,
            "table": text,
        }
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--pages", choices=("all", "city"), default="all")
    args = parser.parse_args(argv)
    if args.samples < 1:
        print("--samples must be at least 1", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    servers = {build: Server(build) for build in BUILDS}
    raw: dict[str, list[dict]] = {build: [] for build in BUILDS}
    mem: dict[str, dict] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            everything = args.pages == "all"
            for sample in range(args.samples):
                for build, server in servers.items():
                    if everything:
                        raw[build].append({"first_map": sample_first_visit(browser, server)})
                    else:
                        if sample == 0:
                            server.start()
                        raw[build].append({})
                for build, server in servers.items():
                    if sample == 0:  # a warm server: each page once before measuring
                        warm = Probe(browser)
                        for path in ("/map", "/city", "/tasks?task=10") if everything else ("/city",):
                            warm.load(server.url, path)
                        warm.close()
                    record = raw[build][-1]
                    if everything:
                        record.update(sample_loads(browser, build, server.url))
                    else:
                        with Probe(browser) as probe:
                            record["load_city"] = probe.load(server.url, "/city?place=遂宁")
                            probe.finished()
                            record["ws_first_city"] = probe.received
                    record.update(sample_city_click(browser, build, server.url))
                    if everything:
                        record.update(sample_map_interactions(browser, build, server.url))
                if sample == 0 and everything:
                    mem = {build: memory(browser, server) for build, server in servers.items()}
                # Written after every sample, so a long run on a busy machine leaves its figures.
                report(raw, mem, sample + 1, args.out, final=sample + 1 == args.samples)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
