"""Time to load the gazetteer and find the place mentions of all 47 tasks, against a 1 s budget.

Run: python benchmarks/bench_mentions.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_S = 1.0


def main() -> None:
    started = time.perf_counter()
    from geo import gazetteer, mentions, plan

    imported = time.perf_counter()
    gz = gazetteer.load_gazetteer()
    the_plan = plan.load_plan()
    loaded = time.perf_counter()
    matcher = mentions.Matcher(mentions.build_terms(gz))
    built = time.perf_counter()
    found = [m for task in the_plan.tasks for m in mentions.mentions_for_task(task, matcher)]
    matched = time.perf_counter()

    # Steady state: matching again with the dictionary built (what a page rerun costs).
    repeats = 20
    for _ in range(repeats):
        for task in the_plan.tasks:
            mentions.mentions_for_task(task, matcher)
    rematch = (time.perf_counter() - matched) / repeats

    work = matched - imported
    print(f"import modules      {imported - started:7.3f} s  (geopandas, shapely, yaml)")
    print(f"load gazetteer+plan {loaded - imported:7.3f} s")
    print(f"build dictionary    {built - loaded:7.3f} s  ({len(matcher.terms)} terms)")
    print(f"match 47 tasks      {matched - built:7.3f} s  ({len(found)} mentions)")
    print(f"re-match 47 tasks   {rematch:7.3f} s  (mean of {repeats})")
    print(f"load + compute      {work:7.3f} s  = {work / BUDGET_S:.0%} of the {BUDGET_S:.0f} s budget")
    print(
        f"incl. imports       {matched - started:7.3f} s  = {(matched - started) / BUDGET_S:.0%} of the budget"
    )


if __name__ == "__main__":
    main()
