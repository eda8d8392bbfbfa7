"""The choice of one zone's new signs: greedy by score under the spacing and clearance rules.

Pure. Each sign is for one report of the zone (the first report's signs, then one per later
report) and is sought in that report's part of the zone first, so a grown zone gets its extra
sign near the new burglary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from cocoon.core.risk import LiveReport, Zone
from cocoon.core.signs.places import Candidate, Kind, SignNetwork, ring_candidates
from cocoon.core.signs.rules import SignRules
from cocoon.core.signs.texts import compass, entry_text, junction_text, ring_text
from cocoon.i18n import Language

#: How far from a junction's centre towards its corner a sign stands (at most 60 % of on_road_m).
CORNER_M = 3.0


def nearest(x: float, y: float, points: NDArray[np.float64]) -> float:
    """Metres from a point to the nearest of some points; inf when there are none."""
    if not len(points):
        return math.inf
    return float(np.min(np.hypot(points[:, 0] - x, points[:, 1] - y)))


class ZonePlacer:
    """The candidates of one zone and the greedy choice among them, one slot at a time."""

    def __init__(
        self,
        zone: Zone,
        area: BaseGeometry,
        network: SignNetwork,
        homes: NDArray[np.float64],
        rules: SignRules,
        language: Language,
    ) -> None:
        self.zone, self.area, self.network, self.homes = zone, area, network, homes
        self.rules, self.language = rules, language
        centre = area.centroid
        self.centre = (float(centre.x), float(centre.y))
        self.on_road = network.touches(area)
        found: list[Candidate] = []
        if self.on_road:
            found = network.junction_candidates(area)
            found += network.entry_candidates(area, rules.entry_inset_m)
        self._set(found)

    def use_ring(self, addresses: Sequence[tuple[str, float, float]]) -> None:
        """No road runs through the zone: candidates on its inner ring, near homes."""
        x0, y0, x1, y1 = self.area.bounds
        inside = [a for a in addresses if x0 <= a[1] <= x1 and y0 <= a[2] <= y1]
        self._set(ring_candidates(self.area, self.rules.entry_inset_m, inside))

    def _set(self, found: list[Candidate]) -> None:
        self.cands = found
        self.xy = np.array([(c.x, c.y) for c in found], dtype=float).reshape(-1, 2)
        self.score = np.array([c.score for c in found], dtype=float)
        self.ok = self._fits(self.xy)
        if self.on_road:
            self.ok &= self.network.near_road(self.xy, self.rules.on_road_m)
        reports = np.array([(live.x, live.y) for live in self.zone.reports])
        d = np.hypot(
            self.xy[:, None, 0] - reports[None, :, 0], self.xy[:, None, 1] - reports[None, :, 1]
        )
        self.cell = np.argmin(d, axis=1) if len(found) else np.zeros(0, dtype=np.int64)
        self.to_report = d

    def _fits(self, xy: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Whether each point is inside the zone and clear of every burgled home."""
        inside: NDArray[np.bool_] = shapely.contains_xy(self.area, xy[:, 0], xy[:, 1])
        if len(self.homes) and len(xy):
            diff = xy[:, None, :] - self.homes[None, :, :]
            inside &= np.hypot(diff[..., 0], diff[..., 1]).min(axis=1) >= self.rules.clearance_m
        return inside

    def place(
        self, live: LiveReport, standing: list[tuple[float, float]]
    ) -> tuple[float, float, str] | None:
        """The best free place for the sign of `live`: in its part of the zone first.

        Ranked by: in the part of the zone nearest this report, score, distance from the
        signs up (capped at twice the spacing, so only crowding counts), nearness to the report.
        """
        rules = self.rules
        spots = np.array(standing, dtype=float).reshape(-1, 2)
        gap = np.full(len(self.cands), math.inf)
        if len(spots) and len(self.cands):
            diff = self.xy[:, None, :] - spots[None, :, :]
            gap = np.hypot(diff[..., 0], diff[..., 1]).min(axis=1)
        index = self.zone.reports.index(live)
        free = np.flatnonzero(self.ok & (gap >= rules.spacing_m))
        if not len(free):
            return None
        own = self.cell[free] == index
        nearness = -self.to_report[free, index]
        room = np.minimum(gap[free], 2 * rules.spacing_m)
        best = int(free[np.lexsort((nearness, room, self.score[free], own))[-1]])
        self.ok[best] = False
        return self._finish(self.cands[best], spots)

    def _finish(self, cand: Candidate, spots: NDArray[np.float64]) -> tuple[float, float, str]:
        """The sign's final point and description; a junction sign stands at its corner when
        that keeps every rule, else at the junction itself."""
        cx, cy = self.centre
        if cand.kind is Kind.ENTRY:
            side = compass(cand.edge[0] - cx, cand.edge[1] - cy)
            return cand.x, cand.y, entry_text(cand.roads[0], side, self.language)
        if cand.kind is Kind.NO_ROADS:
            edge = compass(cand.x - cx, cand.y - cy)
            return cand.x, cand.y, ring_text(cand.near, edge, self.language)
        bearing, is_side = _corner(self.network.arms(cand.node), (cx - cand.x, cy - cand.y))
        text = junction_text(cand.roads, compass(*bearing), is_side, self.language)
        offset = min(CORNER_M, 0.6 * self.rules.on_road_m)
        x, y = cand.x + offset * bearing[0], cand.y + offset * bearing[1]
        fits = self._fits(np.array([[x, y]]))[0]
        if fits and nearest(x, y, spots) >= self.rules.spacing_m:
            return x, y, text
        return cand.x, cand.y, text


def _corner(
    arms: NDArray[np.float64], towards: tuple[float, float]
) -> tuple[tuple[float, float], bool]:
    """The unit direction into the corner between roads that faces `towards`, and whether
    that corner is a straight side (wider than 150°) rather than a corner."""
    angles = np.unique(np.round(np.degrees(np.arctan2(arms[:, 1], arms[:, 0])) % 360.0, 1))
    aim = math.degrees(math.atan2(towards[1], towards[0])) % 360.0
    if math.hypot(*towards) < 1.0:
        aim = 90.0
    if len(angles) < 2:
        return (math.cos(math.radians(aim)), math.sin(math.radians(aim))), True
    after = int(np.searchsorted(angles, aim, side="right")) % len(angles)
    start = float(angles[after - 1])
    width = (float(angles[after]) - start) % 360.0 or 360.0
    middle = math.radians(start + width / 2)
    return (math.cos(middle), math.sin(middle)), width > 150.0
