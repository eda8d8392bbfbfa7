"""The service area's outline: Sweden's, installed with cocoon, or a configured polygon file (a
kommun or police area) in any format GDAL reads and any CRS."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from cocoon.errors import ConfigError, InputError
from cocoon.sources.reasons import (
    BOUNDARY_UNKNOWN_CRS,
    BOUNDARY_UNREADABLE,
    BOUNDARY_WITHOUT_CRS,
    BOUNDARY_WITHOUT_POLYGON,
)

#: Sweden's land and territorial waters, written at install by scripts/sweden_outline.py.
SWEDEN_OUTLINE = Path(__file__).resolve().parent.parent / "areas" / "sverige.geojson"

#: Edges of a boundary in a projected CRS are split to this length (its units, metres) before
#: it is turned into lon/lat, so that a straight kommun edge stays where it was drawn.
SEGMENT_M = 100.0


def sweden_outline() -> BaseGeometry:
    """Sweden's outline, the default service area; ConfigError naming the script when missing."""
    return _read_outline(SWEDEN_OUTLINE)


@lru_cache(maxsize=4)
def _read_outline(path: Path) -> BaseGeometry:
    install = f"run scripts/sweden_outline.py --force --output {path}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"Sweden's outline, the default service area, is not installed: {install}"
            " (scripts/demo.sh and scripts/test.sh run it), or set area.boundary"
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read Sweden's outline ({exc}): {install}") from exc
    try:
        outline = shapely.from_geojson(json.dumps(data["features"][0]["geometry"]))
    except (KeyError, IndexError, TypeError, GEOSException) as exc:
        raise ConfigError(f"{path}: not Sweden's outline ({exc}): {install}") from exc
    return outline


def read_boundary(path: str | Path) -> BaseGeometry:
    """The union of the polygons of every feature of the file (its first layer), in lon/lat."""
    from pyogrio.raw import read as ogr_read  # GDAL only when a boundary is configured

    try:
        meta, _fids, wkb, _fields = ogr_read(path, columns=[], force_2d=True)
    except Exception as exc:  # GDAL raises several types; all mean the same to the user
        raise InputError(BOUNDARY_UNREADABLE(path=path, reason=_first_line(exc))) from exc
    geoms = shapely.make_valid(shapely.from_wkb(wkb, on_invalid="ignore"))
    parts = shapely.get_parts(geoms[~shapely.is_missing(geoms)])
    polygons = [g for g in parts if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        raise InputError(BOUNDARY_WITHOUT_POLYGON(path=path))
    area = shapely.union_all(polygons)
    return _to_lonlat(area, meta.get("crs"), path)


def _to_lonlat(area: BaseGeometry, crs_text: str | None, path: str | Path) -> BaseGeometry:
    """The boundary in WGS 84 lon/lat; a file without a CRS must already be in degrees."""
    if not crs_text:
        min_x, min_y, max_x, max_y = area.bounds
        if max(abs(min_x), abs(max_x)) <= 180 and max(abs(min_y), abs(max_y)) <= 90:
            return area
        raise InputError(BOUNDARY_WITHOUT_CRS(path=path))
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError as exc:
        raise InputError(BOUNDARY_UNKNOWN_CRS(path=path, crs=crs_text)) from exc
    if crs.equals(CRS("EPSG:4326"), ignore_axis_order=True):
        return area
    if crs.is_projected:
        area = shapely.segmentize(area, SEGMENT_M)
    t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return shapely.transform(area, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
