"""The OGC API – Features service at ``/ogc``: pygeoapi's API core, routed by the app's own server.

pygeoapi's own Starlette app reads a YAML file named by an environment variable at import and
fixes the server URL there; here the configuration is made in code (:mod:`web.ogc_config`) and the
URL follows each request — ``X-Forwarded-Proto``/``-Host``/``-Prefix`` from a reverse proxy, else
the request's own scheme, host and port — so links work on any port and behind nginx. One
pygeoapi ``API`` is kept per base URL (a few at most).

Every answer is JSON: pygeoapi's HTML pages load scripts and styles from public CDNs, so a request
for HTML (a browser's ``Accept``, ``f=html``) gets the JSON document. A bad request is a 4xx JSON
error with one line, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

PREFIX = "/ogc"
MAX_QUERY_CHARS = 4000
MAX_APIS = 8
_JSON_FORMATS = {None, "json", "jsonld"}
_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:]{1,255}$")
_PATH_PREFIX = re.compile(r"^(/[A-Za-z0-9._~\-]+)*$")
LOG = logging.getLogger("planmap.web.ogc")
_apis: OrderedDict[str, object] = OrderedDict()
_apis_lock = threading.Lock()


def base_url(request: Request) -> str:
    """The service's public address for this request (no trailing slash)."""
    headers = request.headers
    scheme = headers.get("x-forwarded-proto", "").split(",")[0].strip() or request.url.scheme
    host = headers.get("x-forwarded-host", "").split(",")[0].strip() or headers.get("host", "")
    prefix = headers.get("x-forwarded-prefix", "").split(",")[0].strip().rstrip("/")
    if scheme not in ("http", "https"):
        scheme = request.url.scheme
    if not _HOST.match(host):
        host = f"{request.url.hostname}:{request.url.port}" if request.url.port else str(request.url.hostname)
    if not _PATH_PREFIX.match(prefix):
        prefix = ""
    return f"{scheme}://{host}{prefix}{request.scope.get('root_path', '')}{PREFIX}"


def _api_for(url: str):
    """pygeoapi's API object for a base URL (made once, the last few kept)."""
    from pygeoapi.api import API
    from pygeoapi.openapi import get_oas

    from web.ogc_config import ogc_config

    with _apis_lock:
        if url in _apis:
            _apis.move_to_end(url)
            return _apis[url]
        config = ogc_config(url)
        api = API(config, get_oas(config, fail_on_invalid_collection=False))
        _apis[url] = api
        while len(_apis) > MAX_APIS:
            _apis.popitem(last=False)
        return api


# In JSON, < > & can stand only inside strings, where their \u escapes mean the same: escaped,
# no answer holds markup a browser could run, whatever a value or a bad parameter contains.
def _escape_markup(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def warm() -> float:
    """Build the service's collections and pygeoapi's API once (seconds taken), so a GIS client's
    first connection does not wait for them; any later base URL reuses those caches."""
    import time

    started = time.perf_counter()
    _api_for(f"http://localhost{PREFIX}")
    return time.perf_counter() - started


def _error(status: int, code: str, description: str) -> Response:
    body = json.dumps({"code": code, "type": code, "description": description}, ensure_ascii=False)
    return Response(_escape_markup(body), status_code=status, media_type="application/json")


def _to_response(headers: dict, status: int, content) -> Response:
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    if "json" in str((headers or {}).get("Content-Type", "application/json")):
        content = _escape_markup(content)
    response = Response(content, status_code=int(status))
    response.headers.update({k: str(v) for k, v in (headers or {}).items()})
    return response


async def _answer(request: Request, handler: Callable, *args) -> Response:
    from pygeoapi.api import APIRequest

    if len(request.url.query) > MAX_QUERY_CHARS:
        return _error(
            HTTPStatus.BAD_REQUEST, "InvalidParameterValue", f"query longer than {MAX_QUERY_CHARS} characters"
        )
    loop = asyncio.get_running_loop()
    try:
        api = await loop.run_in_executor(None, _api_for, base_url(request))
        api_request = await APIRequest.from_starlette(request, api.locales)
        if api_request.format not in _JSON_FORMATS:
            if api_request.format == "html" or request.query_params.get("f") is None:
                api_request._format = "json"  # no HTML pages: they would load CDN assets
        headers, status, content = await loop.run_in_executor(None, handler, api, api_request, *args)
    except Exception:  # a fault of ours: logged here, one line to the client
        LOG.exception("OGC API request failed: %s", request.url.path)
        return _error(
            HTTPStatus.INTERNAL_SERVER_ERROR, "NoApplicableCode", "internal error; see the server log"
        )
    return _to_response(headers, status, content)


def _handler(name: str) -> Callable:
    """A pygeoapi API function by module and name, imported when first asked for."""

    @functools.cache
    def resolve():
        import importlib

        module, _, function = name.rpartition(".")
        return getattr(importlib.import_module(module), function)

    return lambda api, request, *args: resolve()(api, request, *args)


_LANDING = _handler("pygeoapi.api.landing_page")
_OPENAPI = _handler("pygeoapi.api.openapi_")
_CONFORMANCE = _handler("pygeoapi.api.conformance")
_COLLECTIONS = _handler("pygeoapi.api.describe_collections")
_QUERYABLES = _handler("pygeoapi.api.itemtypes.get_collection_queryables")
_SCHEMA = _handler("pygeoapi.api.get_collection_schema")
_ITEMS = _handler("pygeoapi.api.itemtypes.get_collection_items")
_ITEM = _handler("pygeoapi.api.itemtypes.get_collection_item")


async def landing_page(request: Request) -> Response:
    return await _answer(request, _LANDING)


async def openapi(request: Request) -> Response:
    return await _answer(request, _OPENAPI)


async def conformance(request: Request) -> Response:
    return await _answer(request, _CONFORMANCE)


async def collections(request: Request) -> Response:
    collection = request.path_params.get("collection_id")
    if collection is None:
        return await _answer(request, _COLLECTIONS)
    return await _answer(request, _COLLECTIONS, collection)


async def queryables(request: Request) -> Response:
    return await _answer(request, _QUERYABLES, request.path_params["collection_id"])


async def schema(request: Request) -> Response:
    return await _answer(request, _SCHEMA, request.path_params["collection_id"])


async def items(request: Request) -> Response:
    return await _answer(request, _ITEMS, request.path_params["collection_id"])


async def item(request: Request) -> Response:
    return await _answer(request, _ITEM, request.path_params["collection_id"], request.path_params["item_id"])


def ogc_routes() -> list[BaseRoute]:
    """The read-only OGC API – Features routes (Part 1 Core, GeoJSON, OpenAPI; Part 2 CRS)."""
    return [
        Route(PREFIX, landing_page),
        Route(f"{PREFIX}/", landing_page),
        Route(f"{PREFIX}/openapi", openapi),
        Route(f"{PREFIX}/conformance", conformance),
        Route(f"{PREFIX}/collections", collections),
        Route(f"{PREFIX}/collections/{{collection_id}}", collections),
        Route(f"{PREFIX}/collections/{{collection_id}}/queryables", queryables),
        Route(f"{PREFIX}/collections/{{collection_id}}/schema", schema),
        Route(f"{PREFIX}/collections/{{collection_id}}/items", items),
        Route(f"{PREFIX}/collections/{{collection_id}}/items/{{item_id}}", item),
    ]
