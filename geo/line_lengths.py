"""Kilometres of line drawn per layer and precision class: how much of each network is drawn on a
real alignment (``route``, ``river``) and how much as straight strokes between named places
(``schematic``). The 数据说明 page and ``python -m geo line-km`` print the same table.
"""

from __future__ import annotations

import pandas as pd

from geo.datafiles import LoadedTuple
from geo.resolve import PRECISIONS
from geo.vocabulary import PRECISIONS as PRECISION_TERMS

# Classes whose lines are straight legs between named places, not the alignment: drawn dashed.
STRAIGHT_PRECISIONS: LoadedTuple = LoadedTuple(
    lambda: tuple(p.id for p in PRECISION_TERMS.terms() if p.dashed)
)


def line_km_table(gdf: pd.DataFrame) -> pd.DataFrame:
    """Line km (UTM 48N, as drawn) per layer (rows) and precision class (columns), with the total
    and ``straight_share``: the share of the layer's line km drawn as straight strokes."""
    lines = gdf[gdf.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    km = pd.to_numeric(lines["length_km"], errors="coerce").fillna(0.0)
    table = (
        pd.crosstab(lines["layer"], lines["precision"], values=km, aggfunc="sum")
        .reindex(columns=[p for p in PRECISIONS if p in set(lines["precision"])])
        .fillna(0.0)
    )
    table["total"] = table.sum(axis=1)
    straight = table[[p for p in STRAIGHT_PRECISIONS if p in table.columns]].sum(axis=1)
    table["straight_share"] = (straight / table["total"]).where(table["total"] > 0, 0.0)
    table.index.name = "layer"
    return table


def format_line_km(table: pd.DataFrame) -> str:
    """The table as Markdown (km rounded to whole kilometres, the share in per cent)."""
    classes = [c for c in table.columns if c not in ("total", "straight_share")]
    header = "| layer | " + " | ".join(f"{c} km" for c in classes) + " | total km | straight share |"
    rule = "|---|" + "---:|" * (len(classes) + 2)
    rows = [
        f"| {layer} | "
        + " | ".join(f"{row[c]:,.0f}" for c in classes)
        + f" | {row['total']:,.0f} | {row['straight_share']:.1%} |"
        for layer, row in table.iterrows()
    ]
    return "\n".join([header, rule, *rows])
