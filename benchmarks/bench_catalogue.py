"""Time to resolve the whole catalogue from the shipped files, cold, against the 2 s budget.

Run: python benchmarks/bench_catalogue.py
"""

import statistics
import subprocess
import sys

BUDGET_S = 2.0
CHILD = """
import time
t0 = time.perf_counter()
from geo.resolve import resolve_catalogue
from geo.features import catalogue_frame
t1 = time.perf_counter()
features = resolve_catalogue()
t2 = time.perf_counter()
gdf = catalogue_frame()
t3 = time.perf_counter()
print(len(features), t1 - t0, t2 - t1, t3 - t2)
"""


def main() -> None:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True).stdout
        count, imports, resolve, frame = out.split()
        runs.append((int(count), float(imports), float(resolve), float(frame)))
    count = runs[0][0]
    resolve = statistics.median(r[2] for r in runs)
    frame = statistics.median(r[3] for r in runs)
    imports = statistics.median(r[1] for r in runs)
    print(f"features                 {count}")
    print(f"imports                  {imports:.3f} s")
    print(
        f"resolve catalogue (cold) {resolve:.3f} s   ratio to {BUDGET_S:.0f} s budget: {resolve / BUDGET_S:.2f}"
    )
    print(f"build GeoDataFrame       {frame:.3f} s")
    print(f"resolve + frame          {resolve + frame:.3f} s   ratio: {(resolve + frame) / BUDGET_S:.2f}")


if __name__ == "__main__":
    main()
