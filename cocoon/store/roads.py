"""The road network in the database: a file's load replaces that source's earlier load whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from sqlalchemy import Connection, delete, func, insert, select

from cocoon.core.model import Road
from cocoon.store.engine import chunks
from cocoon.store.schema import roads as road_table


@dataclass
class RoadCounts:
    """Rows a load removed (the source's earlier load) and stored."""

    removed: int = 0
    stored: int = 0


def _values(road: Road, source: str, now: datetime) -> dict[str, Any]:
    lons = [lon for lon, _ in road.coords]
    lats = [lat for _, lat in road.coords]
    return {
        "source_id": road.source_id[:64] if road.source_id else None,  # the column is 64 wide
        "road_class": road.road_class,
        "name": road.name,
        "geom": bytes(shapely.to_wkb(shapely.LineString(road.coords))),
        "min_lon": min(lons),
        "min_lat": min(lats),
        "max_lon": max(lons),
        "max_lat": max(lats),
        "source": source,
        "updated_at": now,
    }


def _road(row: Any) -> Road:
    line = shapely.from_wkb(bytes(row.geom))
    return Road(
        road_class=row.road_class,
        coords=tuple((float(x), float(y)) for x, y in line.coords),
        name=row.name,
        source_id=row.source_id,
    )


def replace_roads(
    conn: Connection, roads: Sequence[Road], source: str, now: datetime
) -> RoadCounts:
    """Store the roads of one source (a file name), dropping what that source loaded before.

    Runs in the caller's transaction, so a failed load leaves the earlier network in place.
    """
    removed = conn.execute(delete(road_table).where(road_table.c.source == source)).rowcount
    for chunk in chunks(roads):
        conn.execute(insert(road_table), [_values(r, source, now) for r in chunk])
    return RoadCounts(removed=max(removed, 0), stored=len(roads))


def roads_in_box(
    conn: Connection, min_lon: float, min_lat: float, max_lon: float, max_lat: float
) -> list[Road]:
    """The roads whose lon/lat box meets the given box (served by the box index)."""
    c = road_table.c
    stmt = (
        select(c.road_class, c.geom, c.name, c.source_id)
        .where(
            c.min_lat <= max_lat, c.max_lat >= min_lat, c.min_lon <= max_lon, c.max_lon >= min_lon
        )
        .order_by(c.road_id)
    )
    return [_road(row) for row in conn.execute(stmt)]


def count_roads(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(road_table)) or 0)
