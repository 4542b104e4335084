"""The command line: ``python -m geo <command>``.

    python -m geo tasks [--json]                      the 47 tasks with their sentences
    python -m geo place NAME [NAME ...] [--json | --geojson]
    python -m geo tasks-for NAME [NAME ...] [--json]  tasks naming a place or a unit inside it
    python -m geo progress add|list|import|export|phases   the progress ledger (geo.progress.cli)

Each subcommand is one function taking the parsed arguments and returning an exit status.
A problem with the request (an unknown or ambiguous place) is one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence

from geo.analysis_cli import add_corridor_arguments, add_coverage_arguments, run_corridor, run_coverage
from geo.errors import GeoError, UnknownPlaceError
from geo.export import add_export_arguments, run_export
from geo.progress.cli import add_progress_parser

EXIT_USAGE = 2


# -- output helpers -----------------------------------------------------------------------------


def _use_utf8() -> None:
    # A file name that is not UTF-8 (bytes the file system took as given) is echoed as those
    # bytes on stdout, like ls does, and as \xNN escapes in messages.
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors=errors)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table aligned for terminals that draw CJK characters two columns wide."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _suggest(name: str) -> str:
    """A hint for an unknown name: the dictionary names that look most like it."""
    try:
        from geo.mentions import load_matcher

        names = [s for s, term in load_matcher().terms.items() if not term.blocks]
    except GeoError:
        return ""
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    close += [n for n in names if name and name in n and n not in close][: 5 - len(close)]
    return f" — did you mean: {', '.join(close)}" if close else ""


# -- subcommands --------------------------------------------------------------------------------


def cmd_tasks(args: argparse.Namespace) -> int:
    from geo.plan import load_plan

    tasks = load_plan().tasks
    if args.json:
        _print_json([task.to_dict() for task in tasks])
        return 0
    rows = [
        (f"{task.number}", task.label, f"{task.chapter}", task.title, len(task.sentences)) for task in tasks
    ]
    print(format_table(("序号", "任务", "章", "标题", "句数"), rows))
    return 0


def _place_rows(names: Sequence[str]) -> list[tuple[str, object, str | None]]:
    """(query, unit, note) rows: a grouping or compound abbreviation gives one row per member;
    a non-unit place (两江新区) gives the unit it lies in, with the gazetteer's note."""
    from geo.gazetteer import load_gazetteer
    from geo.groupings import expand

    gazetteer = load_gazetteer()
    rows = []
    for name in names:
        try:
            resolution = gazetteer.resolve(name)
            rows.append((name, resolution.unit, resolution.note))
        except UnknownPlaceError:
            try:
                units = expand(name, gazetteer)
            except UnknownPlaceError:
                raise UnknownPlaceError(name) from None
            rows.extend((name, unit, None) for unit in units)
    return rows


def _unit_dict(query: str, unit, note: str | None = None) -> dict:
    return {
        "query": query,
        "adcode": unit.adcode,
        "name": unit.name,
        "short_name": unit.short_name,
        "level": unit.level,
        "province": unit.province,
        "lon": unit.lon,
        "lat": unit.lat,
        "note": note,
    }


def cmd_place(args: argparse.Namespace) -> int:
    rows = _place_rows(args.names)
    if args.geojson:
        from shapely.geometry import Point, mapping

        from geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
        features = []
        for query, unit, note in rows:
            geometry = gazetteer.boundary(unit.adcode)  # None outside Sichuan and Chongqing
            properties = _unit_dict(query, unit, note)
            properties["geometry_kind"] = "boundary" if geometry is not None else "seat"
            if geometry is None:
                geometry = Point(unit.lon, unit.lat)
            features.append({"type": "Feature", "properties": properties, "geometry": mapping(geometry)})
        _print_json({"type": "FeatureCollection", "features": features})
        return 0
    if args.json:
        _print_json([_unit_dict(query, unit, note) for query, unit, note in rows])
        return 0
    level_zh = {"province": "省级", "prefecture": "地级", "county": "县级"}
    table = [
        (
            q,
            u.adcode,
            u.name,
            u.short_name,
            level_zh.get(u.level, u.level),
            u.province,
            f"{u.lon:.4f}",
            f"{u.lat:.4f}",
        )
        for q, u, _ in rows
    ]
    print(format_table(("查询", "区划代码", "名称", "简称", "级别", "省级", "经度", "纬度"), table))
    for query, _, note in rows:
        if note:
            print(f"注: {query} — {note}")
    return 0


def cmd_tasks_for(args: argparse.Namespace) -> int:
    from geo.mentions import HOW_ZH, tasks_for

    results = [(name, tasks_for(name)) for name in args.names]
    if args.json:
        _print_json([{"query": name, "tasks": [hit.to_dict() for hit in hits]} for name, hits in results])
        return 0
    blocks = []
    for name, hits in results:
        lines = [f"{name}: {len(hits)} 项任务"]
        if hits:
            rows = []
            for hit in hits:
                words = dict.fromkeys(m.text for m in hit.mentions)
                rows.append((hit.task, hit.title, HOW_ZH[hit.how], "、".join(words)))
            lines.append(format_table(("任务", "标题", "方式", "匹配"), rows))
        blocks.append("\n".join(lines))
    print("\n\n".join(blocks))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the shipped data and catalogue; exit 1 with one line per problem when not sound."""
    from geo.check import check_catalogue, data_problems
    from geo.datafiles import data_dir

    problems = data_problems(data_dir())
    if problems:
        # Reading damaged files would only repeat these faults in other words.
        for problem in problems:
            print(problem)
        print(f"{len(problems)} damaged or missing data file(s); catalogue not checked", file=sys.stderr)
        return 1
    try:
        count, problems = check_catalogue()
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {count} catalogue entries", file=sys.stderr)
        return 1
    print(f"ok: {count} catalogue entries, every quote verbatim, every geometry resolved and valid")
    return 0


# -- parser and entry point -------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="成渝双城经济圈联合实施方案: tasks, places and the tasks that name them.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    tasks = sub.add_parser("tasks", help="the 47 tasks of the plan")
    tasks.add_argument("--json", action="store_true", help="JSON: number, chapter, title, text, sentences")
    tasks.set_defaults(func=cmd_tasks)

    place = sub.add_parser("place", help="resolve place names to administrative units")
    place.add_argument("names", nargs="+", metavar="NAME", help="遂宁, 遂宁市, 贵州/赤水, 川南, 成德眉资 …")
    output = place.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON list of units")
    output.add_argument(
        "--geojson", action="store_true", help="GeoJSON FeatureCollection (boundary, else seat)"
    )
    place.set_defaults(func=cmd_place)

    tasks_for = sub.add_parser("tasks-for", help="tasks naming a place or any unit inside it")
    tasks_for.add_argument("names", nargs="+", metavar="NAME")
    tasks_for.add_argument("--json", action="store_true", help="JSON: query, tasks with matching sentences")
    tasks_for.set_defaults(func=cmd_tasks_for)

    check = sub.add_parser("check", help="validate the whole catalogue (schema, quotes, geometry, region)")
    check.set_defaults(func=cmd_check)

    export = sub.add_parser(
        "export", help="write the catalogue as GeoJSON, GeoPackage, Shapefile, KML, CSV or GeoParquet"
    )
    add_export_arguments(export)
    export.set_defaults(func=run_export)

    coverage = sub.add_parser(
        "coverage", help="airport coverage of the region: today or with the plan's airports"
    )
    add_coverage_arguments(coverage)
    coverage.set_defaults(func=run_coverage)

    corridor = sub.add_parser("corridor", help="the districts a railway, highway or waterway passes")
    add_corridor_arguments(corridor)
    corridor.set_defaults(func=run_corridor)

    add_progress_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _use_utf8()
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UnknownPlaceError as exc:
        print(f"error: {exc}{_suggest(exc.name)}", file=sys.stderr)
        return EXIT_USAGE
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
