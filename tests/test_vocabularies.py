"""The shared vocabularies: one file, complete entries, and the same words wherever they are shown."""

from __future__ import annotations

from geo import vocabularies
from geo.formats.crs import CRS_CHOICES, CRS_FILE_LABELS
from geo.formats.metadata import PRECISION_CLASSES
from geo.mentions import HOW_EN, HOW_ZH, HOWS
from geo.resolve import PRECISIONS
from geo.styles import precision_explanation, precision_label
from layers.legends import precision_legend_html


def test_every_term_has_its_fields_filled():
    fields = {
        "precision": {"zh", "en", "explanation_zh", "explanation_en", "export"},
        "how": {"zh", "en"},
        "crs": {"file_label", "title", "note", "choice_zh", "choice_en"},
    }
    tables = {
        "precision": vocabularies.PRECISION_TERMS,
        "how": vocabularies.HOW_TERMS,
        "crs": vocabularies.CRS_TERMS,
    }
    for table, terms in tables.items():
        assert terms, table
        for key, term in terms.items():
            assert fields[table] <= set(term), (table, key)
            assert all(isinstance(value, str) for value in term.values()), (table, key)
            assert all(term[field].strip() for field in fields[table]), (table, key)


def test_precision_classes_run_from_most_to_least_precise():
    assert tuple(vocabularies.PRECISION_TERMS) == (
        "exact",
        "site",
        "seat",
        "area",
        "route",
        "river",
        "schematic",
    )


def test_library_layers_and_exports_read_the_same_table():
    assert PRECISIONS == tuple(vocabularies.PRECISION_TERMS) == tuple(PRECISION_CLASSES)
    assert HOWS == tuple(vocabularies.HOW_TERMS)
    assert CRS_CHOICES == tuple(vocabularies.CRS_TERMS) and set(CRS_FILE_LABELS) == set(CRS_CHOICES)
    legend = precision_legend_html(lang="en")
    for precision, term in vocabularies.PRECISION_TERMS.items():
        assert (
            precision_label(precision, "zh") == term["zh"] and precision_label(precision, "en") == term["en"]
        )
        assert precision_explanation(precision, "en") == term["explanation_en"]
        assert term["en"] in legend
    for how, term in vocabularies.HOW_TERMS.items():
        assert (HOW_ZH[how], HOW_EN[how]) == (term["zh"], term["en"])
