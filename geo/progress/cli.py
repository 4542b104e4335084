"""``python -m geo progress …``: record and read the progress ledger from the command line.

    progress add ITEM_ID --date 2024-06 --phase 开工 --source URL [--note …] [--author …] [--supersedes N]
    progress list [ITEM_ID] [--json]
    progress import FILE.csv            all or nothing; an error names the line
    progress export --format csv|json [--out PATH [--force]]
    progress phases [--json]
    progress warnings [--as-of YYYY-MM-DD] [--json]   the warning rules' hits (geo.progress.warnings_cli)
    progress editors add NAME [--admin | --role editor|admin] | list [--json] | remove NAME
    progress withdraw EVENT_ID --by ADMIN --reason TEXT   the event stays, marked withdrawn

Bad input is one line on stderr and exit status 2, with nothing written; so is a ledger that
cannot be opened (LedgerUnavailable). ``--out`` is written like every export (geo.outfiles): never
over an existing file without ``--force``, never inside data/, through a scratch file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.errors import ProgressError


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _ledger(args: argparse.Namespace):
    from geo.progress.store import open_ledger

    return open_ledger(args.database)


def cmd_add(args: argparse.Namespace) -> int:
    """``progress add``: record one event after validating it; returns the exit status."""
    from geo.progress.ledger import NewEvent, add_event, validate_event

    # Validation happens before the database is opened: a refused event touches nothing.
    event = NewEvent(
        item_id=args.item_id,
        date=args.date,
        phase=args.phase,
        source=args.source,
        note=args.note or "",
        author=args.author or "",
        supersedes=args.supersedes,
    )
    validate_event(event)
    recorded = add_event(_ledger(args), event)
    print(f"recorded event {recorded.id}: {recorded.item_id} {recorded.date_text} {recorded.phase}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """``progress list``: the events of the ledger (table or JSON)."""
    from geo.cliformat import format_table, terminal_text
    from geo.progress.ledger import catalogue_ids, effective_events, list_events

    if args.item_id is not None and args.item_id not in catalogue_ids():
        raise ProgressError(f"unknown item: {args.item_id!r}")
    events = list_events(_ledger(args), args.item_id)
    if args.json:
        _print_json([e.to_dict() for e in events])
        return 0
    live = {e.id for e in effective_events(events)}

    def state(event) -> str:
        if event.withdrawal is not None:
            return f"已撤回 withdrawn by {terminal_text(event.withdrawal.by)}"
        return "" if event.id in live else "已更正 superseded"

    rows = [
        (e.id, e.item_id, e.date_text, e.phase, terminal_text(e.source), terminal_text(e.author), state(e))
        for e in events
    ]
    print(format_table(("编号", "要素", "日期", "阶段", "来源", "记录人", "状态"), rows))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``progress import``: record the events of a CSV file, all or nothing."""
    from geo.progress.csvfile import parse_import_csv
    from geo.progress.ledger import add_events, validate_event

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgressError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    events, local_ids, lines = parse_import_csv(text, default_author=args.author or "")
    for line, event in zip(lines, events, strict=True):  # every line checked before opening the ledger
        try:
            validate_event(event)
        except ProgressError as exc:
            raise ProgressError(f"line {line}: {exc}") from None
    ids = add_events(_ledger(args), events, local_ids=local_ids, line_numbers=lines)
    print(f"imported {len(ids)} events from {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``progress export``: the ledger as CSV or JSON, on stdout or into a new file."""
    from geo import outfiles
    from geo.progress.csvfile import events_csv
    from geo.progress.ledger import list_events

    if args.out is not None:  # a bad target fails before the ledger is read
        path = Path(outfiles.check_out_argument(args.out)).expanduser()
        outfiles.check_writable(path)
        outfiles.check_targets([path], force=args.force)
    events = list_events(_ledger(args))
    if args.format == "json":
        text = json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=2) + "\n"
    else:
        text = events_csv(events)
    if args.out is not None:
        written = outfiles.write_file(args.out, text.encode("utf-8"), force=args.force)
        print(f"wrote {len(events)} events to {written}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_phases(args: argparse.Namespace) -> int:
    """``progress phases``: the vocabulary of phases."""
    from geo.cliformat import format_table
    from geo.progress.phases import load_phases

    phases = load_phases()
    if args.json:
        _print_json([p.to_dict() for p in phases])
        return 0
    print(format_table(("阶段", "English", "含义"), [(p.id, p.en, p.meaning) for p in phases]))
    return 0


def cmd_editors(args: argparse.Namespace) -> int:
    """``progress editors``: who may record events when the proxy names the user."""
    from geo.cliformat import format_table, terminal_text
    from geo.progress.editors import add_editor, list_editors, remove_editor, validate_name

    if args.editors_command == "list":
        editors = list_editors(_ledger(args))
        if args.json:
            _print_json([e.to_dict() for e in editors])
            return 0
        rows = [
            (
                terminal_text(e.name),
                "admin" if e.is_admin else "editor",
                e.added_at.isoformat(timespec="seconds"),
            )
            for e in editors
        ]
        print(format_table(("姓名", "角色", "加入时间"), rows))
        return 0
    if args.editors_command == "add":
        validate_name(args.name)  # before the database is opened
        editor = add_editor(_ledger(args), args.name, admin=args.admin or args.role == "admin")
        print(f"added {'admin' if editor.is_admin else 'editor'} {terminal_text(editor.name)}")
        return 0
    remove_editor(_ledger(args), args.name)
    print(f"removed editor {terminal_text(args.name)}")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    """``progress withdraw``: an admin withdraws an event (a new record; the event stays)."""
    from geo.cliformat import terminal_text
    from geo.progress.withdrawals import validate_reason, withdraw_event

    validate_reason(args.reason)  # before the database is opened
    withdrawal = withdraw_event(_ledger(args), args.event_id, by=args.by, reason=args.reason)
    print(
        f"withdrew event {args.event_id} as {terminal_text(withdrawal.by)} "
        f"at {withdrawal.at.isoformat(timespec='seconds')}"
    )
    return 0


def add_progress_parser(sub) -> None:
    """The ``progress`` command and its subcommands, on the main parser's subparsers."""
    progress = sub.add_parser("progress", help="the progress ledger: record and read events per item")
    progress.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $PLANMAP_DATABASE_URL, else the local SQLite file)",
    )
    psub = progress.add_subparsers(dest="progress_command", required=True, metavar="SUBCOMMAND")

    add = psub.add_parser("add", help="record one event")
    add.add_argument("item_id", metavar="ITEM_ID", help="catalogue id, e.g. air-tianfu")
    add.add_argument("--date", required=True, help="YYYY-MM-DD, YYYY-MM or YYYY")
    add.add_argument("--phase", required=True, help="a phase (see `progress phases`)")
    add.add_argument("--source", required=True, help="URL or document citation")
    add.add_argument("--note", default="")
    add.add_argument("--author", default="", help="default: the login name")
    add.add_argument("--supersedes", type=int, metavar="EVENT_ID", help="the event this one corrects")
    add.set_defaults(func=cmd_add)

    list_ = psub.add_parser("list", help="recorded events, all or of one item")
    list_.add_argument("item_id", nargs="?", metavar="ITEM_ID")
    list_.add_argument("--json", action="store_true")
    list_.set_defaults(func=cmd_list)

    import_ = psub.add_parser("import", help="record the events of a CSV file, all or nothing")
    import_.add_argument(
        "file", metavar="FILE.csv", help="columns item_id,date,phase,source[,note,author,supersedes,id]"
    )
    import_.add_argument("--author", default="", help="for rows without an author")
    import_.set_defaults(func=cmd_import)

    export = psub.add_parser("export", help="every event as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--out", metavar="PATH", help="file to write (default: standard output)")
    export.add_argument("--force", action="store_true", help="replace an existing output file")
    export.set_defaults(func=cmd_export)

    phases = psub.add_parser("phases", help="the vocabulary of phases")
    phases.add_argument("--json", action="store_true")
    phases.set_defaults(func=cmd_phases)

    from geo.progress.warnings_cli import add_warnings_parser

    add_warnings_parser(psub)

    editors = psub.add_parser("editors", help="who may record events when the proxy names the user")
    esub = editors.add_subparsers(dest="editors_command", required=True, metavar="ACTION")
    eadd = esub.add_parser("add", help="let NAME record events")
    eadd.add_argument("name", metavar="NAME", help="the user name the proxy gives (at most 80 characters)")
    role = eadd.add_mutually_exclusive_group()
    role.add_argument("--admin", action="store_true", help="an admin as well as an editor")
    role.add_argument(
        "--role", choices=("editor", "admin"), default="editor", help="editor (default) or admin"
    )
    elist = esub.add_parser("list", help="every editor")
    elist.add_argument("--json", action="store_true")
    eremove = esub.add_parser("remove", help="stop NAME recording events (their events stay)")
    eremove.add_argument("name", metavar="NAME")
    editors.set_defaults(func=cmd_editors)

    withdraw = psub.add_parser(
        "withdraw", help="an admin withdraws an event: it stays in the ledger and stops counting"
    )
    withdraw.add_argument(
        "event_id", type=int, metavar="EVENT_ID", help="the event's number (`progress list`)"
    )
    withdraw.add_argument(
        "--by", required=True, metavar="NAME", help="the admin withdrawing it (an editor with the admin role)"
    )
    withdraw.add_argument("--reason", required=True, metavar="TEXT", help="why the event should not count")
    withdraw.set_defaults(func=cmd_withdraw)
