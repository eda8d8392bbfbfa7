"""The service area's boundary polygon (e.g. a municipality), from any vector file GDAL reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from cocoon.errors import InputError


def read_boundary(path: str | Path) -> BaseGeometry:
    """The union of all polygons in the file, in WGS 84 lon/lat."""
    try:
        meta, _fids, wkb, _fields = pyogrio.read(path)
    except Exception as exc:  # GDAL raises several types; all mean the same to the user
        raise InputError(f"{path}: cannot read the boundary: {exc}") from exc
    geoms = [g for g in shapely.from_wkb(wkb, on_invalid="ignore") if g is not None]
    polygons = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        raise InputError(f"{path}: the boundary file has no polygon")
    area = shapely.union_all(polygons)
    crs = meta.get("crs")
    if crs and not CRS.from_user_input(crs).equals(CRS("EPSG:4326")):
        t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        area = shapely.transform(area, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    return area
