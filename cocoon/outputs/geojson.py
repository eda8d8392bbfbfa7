"""Zones as GeoJSON in WGS 84: one Feature per zone and level (README, "Zones output").

Rings are oriented as RFC 7946 asks: exterior counter-clockwise, holes clockwise.
"""

from __future__ import annotations

import json
from typing import Any

from cocoon.outputs import register
from cocoon.outputs.content import ZoneMap
from cocoon.outputs.rfc7946 import geojson_geometry


@register(ZoneMap, "geojson")
def zones_geojson(content: ZoneMap) -> bytes:
    features: list[dict[str, Any]] = []
    for zone in content.zones:
        for part in zone.parts():
            features.append(
                {
                    "type": "Feature",
                    "geometry": geojson_geometry(content.projection.geometry_to_wgs84(part.area)),
                    "properties": {
                        "zone_id": zone.zone_id,
                        "level": part.level.value,
                        "level_until": part.until.astimezone(content.tz).isoformat(),
                        "report_ids": list(zone.report_ids),
                    },
                }
            )
    collection = {
        "type": "FeatureCollection",
        "at": content.at.astimezone(content.tz).isoformat(),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
