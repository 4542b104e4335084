"""``python -m geo brief PLACE --as-of YYYY-MM-DD --lang zh|en --out FILE.pdf [--force]``.

The PDF goes through the guarded writer (:mod:`geo.outfiles`): an existing file is replaced only
with ``--force``, and nothing is written inside data/. A bad place, date or target is one line on
stderr and exit 2 (raised as GeoError; :func:`geo.cli.main` prints it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.cliformat import terminal_text


def add_brief_parser(sub) -> None:
    """The ``brief`` command on the main parser's subparsers."""
    brief = sub.add_parser("brief", help="an A4 PDF brief of a prefecture, district or county as of a day")
    brief.add_argument("place", metavar="PLACE", help="a name or a 6-digit code, e.g. 遂宁, 万州区, 511724")
    brief.add_argument(
        "--as-of", default=None, metavar="YYYY-MM-DD", help="the day of the phases (default today)"
    )
    brief.add_argument("--lang", choices=("zh", "en"), default="zh")
    brief.add_argument("--out", required=True, metavar="FILE.pdf")
    brief.add_argument("--force", action="store_true", help="replace an existing file")
    brief.add_argument(
        "--database",
        metavar="URL",
        help="ledger URL (default: $PLANMAP_DATABASE_URL, else the local SQLite file)",
    )
    brief.set_defaults(func=cmd_brief)


def cmd_brief(args: argparse.Namespace) -> int:
    """``brief``: check the place, day and target first, then write the PDF."""
    from geo import outfiles
    from geo.brief import make_brief
    from geo.brief.content import resolve_unit
    from geo.progress import list_events, open_ledger
    from geo.progress.ledger import parse_as_of

    as_of = parse_as_of(args.as_of)
    resolve_unit(args.place)  # a bad place fails before the ledger is opened
    path = Path(outfiles.check_out_argument(args.out)).expanduser()
    outfiles.check_writable(path)
    outfiles.check_targets([path], force=args.force)
    events = list_events(open_ledger(args.database))
    written = outfiles.write_file(
        args.out, make_brief(args.place, as_of, args.lang, events), force=args.force
    )
    print(f"wrote {terminal_text(str(written))}", file=sys.stderr)
    return 0
