"""Open exported files in the real QGIS (PyQGIS) and report what QGIS sees, as JSON on stdout.

Run with the system Python that has Debian's ``python3-qgis`` (not the project's interpreter):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_check.py REQUEST.json

The request names GeoPackages (every sub-layer QGIS lists is opened as QGIS opens it, then every
feature table, then the stored project),
other files to open (a URI and the CRS expected) and where to render the project as PNG. Only
the standard library and QGIS are imported here; the test reads the report and the images.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    Qgis,
    QgsApplication,
    QgsFillSymbol,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsRenderContext,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize, QVariant  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def crs_label(layer) -> str:
    """``EPSG:4490``, or the CRS's name when it has no authority code (GCJ-02)."""
    crs = layer.crs()
    return crs.authid() if crs.authid().startswith("EPSG:") else crs.description()


def describe(layer) -> dict:
    renderer = layer.renderer()
    return {
        "valid": layer.isValid(),
        "crs": crs_label(layer) if layer.isValid() else None,
        "features": layer.featureCount() if layer.isValid() else None,
        "renderer": renderer.type() if renderer is not None else None,
        "fills": fill_alphas(renderer),
        # Each field's type as QGIS holds it (QDate, QString, qlonglong, double, bool …).
        "fields": {f.name(): QVariant.typeToName(f.type()) for f in layer.fields()}
        if layer.isValid()
        else {},
    }


def fill_alphas(renderer) -> list[int]:
    """The fill opacity (0–255) of every fill symbol layer of a renderer (brush 'no' counts as 0)."""
    if renderer is None:
        return []
    alphas = []
    for symbol in renderer.symbols(QgsRenderContext()):
        for index in range(symbol.symbolLayerCount()):
            symbol_layer = symbol.symbolLayer(index)
            if symbol_layer.layerType() == "SimpleFill":
                no_brush = symbol_layer.brushStyle() == 0  # Qt.NoBrush
                alphas.append(0 if no_brush else symbol_layer.color().alpha())
    return alphas


def feature_tables(path: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid"
        ).fetchall()
    return [row[0] for row in rows]


def sublayers(path: str) -> list[dict]:
    """Every sub-layer QGIS offers for the file, as the Browser and drag-and-drop list them (a table
    of several geometry types once per type), each opened as QGIS opens it: with its default style
    from ``layer_styles``, and how many styles the database holds for it."""
    found = []
    query = Qgis.SublayerQueryFlag.ResolveGeometryType
    for detail in QgsProviderRegistry.instance().querySublayers(path, query):
        layer = QgsVectorLayer(detail.uri(), detail.name(), detail.providerKey())
        styles = layer.listStylesInDatabase()[0] if layer.isValid() else 0
        found.append(
            {
                "name": detail.name(),
                "uri": detail.uri().split("|", 1)[-1],
                "geometry": QgsWkbTypes.displayString(detail.wkbType()),
                "spatial": layer.isSpatial(),
                "styles": styles,
                **describe(layer),
            }
        )
    return found


def check_gpkg(path: str) -> dict:
    tables = {}
    for table in feature_tables(path):
        tables[table] = describe(QgsVectorLayer(f"{path}|layername={table}", table, "ogr"))
    project = QgsProject.instance()
    project.clear()
    opened = project.read(f"geopackage:{path}?projectName=chengyu-plan")
    root = project.layerTreeRoot()
    groups = [
        {
            "name": group.name(),
            "layers": [node.layer().name() if node.layer() else None for node in group.findLayers()],
        }
        for group in root.children()
    ]
    layers = {layer.id(): describe(layer) for layer in project.mapLayers().values()}
    abstract = project.metadata().abstract()
    return {
        "sublayers": sublayers(path),
        "tables": tables,
        "project": {"opened": opened, "groups": groups, "layers": layers, "abstract": abstract},
    }


def render_project(path: str, out_dir: str, size: int = 900) -> dict:
    """The stored project drawn as QGIS draws it (``project.png``); the same without the admin
    layers (``plan.png``); with the admin layers in QGIS's default opaque fill, as they looked
    before they had a style (``control.png``); and the region, provinces filled black (``mask.png``)."""
    project = QgsProject.instance()
    project.clear()
    project.read(f"geopackage:{path}?projectName=chengyu-plan")
    layers = [layer for layer in project.layerTreeRoot().layerOrder() if layer.isValid()]
    admin = [layer for layer in layers if layer.id().startswith("chengyu_admin_")]
    province = next(layer for layer in admin if layer.id() == "chengyu_admin_province")
    extent = QgsRectangle(province.extent())
    extent.scale(1.05)

    def draw(draw_layers, name):
        settings = QgsMapSettings()
        settings.setLayers(draw_layers)
        settings.setDestinationCrs(project.crs())
        settings.setExtent(extent)
        settings.setOutputSize(QSize(size, size))
        settings.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        out = os.path.join(out_dir, name)
        job.renderedImage().save(out, "PNG")
        return out

    images = {"project": draw(layers, "project.png")}
    images["plan"] = draw([layer for layer in layers if layer not in admin], "plan.png")
    for layer in admin:
        layer.setRenderer(QgsSingleSymbolRenderer(QgsSymbol.defaultSymbol(layer.geometryType())))
    images["control"] = draw(layers, "control.png")
    mask = QgsVectorLayer(province.source(), "mask", "ogr")
    mask.setRenderer(
        QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "0,0,0,255", "outline_style": "no"}))
    )
    images["mask"] = draw([mask], "mask.png")
    return {"layers": len(layers), "images": images}


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    app = QgsApplication([], False)
    app.initQgis()
    report = {
        "qgis": __import__("qgis.core").core.Qgis.QGIS_VERSION,
        "gpkg": {path: check_gpkg(path) for path in request.get("gpkg", [])},
        "files": {uri: describe(QgsVectorLayer(uri, "file", "ogr")) for uri in request.get("files", [])},
    }
    if request.get("render"):
        render = request["render"]
        report["render"] = render_project(render["gpkg"], render["dir"])
    print(json.dumps(report, ensure_ascii=False))
    app.exitQgis()


if __name__ == "__main__":
    main()
