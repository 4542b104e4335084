"""The map coloured by the ledger's warnings: red where a rule of ``data/progress/warnings.yaml``
holds for the item as of the day, grey where none does.

The same path as the phase colouring (:mod:`layers.progress`): the usual drawn features are
restyled, so the drawing code need not know about the rules.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping

from geo.progress.warnings import ItemWarning
from layers.maps import safe_json
from layers.progress import NO_EVENT_COLOUR, chips_legend_html, recoloured_style

WARNED_COLOUR = "#d32f2f"
CLEAR_COLOUR = NO_EVENT_COLOUR


def warnings_by_item(found: Iterable[ItemWarning]) -> dict[str, list[ItemWarning]]:
    """Item id → its warnings, in the order :func:`geo.progress.warnings.evaluate` gives them."""
    by_item: dict[str, list[ItemWarning]] = {}
    for warning in found:
        by_item.setdefault(warning.item_id, []).append(warning)
    return by_item


def warn_feature(feature: dict, by_item: Mapping[str, list[ItemWarning]], *, lang: str = "zh") -> dict:
    """A drawn GeoJSON feature coloured by whether a rule holds for it; the tooltip names each rule
    and its reason (escaped: the rules' words are data, not markup)."""
    props = feature["properties"]
    found = by_item.get(props["id"], [])
    props["style"] = recoloured_style(props.get("style") or {}, WARNED_COLOUR if found else CLEAR_COLOUR)
    if found:
        label = "Warning" if lang == "en" else "预警"
        lines = [f"⚠ {label} {w.rule}: {w.message(lang)}" for w in found]
    else:
        lines = ["No warning" if lang == "en" else "无预警"]
    props["tooltip"] = props.get("tooltip", "") + "".join(f"<br>{html.escape(line)}" for line in lines)
    props["warnings"] = [w.rule for w in found]
    return feature


def warning_features(
    features: Mapping[str, str], by_item: Mapping[str, list[ItemWarning]], *, lang: str = "zh"
) -> dict[str, str]:
    """Ready-to-draw features (id → JSON) coloured by warnings."""
    return {
        item_id: safe_json(warn_feature(json.loads(text), by_item, lang=lang))
        for item_id, text in features.items()
    }


def warning_legend_html(warned: int, clear: int, lang: str = "zh") -> str:
    """The colour key with the number of shown items in each class."""
    if lang == "en":
        chips = [(WARNED_COLOUR, f"at least one warning ({warned})"), (CLEAR_COLOUR, f"no warning ({clear})")]
        return chips_legend_html("Warnings", chips, "plan-warning-legend")
    chips = [(WARNED_COLOUR, f"有预警({warned})"), (CLEAR_COLOUR, f"无预警({clear})")]
    return chips_legend_html("预警", chips, "plan-warning-legend")
