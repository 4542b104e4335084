"""GIS export formats: a shared core (:mod:`.core`, :mod:`.crs`, :mod:`.metadata`), one module per
format (:mod:`.geojson`, :mod:`.gpkg`, :mod:`.shp`, :mod:`.kml`, :mod:`.csv`, :mod:`.parquet`),
QGIS styles (:mod:`.styles`) and the writing of files (:mod:`.write`).

:mod:`geo.export` is the public face; import from there.
"""
