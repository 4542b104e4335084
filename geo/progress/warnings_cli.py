"""``python -m geo progress warnings [--as-of YYYY-MM-DD] [--json]``: the ledger's warnings on a day.

The rules are ``data/progress/warnings.yaml`` (:mod:`geo.progress.warnings`); the items are the
catalogue's, with their plan status. A bad day is one line and exit 2.
"""

from __future__ import annotations

import argparse
import json

from geo.cliformat import format_table


def add_warnings_parser(psub) -> None:
    """``progress warnings`` on the progress command's subparsers."""
    warnings = psub.add_parser("warnings", help="items the warning rules flag as of a day")
    warnings.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="default today")
    warnings.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the table")
    warnings.add_argument("--json", action="store_true", help="JSON: as_of, counts per rule, warnings")
    warnings.set_defaults(func=cmd_warnings)


def cmd_warnings(args: argparse.Namespace) -> int:
    """``progress warnings``: every warning as of the day, as a table or JSON."""
    from geo.features import catalogue_frame
    from geo.progress.ledger import list_events, parse_as_of
    from geo.progress.store import open_ledger
    from geo.progress.warnings import evaluate, load_rules

    as_of = parse_as_of(args.as_of)
    rules = load_rules()
    frame = catalogue_frame()
    items = dict(zip(frame["id"], frame["status"], strict=True))
    names = dict(zip(frame["id"], frame["name"], strict=True))
    warnings = evaluate(rules, items, list_events(open_ledger(args.database)), as_of)
    counts = {rule.id: sum(w.rule == rule.id for w in warnings) for rule in rules}
    if args.json:
        document = {
            "as_of": as_of.isoformat(),
            "counts": counts,
            "warnings": [{**w.to_dict(), "name": names[w.item_id]} for w in warnings],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    if args.lang == "en":
        names.update(
            {i: e for i, e in zip(frame["id"], frame["name_en"], strict=True) if isinstance(e, str) and e}
        )
    rows = [(w.rule, w.item_id, names[w.item_id], w.message(args.lang)) for w in warnings]
    print(format_table(("规则", "要素", "名称", "预警"), rows))
    print(f"{len(warnings)} 条预警 warnings as of {as_of.isoformat()}")
    return 0
