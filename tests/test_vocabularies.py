"""The shared vocabularies: one file, complete entries, and the same words wherever they are shown."""

from __future__ import annotations

import dataclasses
import html

from geo import vocabulary
from geo.catalogue import LAYER_IDS, STATUSES, load_status_groups, status_group
from geo.formats.core import FORMATS, MEDIA_TYPES, SUFFIXES
from geo.formats.crs import CRS_CHOICES, CRS_FILE_LABELS, GCJ02_REFUSED
from geo.formats.metadata import PRECISION_CLASSES
from geo.formats.write import WRITERS
from geo.mentions import HOWS, RECEIVED_HOWS
from geo.resolve import PRECISIONS
from layers.leaflet_styles import line_style, marker_style
from layers.legends import precision_legend_html, precision_swatch


def test_every_term_has_its_fields_filled():
    for vocab in vocabulary.ALL:
        assert vocab, vocab.name
        for key, term in vocab.items():
            assert term.id == key
            for field in dataclasses.fields(term):
                value = getattr(term, field.name)
                if isinstance(value, str):
                    assert value.strip() or field.default is not dataclasses.MISSING, (
                        vocab.name,
                        key,
                        field.name,
                    )
                elif isinstance(value, vocabulary.Text):
                    assert value.zh.strip() and value.en.strip(), (vocab.name, key, field.name)


def test_precision_classes_run_from_most_to_least_precise():
    assert PRECISIONS == ("exact", "site", "seat", "area", "route", "river", "schematic")


def test_library_layers_and_exports_read_the_same_table():
    assert PRECISIONS == vocabulary.PRECISIONS.ids == tuple(PRECISION_CLASSES)
    assert HOWS == vocabulary.HOWS.ids
    assert CRS_CHOICES == vocabulary.CRSES.ids and set(CRS_FILE_LABELS) == set(CRS_CHOICES)
    assert LAYER_IDS == vocabulary.LAYERS.ids and STATUSES == vocabulary.STATUSES.ids
    assert FORMATS == vocabulary.FORMATS.ids == tuple(WRITERS) == tuple(SUFFIXES) == tuple(MEDIA_TYPES)
    legend = precision_legend_html(lang="en")
    for term in vocabulary.PRECISIONS.terms():
        assert term.label("zh") == term.zh and term.label("en") == term.en
        assert term.en in legend and html.escape(term.explanation.en) in legend


def test_a_term_is_labelled_in_either_language_and_an_unknown_id_stands_for_itself():
    railway = vocabulary.LAYERS["railway"]
    assert (railway.label(), railway.label("zh"), railway.label("en")) == ("铁路", "铁路", "Railways")
    assert vocabulary.STATUSES.label("建成", "en") == "complete"
    assert vocabulary.STATUSES.label("造好了", "en") == "造好了"
    assert vocabulary.LAYERS.index("railway") == 1 and vocabulary.LAYERS.index("nothing") == len(LAYER_IDS)


def test_every_status_is_in_one_phase():
    assert {s for group in load_status_groups() for s in group.statuses} == set(STATUSES)
    assert (
        status_group("迁建").key == "在建"
        and status_group("迁建").label("en") == "new build / under construction"
    )


def test_what_a_term_says_decides_how_it_is_drawn_and_measured():
    site, seat, schematic = (vocabulary.PRECISIONS[p] for p in ("site", "seat", "schematic"))
    # A site is a filled dot on the map and in the legend (the legend once drew it as a line).
    assert marker_style("railway", "site")["fillOpacity"] == 1.0 and "<circle" in precision_swatch(site)
    assert marker_style("railway", "seat")["fillColor"] == "#ffffff" and 'fill="#ffffff"' in precision_swatch(
        seat
    )
    assert "dashArray" in line_style("railway", "schematic") and "stroke-dasharray" in precision_swatch(
        schematic
    )
    assert line_style("railway", "river")["weight"] == vocabulary.PRECISIONS["river"].line_weight
    assert {p.id for p in vocabulary.PRECISIONS.terms() if p.measured} == {"route", "river"}
    assert set(RECEIVED_HOWS) == {"grouping", "prefecture"}
    assert GCJ02_REFUSED == ("kml",)
    assert vocabulary.FORMATS["shp"].suffix == ".shp.zip"
