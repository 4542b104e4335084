"""The app's HTTP routes beside the pages, served by ``app.py`` on the app's own port.

This room may import ``geo/``, ``layers/``, starlette and pygeoapi, never streamlit: what it
answers is data for other programs (GIS clients), not pages.

``routes()`` lists the routes to mount; ``lifespan`` runs once around the server's life and warms
the library's caches (the catalogue, the gazetteer, the city page's tasks per unit) so the first
visitor does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from geo.errors import GeoError

LOG = logging.getLogger("planmap.web")
# Every route here only reads; a request that would write is refused in one JSON line.
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


async def refuse_write(request: Request) -> JSONResponse:
    """405 with one JSON line: these routes read; the ledger is written only through the pages."""
    return JSONResponse(
        {"error": f"{request.method} is not allowed here: this address only reads (GET)"},
        status_code=405,
        headers={"Allow": "GET, HEAD"},
    )


def routes() -> list[BaseRoute]:
    """Every HTTP route the app serves beside its pages, then a JSON 405 for writing to each of them
    (Starlette tries a later route when an earlier one matched the path but not the method)."""
    from web.brief_route import brief_routes
    from web.export_route import export_routes
    from web.ogc import ogc_routes

    served = [*ogc_routes(), *export_routes(), *brief_routes()]
    refusals = [Route(r.path, refuse_write, methods=WRITE_METHODS) for r in served if isinstance(r, Route)]
    return [*served, *refusals]


def warm_caches() -> float:
    """Load the catalogue, its features, the gazetteer and the tasks reaching each unit (the city
    page's table, both with and without what a county receives) into their process caches;
    seconds taken."""
    from geo.features import catalogue_frame
    from geo.gazetteer import load_gazetteer
    from layers.summaries import hits_per_unit

    started = time.perf_counter()
    load_gazetteer()
    catalogue_frame()
    hits_per_unit(inherited=True)
    hits_per_unit(inherited=False)
    return time.perf_counter() - started


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Warm the caches (in a worker thread, so the event loop stays free) before serving."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False
    try:
        seconds = await asyncio.to_thread(warm_caches)
    except GeoError as exc:  # a damaged data file: every page that needs it says which and how to restore
        LOG.warning("caches not warmed: %s", exc)
    else:
        LOG.info("catalogue, gazetteer and tasks per unit loaded in %.2f s", seconds)
    # The feature service's collections next, in the background: pages need not wait for them.
    threading.Thread(target=_warm_feature_service, name="warm-ogc", daemon=True).start()
    yield


def _warm_feature_service() -> None:
    from web.ogc import warm

    try:
        LOG.info("feature service ready in %.2f s", warm())
    except GeoError as exc:
        LOG.warning("feature service not warmed: %s", exc)
