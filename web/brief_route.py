"""``GET /api/brief``: a unit's city brief as a PDF download, on whichever replica the request reaches.

    /api/brief?place=遂宁&as_of=2024-06-30&lang=zh

``place`` is a name or a 6-digit code (:meth:`geo.gazetteer.Gazetteer.resolve`), ``as_of`` the day
of the phases (default today), ``lang`` zh (default) or en. The bytes are those of
``python -m geo brief`` (:func:`geo.brief.make_brief`) with the ledger as it is now; the last few
briefs are kept, keyed by the ledger's events too, so a new event makes a new brief.

A bad parameter is 400 with one line of JSON (``{"error": "…"}``).
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from geo.errors import GeoError
from web.export_route import _Exports, content_disposition

PATH = "/api/brief"
KNOWN = {"place", "as_of", "lang"}
BRIEFS = _Exports(size=8)


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=400)


def brief_name(unit_name: str, as_of: str, lang: str) -> str:
    """The file name a brief downloads as: ``遂宁市-2024-06-30-zh.pdf``."""
    return f"{unit_name}-{as_of}-{lang}.pdf"


def _build(place: str, as_of_text: str | None, lang: str) -> tuple[str, bytes]:
    from geo.brief import make_brief
    from geo.brief.content import resolve_unit
    from geo.progress import list_events, open_ledger
    from geo.progress.ledger import parse_as_of

    as_of = parse_as_of(as_of_text)
    unit = resolve_unit(place)
    events = list_events(open_ledger())
    key = (unit.adcode, as_of, lang, tuple((e.id, e.recorded_at) for e in events))
    pdf = BRIEFS.get(key, lambda: {"pdf": make_brief(unit.adcode, as_of, lang, events)})["pdf"]
    name = unit.name if lang == "zh" else (unit.name_en or unit.name)
    return brief_name(name, as_of.isoformat(), lang), pdf


async def brief_endpoint(request: Request) -> Response:
    params = {name: request.query_params.get(name) for name in request.query_params}
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        return _bad(f"unknown parameter {unknown[0]!r}; known: {', '.join(sorted(KNOWN))}")
    lang = params.get("lang") or "zh"
    if lang not in ("zh", "en"):
        return _bad(f"bad lang {lang!r} (use zh or en)")
    if not (params.get("place") or "").strip():
        return _bad("missing place: a name or a 6-digit code, e.g. place=遂宁")
    try:
        name, pdf = await asyncio.to_thread(_build, params["place"], params.get("as_of"), lang)
    except GeoError as exc:  # an unknown place, a bad day, a ledger that cannot be read, no font
        return _bad(str(exc))
    headers = {"Content-Disposition": content_disposition(name)}
    return Response(pdf, media_type="application/pdf", headers=headers)


def brief_routes() -> list[BaseRoute]:
    """The brief's download route."""
    return [Route(PATH, brief_endpoint, methods=["GET"])]
