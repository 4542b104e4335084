"""Time of the analyses behind the 分析 page: nearest airport, coverage, corridor units, reach.

Run as ``python benchmarks/bench_analysis.py``; prints numbers, asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import analysis  # noqa: E402
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
    for scenario in analysis.AIRPORT_SCENARIOS:
        airports = analysis.scenario_airports(catalogue, scenario)
        nearest = _timed(
            f"nearest_airports() {scenario:9} ({len(airports):3} airports)",
            lambda a=airports: analysis.nearest_airports(a),
            5,
        )
        _timed(
            f"airport_coverage() {scenario:9} 100 km (first)",
            lambda a=airports, n=nearest: analysis.airport_coverage(a, 100, nearest=n),
        )
        _timed(
            f"airport_coverage() {scenario:9} 150 km (next)",
            lambda a=airports, n=nearest: analysis.airport_coverage(a, 150, nearest=n),
        )
    lines = analysis.corridor_lines(catalogue)
    started = time.perf_counter()
    for geometry in lines.geometry:
        analysis.corridor_units(geometry)
    print(
        f"corridor_units(): {(time.perf_counter() - started) / len(lines) * 1000:8.1f} ms per line over {len(lines)} lines"
    )
    distances = _timed("centre_distances()", analysis.centre_distances, 5)
    _timed(
        "one_hour_reach() every speed",
        lambda: [analysis.one_hour_reach(s, distances) for s in analysis.DESIGN_SPEEDS_KMH],
        5,
    )


if __name__ == "__main__":
    main()
