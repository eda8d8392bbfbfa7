"""GeoJSON rings follow RFC 7946 (section 3.1.6): exterior rings counter-clockwise, holes
clockwise, in the zones GeoJSON and in the map export, internal and public. Checked by the
signed area of every ring as read back; the sign plan's GeoJSON holds points only."""

from __future__ import annotations

import itertools
import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import shapely

from cocoon.core.maps import map_content
from cocoon.core.profile import Profile
from cocoon.core.risk import Zone, zones_at
from cocoon.outputs import render
from cocoon.outputs.content import ZoneMap
from cocoon.outputs.maps import ExportMap
from tests.support import STOCKHOLM, SWEREF, public_rules, report, risk_rules
from tests.test_sign_outputs import sheet

AT = datetime(2026, 11, 24, 6, tzinfo=UTC)


def ring_town() -> list[Zone]:
    """A fresh burglary inside a ring of eight older ones 900 m away: its high area is a hole
    in the zone's elevated area, also on the public grid."""
    older = [
        report(f"E{i}", AT - timedelta(days=20), offset_m=offset, zone_key="Z-RING")
        for i, offset in enumerate(
            (900 * math.cos(a * math.pi / 4), 900 * math.sin(a * math.pi / 4)) for a in range(8)
        )
    ]
    fresh = report("H1", AT - timedelta(days=1), zone_key="Z-FRESH")
    return zones_at([*older, fresh], AT, risk_rules(), SWEREF)


def signed_area(ring: list[list[float]]) -> float:
    """Twice the shoelace area in lon/lat: positive when the ring runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def orientations(raw: bytes) -> tuple[list[float], list[float]]:
    """The signed areas of every exterior ring and of every hole in a FeatureCollection."""
    exteriors: list[float] = []
    holes: list[float] = []
    for feature in json.loads(raw)["features"]:
        for polygon in polygons(feature["geometry"]):
            exteriors.append(signed_area(polygon[0]))
            holes += [signed_area(ring) for ring in polygon[1:]]
    return exteriors, holes


def assert_rfc7946(raw: bytes) -> None:
    exteriors, holes = orientations(raw)
    assert exteriors and holes  # the ring town has both
    assert all(area > 0 for area in exteriors), "an exterior ring runs clockwise"
    assert all(area < 0 for area in holes), "a hole runs counter-clockwise"


def test_ring_town_elevated_zone_has_the_high_area_as_a_hole() -> None:
    (zone,) = ring_town()
    (elevated,) = [part.area for part in zone.parts() if part.level.value == "elevated"]
    assert [len(p.interiors) for p in shapely.get_parts(elevated)] == [1]


def test_zones_geojson_rings_run_as_rfc_7946_says() -> None:
    assert_rfc7946(render("geojson", ZoneMap(ring_town(), AT, SWEREF, STOCKHOLM)))


@pytest.mark.parametrize("profile", list(Profile))
def test_map_export_geojson_rings_run_as_rfc_7946_says(profile: Profile) -> None:
    zones = ring_town()
    homes = [(r.x, r.y) for z in zones for r in z.reports]
    content = map_content(profile, zones, homes, risk_rules(), public_rules())
    assert_rfc7946(render("geojson", ExportMap(content, AT, SWEREF, STOCKHOLM)))


def test_sign_plan_geojson_has_points_only() -> None:
    features = json.loads(render("geojson", sheet()))["features"]
    assert features and {f["geometry"]["type"] for f in features} == {"Point"}
