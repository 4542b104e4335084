"""Load time of the gazetteer and throughput of name resolution.

Run as ``python benchmarks/bench_gazetteer.py``; prints numbers, asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.errors import GeoError  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    import geo.gazetteer as module

    imported = time.perf_counter()
    gazetteer = module.load_gazetteer()
    loaded = time.perf_counter()
    gazetteer.boundaries("county")
    boundaries = time.perf_counter()
    gazetteer.containing(104.07, 30.66)
    indexed = time.perf_counter()
    print(f"import geo.gazetteer (geopandas, pyarrow): {imported - started:6.3f} s")
    print(f"load_gazetteer() (units, names, non-unit places): {loaded - imported:6.3f} s")
    print(f"first boundaries() (GeoParquet → GeoDataFrame): {boundaries - loaded:6.3f} s")
    print(f"first containing() (spatial index): {indexed - boundaries:6.3f} s")

    names = [u.short_name for u in gazetteer.units()] + [u.name for u in gazetteer.units()]
    names += ["万盛", "两江新区", "贵州/金沙", "贵州金沙", "江北", "市中区"]
    rounds = 5
    started = time.perf_counter()
    failures = 0
    for _ in range(rounds):
        for name in names:
            try:
                gazetteer.resolve(name)
            except GeoError:
                failures += 1
    elapsed = time.perf_counter() - started
    calls = rounds * len(names)
    print(
        f"resolve(): {calls / elapsed:,.0f} names/s over {calls} calls ({failures // rounds} ambiguous per round)"
    )

    units = gazetteer.units(level="county", region_only=True)
    started = time.perf_counter()
    for unit in units * 5:
        gazetteer.containing(unit.lon, unit.lat)
    elapsed = time.perf_counter() - started
    print(f"containing(): {len(units) * 5 / elapsed:,.0f} points/s")


if __name__ == "__main__":
    main()
