"""QGIS layer styles (QML) and OGC SLD for the GeoPackage's ``layer_styles`` table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from geo.formats.core import LayerLook, rgba
from geo.vocabulary import PRECISIONS


def _qgis_colour(colour: str, alpha: int = 255) -> str:
    return ",".join(str(v) for v in rgba(colour, alpha))


def _qml_symbol(parent: ET.Element, name: str, symbol_type: str, layer_class: str, props: dict) -> None:
    symbol = ET.SubElement(
        parent,
        "symbol",
        {"type": symbol_type, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layer = ET.SubElement(symbol, "layer", {"class": layer_class, "enabled": "1", "pass": "0", "locked": "0"})
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"name": key, "type": "QString", "value": str(value)})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": str(value)})


def _classes(wanted) -> tuple[str, ...]:
    """The precision classes whose term passes ``wanted``, in the vocabulary's order."""
    return tuple(p.id for p in PRECISIONS.terms() if wanted(p))


def _rule_label(values: tuple[str, ...]) -> str:
    """``exact, site 精确、站点``: the classes a rule draws, in both languages."""
    terms = [PRECISIONS[v] for v in values]
    return ", ".join(t.en for t in terms) + " " + "、".join(t.zh for t in terms)


# Administrative reference layers: outlines only, never a fill that would hide the plan's features.
ADMIN_OUTLINES: dict[str, tuple[str, str, str]] = {
    # level: (colour, width in mm, line style)
    "province": ("#555555", "0.8", "solid"),
    "prefecture": ("#888888", "0.4", "solid"),
    "county": ("#bbbbbb", "0.2", "dash"),
}
# A rule: (label, precision values it matches or () for "everything else", symbol type,
# symbol-layer class, properties).
Rule = tuple[str, tuple[str, ...], str, str, dict]


def _style_rules(dimension: str, colour: str) -> list[Rule]:
    """The rules of a feature table, mirroring the app's drawing."""
    if dimension == "points":
        filled = {
            "name": "circle",
            "color": _qgis_colour(colour),
            "outline_color": "255,255,255,255",
            "outline_width": "0.5",
            "size": "3.2",
        }
        hollow = {
            "name": "circle",
            "color": "255,255,255,230",
            "outline_color": _qgis_colour(colour),
            "outline_width": "0.7",
            "size": "2.8",
        }
        # Known positions are filled points; any other class is a stand-in, a hollow point.
        known = _classes(lambda p: p.point and not p.hollow)
        return [
            (_rule_label(known), known, "marker", "SimpleMarker", filled),
            ("other (a stand-in, e.g. at a seat) 其他", (), "marker", "SimpleMarker", hollow),
        ]
    if dimension == "lines":
        base = {
            "line_color": _qgis_colour(colour),
            "line_width_unit": "MM",
            "capstyle": "round",
            "joinstyle": "round",
        }
        dashed = base | {
            "line_width": "0.8",
            "line_style": "dash",
            "use_custom_dash": "1",
            "customdash": "3;2",
            "customdash_unit": "MM",
        }
        # Dashed classes are not the alignment; measured ones are real lines, drawn thicker.
        schematic, real = _classes(lambda p: p.dashed), _classes(lambda p: p.measured)
        return [
            (_rule_label(schematic) + " (not the alignment)", schematic, "line", "SimpleLine", dashed),
            (
                _rule_label(real),
                real,
                "line",
                "SimpleLine",
                base | {"line_width": "1.4", "line_style": "solid"},
            ),
            ("other", (), "line", "SimpleLine", base | {"line_width": "0.8", "line_style": "solid"}),
        ]
    if dimension.startswith("admin_"):
        outline, width, style = ADMIN_OUTLINES[dimension.removeprefix("admin_")]
        lines_only = {
            "color": "0,0,0,0",
            "style": "no",
            "outline_color": _qgis_colour(outline),
            "outline_style": style,
            "outline_width": width,
            "outline_width_unit": "MM",
        }
        return [("outline 边界", (), "fill", "SimpleFill", lines_only)]
    fill = {
        "color": _qgis_colour(colour, 46),
        "style": "solid",
        "outline_color": _qgis_colour(colour),
        "outline_style": "dash",
        "outline_width": "0.4",
        "outline_width_unit": "MM",
    }
    return [("area 区域", (), "fill", "SimpleFill", fill)]


def qgis_filter(values: tuple[str, ...]) -> str:
    """The QGIS expression of a rule: ``"precision" IN ('exact', 'site')``, or ELSE."""
    if not values:
        return "ELSE"
    return '"precision" IN (' + ", ".join(f"'{v}'" for v in values) + ")"


def renderer_element(dimension: str, look: LayerLook) -> ET.Element:
    """QGIS's ``renderer-v2`` (rule-based) for a table: shared by the QML style and the project.

    ``dimension`` is ``points``, ``lines``, ``polygons`` or ``admin_<level>`` (outlines only).
    """
    renderer = ET.Element(
        "renderer-v2",
        {"type": "RuleRenderer", "symbollevels": "0", "enableorderby": "0", "forceraster": "0"},
    )
    rules = ET.SubElement(renderer, "rules", {"key": "{root}"})
    symbols = ET.SubElement(renderer, "symbols")
    for index, (label, values, symbol_type, layer_class, props) in enumerate(
        _style_rules(dimension, look.colour)
    ):
        ET.SubElement(
            rules,
            "rule",
            {
                "key": f"{{rule-{index}}}",
                "symbol": str(index),
                "label": f"{look.title_zh} {label}",
                "filter": qgis_filter(values),
            },
        )
        _qml_symbol(symbols, str(index), symbol_type, layer_class, props)
    return renderer


GEOMETRY_TYPE_CODES = {"points": "0", "lines": "1", "polygons": "2"}


def qml_style(dimension: str, look: LayerLook) -> str:
    """A QGIS layer style (QML) with a rule per precision class, like the app draws it.

    ``dimension`` as for :func:`renderer_element`.
    """
    root = ET.Element("qgis", {"version": "3.28.0-Firenze", "styleCategories": "Symbology"})
    root.append(renderer_element(dimension, look))
    ET.SubElement(root, "layerGeometryType").text = GEOMETRY_TYPE_CODES.get(dimension, "2")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


def sld_style(table: str, dimension: str, look: LayerLook) -> str:
    """The same style as OGC SLD 1.1 (Symbology Encoding) for tools that read SLD."""
    sld, se, ogc = "http://www.opengis.net/sld", "http://www.opengis.net/se", "http://www.opengis.net/ogc"
    ET.register_namespace("sld", sld)
    ET.register_namespace("se", se)
    ET.register_namespace("ogc", ogc)
    root = ET.Element(f"{{{sld}}}StyledLayerDescriptor", {"version": "1.1.0"})
    named = ET.SubElement(root, f"{{{sld}}}NamedLayer")
    ET.SubElement(named, f"{{{se}}}Name").text = table
    user = ET.SubElement(named, f"{{{sld}}}UserStyle")
    ET.SubElement(user, f"{{{se}}}Name").text = look.title_zh
    fts = ET.SubElement(user, f"{{{se}}}FeatureTypeStyle")

    def css(parent, tag, params):
        element = ET.SubElement(parent, f"{{{se}}}{tag}")
        for name, value in params.items():
            ET.SubElement(element, f"{{{se}}}SvgParameter", {"name": name}).text = value
        return element

    for label, values, _, _, props in _style_rules(dimension, look.colour):
        rule = ET.SubElement(fts, f"{{{se}}}Rule")
        ET.SubElement(rule, f"{{{se}}}Name").text = label
        if not values:
            ET.SubElement(rule, f"{{{se}}}ElseFilter")
        else:
            filt = ET.SubElement(rule, f"{{{ogc}}}Filter")
            parent = ET.SubElement(filt, f"{{{ogc}}}Or") if len(values) > 1 else filt
            for value in values:
                equal = ET.SubElement(parent, f"{{{ogc}}}PropertyIsEqualTo")
                ET.SubElement(equal, f"{{{ogc}}}PropertyName").text = "precision"
                ET.SubElement(equal, f"{{{ogc}}}Literal").text = value
        if dimension == "points":
            symbolizer = ET.SubElement(rule, f"{{{se}}}PointSymbolizer")
            graphic = ET.SubElement(symbolizer, f"{{{se}}}Graphic")
            mark = ET.SubElement(graphic, f"{{{se}}}Mark")
            ET.SubElement(mark, f"{{{se}}}WellKnownName").text = "circle"
            css(mark, "Fill", {"fill": _hex(props["color"])})
            css(mark, "Stroke", {"stroke": _hex(props["outline_color"]), "stroke-width": "1.5"})
            ET.SubElement(graphic, f"{{{se}}}Size").text = "10"
        elif dimension == "lines":
            symbolizer = ET.SubElement(rule, f"{{{se}}}LineSymbolizer")
            params = {"stroke": look.colour, "stroke-width": "3" if props["line_width"] == "0.8" else "5"}
            if props.get("line_style") == "dash":
                params["stroke-dasharray"] = "8 6"
            css(symbolizer, "Stroke", params)
        elif dimension.startswith("admin_"):
            symbolizer = ET.SubElement(rule, f"{{{se}}}PolygonSymbolizer")
            stroke = {
                "stroke": _hex(props["outline_color"]),
                "stroke-width": str(float(props["outline_width"]) * 4),
            }
            css(symbolizer, "Stroke", stroke)
        else:
            symbolizer = ET.SubElement(rule, f"{{{se}}}PolygonSymbolizer")
            css(symbolizer, "Fill", {"fill": look.colour, "fill-opacity": "0.18"})
            css(
                symbolizer,
                "Stroke",
                {"stroke": look.colour, "stroke-width": "1.5", "stroke-dasharray": "4 3"},
            )
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _hex(qgis_colour: str) -> str:
    r, g, b, _ = (int(v) for v in qgis_colour.split(","))
    return f"#{r:02x}{g:02x}{b:02x}"
