"""``python -m geo coverage`` and ``python -m geo corridor``: the 分析 page's figures as JSON or text.

Both print exactly what the page computes (the same functions of :mod:`geo.coverage` and
:mod:`geo.analysis`); a test compares them.
"""

from __future__ import annotations

import argparse
import json

from geo.errors import GeoError


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value != value:
        raise argparse.ArgumentTypeError(f"not a number: {text}")
    return value


def add_coverage_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``python -m geo coverage``."""
    from geo.coverage import DEFAULT_SCENARIO, DEFAULT_SERVICE_RADIUS_KM, SCENARIOS

    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default=DEFAULT_SCENARIO,
        help="today: civil airports in operation; plan: with every airport the plan names",
    )
    parser.add_argument(
        "--radius-km",
        type=_number,
        default=DEFAULT_SERVICE_RADIUS_KM,
        help="service radius, straight line from each county seat (default 100)",
    )
    parser.add_argument("--json", action="store_true", help="JSON: shares, airports and the per-county table")


def run_coverage(args: argparse.Namespace) -> int:
    """``python -m geo coverage``: airport coverage of the units; returns the exit status."""
    from geo.coverage import coverage_report
    from geo.features import catalogue_frame

    if not 0 < args.radius_km <= 1000:  # before the catalogue is loaded: a bad value fails fast
        raise GeoError(f"radius must be between 0 and 1000 km: {args.radius_km:g}")
    report = coverage_report(catalogue_frame(), args.scenario, args.radius_km).to_dict()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    units, area = report["units"], report["area_km2"]
    print(
        f"scenario {report['scenario']}, radius {report['radius_km']:g} km, {len(report['airports'])} airports"
    )
    print(f"county units within: {units['within']} / {units['total']} ({units['share']:.1%})")
    print(f"area within: {area['within']:,.0f} / {area['total']:,.0f} km² ({area['share']:.1%})")
    print(f"population: not computed — {report['population_note']}")
    gained = [c for c in report["counties"] if c["gains_with_plan"]]
    print(f"units the plan's airports bring within {report['radius_km']:g} km: {len(gained)}")
    for county in gained:
        print(f"  {county['adcode']} {county['prefecture']}{county['name']}")
    print(report["assumption"])
    return 0


def add_corridor_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``python -m geo corridor``."""
    parser.add_argument(
        "name", nargs="?", metavar="NAME", help="feature id, or its exact Chinese or English name"
    )
    parser.add_argument("--list", action="store_true", help="list the corridors (id, precision, name)")
    parser.add_argument(
        "--json", action="store_true", help="JSON: the units in order, km only where measured"
    )


def run_corridor(args: argparse.Namespace) -> int:
    """``python -m geo corridor``: the units along a line feature; returns the exit status."""
    from geo.analysis import corridor_lines, corridor_report, find_corridor
    from geo.features import catalogue_frame

    if not args.name and not args.list:
        raise GeoError("give a corridor NAME or id, or --list")
    catalogue = catalogue_frame()
    if args.list:
        for row in corridor_lines(catalogue).itertuples():
            print(f"{row.id}\t{row.precision}\t{row.name}")
        return 0
    report = corridor_report(find_corridor(catalogue, args.name))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{report['name']} ({report['id']}, {report['precision']}): {report['relation']} "
        f"{len(report['units'])} units in {report['prefectures']} prefectures"
    )
    for unit in report["units"]:
        km = f"  {unit['length_km']:.1f} km" if report["measured"] else ""
        print(f"  {unit['order']:>3}. {unit['prefecture']}{unit['name']}{km}")
    print(report["assumption"])
    return 0
