"""The app's HTTP routes beside the pages, served by ``app.py`` on the app's own port.

This room may import ``geo/``, ``layers/``, starlette and pygeoapi, never streamlit: what it
answers is data for other programs (GIS clients), not pages.

``routes()`` lists the routes to mount; ``lifespan`` runs once around the server's life and warms
the library's caches so the first visitor does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.routing import BaseRoute

from geo.errors import GeoError

LOG = logging.getLogger("planmap.web")


def routes() -> list[BaseRoute]:
    """Every HTTP route the app serves beside its pages."""
    from web.brief_route import brief_routes
    from web.export_route import export_routes
    from web.ogc import ogc_routes

    return [*ogc_routes(), *export_routes(), *brief_routes()]


def warm_caches() -> float:
    """Load the catalogue, its features and the gazetteer into their process caches; seconds taken."""
    from geo.features import catalogue_frame
    from geo.gazetteer import load_gazetteer

    started = time.perf_counter()
    load_gazetteer()
    catalogue_frame()
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
        LOG.info("catalogue and gazetteer loaded in %.2f s", seconds)
    # The feature service's collections next, in the background: pages need not wait for them.
    threading.Thread(target=_warm_feature_service, name="warm-ogc", daemon=True).start()
    yield


def _warm_feature_service() -> None:
    from web.ogc import warm

    try:
        LOG.info("feature service ready in %.2f s", warm())
    except GeoError as exc:
        LOG.warning("feature service not warmed: %s", exc)
