"""The command line: ``python -m geo <command>``.

    python -m geo tasks [--json]                      the 47 tasks with their sentences
    python -m geo place NAME [NAME ...] [--json | --geojson]
    python -m geo tasks-for NAME [NAME ...] [--json] [--no-inherited]
                                                      tasks naming a place or a unit inside it, and
                                                      those a county receives (prefecture, groupings)
    python -m geo search QUERY [--json]               catalogue items by name, alias, pinyin, English
    python -m geo check                               validate the catalogue
    python -m geo export --format F --out PATH [...]  write a selection as a GIS file
    python -m geo brief PLACE --as-of D --lang zh|en --out F.pdf   a city brief (geo.brief)
    python -m geo progress add|list|import|export|phases   the progress ledger (geo.progress.cli)

Each subcommand is one function taking the parsed arguments and returning an exit status.
A problem with the request (an unknown or ambiguous place) is one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Callable, Iterable, Sequence

from geo import outfiles
from geo.analysis_cli import add_corridor_arguments, add_coverage_arguments, run_corridor, run_coverage
from geo.brief.cli import add_brief_parser
from geo.cliformat import format_table, terminal_text
from geo.errors import DataError, ExportError, GeoError, UnknownPlaceError
from geo.exits import EXIT_USAGE, OneLineParser, say_error
from geo.formats.core import FORMATS
from geo.formats.crs import CRS_CHOICES, DEFAULT_CRS
from geo.progress.cli import add_progress_parser

# -- output helpers -----------------------------------------------------------------------------


def _use_utf8() -> None:
    # A file name that is not UTF-8 (bytes the file system took as given) is echoed as those
    # bytes on stdout, like ls does, and as \xNN escapes in messages.
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors=errors)


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
    """``tasks``: the 47 tasks with their sentences (table or JSON)."""
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
    """``place``: the units a name stands for (table, JSON or GeoJSON)."""
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
            print(terminal_text(f"注: {query} — {note}"))
    return 0


def cmd_tasks_for(args: argparse.Namespace) -> int:
    """``tasks-for``: the tasks naming a place or a unit inside it."""
    from geo.mentions import tasks_for

    results = [(name, tasks_for(name, inherited=args.inherited)) for name in args.names]
    if args.json:
        _print_json([{"query": name, "tasks": [hit.to_dict() for hit in hits]} for name, hits in results])
        return 0
    blocks = []
    for name, hits in results:
        named = [hit for hit in hits if not hit.received]
        received = [hit for hit in hits if hit.received]
        lines = [
            terminal_text(name)
            + f": {len(hits)} 项任务"
            + (f"(点名 {len(named)},承接 {len(received)})" if received else "")
        ]
        for title, group in (("点名", named), ("承接(经所属市或组合)", received)):
            if not group or not received:
                continue
            lines.append(f"{title}:")
            lines.append(_hits_table(group))
        if hits and not received:
            lines.append(_hits_table(hits))
        blocks.append("\n".join(lines))
    print("\n\n".join(blocks))
    return 0


def _hits_table(hits) -> str:
    rows = []
    for hit in hits:
        words = dict.fromkeys(m.text for m in hit.mentions)
        routes = "、".join(dict.fromkeys(route.label() for route in hit.routes))
        rows.append((hit.task, hit.title, routes, "、".join(words)))
    return format_table(("任务", "标题", "方式", "匹配"), rows)


def cmd_search(args: argparse.Namespace) -> int:
    """Catalogue items matching a query, best first; nothing found is a usage error with suggestions."""
    from geo.search import search, suggestions

    results = search(args.query, limit=args.limit)
    if not results:
        close = suggestions(args.query)
        hint = f" — did you mean: {', '.join(close)}" if close else ""
        say_error(f"no catalogue item matches {args.query!r}{hint}")
        return EXIT_USAGE
    if args.json:
        _print_json([result.to_dict() for result in results])
        return 0
    rows = [(r.entry.id, r.entry.name, r.entry.name_en or "", r.matched, r.field) for r in results]
    print(format_table(("id", "名称", "English", "匹配", "字段"), rows))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the shipped data and catalogue; exit 1 with one line per problem when not sound."""
    from geo.check import check_catalogue, data_problems
    from geo.datafiles import data_dir, data_dir_problem

    unusable = data_dir_problem()
    if unusable:
        raise unusable
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
        say_error(exc)
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {count} catalogue entries", file=sys.stderr)
        return 1
    print(f"ok: {count} catalogue entries, every quote verbatim, every geometry resolved and valid")
    return 0


# -- export -----------------------------------------------------------------------------------


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m geo export`` (values are checked by :func:`run_export`)."""
    parser.add_argument("--format", required=True, metavar="FORMAT", help=_format_help())
    parser.add_argument(
        "--out",
        default=".",
        metavar="PATH",
        help="output file, or an existing directory for the app's file name "
        "chengyu-plan_<layers>_<status>_<crs>_<date>.<ext> (default: the current directory)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    parser.add_argument(
        "--layer",
        action="append",
        default=[],
        metavar="L",
        help="layer id; repeat for several (default: all)",
    )
    parser.add_argument(
        "--status", action="append", default=[], metavar="S", help="status, e.g. 加快建设; repeat for several"
    )
    parser.add_argument(
        "--task", action="append", default=[], metavar="N", help="task number 1–47; repeat for several"
    )
    parser.add_argument(
        "--place", metavar="NAME", help="only features in or touching this unit, e.g. 达州 or 万州区"
    )
    parser.add_argument(
        "--crs",
        default=DEFAULT_CRS,
        metavar="CRS",
        help=_crs_help(),
    )
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="phase columns as of this day (default: today)")


def _format_help() -> str:
    # Built with every parser, like the CRS help: the formats are read from the vocabulary.
    try:
        return f"one of {', '.join(FORMATS)}"
    except DataError:
        return "one of the formats listed in data/vocabularies.yaml"


def _crs_help() -> str:
    # Built with every parser: a damaged vocabulary must not stop commands that do not use it.
    try:
        choices = ", ".join(CRS_CHOICES)
    except DataError:
        choices = "the systems listed in data/vocabularies.yaml"
    return f"one of {choices} (default {DEFAULT_CRS})"


def _task_numbers(values: Iterable[str]) -> tuple[int, ...]:
    numbers = []
    for value in values:
        for part in str(value).replace(",", ",").split(","):
            if not part.strip():
                continue
            try:
                numbers.append(int(part))
            except ValueError:
                raise ExportError(f"--task {part!r} is not a task number (1–47)") from None
    return tuple(numbers)


def run_export(args: argparse.Namespace) -> int:
    """Run ``python -m geo export``: 0 on success, 2 with a one-line message on a bad request."""
    from geo.clock import plan_today
    from geo.export import export_target, write_target
    from geo.export_selection import Selection, catalogue_bundle, export_name
    from geo.progress.exporting import progress_bundle

    exported = plan_today()
    named = Selection(layers=tuple(args.layer), statuses=tuple(args.status))
    try:
        # Checked before the (slower) selection is built, so a bad path fails at once.
        target = export_target(
            outfiles.check_out_argument(args.out),
            fmt=args.format,
            crs=args.crs,
            default_name=lambda fmt, crs: export_name(named, fmt, crs, exported),
            overwrite=args.force,
        )
        outfiles.check_place_argument(args.place)
        bundle = catalogue_bundle(
            layers=tuple(args.layer),
            statuses=tuple(args.status),
            tasks=_task_numbers(args.task),
            place=args.place,
        )
        bundle = progress_bundle(bundle, getattr(args, "as_of", None))
        outputs = write_target(bundle, target, exported=exported)
    except GeoError as exc:
        say_error(exc)
        return EXIT_USAGE
    layers = ", ".join(f"{k} {v}" for k, v in bundle.features["layer"].value_counts(sort=False).items())
    print(f"wrote {len(bundle.features)} features ({layers}) to {', '.join(map(str, outputs))}")
    return 0


# -- parser and entry point -------------------------------------------------------------------


def cmd_line_km(args: argparse.Namespace) -> int:
    """``python -m geo line-km``: the km of line per layer and precision class, as Markdown."""
    from geo.features import catalogue_frame
    from geo.line_lengths import format_line_km, line_km_table

    print(format_line_km(line_km_table(catalogue_frame())))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m geo`` with every sub-command."""
    parser = OneLineParser(
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
    tasks_for.add_argument(
        "--inherited",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also the tasks a county receives through its prefecture and groupings (default: on)",
    )
    tasks_for.set_defaults(func=cmd_tasks_for)

    search = sub.add_parser("search", help="find catalogue items by name, alias, pinyin or English")
    search.add_argument("query", metavar="QUERY", help="成达万, 渝西高铁, Tianfu, tianfujichang …")
    search.add_argument(
        "--json", action="store_true", help="JSON list: id, name, aliases, matched field, score"
    )
    search.add_argument("--limit", type=int, default=10, help="at most this many items (default 10)")
    search.set_defaults(func=cmd_search)

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

    line_km = sub.add_parser(
        "line-km", help="km of line per layer and precision class (straight-stroke share)"
    )
    line_km.set_defaults(func=cmd_line_km)

    add_brief_parser(sub)
    add_progress_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv``; returns the exit status (2 for a bad request)."""
    _use_utf8()
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UnknownPlaceError as exc:
        say_error(f"{exc}{_suggest(exc.name)}")
        return EXIT_USAGE
    except GeoError as exc:
        say_error(exc)
        return EXIT_USAGE
