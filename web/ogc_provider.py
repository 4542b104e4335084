"""A pygeoapi feature provider on top of the project's library (``web.ogc_data``).

One provider class serves every collection; the provider definition's ``data`` names which (a
thematic layer id, ``places`` or ``progress_events``). Filters mean what they mean on the map and
export pages: ``status`` (a status or a phase group such as 在建, Chinese or English), ``task``
(named in that task), ``place`` (a unit's name or 6-digit code: features in or touching it),
``precision`` (a precision class), each through the export's own selection code; ``datetime=`` is
the day the phases are taken as of (default today). A bad value answers 400 with one line.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)
from pygeoapi.util import crs_transform

from geo.clock import plan_today
from geo.errors import GeoError
from geo.export_selection import request_from_params, selected_features
from geo.formats.core import native
from geo.formats.fields import FIELD_TYPES
from geo.progress.ledger import parse_as_of
from geo.vocabulary import PRECISIONS as PRECISION_TERMS
from web.ogc_data import EVENTS, PLACES, events_table, features_as_of, places

# Filters the thematic collections understand besides their own columns.
SELECTION_FILTERS = ("status", "task", "place")
MAX_VALUE_CHARS = 200
# Field types per collection: a collection's columns change only with the code, and pygeoapi makes
# a provider for every request (and one per collection for /collections).
_FIELDS: dict[str, dict] = {}
# GeoJSON geometries by (collection, id): the geometries change only with the data files, and
# building the nested coordinate lists is most of a response's cost.
_GEOMETRIES: dict[tuple[str, str], dict] = {}
_JSON_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}
# The export's field types in JSON schema terms (lists travel as text, as in the GeoPackage).
_EXPORT_TYPES = {
    "integer": {"type": "integer"},
    "real": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


def as_of_day(datetime_: str | None) -> date:
    """The day of a ``datetime`` parameter: an instant (``2024-06-30``, ``2024-06-30T12:00:00Z``)
    or the end of an interval (``../2024-06-30``; an open end is today)."""
    if not datetime_:
        return parse_as_of(None)
    text = str(datetime_).strip()
    if "/" in text:
        text = text.rsplit("/", 1)[1]
        if text in ("", ".."):
            return parse_as_of(None)
    try:
        return parse_as_of(text[:10] if len(text) > 10 and text[10] in "Tt " else text)
    except GeoError as exc:
        raise ProviderInvalidQueryError(user_msg=f"datetime: {exc}".replace("--as-of ", "")) from None


def _bad(message: str) -> ProviderInvalidQueryError:
    return ProviderInvalidQueryError(user_msg=message)


class PlanProvider(BaseProvider):
    """Features of one collection of the plan map, read from the library on every query."""

    def __init__(self, provider_def):
        super().__init__(provider_def)
        self.collection = str(provider_def["data"])
        self.id_field = "id"
        self.get_fields()

    # -- the collection's rows -----------------------------------------------------------------
    def _frame(self, as_of: date) -> pd.DataFrame:
        if self.collection == PLACES:
            return places()
        if self.collection == EVENTS:
            return events_table()
        return features_as_of(as_of, self.collection)

    def get_fields(self) -> dict:
        if not self._fields:
            if self.collection not in _FIELDS:
                frame = self._frame(plan_today())
                _FIELDS[self.collection] = {
                    column: self._field(column, frame[column])
                    for column in frame.columns
                    if column != "geometry" and (column != self.id_field or self.collection == EVENTS)
                }
            self._fields = dict(_FIELDS[self.collection])
        return self._fields

    def _field(self, column: str, values: pd.Series) -> dict:
        """The JSON type of a column: the export's own field type for the catalogue's columns."""
        if self.collection not in (PLACES, EVENTS) and column in FIELD_TYPES:
            return dict(_EXPORT_TYPES.get(FIELD_TYPES[column], {"type": "string"}))
        return {"type": _JSON_TYPES.get(getattr(values.dtype, "kind", "O"), "string")}

    # -- filters -------------------------------------------------------------------------------
    def _filtered(self, frame: pd.DataFrame, properties: list, bbox: list) -> pd.DataFrame:
        selection_params = {}
        for name, value in properties:
            value = str(value)
            if len(value) > MAX_VALUE_CHARS:
                raise _bad(f"{name}: value longer than {MAX_VALUE_CHARS} characters")
            if name in SELECTION_FILTERS and self.collection not in (PLACES, EVENTS):
                selection_params[name] = value
            elif name == "precision" and "precision" in frame:
                if value not in PRECISION_TERMS:
                    raise _bad(f"unknown precision {value!r}; choose one of {', '.join(PRECISION_TERMS)}")
                frame = frame[frame["precision"] == value]
            elif name in frame.columns and name != "geometry":
                frame = frame[frame[name].map(lambda v: "" if native(v) is None else str(native(v))) == value]
        if selection_params:
            request = request_from_params(selection_params)
            if request.bad:
                raise _bad("unknown " + ", ".join(f"{name} {value!r}" for name, value in request.bad))
            wanted = set(selected_features(request.selection)["id"])
            frame = frame[frame["id"].isin(wanted)]
        if bbox and "geometry" in frame:
            west, south, east, north = (bbox[0], bbox[1], bbox[-3], bbox[-2]) if len(bbox) == 6 else bbox
            box = shapely.box(west, south, east, north)
            frame = frame[shapely.intersects(np.asarray(frame.geometry.values, dtype=object), box)]
        return frame

    # -- GeoJSON ---------------------------------------------------------------------------------
    def _geometry(self, identifier, geometry) -> dict:
        key = (self.collection, str(identifier))
        found = _GEOMETRIES.get(key)
        if found is None:
            found = _GEOMETRIES[key] = shapely.geometry.mapping(geometry)
        return found

    def _feature(self, row: dict, geometry, skip_geometry: bool, select: list) -> dict:
        # An event's id is a number, which clients take as their own feature number: it stays a
        # property too, as in the GeoPackage's table. A feature's id is text and becomes a field.
        identifier = native(row[self.id_field] if self.collection == EVENTS else row.pop(self.id_field))
        properties = {k: native(v) for k, v in row.items() if not select or k in select}
        feature = {"type": "Feature", "id": identifier, "properties": properties, "geometry": None}
        if geometry is not None and not skip_geometry:
            feature["geometry"] = self._geometry(identifier, geometry)
        return feature

    def _features(self, frame: pd.DataFrame, skip_geometry: bool, select: list) -> list[dict]:
        has_geometry = isinstance(frame, gpd.GeoDataFrame)
        columns = [c for c in frame.columns if c != "geometry"]
        geometries = frame.geometry.to_numpy() if has_geometry else [None] * len(frame)
        rows = frame[columns].to_dict("records")
        return [self._feature(row, g, skip_geometry, select) for row, g in zip(rows, geometries, strict=True)]

    @crs_transform
    def query(
        self,
        offset=0,
        limit=10,
        resulttype="results",
        bbox=None,
        datetime_=None,
        properties=None,
        sortby=None,
        select_properties=None,
        skip_geometry=False,
        q=None,
        filterq=None,
        **kwargs,
    ):
        if filterq is not None:
            raise _bad("filter= is not offered; filter with status, task, place or precision")
        if q:
            raise _bad("q= is not offered; filter with status, task, place or precision")
        frame = self._filtered(self._frame(as_of_day(datetime_)), properties or [], bbox or [])
        for sort in reversed(sortby or []):
            frame = frame.sort_values(sort["property"], ascending=sort["order"] == "+", kind="stable")
        matched = len(frame)
        page = frame.iloc[offset : offset + limit] if resulttype != "hits" else frame.iloc[0:0]
        features = self._features(page, skip_geometry, select_properties or [])
        return {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": matched,
            "numberReturned": len(features),
        }

    @crs_transform
    def get(self, identifier, **kwargs):
        frame = self._frame(as_of_day(kwargs.get("datetime_")))
        rows = frame[frame[self.id_field].astype(str) == str(identifier)]
        if rows.empty:
            raise ProviderItemNotFoundError(
                user_msg=f"no feature {str(identifier)[:80]!r} in this collection"
            )
        return self._features(rows.iloc[:1], False, [])[0]
