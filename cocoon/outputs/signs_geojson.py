"""The sign plan as GeoJSON points in WGS 84: the signs up and those coming down on the day.

Public: each sign's place, dates, description and status, never its zone's report ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from cocoon.core.geo import Projection
from cocoon.core.signs.rules import Sign, SignPlan, TakeDownReason
from cocoon.outputs import register
from cocoon.outputs.content import SignSheet

Status = Literal["up", "new", "taken_down"]


@dataclass(frozen=True)
class Listed:
    """One sign as the exports list it: where it stands in WGS 84 and what happens to it."""

    sign: Sign
    status: Status
    reason: TakeDownReason | None
    lon: float
    lat: float


def listed_signs(plan: SignPlan, projection: Projection) -> list[Listed]:
    """The signs up (in the plan's order), then those taken down on the plan's day."""
    new = {s.sign_id for s in plan.new}
    rows: list[tuple[Sign, Status, TakeDownReason | None]] = [
        (s, "new" if s.sign_id in new else "up", None) for s in plan.up
    ]
    rows += [(t.sign, "taken_down", t.reason) for t in plan.taken_down]
    if not rows:
        return []
    lons, lats = projection.to_wgs84([r[0].x for r in rows], [r[0].y for r in rows])
    return [
        Listed(sign, status, reason, round(float(lon), 7), round(float(lat), 7))
        for (sign, status, reason), lon, lat in zip(rows, lons, lats, strict=True)
    ]


@register(SignSheet, "geojson")
def signs_geojson(content: SignSheet) -> bytes:
    features: list[dict[str, Any]] = []
    for row in listed_signs(content.plan, content.projection):
        sign = row.sign
        properties: dict[str, Any] = {
            "sign_id": sign.sign_id,
            "zone_id": sign.zone_id,
            "status": row.status,
            "put_up": sign.put_up.isoformat(),
            "take_down": sign.take_down.isoformat(),
            "description": sign.description,
            "on_road": sign.on_road,
        }
        # no `reason`: "near a new burglary" would tell where one happened, on a public file
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
                "properties": properties,
            }
        )
    collection = {
        "type": "FeatureCollection",
        "day": content.plan.day.isoformat(),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
