"""Symbology of the thematic layers: titles, colours, legend text, status and precision labels.

Shared by the maps (``layers``) and the exports (GeoPackage styles, KML), so a layer looks the
same in the app and in QGIS. The layer ids and the status list are the data model's
(:mod:`geo.catalogue`). Colours are from a qualitative palette that stays distinguishable on both
the light administrative basemap and satellite imagery.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.catalogue import LAYER_IDS, STATUS_EN, STATUSES
from geo.datafiles import LoadedMapping
from geo.vocabularies import PRECISION_TERMS


@dataclass(frozen=True)
class Layer:
    """A thematic layer of the registry: id, titles, colour, icon and legend texts."""

    id: str
    title_zh: str
    title_en: str
    colour: str
    icon: str
    legend_zh: str
    legend_en: str

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh

    def legend(self, lang: str = "zh") -> str:
        return self.legend_en if lang == "en" else self.legend_zh


LAYERS: dict[str, Layer] = {
    layer.id: layer
    for layer in (
        Layer(
            "aviation",
            "航空",
            "Aviation",
            "#1f77b4",
            "✈",
            "机场:枢纽、支线、新建与迁建",
            "Airports: hubs, regional, new and relocated",
        ),
        Layer(
            "railway",
            "铁路",
            "Railways",
            "#d62728",
            "🚆",
            "干线、城际、市域(郊)铁路与城市轨道",
            "Trunk, intercity, suburban and urban rail",
        ),
        Layer(
            "highway", "公路", "Highways", "#ff7f0e", "🛣", "高速公路与国道", "Expressways and national roads"
        ),
        Layer(
            "waterway",
            "水运",
            "Waterways",
            "#17becf",
            "⚓",
            "航道整治、航电枢纽与港口",
            "Channel works, navigation–power hubs, ports",
        ),
        Layer(
            "energy",
            "能源",
            "Energy",
            "#bcbd22",
            "⚡",
            "水电、电网、天然气与页岩气、氢能",
            "Hydropower, grid, gas and shale gas, hydrogen",
        ),
        Layer(
            "water",
            "水利",
            "Water",
            "#1a55a8",
            "💧",
            "灌区、引水与水库工程",
            "Irrigation districts, water diversion, reservoirs",
        ),
        Layer(
            "digital",
            "信息基础设施",
            "Digital",
            "#9467bd",
            "📡",
            "数据中心枢纽、互联网节点与专用通道",
            "Data-centre hubs, internet nodes, dedicated links",
        ),
        Layer(
            "logistics",
            "物流枢纽",
            "Logistics",
            "#8c564b",
            "📦",
            "国家与区域性物流枢纽",
            "National and regional logistics hubs",
        ),
        Layer(
            "corridor",
            "开放通道",
            "Opening-up corridors",
            "#e377c2",
            "🌐",
            "西部陆海新通道、中欧班列、开放平台",
            "New Western Land–Sea Corridor, China–Europe trains, open platforms",
        ),
        Layer(
            "industry",
            "产业平台",
            "Industrial platforms",
            "#7f7f7f",
            "🏭",
            "开发区、产业园与产业基地",
            "Development zones, industrial parks and bases",
        ),
        Layer(
            "science",
            "科技创新",
            "Science & innovation",
            "#2ca02c",
            "🔬",
            "科学城、大科学装置与创新平台",
            "Science cities, large facilities, innovation platforms",
        ),
        Layer(
            "zone",
            "合作平台与示范区",
            "Pilot & cooperation zones",
            "#ff9896",
            "◆",
            "新区、示范区、试验区与合作平台",
            "New areas, pilot and demonstration zones",
        ),
        Layer(
            "culture",
            "文化旅游",
            "Culture & tourism",
            "#c49c94",
            "🏯",
            "商圈、文旅品牌、文化公园与场馆",
            "Shopping districts, tourism brands, parks, venues",
        ),
        Layer(
            "ecology",
            "生态",
            "Ecology",
            "#98df8a",
            "🌲",
            "生态廊道、国家公园与绿色发展示范",
            "Ecological corridors, national parks, green pilots",
        ),
        Layer(
            "public",
            "公共服务",
            "Public services",
            "#aec7e8",
            "🏥",
            "教育、医疗、应急与公共服务设施",
            "Education, health, emergency and public facilities",
        ),
    )
}
assert tuple(LAYERS) == LAYER_IDS, "every layer of the data model needs a style, in the same order"

STATUS_COLOURS: dict[str, str] = {
    "建成": "#1b7837",
    "加快建设": "#5aae61",
    "开工建设": "#a6dba0",
    "扩能改造": "#fdb863",
    "迁建": "#e08214",
    "规划建设": "#b2abd2",
    "规划研究": "#8073ac",
    "前期工作": "#542788",
    "推进": "#999999",
}
assert tuple(STATUS_COLOURS) == STATUSES


def status_label(status: str, lang: str = "zh") -> str:
    """The status in ``lang`` (statuses are Chinese words; English from the vocabulary)."""
    return STATUS_EN.get(status, status) if lang == "en" else status


PRECISION_LABELS: LoadedMapping = LoadedMapping(
    # id: (中文, English, 中文说明, English explanation), from data/vocabularies.yaml on first use
    lambda: {
        precision: (term["zh"], term["en"], term["explanation_zh"], term["explanation_en"])
        for precision, term in PRECISION_TERMS.items()
    }
)


def precision_label(precision: str, lang: str = "zh") -> str:
    """The short label of a precision class in ``lang``."""
    zh, en, _, _ = PRECISION_LABELS.get(precision, (precision, precision, "", ""))
    return en if lang == "en" else zh


def precision_explanation(precision: str, lang: str = "zh") -> str:
    """What a precision class means, in ``lang``; empty for an unknown class."""
    _, _, zh, en = PRECISION_LABELS.get(precision, ("", "", "", ""))
    return en if lang == "en" else zh
