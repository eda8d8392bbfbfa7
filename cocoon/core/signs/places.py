"""Where a sign can stand: junctions and entry points of the walkable road network in a zone.

Pure: metric lines in, scored candidate points out. Motorways and trunk roads are left out
altogether: nobody may walk there to put a sign up, and a driver at speed does not read one.

Scores say how many residents pass a place. A road's weight is its class's traffic rank
(`cocoon.core.roads.busyness`), paths people walk lifted to just below a residential street. A
junction scores its busiest road plus half the next (the traffic that turns there); an entry
point 1.5 times its road (everyone who comes in on that road passes it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from cocoon.core.roads import GRID_M, RoadLine, busyness, is_walkable, name_parts

#: Paths residents walk count like a quiet street: people on foot read signs, drivers glance.
WALKED = frozenset({"living_street", "pedestrian", "footway", "cycleway", "path", "trail", "steps"})
_WALKED_WEIGHT = busyness("residential") - 1
#: An entry point counts its road this many times over: all who enter on it pass the sign.
ENTRY_FACTOR = 1.5
#: A junction counts its second road at this share: it adds the traffic that turns there.
SECOND_ROAD = 0.5
#: Sample step along the inner ring when there is no road map, and how near an address counts.
RING_STEP_M = 10.0
NEAR_ADDRESS_M = 60.0


def weight(road_class: str) -> float:
    """How many residents see a sign on this class: busier is more, walked paths as a street."""
    if road_class in WALKED:
        return float(max(busyness(road_class), _WALKED_WEIGHT))
    return float(busyness(road_class))


class Kind(StrEnum):
    """What a candidate place is: people find a sign by it."""

    JUNCTION = "junction"
    ENTRY = "entry"
    NO_ROADS = "no_roads"


@dataclass(frozen=True)
class Candidate:
    """A place a sign could stand, scored by how many residents pass it.

    `roads` are (class, name) of the roads there, busiest first; `node` is the junction's node
    (for its corners); `edge` is where an entry's road crosses the zone's edge.
    """

    kind: Kind
    x: float
    y: float
    score: float
    roads: tuple[tuple[str, str | None], ...] = ()
    node: int = -1
    edge: tuple[float, float] = (math.nan, math.nan)
    near: str | None = None  # the register address a ring point is near (no road map)


class SignNetwork:
    """The walkable lines with nodes and junctions found once, for every zone of a run.

    A junction is a node where three or more line ends meet (ways that cross share a node in
    OSM), or where two differently named roads join end to end.
    """

    def __init__(self, lines: Sequence[RoadLine]) -> None:
        kept = [ln for ln in lines if is_walkable(ln.road_class) and len(np.asarray(ln.xy)) >= 2]
        self.lines = kept
        self.weights = np.array([weight(ln.road_class) for ln in kept], dtype=float)
        xys = [np.asarray(ln.xy, dtype=float)[:, :2] for ln in kept]
        vertices = np.concatenate(xys) if xys else np.zeros((0, 2))
        line_of = np.repeat(np.arange(len(kept)), [len(xy) for xy in xys]).astype(np.int64)
        self.geoms = (
            shapely.linestrings(vertices, indices=line_of) if kept else np.array([], dtype=object)
        )
        self.tree = shapely.STRtree(self.geoms)
        node_of, self.nodes = _snap(vertices)
        same = line_of[:-1] == line_of[1:]
        a, b = node_of[:-1][same], node_of[1:][same]
        seg_line, va, vb = line_of[:-1][same], np.flatnonzero(same), np.flatnonzero(same) + 1
        real = a != b
        a, b, seg_line, va, vb = a[real], b[real], seg_line[real], va[real], vb[real]
        n = len(self.nodes)
        degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
        # (node, line) incidences, unique and sorted by node: the lines that meet at a node
        keys = np.unique(
            np.concatenate([a, b]) * max(len(kept), 1) + np.concatenate([seg_line] * 2)
        )
        self._pair_node, self._pair_line = np.divmod(keys, max(len(kept), 1))
        # arms: from each node towards the next vertex of each segment that ends there
        arm_node = np.concatenate([a, b])
        arm_to = np.concatenate([vertices[vb], vertices[va]]) - self.nodes[arm_node]
        order = np.argsort(arm_node, kind="stable")
        self._arm_node: NDArray[np.int64] = arm_node[order]
        self._arm_dir: NDArray[np.float64] = arm_to[order]
        self.junctions = np.flatnonzero((degree >= 3) | self._name_changes(degree, n))

    def _name_changes(self, degree: NDArray[np.int64], n: int) -> NDArray[np.bool_]:
        """Nodes where exactly two lines with different names join end to end."""
        lines_at = np.bincount(self._pair_node, minlength=n)
        two = (degree == 2) & (lines_at == 2)
        rows = np.flatnonzero(two[self._pair_node])
        out = np.zeros(n, dtype=bool)
        if not len(rows):
            return out
        names = np.array([ln.name or "" for ln in self.lines], dtype=object)
        first, second = self._pair_line[rows[0::2]], self._pair_line[rows[1::2]]
        differ = (names[first] != names[second]) & (names[first] != "") & (names[second] != "")
        out[self._pair_node[rows[0::2]][differ]] = True
        return out

    def lines_at(self, node: int) -> NDArray[np.int64]:
        lo, hi = np.searchsorted(self._pair_node, [node, node + 1])
        return self._pair_line[lo:hi]

    def arms(self, node: int) -> NDArray[np.float64]:
        """Directions (dx, dy) of the roads leaving a node."""
        lo, hi = np.searchsorted(self._arm_node, [node, node + 1])
        return self._arm_dir[lo:hi]

    def touches(self, area: BaseGeometry) -> bool:
        """Whether any walkable line runs through the area."""
        return bool(len(self.tree.query(area, predicate="intersects")))

    def near_road(self, xy: NDArray[np.float64], within_m: float) -> NDArray[np.bool_]:
        """Whether each point is within `within_m` of a walkable line."""
        out = np.zeros(len(xy), dtype=bool)
        if len(xy) and len(self.lines):
            hit, _ = self.tree.query(shapely.points(xy), predicate="dwithin", distance=within_m)
            out[hit] = True
        return out

    def _roads(self, lines: Iterable[int]) -> tuple[tuple[str, str | None], ...]:
        """(class, name) of the distinct roads at a place, busiest and named first.

        Unnamed ways each count as a road; a name 'A; B' (OSM's way of two names) is two.
        """
        best: dict[object, tuple[float, str, str | None]] = {}
        for i in lines:
            ln = self.lines[i]
            w = float(self.weights[i])
            names: list[str | None] = [*name_parts(ln.name)] or [None]
            for name in names:
                key: object = name or i
                if key not in best or w > best[key][0]:
                    best[key] = (w, ln.road_class, name)
        ranked = sorted(best.values(), key=lambda r: (-r[0], r[2] is None, r[2] or "", r[1]))
        return tuple((c, name) for _, c, name in ranked)

    def junction_candidates(self, area: BaseGeometry) -> list[Candidate]:
        """Junctions inside the area: the busiest road there, plus half the next one."""
        xy = self.nodes[self.junctions]
        x0, y0, x1, y1 = area.bounds
        box = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        nodes = self.junctions[box]
        inside = shapely.contains_xy(area, self.nodes[nodes, 0], self.nodes[nodes, 1])
        out = []
        for node in nodes[inside].tolist():
            lines = self.lines_at(node)
            roads = self._roads(lines.tolist())
            w = sorted((weight(c) for c, _ in roads), reverse=True)
            score = w[0] + (SECOND_ROAD * w[1] if len(w) > 1 else 0.0)
            x, y = self.nodes[node]
            out.append(Candidate(Kind.JUNCTION, float(x), float(y), score, roads, node=node))
        return out

    def entry_candidates(self, area: BaseGeometry, inset_m: float) -> list[Candidate]:
        """Points `inset_m` inside the area along each road where it crosses the area's edge."""
        edge = area.boundary
        idx = self.tree.query(edge, predicate="intersects")
        if not len(idx):
            return []
        clipped = shapely.intersection(self.geoms[idx], area)
        parts, which = shapely.get_parts(clipped, return_index=True)
        lines = shapely.get_type_id(parts) == 1  # LineString
        parts, line_idx = parts[lines], idx[which[lines]]
        length = shapely.length(parts)
        long_enough = length > inset_m
        parts, line_idx, length = parts[long_enough], line_idx[long_enough], length[long_enough]
        out = []
        for end, along in ((0, np.full(len(parts), inset_m)), (-1, length - inset_m)):
            crossing = shapely.get_point(parts, end)
            on_edge = shapely.distance(crossing, edge) < 0.01
            at = shapely.line_interpolate_point(parts[on_edge], along[on_edge])
            cxy = shapely.get_coordinates(crossing[on_edge])
            points = shapely.get_coordinates(at).tolist()
            for i, (x, y), (cx, cy) in zip(line_idx[on_edge].tolist(), points, cxy, strict=True):
                ln = self.lines[i]
                road = ((ln.road_class, ln.name),)
                score = ENTRY_FACTOR * float(self.weights[i])
                out.append(Candidate(Kind.ENTRY, x, y, score, road, edge=(float(cx), float(cy))))
        return out


def _snap(vertices: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Node of each vertex (vertices within GRID_M are one node) and the nodes' coordinates."""
    if not len(vertices):
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    cells = np.round(vertices / GRID_M).astype(np.int64)
    cells -= cells.min(axis=0)
    keys = cells[:, 0] * (int(cells[:, 1].max()) + 1) + cells[:, 1]
    _, first, node_of = np.unique(keys, return_index=True, return_inverse=True)
    return node_of.reshape(-1).astype(np.int64), vertices[first]


def ring_candidates(
    area: BaseGeometry,
    inset_m: float,
    addresses: Sequence[tuple[str, float, float]],
) -> list[Candidate]:
    """Without a road map: points on the ring `inset_m` inside the area's edge, near homes.

    Scored by the register addresses within NEAR_ADDRESS_M (more residents pass it); with no
    addresses at all every ring point is a candidate.
    """
    ring = shapely.buffer(area, -inset_m).boundary
    pieces = [p for p in shapely.get_parts(ring) if p.length > 0]
    points = [
        shapely.line_interpolate_point(p, np.arange(0.0, p.length, RING_STEP_M)) for p in pieces
    ]
    if not points:
        return []
    xy = shapely.get_coordinates(np.concatenate(points))
    if not addresses:
        return [Candidate(Kind.NO_ROADS, float(x), float(y), 0.0) for x, y in xy]
    homes = np.array([(x, y) for _, x, y in addresses], dtype=float)
    tree = shapely.STRtree(shapely.points(homes))
    ring_i = tree.query(shapely.points(xy), predicate="dwithin", distance=NEAR_ADDRESS_M)[0]
    counts = np.bincount(ring_i, minlength=len(xy))
    nearest = tree.nearest(shapely.points(xy))
    return [
        Candidate(Kind.NO_ROADS, float(x), float(y), float(c), near=addresses[int(j)][0])
        for (x, y), c, j in zip(xy, counts, nearest, strict=True)
        if c > 0
    ]
