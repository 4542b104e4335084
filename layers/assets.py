"""Leaflet and jQuery served by the app itself, so a map draws with no internet and no CDN.

folium's default page asks public CDNs for Leaflet, jQuery, Bootstrap and icon fonts; one blocked
CDN (common in mainland China, and always offline) leaves the map blank. The app instead copies
the files from installed PyPI packages (``django-js-lib-leaflet`` for Leaflet 1.9.4,
``xstatic-jquery`` for jQuery) into ``./static/vendor/``, which Streamlit serves at
``/app/static/`` when ``server.enableStaticServing`` is on. Maps use only what is listed here:
no Bootstrap, no awesome-markers, no icon fonts (points are circle markers). The map tools
(fullscreen, measure, export, layer list) are the app's own code in ``static/planmap/`` (no
third-party plugin; one small script per concern, see :data:`MAP_SCRIPTS`), so nothing beyond Leaflet and jQuery needs a licence note.
"""

from __future__ import annotations

import filecmp
import functools
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR_DIR = ROOT / "static" / "vendor"
STATIC_URL = "/app/static/vendor"
# The app's own map tools (static/planmap, in the repository) and data it writes at run time.
PLANMAP_URL = "/app/static/planmap"
PLANMAP_DIR = ROOT / "static" / "planmap"
GENERATED_DIR = ROOT / "static" / "generated"
GENERATED_URL = "/app/static/generated"


def _leaflet_dir() -> Path:
    return Path(str(resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"))


def _jquery_dir() -> Path:
    import xstatic.pkg.jquery as xjquery

    return Path(xjquery.BASE_DIR)


def asset_sources() -> dict[str, Path]:
    """Destination (relative to ``static/vendor``) → file in an installed package."""
    leaflet = _leaflet_dir()
    sources = {
        "leaflet/leaflet.js": leaflet / "leaflet.js",
        "leaflet/leaflet.css": leaflet / "leaflet.css",
        "jquery/jquery.min.js": _jquery_dir() / "jquery.min.js",
    }
    for image in sorted((leaflet / "images").glob("*.png")):
        sources[f"leaflet/images/{image.name}"] = image
    return sources


def install_assets(target: Path = VENDOR_DIR) -> list[Path]:
    """Copy the vendored files into ``target`` where missing or different; returns what was copied."""
    copied = []
    for relative, source in asset_sources().items():
        if not source.is_file():
            raise FileNotFoundError(f"{source} is missing: reinstall django-js-lib-leaflet / xstatic-jquery")
        destination = target / relative
        if destination.is_file() and filecmp.cmp(source, destination, shallow=True):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied.append(destination)
    return copied


@functools.cache
def ensure_assets() -> None:
    """Once per process: the files that :data:`MAP_JS` and :data:`MAP_CSS` point at exist."""
    install_assets()


def _versioned(name: str) -> str:
    """URL of a map-tools file with its content hash: a browser holding an older copy fetches the
    new one (Streamlit sends static files without cache headers)."""
    digest = hashlib.sha256((PLANMAP_DIR / name).read_bytes()).hexdigest()[:10]
    return f"{PLANMAP_URL}/{name}?v={digest}"


# The map tools as plain scripts, in the order they must run: each later file adds to the
# ``PlanMap`` namespace that core.js makes. streamlit-folium loads ``default_js`` one after the other
# with <script> elements and then runs the page's script, which calls PlanMap.* at once; ES modules
# would run only after it.
MAP_SCRIPTS = ("core", "labels", "legend", "tools", "view", "units")
MAP_JS: list[tuple[str, str]] = [
    ("leaflet", f"{STATIC_URL}/leaflet/leaflet.js"),
    ("jquery", f"{STATIC_URL}/jquery/jquery.min.js"),
    *[(f"planmap_{name}", _versioned(f"{name}.js")) for name in MAP_SCRIPTS],
]
MAP_CSS: list[tuple[str, str]] = [
    ("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css"),
    ("planmap_css", _versioned("planmap.css")),
]


def write_static_json(prefix: str, data: Mapping | list) -> str:
    """Write ``data`` under static/generated with a content hash in its name; returns its URL."""
    return write_static_text(prefix, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def write_static_text(prefix: str, text: str) -> str:
    """Write JSON ``text`` under static/generated with a content hash in its name; returns its URL."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    name = f"{prefix}-{digest}.json"
    path = GENERATED_DIR / name
    if not path.is_file():
        GENERATED_DIR.mkdir(parents=True, exist_ok=True)
        # A name of its own per writer: two sessions writing the same file never share a scratch.
        tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    return f"{GENERATED_URL}/{name}"
