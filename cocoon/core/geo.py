"""Coordinate transforms between WGS 84 and the metric CRS, distances and display buffers.

Membership is decided by planar distance in the metric CRS; buffer polygons are for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

#: Segments per quarter circle of a display buffer: area error 0.16 % for a circle (< 0.5 %).
QUAD_SEGS = 16

WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class Projection:
    """Transforms between WGS 84 (lon, lat) and one metric CRS, always in x/y axis order."""

    crs: str

    @cached_property
    def _forward(self) -> Transformer:
        return Transformer.from_crs(WGS84, self.crs, always_xy=True)

    @cached_property
    def _inverse(self) -> Transformer:
        return Transformer.from_crs(self.crs, WGS84, always_xy=True)

    def to_metric(
        self, lon: Sequence[float] | NDArray[np.float64], lat: Sequence[float] | NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        x, y = self._forward.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x, float), np.asarray(y, float)

    def to_wgs84(
        self, x: Sequence[float] | NDArray[np.float64], y: Sequence[float] | NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lon, lat = self._inverse.transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon, float), np.asarray(lat, float)

    def point_to_metric(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self._forward.transform(lon, lat)
        return float(x), float(y)

    def point_to_wgs84(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = self._inverse.transform(x, y)
        return float(lon), float(lat)

    def geometry_to_wgs84(self, geom: BaseGeometry) -> BaseGeometry:
        """A metric geometry in lon/lat, coordinates rounded to about 1 cm."""
        out = shapely.transform(geom, lambda xy: np.column_stack(self.to_wgs84(xy[:, 0], xy[:, 1])))
        return shapely.set_precision(out, 1e-7)


def buffer(x: float, y: float, radius_m: float) -> BaseGeometry:
    """A display circle around a metric point."""
    return shapely.Point(x, y).buffer(radius_m, quad_segs=QUAD_SEGS)


def distance(ax: float, ay: float, bx: float, by: float) -> float:
    """Planar distance in metres between two metric points."""
    return float(np.hypot(ax - bx, ay - by))


@dataclass(frozen=True)
class ServiceArea:
    """Where reports and register addresses may lie: a lon/lat box, narrowed by an outline.

    The box is the quick test; a point in it is then tested against the outline (a prepared
    polygon), edge included. `contains_xy` tests a whole register or report file at once.
    """

    name: str
    bbox: tuple[float, float, float, float]
    boundary: BaseGeometry | None = None

    def __post_init__(self) -> None:
        if self.boundary is not None:
            shapely.prepare(self.boundary)

    def contains(self, lon: float, lat: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        return self.boundary is None or bool(shapely.intersects_xy(self.boundary, lon, lat))

    def contains_xy(
        self, lon: Sequence[float] | NDArray[np.float64], lat: Sequence[float] | NDArray[np.float64]
    ) -> NDArray[np.bool_]:
        """`contains` for every point at once; NaN is outside."""
        lons, lats = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        min_lon, min_lat, max_lon, max_lat = self.bbox
        inside: NDArray[np.bool_] = (
            (lons >= min_lon) & (lons <= max_lon) & (lats >= min_lat) & (lats <= max_lat)
        )
        if self.boundary is not None and inside.any():
            inside[inside] = shapely.intersects_xy(self.boundary, lons[inside], lats[inside])
        return inside


def national_area(
    name: str, bbox: tuple[float, float, float, float], outline: BaseGeometry
) -> ServiceArea:
    """The box narrowed by the country's outline; a box wholly outside the country (a demo
    abroad) is taken as it is."""
    if not shapely.intersects(shapely.box(*bbox), outline):
        return ServiceArea(name, bbox)
    return ServiceArea(name, bbox, outline)


def lonlat_box(
    projection: Projection, x: float, y: float, half_side_m: float
) -> tuple[float, float, float, float]:
    """The lon/lat box (min_lon, min_lat, max_lon, max_lat) around a metric square, padded 1 %."""
    pad = half_side_m * 1.01
    lon, lat = projection.to_wgs84(
        [x - pad, x + pad, x - pad, x + pad], [y - pad, y - pad, y + pad, y + pad]
    )
    return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())
