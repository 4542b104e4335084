"""Open every collection of the app's OGC API – Features service in the real QGIS; JSON on stdout.

Run with the system Python that has Debian's ``python3-qgis`` (not the project's interpreter):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_oapif_check.py http://127.0.0.1:PORT/ogc railway ...

For each collection named, QGIS's OAPIF provider opens ``url='…' typename='…'`` and every feature
is fetched (the provider follows the service's ``next`` links); the report gives whether the layer
is valid, its CRS, the count QGIS reports, the features fetched and their ids.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402


def check(url: str, collection: str) -> dict:
    layer = QgsVectorLayer(f"url='{url}' typename='{collection}'", collection, "OAPIF")
    if not layer.isValid():
        return {"valid": False, "error": layer.error().summary()}
    ids = []
    id_index = layer.fields().indexOf("id")
    for feature in layer.getFeatures():
        ids.append(str(feature.attribute(id_index)) if id_index >= 0 else str(feature.id()))
    return {
        "valid": True,
        "crs": layer.crs().authid(),
        "count": layer.featureCount(),
        "fetched": len(ids),
        "ids": ids,
        "fields": [field.name() for field in layer.fields()],
    }


def main(url: str, collections: list[str]) -> dict:
    app = QgsApplication([], False)
    app.initQgis()
    try:
        return {collection: check(url, collection) for collection in collections}
    finally:
        app.exitQgis()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2:]), ensure_ascii=False))
