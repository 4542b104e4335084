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
    """The A4 PDF brief of one prefecture, Chongqing district or county as of a day.

    Parameters
    ----------
    place : str
        The unit: a name (遂宁, 大竹县) or a 6-digit code (511700).
    as_of : date
        The day the brief describes: the phases and warnings as of then.
    lang : {"zh", "en"}, default "zh"
        The brief's language.
    events : iterable of Event, optional
        The progress ledger's events (:func:`geo.progress.list_events`); none gives every item
        its plan status only.

    Returns
    -------
    bytes
        The PDF, fonts embedded, map drawn without web tiles.

    Raises
    ------
    BriefError
        An empty place, a place that is not a unit of Sichuan or Chongqing below the
        provinces, or a language other than zh and en.
    UnknownPlaceError
        The place names nothing.
    AmbiguousPlaceError
        The place names several units.
    """
    from geo.brief.pages import render_pdf

    return render_pdf(gather(place, as_of, lang, list(events)))
