"""folium maps checked without a browser: local assets, layers, styles, GCJ-02 shift, escaping."""

from __future__ import annotations

import hashlib
import json
import re

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiPoint, Point, box

from geo.features import catalogue_frame
from geo.gazetteer import load_gazetteer
from geo.vocabulary import LAYERS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from geo.vocabulary import STATUSES as STATUS_TERMS
from layers import assets, labels, legends, map_themes, maps
from layers.assets import GENERATED_DIR, GENERATED_URL

CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "code.jquery.com",
    "cdnjs.cloudflare.com",
    "bootstrapcdn",
    "fontawesome",
    "unpkg.com",
)
GEOD = Geod(ellps="WGS84")


def _admin() -> dict[str, gpd.GeoDataFrame]:
    """Two made-up provinces and two prefectures, in WGS 84, around the real region."""
    provinces = gpd.GeoDataFrame(
        {"adcode": ["510000", "500000"], "name": ["四川省", "重庆市"], "short_name": ["四川", "重庆"]},
        geometry=[box(101.0, 28.0, 105.8, 32.5), box(105.8, 28.5, 109.5, 31.5)],
        crs="EPSG:4326",
    )
    prefectures = gpd.GeoDataFrame(
        {"adcode": ["510100", "510900"], "name": ["成都市", "遂宁市"], "short_name": ["成都", "遂宁"]},
        geometry=[box(103.5, 30.1, 104.9, 31.4), box(105.0, 30.1, 105.8, 31.0)],
        crs="EPSG:4326",
    )
    return {"province": provinces, "prefecture": prefectures}


def _features() -> gpd.GeoDataFrame:
    rows = [
        ("air-x", "测试机场", "aviation", "建成", "exact", 9, Point(104.44, 30.31)),
        ("air-y", "遂宁机场", "aviation", "规划建设", "seat", 9, Point(105.59, 30.53)),
        (
            "rail-x",
            "<script>alert(1)</script>",
            "railway",
            "开工建设",
            "schematic",
            10,
            LineString([(104.06, 30.57), (106.55, 29.56)]),
        ),
        (
            "rail-y",
            "成渝铁路",
            "railway",
            "加快建设",
            "schematic",
            10,
            LineString([(104.06, 30.57), (105.59, 30.53)]),
        ),
        ("zone-x", "示范区", "zone", "推进", "area", 7, box(105.2, 30.2, 105.7, 30.6)),
        (
            "energy-x",
            "两地电站",
            "energy",
            "前期工作",
            "seat",
            12,
            MultiPoint([(104.06, 30.57), (106.55, 29.56)]),
        ),
    ]
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "name_en": ["" for _ in rows],
            "layer": [r[2] for r in rows],
            "status": [r[3] for r in rows],
            "precision": [r[4] for r in rows],
            "task": [r[5] for r in rows],
        },
        geometry=[r[6] for r in rows],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def full_map_html() -> str:
    m = maps.new_map(admin=_admin())
    for group in map_themes.theme_layers(_features()):
        group.add_to(m)
    legends.add_legend(m)
    return maps.rendered_html(m)


def _contains(html_text: str, text: str) -> bool:
    """Text in the page, written either as is or JSON-escaped (folium writes data as ASCII JSON)."""
    return text in html_text or json.dumps(text)[1:-1] in html_text


def _urls(html_text: str) -> set[str]:
    return set(re.findall(r'(?:src|href)="([^"]+)"', html_text))


# -- assets ----------------------------------------------------------------------------------------
def test_assets_are_copied_from_installed_packages_and_copying_is_idempotent(tmp_path):
    copied = assets.install_assets(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in copied}
    assert {"leaflet/leaflet.js", "leaflet/leaflet.css", "jquery/jquery.min.js"} <= names
    assert "leaflet/images/layers.png" in names
    assert b"Leaflet 1.9.4" in (tmp_path / "leaflet" / "leaflet.js").read_bytes()[:400]
    assert assets.install_assets(tmp_path) == []


def test_map_uses_only_local_assets(full_map_html):
    urls = _urls(full_map_html)
    assert f"{assets.STATIC_URL}/leaflet/leaflet.js" in urls
    assert f"{assets.STATIC_URL}/leaflet/leaflet.css" in urls
    assert f"{assets.STATIC_URL}/jquery/jquery.min.js" in urls
    # Every map-tool script, in the order each builds on the one before.
    tools = re.findall(rf'src="{assets.PLANMAP_URL}/(\w+)\.js\?v=', full_map_html)
    assert tools == list(assets.MAP_SCRIPTS)
    assert all(url.startswith("/app/static/") for url in urls), urls
    for host in CDN_HOSTS:
        assert host not in full_map_html
    assert "bootstrap" not in full_map_html.lower()
    assert "awesome" not in full_map_html.lower()


def test_every_vendored_url_has_its_file():
    assets.ensure_assets()
    for _, url in [*assets.MAP_JS, *assets.MAP_CSS]:
        path = assets.ROOT / url.removeprefix("/app/").split("?")[0]
        assert path.is_file(), path


def test_the_map_tools_urls_change_with_their_files():
    # A browser holding an older map-tool script must not keep it: each URL carries its content's hash.
    urls = dict(assets.MAP_JS)
    for name in assets.MAP_SCRIPTS:
        digest = urls[f"planmap_{name}"].rsplit("?v=", 1)[1]
        assert digest == hashlib.sha256((assets.PLANMAP_DIR / f"{name}.js").read_bytes()).hexdigest()[:10]
    # Every script in static/planmap is loaded: none is left behind when a file is added.
    assert sorted(path.stem for path in assets.PLANMAP_DIR.glob("*.js")) == sorted(assets.MAP_SCRIPTS)


# -- layers ----------------------------------------------------------------------------------------
def test_one_geojson_per_layer_and_points_as_circle_markers(full_map_html):
    groups = map_themes.theme_layers(_features())
    assert [g.layer_name for g in groups] == [
        LAYERS[i].label() for i in ("aviation", "railway", "energy", "zone")
    ]
    for group in groups:
        geojsons = [child for child in group._children.values() if isinstance(child, maps.VectorLayer)]
        assert len(geojsons) == 1
    # The page passes data; static/planmap/core.js draws it, points as circle markers.
    assert "PlanMap.vector(" in full_map_html and "pointToLayer" not in full_map_html
    assert "L.circleMarker(latlng, options)" in (assets.PLANMAP_DIR / "core.js").read_text(encoding="utf-8")
    assert "L.AwesomeMarkers" not in full_map_html
    for feature_id in _features()["id"]:
        assert f'"{feature_id}"' in full_map_html


def test_styles_follow_precision():
    prepared = map_themes.theme_frame_for_map(_features())
    style = dict(zip(prepared["id"], prepared["style"], strict=True))
    assert style["rail-x"]["dashArray"]  # schematic: dashed
    assert style["zone-x"]["fillOpacity"] < 0.5  # area: translucent
    assert style["air-x"]["fillColor"] == LAYERS["aviation"].colour  # exact point: filled
    assert style["air-y"]["fillColor"] == "#ffffff"  # seat point: hollow
    by_status = map_themes.theme_frame_for_map(_features(), colour_by="status")
    styles = dict(zip(by_status["id"], by_status["style"], strict=True))
    assert styles["rail-x"]["color"] == STATUS_TERMS["开工建设"].colour


def test_admin_basemap_is_drawn_and_not_clickable(full_map_html):
    assert "510900" in full_map_html  # the made-up prefecture outline
    admin_layers = [
        c for c in maps.new_map(admin=_admin())._children.values() if isinstance(c, maps.VectorLayer)
    ]
    assert {layer.layer_name for layer in admin_layers} == {"admin-province", "admin-prefecture"}
    assert all(layer.interactive is False for layer in admin_layers)
    assert _contains(full_map_html, "遂宁")  # its label


def test_gazetteer_outlines_travel_as_a_static_file_under_the_features():
    m = maps.new_map(admin_levels=("province", "prefecture", "county"))
    backdrops = [c for c in m._children.values() if isinstance(c, maps.BackdropLayer)]
    assert [b.layer_name for b in backdrops] == ["admin-province", "admin-prefecture", "admin-county"]
    # Each pane under Leaflet's overlay pane (400), the province fill lowest.
    assert [b.z_index for b in backdrops] == sorted(b.z_index for b in backdrops)
    assert all(b.z_index < 400 and b.interactive is False for b in backdrops)
    html = maps.rendered_html(m)
    assert "510100" not in html  # the outlines are not inside the page
    for backdrop in backdrops:
        assert backdrop.url.startswith(GENERATED_URL + "/admin-") and backdrop.url in html
        written = GENERATED_DIR / backdrop.url.rsplit("/", 1)[1]
        collection = json.loads(written.read_text(encoding="utf-8"))
        level = backdrop.layer_name.removeprefix("admin-")
        codes = {f["properties"]["adcode"] for f in collection["features"]}
        assert codes == set(maps.admin_frame(level)["adcode"])
    gcj = maps.new_map(basemap="gaode", admin_levels=("province",))
    [gcj_backdrop] = [c for c in gcj._children.values() if isinstance(c, maps.BackdropLayer)]
    assert gcj_backdrop.url != backdrops[0].url  # one file per datum


def test_map_legend_shows_precision_classes_and_the_colour_key_only_the_layers_given(full_map_html):
    legend = legends.precision_legend_html()
    for word in ("精确", "站点", "驻地", "区域", "线位", "河段", "示意"):
        assert word in legend
    assert "© OpenStreetMap contributors" in legend  # route and site data are ODbL
    assert "stroke-dasharray" in legend
    assert "<details open>" in legend and "<details>" in legends.precision_legend_html(collapsed=True)
    assert "Precision" in legends.precision_legend_html(lang="en")
    # In the map only the precision key: layer titles would list all layers whatever is shown.
    assert _contains(full_map_html, "位置精度") and _contains(full_map_html, "stroke-dasharray")
    assert "plan-colour-legend" not in full_map_html

    key = legends.colour_legend_html(["railway", "aviation"])
    assert LAYERS["railway"].zh in key and LAYERS["aviation"].zh in key
    assert all(
        layer.zh not in key for layer_id, layer in LAYERS.items() if layer_id not in ("railway", "aviation")
    )
    assert LAYERS["railway"].colour in key
    assert LAYERS["railway"].en in legends.colour_legend_html(["railway"], lang="en")
    assert legends.colour_legend_html([]) == ""
    by_status = legends.colour_legend_html(["railway"], colour_by="status")
    assert "状态" in by_status and "开工建设" in by_status and LAYERS["railway"].zh not in by_status


def test_map_html_has_no_focus_outline_on_clicked_shapes(full_map_html):
    assert ".leaflet-interactive:focus { outline: none; }" in full_map_html


# -- GCJ-02 ----------------------------------------------------------------------------------------
def _shift_m(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2]


def test_gaode_basemap_shifts_overlays_by_a_few_hundred_metres():
    wgs = map_themes.theme_frame_for_map(_features(), datum=maps.WGS84)
    gcj = map_themes.theme_frame_for_map(_features(), datum=maps.GCJ02)
    point_wgs = wgs.set_index("id").geometry["air-x"]
    point_gcj = gcj.set_index("id").geometry["air-x"]
    assert 300 <= _shift_m(point_wgs, point_gcj) <= 600
    assert point_gcj.x > point_wgs.x  # the GCJ-02 offset here is to the east and north
    admin = _admin()["prefecture"]
    shifted = maps.to_datum(admin, maps.GCJ02)
    corner_wgs = Point(admin.geometry.iloc[0].exterior.coords[0])
    corner_gcj = Point(shifted.geometry.iloc[0].exterior.coords[0])
    assert 300 <= _shift_m(corner_wgs, corner_gcj) <= 600
    assert maps.to_datum(admin, maps.WGS84) is admin


def test_gaode_map_shows_its_datum_and_shifted_outlines():
    html_wgs = maps.rendered_html(maps.new_map(admin=_admin()))
    html_gcj = maps.rendered_html(maps.new_map(admin=_admin(), basemap="gaode"))
    assert maps.datum_of("gaode") == maps.GCJ02
    assert _contains(html_gcj, maps.datum_label(maps.GCJ02)) and not _contains(html_wgs, "GCJ-02")
    assert "autonavi.com" in html_gcj
    assert "[105.0,30.1]" in html_wgs and "[105.0,30.1]" not in html_gcj


# -- escaping --------------------------------------------------------------------------------------
def test_names_are_escaped_everywhere(full_map_html):
    assert "<script>alert" not in full_map_html
    prepared = map_themes.theme_frame_for_map(_features())
    tip = prepared.set_index("id")["tooltip"]["rail-x"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tip
    assert "<script>" not in tip


# -- choropleth ------------------------------------------------------------------------------------
def test_choropleth_polygons_carry_adcode_name_and_class_colour():
    units = _admin()["prefecture"]
    layer = legends.choropleth_layer(units, {"510900": 10, "510100": 0})
    features = {f["properties"]["adcode"]: f["properties"] for f in json.loads(layer.data_json)["features"]}
    assert features["510900"]["name"] == "遂宁市"
    assert features["510900"]["count"] == 10
    assert features["510900"]["style"]["fillColor"] == legends.count_colour(10) != legends.count_colour(0)
    assert features["510100"]["style"]["fillColor"] == legends.COUNT_COLOURS[0]
    assert "&lt;" not in features["510900"]["tooltip"] and "遂宁市" in features["510900"]["tooltip"]


def test_count_classes_are_ordered_and_cover_every_count():
    colours = [legends.count_colour(n) for n in range(0, 30)]
    ranks = [legends.COUNT_COLOURS.index(c) for c in colours]
    assert ranks == sorted(ranks)
    assert ranks[0] == 0 and ranks[-1] == len(legends.COUNT_COLOURS) - 1
    assert len(legends.count_classes()) == len(legends.COUNT_COLOURS)


def test_real_administrative_basemap_is_simplified_and_valid():
    prefectures = maps.admin_frame("prefecture")
    assert len(prefectures) == 59  # Sichuan's 21 prefectures and Chongqing's 38 districts and counties
    assert prefectures.is_valid.all()
    payload = json.dumps(maps._geojson(prefectures, ["adcode"]))
    assert len(payload) < 600_000


def test_chongqing_districts_share_one_label_at_the_municipal_seat():
    frame = gpd.GeoDataFrame(
        {
            "adcode": ["510900", "500151", "500152"],
            "name": ["遂宁市", "铜梁区", "潼南区"],
            "short_name": ["遂宁", "铜梁", "潼南"],
            "name_en": ["Suining", "Tongliang", "Tongnan"],
            "level": ["prefecture", "county", "county"],
            "parent": ["510000", "500000", "500000"],
        },
        geometry=[
            box(105.0, 30.1, 105.8, 31.0),
            box(105.8, 29.6, 106.3, 30.0),
            box(105.6, 29.9, 106.1, 30.3),
        ],
        crs="EPSG:4326",
    )
    placed = {name: (lat, lon) for lat, lon, name in labels.label_points(frame)}
    assert set(placed) == {"遂宁", "重庆"}
    seat = load_gazetteer().unit("500000")
    assert placed["重庆"] == (round(seat.lat, 4), round(seat.lon, 4))
    assert {name for _, _, name in labels.label_points(frame, "en")} == {"Suining", "Chongqing"}


def test_the_print_legend_draws_each_precision_class_as_the_map_does():
    from layers.leaflet_styles import marker_style
    from layers.planmap import precision_legend, tools_config

    rows = {row["id"]: row for row in tools_config(lang="en")["precision"] if not row.get("stand_in")}
    assert list(rows) == list(PRECISION_TERMS)
    frame = catalogue_frame()
    points = set(frame.loc[frame.geom_type == "Point", "precision"])  # what the map draws as markers
    assert {i for i, row in rows.items() if "marker" in row} == points
    # A site is a filled dot like an exact point; a seat-located one is hollow.
    assert rows["site"]["marker"]["fillOpacity"] == marker_style("railway", "site")["fillOpacity"] == 1.0
    assert rows["seat"]["marker"]["fillColor"] == "#ffffff"
    assert rows["schematic"]["line"]["dashArray"] and "dashArray" not in rows["route"]["line"]
    assert precision_legend("zh")[0]["title"] != precision_legend("en")[0]["title"]
