"""Zones as GeoJSON in WGS 84: one Feature per zone and level (README, "Zones output")."""

from __future__ import annotations

import json
from typing import Any

import shapely

from cocoon.outputs import register
from cocoon.outputs.content import ZoneMap


@register(ZoneMap, "geojson")
def zones_geojson(content: ZoneMap) -> bytes:
    features: list[dict[str, Any]] = []
    for zone in content.zones:
        for part in zone.parts():
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(
                        shapely.to_geojson(content.projection.geometry_to_wgs84(part.area))
                    ),
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
