"""Time of the analyses behind the 分析 page: nearest airport, coverage, corridor units,
reach along the plan's lines.

Run as ``python benchmarks/bench_analysis.py``; prints numbers, asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import analysis, coverage, reach  # noqa: E402
from geo.features import catalogue_frame  # noqa: E402


def _timed(label: str, function, repeat: int = 1):
    started = time.perf_counter()
    for _ in range(repeat):
        result = function()
    elapsed = (time.perf_counter() - started) / repeat
    print(f"{label}: {elapsed * 1000:8.1f} ms")
    return result


def main() -> None:
    catalogue = _timed("catalogue_frame() (first, resolves the catalogue)", catalogue_frame)
    for scenario in coverage.SCENARIOS:
        airports = coverage.scenario_airports(catalogue, scenario)
        nearest = _timed(
            f"nearest_airports() {scenario:5} ({len(airports):3} airports)",
            lambda a=airports: coverage.nearest_airports(a),
            5,
        )
        _timed(
            f"airport_coverage() {scenario:5} 100 km",
            lambda a=airports, n=nearest: coverage.airport_coverage(a, 100, nearest=n),
        )
    _timed(
        "coverage_report() today 100 km (both scenarios, the page's figure)",
        lambda: coverage.coverage_report(catalogue, "today", 100.0),
        3,
    )
    lines = analysis.corridor_lines(catalogue)
    started = time.perf_counter()
    for _, feature in lines.iterrows():
        analysis.corridor_report(feature)
    print(
        f"corridor_report(): {(time.perf_counter() - started) / len(lines) * 1000:8.1f} ms per line over {len(lines)} lines"
    )
    for network in reach.NETWORKS:
        _timed(f"reach_report() {network}", lambda n=network: reach.reach_report(catalogue, n), 3)


if __name__ == "__main__":
    main()
