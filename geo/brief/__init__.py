"""City briefs: an A4 PDF for one unit as of a day (:func:`make_brief`).

content   what the brief says (unit, tasks, items and their phases, credits)
mapdraw   the map, drawn from the project's own GeoDataFrames (no web tiles)
pages     the A4 layout and the PDF (matplotlib's PdfPages, Noto Sans CJK embedded)
cli       ``python -m geo brief``
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from geo.brief.content import Brief, gather
from geo.progress.ledger import Event

__all__ = ["Brief", "make_brief", "gather"]


def make_brief(place: str, as_of: date, lang: str = "zh", events: Iterable[Event] = ()) -> bytes:
    """The PDF bytes of the brief for ``place`` (a name or a 6-digit code) as of ``as_of`` in
    ``lang`` ("zh" or "en"), with the phases the ledger ``events`` give."""
    from geo.brief.pages import render_pdf

    return render_pdf(gather(place, as_of, lang, list(events)))
