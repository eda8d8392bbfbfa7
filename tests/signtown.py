"""A synthetic grid town near Kalmar (EPSG:3006) for sign placement, and the checks every plan
must pass."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
import shapely

from cocoon.core.model import Report
from cocoon.core.risk import Zone, zone_area, zones_at
from cocoon.core.roads import RoadLine
from cocoon.core.signs.places import SignNetwork
from cocoon.core.signs.rules import Sign, SignPlan, SignRules
from cocoon.core.signs.texts import road_label
from tests.support import KALMAR, SWEREF, risk_rules

ORIGIN = SWEREF.point_to_metric(*KALMAR)
_TREES = (
    "Björk", "Ek", "Lönn", "Ask", "Alm", "Hassel", "Rönn", "Sälg", "Tall", "Gran", "Lind",
    "Äppel", "Päron", "Körsbär", "Plommon", "Hägg", "Oxel", "Idegran", "En", "Vide", "Pil",
    "Bok", "Al", "Måbär", "Blåbär",
)  # fmt: skip
#: Where the town's through road, footpath and cul-de-sac run (metres from the origin).
PRIMARY_Y = 0.0
FOOTWAY_X = -150.0
CUL_DE_SAC = ((-400.0, -250.0), (-330.0, -250.0))


def line(road_class: str, name: str | None, *points: tuple[float, float]) -> RoadLine:
    """A metric line through points given in metres from the town's origin."""
    xy = np.array(points, dtype=float) + np.array(ORIGIN)
    return RoadLine(road_class, name, xy)


def ew_name(y: float) -> str:
    return "Storgatan" if y == PRIMARY_Y else f"{_TREES[int(y // 100) % len(_TREES)]}gatan"


def ns_name(x: float) -> str:
    return f"{_TREES[int(x // 100) % len(_TREES)]}vägen"


def grid_town(half_m: float = 1200.0, block_m: float = 100.0) -> list[RoadLine]:
    """Residential streets every 100 m crossing at shared vertices as OSM ways do, Storgatan a
    primary road through the middle, an unnamed footpath and a cul-de-sac (Lyckans gränd)."""
    ticks = np.arange(-half_m, half_m + 1, block_m)
    (cx, cy), (ex, _) = CUL_DE_SAC
    lines = []
    for t in ticks.tolist():
        stops = sorted({*ticks.tolist(), *([FOOTWAY_X] if -300 <= t <= 300 else [])})
        kind = "primary" if t == PRIMARY_Y else "residential"
        lines.append(line(kind, ew_name(t), *((x, t) for x in stops)))
        stops = sorted({*ticks.tolist(), *([cy] if t == cx else [])})
        lines.append(line("residential", ns_name(t), *((t, y) for y in stops)))
    lines.append(line("footway", None, *((FOOTWAY_X, y) for y in range(-300, 301, 100))))
    lines.append(line("residential", "Lyckans gränd", (cx, cy), (ex, cy)))
    return lines


def counter(prefix: str = "S") -> Callable[[], str]:
    """Sign ids S1, S2, ... as the app's id source would give them."""
    numbers = itertools.count(1)
    return lambda: f"{prefix}{next(numbers)}"


def zones(reports: Sequence[Report], at: datetime) -> list[Zone]:
    return zones_at(reports, at, risk_rules(), SWEREF)


def assert_valid(
    plan: SignPlan,
    lines: Sequence[RoadLine],
    rules: SignRules,
    burgled: Sequence[tuple[float, float]] = (),
    radius_m: float = risk_rules().radius_m,
) -> None:
    """Every rule a sign plan keeps: in its zone, on a walkable road, clear, spaced, counted."""
    walkable = SignNetwork(lines)
    by_zone = {z.zone_id: z for z in plan.zones}
    homes = [*burgled, *((r.x, r.y) for z in plan.zones for r in z.reports)]
    for sign in plan.up:
        zone = by_zone[sign.zone_id]
        point = shapely.Point(sign.x, sign.y)
        assert zone_area(zone).covers(point), sign
        assert min(np.hypot(r.x - sign.x, r.y - sign.y) for r in zone.reports) <= radius_m
        if sign.on_road:
            assert shapely.distance(walkable.geoms, point).min() <= rules.on_road_m + 1e-6, sign
        assert all(np.hypot(hx - sign.x, hy - sign.y) >= rules.clearance_m for hx, hy in homes)
        assert sign.put_up < sign.take_down
        assert sign.report_ids == zone.report_ids
    for a, b in itertools.combinations(plan.up, 2):
        assert np.hypot(a.x - b.x, a.y - b.y) >= rules.spacing_m - 1e-6, (a, b)
    for zone in plan.zones:
        count = sum(1 for s in plan.up if s.zone_id == zone.zone_id)
        assert count <= rules.count(len(zone.reports))
        assert count <= rules.max_signs


def assert_described(signs: Sequence[Sign], lines: Sequence[RoadLine], within_m: float) -> None:
    """Each description names a road (or the kind of an unnamed one) that passes the sign."""
    network = SignNetwork(lines)
    for sign in signs:
        near = shapely.distance(network.geoms, shapely.Point(sign.x, sign.y)) <= within_m
        labels = {
            road_label(network.lines[i].road_class, network.lines[i].name, "sv", False)
            for i in np.flatnonzero(near)
        }
        assert any(label in sign.description for label in labels), (sign.description, labels)
