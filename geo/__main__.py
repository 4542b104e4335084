"""``python -m geo``: see :mod:`geo.cli`; interruptions and OS failures end in one line (:mod:`geo.exits`)."""

from geo.cli import main
from geo.exits import run

raise SystemExit(run(main))
