"""Zones as GeoJSON in WGS 84: one Feature per zone and level (DESIGN.md section 4)."""

from __future__ import annotations

import json
from typing import Any

import shapely

from cocoon.core.model import Level
from cocoon.outputs import ZoneMap, register


@register(ZoneMap, "geojson")
def zones_geojson(content: ZoneMap) -> bytes:
    features: list[dict[str, Any]] = []
    for zone in content.zones:
        for level, area, until in (
            (Level.HIGH, zone.high, zone.high_until),
            (Level.ELEVATED, zone.elevated, zone.elevated_until),
        ):
            if area is None or until is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(
                        shapely.to_geojson(content.projection.geometry_to_wgs84(area))
                    ),
                    "properties": {
                        "zone_id": zone.zone_id,
                        "level": level.value,
                        "level_until": until.astimezone(content.tz).isoformat(),
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
