"""Export time of the whole catalogue per format (and CRS), against the 2 s budget per export.

Run: ``python benchmarks/bench_export.py [--repeat N] [--crs EPSG:4326 GCJ-02 …]``

The catalogue, the reference tables and the administrative units are loaded once first (the app
and the CLI pay that once per process; ``bench_catalogue.py`` measures it). Each export then runs
``write_export`` to a scratch directory: preparation (CRS, rounding, ring orientation), writing
and the atomic rename. Wall time is the median of the runs; CPU time is shown too, because the
wall time of a 2-core machine shared with other work varies from run to run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_S = 2.0


def main() -> None:
    from geo.export import CRS_CHOICES, DEFAULT_CRS, FORMATS, GCJ02_REFUSED, export_filename, write_export
    from geo.export_selection import catalogue_bundle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--crs", nargs="+", default=[DEFAULT_CRS, "GCJ-02"], choices=CRS_CHOICES)
    options = parser.parse_args()

    started = time.perf_counter()
    bundle = catalogue_bundle()
    loaded = time.perf_counter() - started
    gdf = bundle.features
    admin_rows = sum(len(frame) for frame in bundle.admin_units.values())
    print(
        f"catalogue: {len(gdf)} features in {gdf['layer'].nunique()} layers; load + reference tables {loaded:.2f} s"
    )
    print(
        f"GeoPackage also holds {admin_rows} administrative units and {len(bundle.tables)} reference tables"
    )
    print()
    print(f"{'format':<8} {'crs':<10} {'wall s':>7} {'cpu s':>7} {'size':>9}  ratio to {BUDGET_S:.0f} s")
    worst = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for crs in options.crs:
            for fmt in FORMATS:
                if crs == "GCJ-02" and fmt in GCJ02_REFUSED:
                    continue
                walls, cpus = [], []
                for _ in range(options.repeat):
                    path = Path(scratch) / export_filename(fmt, crs)
                    wall, cpu = time.perf_counter(), time.process_time()
                    outputs = write_export(bundle, path, fmt=fmt, crs=crs)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                size = sum(output.stat().st_size for output in outputs)
                wall, cpu = statistics.median(walls), statistics.median(cpus)
                worst = max(worst, wall / BUDGET_S)
                flag = "" if wall <= BUDGET_S else "  OVER BUDGET"
                print(
                    f"{fmt:<8} {crs:<10} {wall:7.2f} {cpu:7.2f} {size / 1e6:7.2f} MB  {wall / BUDGET_S:5.2f}{flag}"
                )
    print()
    print(f"worst ratio to the {BUDGET_S:.0f} s budget: {worst:.2f}")


if __name__ == "__main__":
    main()
