"""GeoJSON geometry as RFC 7946 writes it: exterior rings counter-clockwise, holes clockwise.

Shapely keeps whatever orientation the geometry was built with; a strict reader (RFC 7946,
section 3.1.6) or a renderer that fills by winding order may then draw a hole as land.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient


def oriented(geom: BaseGeometry) -> BaseGeometry:
    """`geom` with every polygon's exterior counter-clockwise and its holes clockwise."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(part, sign=1.0) for part in geom.geoms])
    if isinstance(geom, GeometryCollection):
        return GeometryCollection([oriented(part) for part in geom.geoms])
    return geom


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """The GeoJSON geometry object of a WGS 84 geometry, rings oriented as RFC 7946 says."""
    result: dict[str, Any] = json.loads(shapely.to_geojson(oriented(geom)))
    return result
