"""The field app's maps as plain data for its map script: the loaded roads as the base layer
with their names, the zones over them, the day's signs and a roster's stops in walking order.

All in WGS 84 as [lat, lon] (Leaflet's order), rounded to about a metre. Nothing here comes
from outside the server: there are no tiles, the roads are the ones `cocoon load-roads` stored.
A team's roster map has stops and roads only: a zone's shape would show where its burglary was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from cocoon.core.geo import Projection, lonlat_box
from cocoon.core.risk import Zone
from cocoon.core.roads import busyness, name_parts
from cocoon.store import roads as road_store

#: Decimals of a degree kept: 1e-5° is about a metre, finer than any map on a phone shows.
DECIMALS = 5
#: Roads this far beyond what a map shows are drawn too, so its edges are not bare.
ROAD_MARGIN_M = 250.0
#: Zone outlines are drawn with this tolerance (metres): a circle's 60 vertices become ~20.
SIMPLIFY_M = 1.5

Point = list[float]


@dataclass(frozen=True)
class MapData:
    """What one map shows; `as_json` is what the page hands its script."""

    roads: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)  # street names along the roads
    zones: list[dict[str, Any]] = field(default_factory=list)
    signs: list[dict[str, Any]] = field(default_factory=list)
    stops: list[dict[str, Any]] = field(default_factory=list)

    def bounds(self) -> list[Point] | None:
        """[[south, west], [north, east]] of the zones, signs and stops (roads only pad them)."""
        points = [p for z in self.zones for poly in z["polys"] for p in poly[0]]
        points += [[s["lat"], s["lon"]] for s in (*self.signs, *self.stops)]
        if not points:
            points = [p for r in self.roads for p in r["p"]]
        if not points:
            return None
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        return [[min(lats), min(lons)], [max(lats), max(lons)]]

    def as_json(self) -> dict[str, Any]:
        return {
            "roads": self.roads, "labels": self.labels, "zones": self.zones,
            "signs": self.signs, "stops": self.stops, "bounds": self.bounds(),
        }  # fmt: skip


def _round(lon: float, lat: float) -> Point:
    return [round(lat, DECIMALS), round(lon, DECIMALS)]


def roads_layer(
    conn: Connection, box: tuple[float, float, float, float]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The stored roads meeting a lon/lat box (class, rank: busier is higher, line), and their
    names along them: the ways of one name joined end to end, so that a street cut into many
    short ways (OpenStreetMap's blocks) still has a line long enough for its name."""
    roads: list[dict[str, Any]] = []
    named: dict[str, tuple[list[list[tuple[float, float]]], int]] = {}
    for road in road_store.roads_in_box(conn, *box):
        line = [_round(lon, lat) for lon, lat in road.coords]
        if len(line) < 2:
            continue
        rank = busyness(road.road_class)
        roads.append({"c": road.road_class, "r": rank, "p": line})
        names = name_parts(road.name)
        if names:
            lines, best = named.get(" / ".join(names), ([], 0))
            lines.append([(p[1], p[0]) for p in line])
            named[" / ".join(names)] = (lines, max(best, rank))
    labels = []
    for name, (lines, rank) in sorted(named.items()):
        merged = shapely.line_merge(MultiLineString(lines))
        parts = merged.geoms if isinstance(merged, MultiLineString) else [merged]
        for part in parts:
            if isinstance(part, LineString) and len(part.coords) >= 2:
                labels.append({"n": name, "r": rank,
                               "p": [_round(x, y) for x, y in part.coords]})  # fmt: skip
    return roads, labels


def box_around(
    projection: Projection, xy: Sequence[tuple[float, float]], margin_m: float = ROAD_MARGIN_M
) -> tuple[float, float, float, float] | None:
    """The lon/lat box of metric points, with a margin; None without points."""
    if not xy:
        return None
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + margin_m
    return lonlat_box(projection, (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, half)


def zones_layer(zones: Iterable[Zone], projection: Projection, tz: tzinfo) -> list[dict[str, Any]]:
    """Each zone's part per level (high first), its outline in WGS 84 and when the level ends."""
    out = []
    for zone in zones:
        for part in zone.parts():
            shape = projection.geometry_to_wgs84(part.area.simplify(SIMPLIFY_M))
            out.append({
                "id": zone.zone_id, "level": part.level.value,
                "until": part.until.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "polys": _polygons(shape),
            })  # fmt: skip
    return out


def zone_corners(zones: Iterable[Zone]) -> list[tuple[float, float]]:
    """The metric corners of the zones' areas: what a zones map must show."""
    corners = []
    for zone in zones:
        for area in (zone.high, zone.elevated):
            if area is not None and not area.is_empty:
                min_x, min_y, max_x, max_y = area.bounds
                corners += [(min_x, min_y), (max_x, max_y)]
    return corners


def _polygons(shape: BaseGeometry) -> list[list[list[Point]]]:
    """A (multi)polygon as Leaflet's nested rings: [polygon][ring][point]."""
    polygons: list[Polygon] = []
    if isinstance(shape, Polygon):
        polygons = [shape]
    elif isinstance(shape, MultiPolygon):
        polygons = list(shape.geoms)
    return [
        [[_round(x, y) for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
        for p in polygons
        if not p.is_empty
    ]
