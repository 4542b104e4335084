"""The library of the plan map: the plan, its places and its catalogue as data, with no Streamlit.

Public API, by module (each documents its own functions; names without a leading ``_`` are public):

Plan and places
    :mod:`geo.plan`          the plan text: chapters, 47 tasks, sentences (``load_plan``)
    :mod:`geo.gazetteer`     administrative units, seats and boundaries (``load_gazetteer``)
    :mod:`geo.groupings`     abbreviations and named groupings of units
    :mod:`geo.mentions`      which places each task names, and how (``tasks_for``, ``load_matcher``)
    :mod:`geo.gcj02`         GCJ-02 ⇄ WGS 84

Catalogue
    :mod:`geo.catalogue`     the curated items and their schema (``load_catalogue``)
    :mod:`geo.resolve`       geometry specs → shapely geometries with a precision class
    :mod:`geo.expressways`   real expressway sections between interchanges (Travel Mapping)
    :mod:`geo.provinces`     province polygons of the province rule, km of a line per province
    :mod:`geo.features`      the catalogue as GeoDataFrames, and filters over them
    :mod:`geo.search`        one search by name, alias, pinyin or English
    :mod:`geo.rules`, :mod:`geo.check`   rules over the catalogue; validation of the shipped data
    :mod:`geo.vocabulary`    the registry of every closed vocabulary (layers, statuses, precision
                             classes, formats, basemaps …) as typed terms read from ``data/``

Analysis
    :mod:`geo.analysis`      units a feature touches, districts a corridor serves
    :mod:`geo.coverage`      airport coverage today and with the plan
    :mod:`geo.reach`         travel-time reach along the lines the plan names
    :mod:`geo.line_lengths`  km of line per layer and precision class (straight-stroke share)

Export
    :mod:`geo.export`        the facade (``__all__``): ``write_export``, ``export_bytes``, formats, CRS choices
    :mod:`geo.export_selection`   a selection of the catalogue from URL-style parameters
    :mod:`geo.formats`       one module per file format over a shared core
    :mod:`geo.outfiles`      where an export may write, all or nothing

Progress
    :mod:`geo.progress`      the progress ledger: phases, events, database, exports

Briefs
    :mod:`geo.brief`         a unit's A4 PDF brief as of a day (``make_brief``; map drawn without web tiles)

Plumbing
    :mod:`geo.datafiles`     the one paths module (``DATA_DIR``) and the guard that turns read failures
                             into :class:`geo.errors.DataError`
    :mod:`geo.clock`         "today": the day in the plan's time zone, Asia/Shanghai (``plan_today``)
    :mod:`geo.errors`        every exception of the library
    :mod:`geo.controlchars`  which characters are controls (refused in the ledger, removed on terminals)
    :mod:`geo.csvcells`      CSV text cells a spreadsheet never runs as formulas
    :mod:`geo.cli`, :mod:`geo.analysis_cli`, :mod:`geo.cliformat`, :mod:`geo.exits`
                             the command line ``python -m geo``

Imports point one way: geo/ never imports layers/, ui/ or app_pages/, and reads only ``data/``.
"""
