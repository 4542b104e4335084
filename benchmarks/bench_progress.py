"""The progress ledger on SQLite (and PostgreSQL when its server binaries are installed): opening a
new ledger, one recorded event, 20 concurrent writers, and the map's restyling by phase.

Run: python benchmarks/bench_progress.py
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.clock import plan_today  # noqa: E402
from geo.progress import NewEvent, add_event, latest_as_of, list_events, open_ledger  # noqa: E402
from geo.progress.store import Ledger, close_all, create_engine  # noqa: E402

WRITERS = 20
BUDGET_ADD_S = 0.05  # one event, as the app's form or a command records it
BUDGET_WRITERS_S = 5.0  # 20 writers at once, none lost
BUDGET_RESTYLE_S = 0.5  # every catalogue feature recoloured by phase, per map run


def _write(args: tuple[str, int]) -> int:
    url, n = args
    engine = create_engine(url)
    try:
        return add_event(Ledger(engine, url), NewEvent("air-wanyuan", "2024-01", "建设中", f"bench {n}")).id
    finally:
        engine.dispose()


def bench(url: str, label: str) -> None:
    started = time.perf_counter()
    ledger = open_ledger(url)
    opened = time.perf_counter() - started
    times = []
    for n in range(20):
        t0 = time.perf_counter()
        add_event(ledger, NewEvent("air-leshan", "2022-08", "开工", f"single {n}"))
        times.append(time.perf_counter() - t0)
    add = statistics.median(times)
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(WRITERS) as pool:
        ids = pool.map(_write, [(url, n) for n in range(WRITERS)], chunksize=1)
    writers = time.perf_counter() - t0
    assert len(set(ids)) == WRITERS
    print(f"[{label}] open new ledger (migrate + seed)  {opened:.3f} s")
    print(
        f"[{label}] record one event (median of 20)    {add * 1000:.1f} ms   ratio: {add / BUDGET_ADD_S:.2f}"
    )
    print(
        f"[{label}] {WRITERS} concurrent writers, 0 lost      {writers:.2f} s   ratio: {writers / BUDGET_WRITERS_S:.2f}"
    )


def bench_restyle() -> None:
    from geo.features import catalogue_frame
    from layers.map_themes import map_features
    from layers.progress import ledger_events, phase_features

    features = map_features(catalogue_frame())
    latest = latest_as_of(ledger_events(), plan_today())
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        phase_features(features, latest)
        runs.append(time.perf_counter() - t0)
    restyle = statistics.median(runs)
    print(
        f"restyle {len(features)} features by phase       {restyle * 1000:.1f} ms   ratio: {restyle / BUDGET_RESTYLE_S:.2f}"
    )
    events = list_events(open_ledger())
    print(
        f"latest_as_of over {len(events)} events        {_time(lambda: latest_as_of(events, plan_today())) * 1000:.2f} ms"
    )


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    import os

    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/bench.sqlite"
        os.environ["PLANMAP_DATABASE_URL"] = url
        bench(url, "sqlite")
        bench_restyle()
        try:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from tests.postgres import pg_bin, throwaway_cluster
        except ImportError:
            return
        if pg_bin() is None:
            print("[postgresql] skipped: server binaries not installed")
            return
        with throwaway_cluster() as pg_url:
            bench(pg_url, "postgresql")
            close_all()


if __name__ == "__main__":
    main()
