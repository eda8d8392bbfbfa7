"""Walking distances along the road network, for the walking order of door visits.

Pure: works on lines already in the metric CRS; `walking_costs_for` is the one convenience that
projects stored WGS 84 roads first. scipy is imported where a graph is built, not at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from cocoon.core.geo import Projection
from cocoon.core.model import Road
from cocoon.core.roads import GRID_M, is_walkable, project_lines
from cocoon.core.walking import CostFn

#: A point farther than this from every walkable road is reached in a straight line.
REACH_M = 150.0


class WalkingNetwork:
    """Walkable lines as a graph: nodes at shared vertices, edges weighted by their length."""

    def __init__(self, nodes: NDArray[np.float64], edges: NDArray[np.int64], reach_m: float):
        self.nodes = nodes
        self.edges = edges
        self.reach_m = reach_m
        a, b = nodes[edges[:, 0]], nodes[edges[:, 1]]
        self.lengths: NDArray[np.float64] = np.hypot(a[:, 0] - b[:, 0], a[:, 1] - b[:, 1])
        segments = shapely.linestrings(np.stack([a, b], axis=1)) if len(edges) else np.array([])
        self._tree = shapely.STRtree(segments)
        self._main_edges = self._largest_part()
        self._main_tree = shapely.STRtree(segments[self._main_edges])

    def _largest_part(self) -> NDArray[np.int64]:
        """The edges of the largest connected part of the network."""
        if not len(self.edges):
            return np.zeros(0, dtype=np.int64)
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        n = len(self.nodes)
        graph = csr_matrix((self.lengths, (self.edges[:, 0], self.edges[:, 1])), shape=(n, n))
        _count, part = connected_components(graph, directed=False)
        return np.flatnonzero(part[self.edges[:, 0]] == np.argmax(np.bincount(part)))

    @classmethod
    def from_lines(
        cls,
        lines: Iterable[tuple[str, NDArray[np.float64]]],
        reach_m: float = REACH_M,
        grid_m: float = GRID_M,
    ) -> WalkingNetwork:
        """The network of the walkable (class, metric xy) lines; other classes are left out."""
        walkable = [np.asarray(xy, dtype=float)[:, :2] for name, xy in lines if is_walkable(name)]
        walkable = [xy for xy in walkable if len(xy) >= 2]
        if not walkable:
            return cls(np.zeros((0, 2)), np.zeros((0, 2), dtype=np.int64), reach_m)
        vertices = np.concatenate(walkable)
        cells = np.round(vertices / grid_m).astype(np.int64)
        cells, node_of = np.unique(cells, axis=0, return_inverse=True)
        node_of = node_of.reshape(-1)
        starts = np.cumsum([0, *(len(xy) for xy in walkable)])[:-1]
        last = np.zeros(len(vertices), dtype=bool)
        last[starts[1:] - 1] = True
        last[-1] = True
        u, v = node_of[:-1][~last[:-1]], node_of[1:][~last[:-1]]
        pairs = np.unique(np.sort(np.column_stack([u, v]), axis=1), axis=0)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        return cls(cells.astype(float) * grid_m, pairs.astype(np.int64), reach_m)

    @property
    def edge_count(self) -> int:
        return len(self.edges)

    def walking_costs(
        self, origin: tuple[float, float], points: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Metres between the start (row/column 0) and the stops along walkable roads.

        Each place is joined to the nearest point of its nearest walkable road by a straight
        access leg; a pair falls back to the straight line when either place is more than
        `reach_m` from every walkable road or the two lie on unconnected parts of the network.
        """
        places = np.vstack([np.asarray(origin, dtype=float)[None, :], np.asarray(points, float)])
        diff = places[:, None, :] - places[None, :, :]
        straight: NDArray[np.float64] = np.hypot(diff[..., 0], diff[..., 1])
        if not len(self.edges):
            return straight
        snapped, edge, access = self._snap(places)
        if snapped.sum() < 2:
            return straight
        idx = np.ix_(np.flatnonzero(snapped), np.flatnonzero(snapped))
        walk = self._walks(places[snapped], edge[snapped], access[snapped])
        # A walk is never shorter than the straight line (rounding of nodes aside), and places
        # at one spot (two entrances listed at one point) need no trip to the road and back.
        walk = np.where(straight[idx] < GRID_M, straight[idx], np.maximum(walk, straight[idx]))
        walk = np.fmin(walk, walk.T)  # one walk both ways: guards against rounding asymmetry
        costs = straight.copy()
        costs[idx] = np.where(np.isfinite(walk), walk, straight[idx])
        np.fill_diagonal(costs, 0.0)
        return costs

    def _walks(
        self, places: NDArray[np.float64], edge: NDArray[np.int64], access: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Metres between places snapped to edges (inf between unconnected parts).

        Each place becomes a node joined to both ends of its edge (and straight along the edge
        to places on the same edge), so one Dijkstra run per place gives exact walks.
        """
        n, k = len(self.nodes), len(places)
        ends = self.edges[edge]
        along = self._along(places, edge)  # metres from the first end to the foot of the leg
        ids = n + np.arange(k)
        i, j = np.triu_indices(k, 1)
        shared = edge[i] == edge[j]
        i, j = i[shared], j[shared]
        rows = np.concatenate([self.edges[:, 0], ids, ids, ids[i]])
        cols = np.concatenate([self.edges[:, 1], ends[:, 0], ends[:, 1], ids[j]])
        weights = np.concatenate(
            [
                self.lengths,
                access + along,
                access + self.lengths[edge] - along,
                access[i] + np.abs(along[i] - along[j]) + access[j],
            ]
        )
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        # length - along may round a hair below zero, and Dijkstra refuses negative weights
        graph = csr_matrix((np.maximum(weights, 0.0), (rows, cols)), shape=(n + k, n + k))
        walk: NDArray[np.float64] = dijkstra(graph, directed=False, indices=ids)[:, n:]
        return walk

    def _snap(
        self, places: NDArray[np.float64]
    ) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.float64]]:
        """Per place: whether a walkable edge is within reach, the nearest one, its distance.

        An edge of the largest connected part is preferred to a nearer one of a fragment (a
        courtyard path mapped unconnected, a way cut at the extract's edge): a fragment would
        leave its place with straight lines only.
        """
        snapped = np.zeros(len(places), dtype=bool)
        edge = np.zeros(len(places), dtype=np.int64)
        access = np.zeros(len(places), dtype=float)
        for tree, edge_ids in ((self._main_tree, self._main_edges), (self._tree, None)):
            left = np.flatnonzero(~snapped)
            (i, j), distances = tree.query_nearest(
                shapely.points(places[left]), max_distance=self.reach_m, return_distance=True,
                all_matches=False,
            )  # fmt: skip
            snapped[left[i]] = True
            edge[left[i]] = j if edge_ids is None else edge_ids[j]
            access[left[i]] = distances
        return snapped, edge, access

    def _along(self, places: NDArray[np.float64], edge: NDArray[np.int64]) -> NDArray[np.float64]:
        """Metres from each edge's first node to the foot of the place's perpendicular."""
        a, b = self.nodes[self.edges[edge, 0]], self.nodes[self.edges[edge, 1]]
        d = b - a
        length2 = np.einsum("ij,ij->i", d, d)
        t = np.einsum("ij,ij->i", places - a, d) / np.where(length2 > 0, length2, 1.0)
        along: NDArray[np.float64] = np.clip(t, 0.0, 1.0) * np.sqrt(length2)
        return along


def walking_costs_for(
    roads: Sequence[Road], projection: Projection, reach_m: float = REACH_M
) -> CostFn:
    """The walking cost function over stored WGS 84 roads, for `cocoon.core.visits.plan_visits`."""
    return WalkingNetwork.from_lines(project_lines(roads, projection), reach_m).walking_costs
