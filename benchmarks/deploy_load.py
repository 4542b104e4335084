"""Load and faults through the deployment: 1 vs 2 replicas behind nginx (``python -m deploy up``).

    python benchmarks/deploy_load.py --replicas 1 2 --browsers 4 --light 16

For each replica count it starts the deployment on a free port and, once warm, runs at once:

- ``--browsers`` headless Chromium sessions (the journey of benchmarks/load.py: /map, a filter,
  a click on 遂宁 on /city, a GeoJSON download from /export),
- ``--light`` sessions (each ``--rounds`` journeys) of a light client that speaks Streamlit's own
  websocket protocol, as the browser does but without drawing: GET the page (nginx sets the route
  cookie), one websocket, the same four steps as reruns (/map, the filter, /city?place=遂宁,
  /export) and the download of the export page's file (its link to ``/api/export``) through nginx
  with the session's cookie; when its websocket drops it reconnects and asks for the same URL again (the
  URL is the state),
- ``--downloads`` more light sessions that only open /export and download its file (the page's
  link, answered by whichever replica the request reaches),
- ``--route-downloads`` GETs of ``/api/export`` (a GeoPackage), each a new client without cookie,
- ``--writers`` concurrent ``python -m geo progress --database <the deployment's URL> add``,
- with 2 or more replicas: SIGKILL of the last replica ``--kill-at`` seconds in.

Then it counts the events written (all must be there), and prints errors, HTTP status counts
(nginx's access log), p50/p95 per step, reconnects, and CPU seconds and peak RSS of the replicas,
nginx and PostgreSQL (each with its children, from /proc). Nothing is asserted: a measurement.
The browsers and light clients share the machine's cores with the servers.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from load import CHROMIUM, percentile, run_sessions  # noqa: E402

from deploy.replicas import free_port  # noqa: E402

LIGHT_STEPS = (
    ("map", "map", "layers=railway", None),
    ("filter", "map", "layers=railway&status=" + quote("加快建设"), None),
    ("city", "city", "place=" + quote("遂宁"), "遂宁市"),
    ("export download", "export", "layers=railway", None),
)
REPLICA = re.compile(r"^replica (\d+)\s+pid (\d+)\s+http://(\S+)$")
PIDS = re.compile(r"^(PostgreSQL|nginx)\s+pid (\d+)\s+(\S+)")
# The export page's download: ``<a … href="/api/export?…" download="…">`` in a markdown element.
DOWNLOAD_LINK = re.compile(r'<a [^>]*href="(/api/export\?[^"]*)"[^>]*\sdownload=')
STATUS = re.compile(r'"[A-Z]+ (\S+) [^"]*" (\d{3}) \d+ upstream=')
# Streamlit's frontend looks for its server under the page's path first (/map/_stcore/health,
# then /_stcore/health): those 404s are its own probing, with or without nginx, and counted apart.
BASE_PROBE = re.compile(r"^/[^?]+/_stcore/(health|host-config)$")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- processes and their /proc figures ---------------------------------------------------------------
def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, ValueError, IndexError):
                pass
    found, frontier = [root], {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found.extend(frontier)
    return found


def _usage(root: int) -> tuple[float, float]:
    """CPU seconds (with reaped children's) and RSS MB of ``root`` and every process below it."""
    cpu = rss = 0.0
    for index, pid in enumerate(_tree(root)):
        try:
            fields = _stat(pid)
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20
        except (OSError, IndexError):
            continue
        ticks = int(fields[11]) + int(fields[12])
        if index == 0:
            ticks += int(fields[13]) + int(fields[14])  # children it has waited for
        cpu += ticks / TICKS
    return cpu, rss


class Sampler(threading.Thread):
    """CPU seconds used since the start and peak RSS per named process tree, every 0.5 s."""

    def __init__(self, roots: dict[str, int]):
        super().__init__(daemon=True)
        self.roots, self.stopped = roots, threading.Event()
        self.start_cpu = {name: _usage(pid)[0] for name, pid in roots.items()}
        self.cpu = dict.fromkeys(roots, 0.0)
        self.peak = dict.fromkeys(roots, 0.0)

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            for name, pid in self.roots.items():
                if not Path(f"/proc/{pid}").exists():
                    continue  # a killed replica keeps its last figures
                cpu, rss = _usage(pid)
                self.cpu[name] = max(self.cpu[name], cpu - self.start_cpu[name])
                self.peak[name] = max(self.peak[name], rss)


# -- the light client ---------------------------------------------------------------------------------
class LightSession:
    """One visitor without a browser: a route cookie, one websocket, reruns by URL."""

    def __init__(self, base: str, timeout: float):
        self.base, self.timeout = base, timeout
        self.cookie = ""
        self.ws = None
        self.reconnects = 0
        self.replicas: set[str] = set()

    def _get(self, path: str) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(
            f"{self.base}{path}", headers={"Cookie": self.cookie} if self.cookie else {}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, b"", dict(exc.headers)

    async def open_page(self, page: str, query: str) -> None:
        status, _, headers = await asyncio.to_thread(self._get, f"/{page}?{query}")
        if status != 200:
            raise RuntimeError(f"GET /{page}: HTTP {status}")
        cookie = headers.get("Set-Cookie", "")
        if cookie.startswith("planmap_route="):
            self.cookie = cookie.split(";", 1)[0]

    async def _connect(self) -> None:
        import websockets

        host = self.base.split("://", 1)[1]
        self.ws = await websockets.connect(
            f"ws://{host}/_stcore/stream",
            origin=self.base,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self.cookie},
            max_size=None,
            open_timeout=self.timeout,
        )
        self.replicas.add(self.ws.response.headers.get("X-Planmap-Replica", "?"))

    async def rerun(self, page: str, query: str, expect: str | None) -> list:
        """Ask for ``page?query`` and read until the script finishes; reconnect once if the socket drops."""
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        for attempt in range(3):
            try:
                if self.ws is None:
                    await self._connect()
                message = BackMsg()
                message.rerun_script.query_string = query
                message.rerun_script.page_name = page
                await self.ws.send(message.SerializeToString())
                elements, seen = [], b""
                while True:
                    raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
                    forward = ForwardMsg()
                    forward.ParseFromString(raw)
                    kind = forward.WhichOneof("type")
                    if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                        elements.append(forward.delta.new_element)
                        seen += raw
                    elif kind == "page_not_found":
                        raise RuntimeError(f"page not found: {page}")
                    elif kind == "script_finished":
                        break
                errors = [e.exception.message for e in elements if e.WhichOneof("type") == "exception"]
                if errors:
                    raise RuntimeError(f"{page}: exception on the page: {errors[0][:120]}")
                if expect and expect.encode() not in seen:
                    raise RuntimeError(f"{page}: {expect} not shown")
                return elements
            except (websockets.ConnectionClosed, ConnectionError, OSError) as exc:
                # The replica went away: a new socket (nginx picks a live replica), the same URL.
                self.ws, self.reconnects = None, self.reconnects + 1
                if attempt == 2:
                    raise RuntimeError(f"{page}: connection lost three times ({type(exc).__name__})") from exc
                await self.open_page(page, query)

    async def download(self, elements: list) -> int:
        urls = [
            html.unescape(url)
            for e in elements
            if e.WhichOneof("type") == "markdown"
            for url in DOWNLOAD_LINK.findall(e.markdown.body)
        ]
        if not urls:
            raise RuntimeError("export: no download link")
        status, body, _ = await asyncio.to_thread(self._get, urls[0])
        if status != 200 or not body:
            raise RuntimeError(f"download {urls[0]}: HTTP {status}, {len(body)} bytes")
        return len(body)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def light_visit(base: str, timeout: float, steps=LIGHT_STEPS, rounds: int = 1) -> dict:
    """The steps ``rounds`` times on one session; seconds per step, one entry per round."""
    session = LightSession(base, timeout)
    times: dict[str, list[float]] = {name: [] for name, *_ in steps}
    step = steps[0][0]
    try:
        for _ in range(rounds):
            for step, page, query, expect in steps:
                started = time.perf_counter()
                if not session.cookie or session.ws is None:
                    await session.open_page(page, query)
                elements = await session.rerun(page, query, expect)
                if page == "export":
                    await session.download(elements)
                times[step].append(time.perf_counter() - started)
        return {"times": times, "reconnects": session.reconnects, "replicas": session.replicas}
    except Exception as exc:
        raise RuntimeError(f"{step}: {exc}") from exc
    finally:
        await session.close()


async def route_download(base: str, timeout: float) -> dict:
    def get() -> dict:
        started = time.perf_counter()
        url = f"{base}/api/export?layers=railway&format=gpkg&crs=EPSG:4490"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            replica = response.headers.get("X-Planmap-Replica", "?")
        if not body.startswith(b"SQLite format 3"):
            raise RuntimeError(f"route download: not a GeoPackage ({len(body)} bytes)")
        return {"seconds": time.perf_counter() - started, "replica": replica, "size": len(body)}

    return await asyncio.to_thread(get)


# -- the ledger writers ----------------------------------------------------------------------------------
async def write_event(url: str, marker: str, index: int) -> float:
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "geo", "progress", "--database", url, "add", "air-tianfu",
        "--date", "2024-06", "--phase", "建设中", "--source", f"{marker} writer {index}",
        "--author", f"bench-{index}", cwd=ROOT, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"writer {index}: exit {process.returncode}: {err.decode().strip()[-200:]}")
    return time.perf_counter() - started


def count_events(url: str, marker: str) -> int:
    from geo.progress.ledger import list_events
    from geo.progress.store import close_all, open_ledger

    try:
        return sum(1 for event in list_events(open_ledger(url)) if event.source.startswith(marker))
    finally:
        close_all()


# -- one run -----------------------------------------------------------------------------------------------
def start_deployment(replicas: int) -> tuple[subprocess.Popen, dict]:
    port = free_port()
    command = [sys.executable, "-m", "deploy", "up", "--replicas", str(replicas), "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
    info = {"base": f"http://127.0.0.1:{port}", "replicas": {}, "pids": {}}
    for line in process.stdout:
        line = line.rstrip("\n")
        if match := REPLICA.match(line):
            info["replicas"][f"replica {match.group(1)}"] = (int(match.group(2)), match.group(3))
        elif match := PIDS.match(line):
            info["pids"][match.group(1)] = int(match.group(2))
            if match.group(1) == "PostgreSQL":
                info["database"] = match.group(3)
        elif line.startswith("logs "):
            info["run_dir"] = Path(line.split(None, 1)[1])
        elif line.startswith("Serving on "):
            return process, info
    raise SystemExit(f"deploy up ended with status {process.wait()} before serving")


def stop_deployment(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


async def _kill_later(info: dict, seconds: float, killed: list) -> None:
    await asyncio.sleep(seconds)
    name = sorted(info["replicas"])[-1]
    os.kill(info["replicas"][name][0], signal.SIGKILL)
    killed.append((name, time.perf_counter()))


async def _browsers(n: int, base: str, timeout: float):
    if n == 0:
        return [], [], 0.0
    return await run_sessions(n, base, int(timeout * 1000))


async def _everything(args, info: dict, marker: str, kill: bool) -> dict:
    base, timeout = info["base"], args.timeout
    killed: list = []
    tasks = {
        "browser": asyncio.ensure_future(_browsers(args.browsers, base, timeout)),
        "light": [
            asyncio.ensure_future(light_visit(base, timeout, rounds=args.rounds)) for _ in range(args.light)
        ],
        "download": [
            asyncio.ensure_future(light_visit(base, timeout, LIGHT_STEPS[-1:])) for _ in range(args.downloads)
        ],
        "route": [asyncio.ensure_future(route_download(base, timeout)) for _ in range(args.route_downloads)],
        "writer": [
            asyncio.ensure_future(write_event(info["database"], marker, i)) for i in range(args.writers)
        ],
    }
    killer = asyncio.ensure_future(_kill_later(info, args.kill_at, killed)) if kill else None
    started = time.perf_counter()
    result = {"browser": await tasks["browser"]}
    for name in ("light", "download", "route", "writer"):
        result[name] = await asyncio.gather(*tasks[name], return_exceptions=True)
    result["wall"] = time.perf_counter() - started
    if killer is not None:
        if not killer.done():
            killer.cancel()
        result["killed"] = [(name, at - started) for name, at in killed]
    return result


def measure(args, replicas: int) -> dict:
    process, info = start_deployment(replicas)
    try:
        # Warm every replica (data loaded, caches filled) so the run measures serving, not start-up.
        for _ in range(2 * replicas):
            asyncio.run(light_visit(info["base"], args.timeout, LIGHT_STEPS[:1]))
        access_log = info["run_dir"] / "nginx" / "access.log"
        log_start = access_log.stat().st_size
        roots = {name: pid for name, (pid, _) in info["replicas"].items()} | info["pids"]
        sampler = Sampler(roots)
        sampler.start()
        marker = f"load run {uuid.uuid4().hex[:8]}"
        result = asyncio.run(_everything(args, info, marker, kill=replicas > 1 and args.kill_at > 0))
        sampler.stopped.set()
        sampler.join()
        with access_log.open("rb") as log:
            log.seek(log_start)
            answers = STATUS.findall(log.read().decode(errors="replace"))
        statuses = collections.Counter(
            "404 (frontend base-path probe)" if code == "404" and BASE_PROBE.match(path) else code
            for path, code in answers
        )
        result.update(
            replicas=replicas, events=count_events(info["database"], marker), cpu=sampler.cpu, rss=sampler.peak,
            statuses=statuses,
        )  # fmt: skip
    finally:
        result_status = stop_deployment(process)
        if args.keep:
            print(f"  (logs kept in {info['run_dir']})")
        else:
            shutil.rmtree(info["run_dir"], ignore_errors=True)
    result["deploy_exit"] = result_status
    return result


# -- the report ------------------------------------------------------------------------------------------------
def _row(name: str, values: list[float]) -> str:
    return f"  {name:<22} {len(values):>4} {percentile(values, 50):8.2f} {percentile(values, 95):8.2f}"


def report(args, result: dict) -> None:
    done, browser_errors, _ = result["browser"]
    light = [r for r in result["light"] if isinstance(r, dict)]
    downloads = [r for r in result["download"] if isinstance(r, dict)]
    writers = [r for r in result["writer"] if isinstance(r, float)]
    routes = [r for r in result["route"] if isinstance(r, dict)]
    errors = [f"browser: {e}" for e in browser_errors] + [
        f"{kind}: {r}"
        for kind in ("light", "download", "route", "writer")
        for r in result[kind]
        if isinstance(r, BaseException)
    ]
    print(
        f"\n== {result['replicas']} replica(s): wall {result['wall']:.1f} s; deploy up exit {result['deploy_exit']}"
    )
    for name, at in result.get("killed", []):
        print(f"  killed {name} (SIGKILL) at {at:.1f} s")
    print(f"  browsers {len(done)}/{args.browsers} ok; light sessions {len(light)}/{args.light} ok; "
          f"downloads {len(downloads)}/{args.downloads} ok; /api/export {len(routes)}/{args.route_downloads} ok "
          f"(from {len({r['replica'] for r in routes})} replicas); writers {len(writers)}/{args.writers} ok; "
          f"events written {result['events']} of {args.writers}")  # fmt: skip
    reconnects = sum(r["reconnects"] for r in light + downloads)
    moved = sum(1 for r in light + downloads if len(r["replicas"]) > 1)
    print(f"  light-client reconnects {reconnects} ({moved} sessions moved to another replica)")
    print(f"  HTTP statuses through nginx: {dict(sorted(result['statuses'].items()))}")
    print(f"  {'step':<22} {'n':>4} {'p50 s':>8} {'p95 s':>8}")
    for step in ("map", "filter", "city click", "export download"):
        print(_row(f"browser {step}", [r[step] for r in done]))
    for step, *_ in LIGHT_STEPS:
        print(_row(f"light {step}", [t for r in light for t in r["times"][step]]))
    print(_row("download only", [t for r in downloads for t in r["times"]["export download"]]))
    print(_row("/api/export GeoPackage", [r["seconds"] for r in routes]))
    print(_row("ledger writer", writers))
    print(f"  {'process (+children)':<22} {'CPU s':>8} {'peak RSS MB':>12}")
    for name in result["cpu"]:
        print(f"  {name:<22} {result['cpu'][name]:8.1f} {result['rss'][name]:12.0f}")
    for error in sorted(set(errors)):
        print(f"  error ×{errors.count(error)}: {error[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2], metavar="N")
    parser.add_argument("--browsers", type=int, default=4, help="Chromium sessions (default 4)")
    parser.add_argument("--light", type=int, default=16, help="light-client sessions (default 16)")
    parser.add_argument("--rounds", type=int, default=4, help="journeys per light session (default 4)")
    parser.add_argument("--downloads", type=int, default=20, help="download-only sessions (default 20)")
    parser.add_argument("--route-downloads", type=int, default=20, help="GETs of /api/export (default 20)")
    parser.add_argument("--writers", type=int, default=20, help="concurrent ledger writers (default 20)")
    parser.add_argument("--kill-at", type=float, default=20, help="seconds in to kill a replica (0: never)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds any one wait may take")
    parser.add_argument("--keep", action="store_true", help="keep each deployment's run directory (logs)")
    args = parser.parse_args()
    bounds = {"replicas": (1, 8), "browsers": (0, 20), "light": (0, 40), "rounds": (1, 20),
              "downloads": (0, 40), "route_downloads": (0, 40), "writers": (0, 40)}  # fmt: skip
    for name, (low, high) in bounds.items():
        values = getattr(args, name)
        if any(not low <= value <= high for value in (values if isinstance(values, list) else [values])):
            parser.error(f"--{name.replace('_', '-')}: between {low} and {high}")
    if args.browsers and not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"deployment load on {os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.1f}")
    for replicas in args.replicas:
        report(args, measure(args, replicas))


if __name__ == "__main__":
    main()
