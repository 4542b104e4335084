"""``GET /api/export``: an export as a plain download, on whichever replica the request reaches.

    /api/export?layers=railway&status=开工建设&format=gpkg&crs=EPSG:4490&as_of=2024-06-30

The parameters are the /export page's (the map page's selection names, ``place``, ``format``,
``crs``) plus ``as_of`` (the day the progress phases are read at, default today, as
``python -m geo export --as-of``) and ``file`` (a side file of the export by name, e.g. a CSV's
README). The file is made by the code the page and the command line share
(:func:`geo.export_selection.export_files`), so the bytes are theirs. Nothing is kept in a
Streamlit session: any replica answers any link, and a link can be bookmarked or scripted.

A bad parameter is 400 with one line of JSON (``{"error": "…"}``); a progress ledger that cannot be
read is 503 with one line (no server path), not a file quietly without progress. The ledger is read
on every request, so a recorded event is in the next download; the body is sent in chunks.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from geo.clock import plan_today
from geo.datafiles import without_server_paths
from geo.errors import GeoError, LedgerUnavailable
from geo.export import MEDIA_TYPES
from geo.export_selection import export_files, export_name, file_of_export, request_from_params
from geo.progress.ledger import list_events, parse_as_of
from geo.progress.store import open_ledger

PATH = "/api/export"
# The page's names (geo.features.selection_from_params, request_from_params) and this route's own.
KNOWN = {"layers", "status", "province", "chapter", "task", "q", "place", "format", "crs", "as_of", "file"}
CHUNK = 64 * 1024
CACHE_SIZE = 16


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=400)


class _Exports:
    """The last few exports made, by request; one build per request at a time (twenty clients
    asking for the same file make it once)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size, self.lock = size, threading.Lock()
        self.files: OrderedDict[tuple, dict[str, bytes]] = OrderedDict()
        self.building: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple, build) -> dict[str, bytes]:
        with self.lock:
            if key in self.files:
                self.files.move_to_end(key)
                return self.files[key]
            building = self.building.setdefault(key, threading.Lock())
        with building:
            with self.lock:
                if key in self.files:
                    return self.files[key]
            try:
                files = build()
            finally:
                with self.lock:
                    self.building.pop(key, None)
            with self.lock:
                self.files[key] = files
                while len(self.files) > self.size:
                    self.files.popitem(last=False)
            return files


EXPORTS = _Exports()


def content_disposition(name: str) -> str:
    """``attachment`` with the name twice: ASCII for old clients, UTF-8 (RFC 6266/5987) for the rest."""
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


async def export_response(request: Request, today: date) -> Response:
    """The answer to one request, with ``today`` the day of the plan's clock: the default ``as_of``,
    the latest ``as_of`` allowed and the day in the file names."""
    params = {name: request.query_params.get(name) for name in request.query_params}
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        return _bad(f"unknown parameter {unknown[0]!r}; known: {', '.join(sorted(KNOWN))}")
    wanted = request_from_params(params)
    if wanted.bad:
        name, value = wanted.bad[0]
        return _bad(f"unknown {name} {value!r}")
    try:
        as_of = parse_as_of(params.get("as_of"), today=today)
    except GeoError:
        return _bad(f"bad as_of {params.get('as_of')!r} (use YYYY-MM-DD)")
    try:
        events = await asyncio.to_thread(lambda: list_events(open_ledger()))
    except LedgerUnavailable as exc:
        problem = without_server_paths(" ".join(str(exc.problem).split()))
        return JSONResponse({"error": f"the progress database cannot be used: {problem}"}, status_code=503)
    recorded = tuple(event.id for event in events)  # a new event makes a new export
    key = (repr(wanted.selection), wanted.fmt, wanted.crs, wanted.place_name, as_of, today, recorded)

    def build() -> dict[str, bytes]:
        return export_files(
            wanted.selection,
            fmt=wanted.fmt,
            crs=wanted.crs,
            place_name=wanted.place_name,
            as_of=as_of,
            exported=today,
            events=events,
        )

    try:
        files = await asyncio.to_thread(EXPORTS.get, key, build)
    except GeoError as exc:  # no feature selected, a format that cannot declare the CRS, …
        return _bad(str(exc))
    main = export_name(wanted.selection, wanted.fmt, wanted.crs, today)
    name = file_of_export(files, params.get("file") or main)
    if name is None:
        return _bad(f"no file {params.get('file')!r} in this export; files: {', '.join(files)}")
    body = files[name]
    media_type = MEDIA_TYPES[wanted.fmt] if name == main else "text/plain; charset=utf-8"

    async def chunks():
        for start in range(0, len(body), CHUNK):
            yield body[start : start + CHUNK]

    headers = {"Content-Disposition": content_disposition(name), "Content-Length": str(len(body))}
    return StreamingResponse(chunks(), media_type=media_type, headers=headers)


def export_routes(clock: Callable[[], date] = plan_today) -> list[BaseRoute]:
    """The route, reading the day from ``clock`` on every request (the plan's clock; a test passes
    its own to stand on either side of midnight)."""

    async def export_endpoint(request: Request) -> Response:
        return await export_response(request, clock())

    return [Route(PATH, export_endpoint, methods=["GET"])]
