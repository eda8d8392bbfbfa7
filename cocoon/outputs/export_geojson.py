"""A map export as one GeoJSON FeatureCollection in WGS 84 (lon, lat).

GeoJSON has no layers: each feature says its layer in `properties.layer`. Zone features keep
the zones contract (README, "Zones output": zone_id, level, level_until, report_ids on internal
exports only). Rings are oriented as RFC 7946 asks: exterior counter-clockwise, holes clockwise.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from cocoon.outputs import register
from cocoon.outputs.maps import ExportMap
from cocoon.outputs.rfc7946 import geojson_geometry


@register(ExportMap, "geojson")
def export_geojson(content: ExportMap) -> bytes:
    features: list[dict[str, Any]] = []
    for layer in content.layers:
        for feature in layer.features:
            properties: dict[str, Any] = {"layer": layer.name}
            for name, value in feature.values.items():
                properties[name] = _value(value, content)
            geometry = content.projection.geometry_to_wgs84(feature.geometry)
            features.append(
                {
                    "type": "Feature",
                    "geometry": geojson_geometry(geometry),
                    "properties": properties,
                }
            )
    collection = {
        "type": "FeatureCollection",
        "profile": content.publication.profile.value,
        "at": content.at.astimezone(content.tz).isoformat(),
        "note": content.note,
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _value(value: Any, content: ExportMap) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(content.tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
