"""Writing an export: file names, the checked target, all-or-nothing writing, bytes for a download.

Format, CRS and writability are checked once, by :func:`export_target`; everything after it takes
the checked :class:`ExportTarget`. Files are written into a scratch directory beside the target
and renamed into place, so a failed export leaves nothing behind.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
from pyogrio.errors import DataLayerError, DataSourceError

from geo import outfiles
from geo.clock import plan_today
from geo.datafiles import LoadedMapping
from geo.errors import ExportError
from geo.formats import csv
from geo.formats.core import DEFAULT_STEM, FORMAT_LABELS, SUFFIXES, ExportBundle
from geo.formats.crs import CRS_FILE_LABELS, DEFAULT_CRS, check_request, prepare_frame
from geo.formats.metadata import export_metadata
from geo.vocabulary import FORMATS as FORMAT_TERMS
from geo.vocabulary import ExportFormat

Writer = Callable[[gpd.GeoDataFrame, Path, dict, ExportBundle], None]


def _writer(fmt: ExportFormat) -> Writer:
    """The function a format's term names (``module:function``), looked up when a file is written."""
    module, _, function = fmt.writer.partition(":")
    return getattr(importlib.import_module(module), function)


# Format id → the function that writes it, as the vocabulary names it; resolved on first use.
WRITERS: LoadedMapping = LoadedMapping(lambda: {fmt.id: _writer(fmt) for fmt in FORMAT_TERMS.terms()})


# (format, CRS) → a file name for a directory given as the output.
NameFor = Callable[[str, str], str]


@dataclass(frozen=True)
class ExportTarget:
    """A checked request: a known format and CRS, and a path that can be written."""

    path: Path
    fmt: str
    crs: str
    # Replace existing files (the library's default); the command line asks for --force.
    overwrite: bool = True


def export_filename(fmt: str, crs: str = DEFAULT_CRS, stem: str = DEFAULT_STEM) -> str:
    """``chengyu-plan_wgs84.geojson``, ``chengyu-plan_gcj02.shp.zip`` …: the CRS is in the name."""
    return f"{stem}_{CRS_FILE_LABELS[crs]}{SUFFIXES[fmt][0]}"


def output_path(
    out: str | os.PathLike, fmt: str, crs: str = DEFAULT_CRS, default_name: NameFor = export_filename
) -> Path:
    """Check an --out path for the format; a GCJ-02 file gets ``_gcj02`` in its name if it lacks it.

    A directory gets ``default_name(fmt, crs)`` inside it.
    """
    path = Path(out).expanduser()
    if path.is_dir():
        return path / default_name(fmt, crs)
    name = path.name
    suffix = next((s for s in SUFFIXES[fmt] if name.lower().endswith(s) and len(name) > len(s)), None)
    if suffix is None:
        raise ExportError(f"{out}: a {FORMAT_LABELS[fmt]} file name must end in {' or '.join(SUFFIXES[fmt])}")
    if crs == "GCJ-02" and "gcj" not in name.lower():
        path = path.with_name(name[: -len(suffix)] + "_gcj02" + name[-len(suffix) :])
    return path


def export_target(
    out: str | os.PathLike,
    *,
    fmt: str,
    crs: str = DEFAULT_CRS,
    default_name: NameFor = export_filename,
    overwrite: bool = True,
) -> ExportTarget:
    """The one check of a request: format, CRS, and the output path (named for them, writable,
    never inside the project's data/, and not an existing file unless ``overwrite``)."""
    fmt, crs = check_request(fmt, crs)
    path = output_path(out, fmt, crs, default_name)
    outfiles.check_writable(path)
    outfiles.check_targets(export_outputs(path, fmt), force=overwrite)
    return ExportTarget(path, fmt, crs, overwrite)


def export_outputs(path: Path, fmt: str) -> list[Path]:
    """Every file an export to ``path`` writes (the CSV has a README beside it)."""
    return [path, csv.csv_readme_path(path)] if fmt == "csv" else [path]


def write_target(bundle: ExportBundle, target: ExportTarget, *, exported: date | None = None) -> list[Path]:
    """Write the bundle's features to a checked target; returns the files written.

    All-or-nothing: the files are made in a scratch directory beside the target and renamed into
    place only when complete.
    """
    if bundle.features.empty:
        raise ExportError("the selection matches no feature; nothing to export")
    exported = exported or plan_today()
    # The seam between the features frame and the writers: one prepared frame, one metadata block.
    gdf = prepare_frame(bundle.features, target.crs)
    metadata = export_metadata(bundle, gdf, fmt=target.fmt, crs=target.crs, exported=exported)
    with outfiles.scratch_dir(target.path.parent) as scratch:
        try:
            _writer(FORMAT_TERMS[target.fmt])(gdf, scratch / target.path.name, metadata, bundle)
            outputs = export_outputs(target.path, target.fmt)
            for output in outputs:
                outfiles.move_into_place(scratch / output.name, output, overwrite=target.overwrite)
            return outputs
        except OSError as exc:
            raise ExportError(f"cannot write {target.path}: {exc.strerror or exc}") from None
        except (DataSourceError, DataLayerError) as exc:  # GDAL's own I/O failures (disk full …)
            raise ExportError(f"cannot write {target.path}: {str(exc).splitlines()[0]}") from None


def write_export(
    bundle: ExportBundle,
    path: str | os.PathLike,
    *,
    fmt: str,
    crs: str = DEFAULT_CRS,
    exported: date | None = None,
    overwrite: bool = True,
) -> list[Path]:
    """Write the bundle's features to ``path`` in ``fmt``, all or nothing.

    Parameters
    ----------
    bundle : ExportBundle
        The features (a GeoDataFrame in WGS 84) and what goes with them: selection text,
        layer titles and colours, reference tables, administrative boundaries.
    path : str or os.PathLike
        The file to write, its name ending in the format's suffix; an existing directory gets
        a file named for the format and CRS inside it.
    fmt : str
        One of :data:`geo.export.FORMATS` (``geojson``, ``gpkg``, ``shp``, ``kml``, ``csv``,
        ``parquet``).
    crs : str, default "EPSG:4326"
        One of :data:`geo.export.CRS_CHOICES`; a GCJ-02 file gets ``_gcj02`` in its name.
    exported : date, optional
        The export date written into the metadata; today (UTC) by default.
    overwrite : bool, default True
        Replace files already there; with False an existing file is an error.

    Returns
    -------
    list of Path
        The files written: the one file, or for CSV the table and its README.

    Raises
    ------
    ExportError
        An unknown format or CRS, a name without the format's suffix, a target inside ``data/``,
        an existing file without ``overwrite``, or a write that failed (nothing is left behind).
    """
    return write_target(bundle, export_target(path, fmt=fmt, crs=crs, overwrite=overwrite), exported=exported)


def export_bytes(
    bundle: ExportBundle,
    *,
    fmt: str,
    crs: str = DEFAULT_CRS,
    exported: date | None = None,
    name: NameFor = export_filename,
) -> dict[str, bytes]:
    """The export as ``{file name: bytes}`` (for a download): the same files :func:`write_export`
    makes for the file name ``name(fmt, crs)``.

    Parameters
    ----------
    bundle : ExportBundle
        The features and what goes with them, as for :func:`write_export`.
    fmt : str
        One of :data:`geo.export.FORMATS`.
    crs : str, default "EPSG:4326"
        One of :data:`geo.export.CRS_CHOICES`.
    exported : date, optional
        The export date written into the metadata; today (UTC) by default.
    name : callable, optional
        ``name(fmt, crs)`` gives the file name; :func:`export_filename` by default.

    Returns
    -------
    dict of str to bytes
        File name → content: one file, or for CSV the table and its README.

    Raises
    ------
    ExportError
        An unknown format or CRS, or a file that could not be written.
    """
    fmt, crs = check_request(fmt, crs)
    with tempfile.TemporaryDirectory(prefix="export-") as scratch:
        target = ExportTarget(Path(scratch) / name(fmt, crs), fmt, crs)
        outputs = write_target(bundle, target, exported=exported)
        return {output.name: output.read_bytes() for output in outputs}
