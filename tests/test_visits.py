"""Door selection and sheets (cocoon.core.visits): README, "Door visits: the rules", in a town."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np

from cocoon.core.model import Dwelling
from cocoon.core.visits import (
    BurgledHome,
    VisitKind,
    plan_visits,
    route_stops,
    select_stops,
    split_sheets,
)
from cocoon.core.walking import route_length, straight_line_costs
from tests.support import visit_rules
from tests.towns import address, neighbours, villa_street

RULES = visit_rules(same_side_bonus_m=0.0)
HOME = (0.0, 12.0)  # Storgatan 1 sits 12 m north of the street at x = 0


def town() -> list:
    streets = [
        *villa_street("Storgatan", 0, 0, 40),
        *villa_street("Åkervägen", 120, -200, 40),
        *villa_street("Östra vägen", -150, -100, 40),
        *villa_street("Bortre gatan", 700, 0, 10),  # beyond 500 m
    ]
    return neighbours(streets)


def test_burgled_address_is_never_listed_when_matched_by_register_id() -> None:
    stops = select_stops(HOME, "Storgatan-1", town(), (), RULES)
    assert "Storgatan-1" not in {a for s in stops for a in s.covers}


def test_burgled_address_is_never_listed_when_the_report_had_coordinates_only() -> None:
    near_home = (HOME[0] + 2.0, HOME[1] - 1.5)  # the report's point 2.5 m from the door
    stops = select_stops(near_home, None, town(), (), RULES)
    assert "Storgatan-1" not in {a for s in stops for a in s.covers}


def test_every_listed_door_is_within_the_visit_radius() -> None:
    rules = visit_rules(radius_m=500, cap=10_000)
    stops = select_stops(HOME, "Storgatan-1", town(), (), rules)
    assert stops
    for s in stops:
        assert math.hypot(s.x - HOME[0], s.y - HOME[1]) <= 500
    assert not any(s.label.startswith("Bortre gatan") for s in stops)


def test_visit_radius_is_a_setting() -> None:
    stops = select_stops(HOME, "Storgatan-1", town(), (), visit_rules(radius_m=100, cap=10_000))
    assert stops and max(s.distance_m for s in stops) <= 100


def test_cap_holds_and_keeps_the_nearest() -> None:
    all_stops = select_stops(HOME, "Storgatan-1", town(), (), visit_rules(cap=10_000))
    capped = select_stops(HOME, "Storgatan-1", town(), (), visit_rules(cap=25, same_side_bonus_m=0))
    assert len(capped) == 25 < len(all_stops)
    kept = max(s.distance_m for s in capped)
    left_out = [s for s in all_stops if s.address_id not in {c.address_id for c in capped}]
    assert min(s.distance_m for s in left_out) >= kept


def test_same_side_of_the_street_comes_first_at_equal_distance() -> None:
    # Storgatan 3 (north, odd like the burgled no. 1) and 4 (south) are both 25 m along.
    rules = visit_rules(cap=2, same_side_bonus_m=50)
    stops = select_stops(HOME, "Storgatan-1", town(), (), rules)
    assert "Storgatan-3" in {s.address_id for s in stops}
    assert all(s.same_side for s in stops)


def test_same_side_bonus_does_not_reach_past_its_metres() -> None:
    rules = visit_rules(cap=10, same_side_bonus_m=10)
    ranked = [s.address_id for s in select_stops(HOME, "Storgatan-1", town(), (), rules)]
    # No. 5 on the same side is 50 m along; no. 2 straight across is 24 m away.
    assert ranked.index("Storgatan-2") < ranked.index("Storgatan-5")


def test_addresses_taken_by_another_plan_are_left_out() -> None:
    taken = {"Storgatan-3", "Storgatan-4"}
    stops = select_stops(HOME, "Storgatan-1", town(), taken, RULES)
    assert not taken & {a for s in stops for a in s.covers}


def test_entries_of_a_block_of_flats_become_one_stairwell_stop() -> None:
    flats = [
        address("Parkgatan", "5", 60, 40, Dwelling.FLERBOSTADSHUS, address_id=f"pg5-{i}")
        for i in range(12)
    ]
    stops = select_stops(HOME, None, neighbours(flats), (), RULES)
    assert len(stops) == 1
    assert stops[0].kind is VisitKind.STAIRWELL
    assert set(stops[0].covers) == {f"pg5-{i}" for i in range(12)}


def test_each_entrance_of_a_block_gets_its_own_stairwell_notice() -> None:
    entrances = [
        address("Parkgatan", f"5{letter}", 60 + 15 * i, 40, Dwelling.FLERBOSTADSHUS)
        for i, letter in enumerate("ABC")
    ]
    stops = select_stops(HOME, None, neighbours(entrances), (), RULES)
    assert [s.kind for s in stops] == [VisitKind.STAIRWELL] * 3


def test_small_houses_get_a_door_knock() -> None:
    stops = select_stops(HOME, "Storgatan-1", town(), (), RULES)
    assert {s.kind for s in stops} == {VisitKind.DOOR}


def test_unknown_dwelling_follows_the_setting() -> None:
    unknown = neighbours([address("Nygatan", "2", 30, 30, dwelling=None)])
    assert select_stops(HOME, None, unknown, (), RULES)[0].kind is VisitKind.DOOR
    rules = visit_rules(unknown_dwelling=VisitKind.STAIRWELL)
    assert select_stops(HOME, None, unknown, (), rules)[0].kind is VisitKind.STAIRWELL


def test_burgled_flat_leaves_out_its_whole_stairwell() -> None:
    block = [
        address("Parkgatan", "5", 0, 0, Dwelling.FLERBOSTADSHUS, address_id=f"pg5-{i}")
        for i in range(4)
    ]
    stops = select_stops((0.0, 0.0), "pg5-2", neighbours(block), (), RULES)
    assert stops == []


def test_distance_is_whole_metres_from_the_burgled_home() -> None:
    stops = select_stops(HOME, "Storgatan-1", town(), (), RULES)
    for s in stops:
        assert s.distance_m == round(math.hypot(s.x - HOME[0], s.y - HOME[1]))


def test_sheets_are_consecutive_pieces_of_the_route_of_at_most_sheet_size() -> None:
    stops = select_stops(HOME, "Storgatan-1", town(), (), visit_rules(cap=45))
    route = route_stops(HOME, stops)
    sheets = split_sheets(route, 20)
    assert [len(s.stops) for s in sheets] == [15, 15, 15]
    assert [s.number for s in sheets] == [1, 2, 3]
    assert [stop for sheet in sheets for stop in sheet.stops] == route


def test_no_stops_make_no_sheets() -> None:
    assert split_sheets([], 20) == ()


def test_route_is_shorter_than_walking_in_order_of_distance() -> None:
    stops = select_stops(HOME, "Storgatan-1", town(), (), visit_rules(cap=60))
    route = route_stops(HOME, stops)
    costs = straight_line_costs(HOME, np.array([(s.x, s.y) for s in stops]))
    by_distance = list(range(len(stops)))
    walked = [stops.index(s) for s in route]
    assert route_length(costs, walked) < route_length(costs, by_distance)


def test_plan_keeps_report_zone_and_dates_but_no_address_of_the_burgled_home() -> None:
    plan = plan_visits(
        report_id="R1",
        zone_id="Z-AAAA-BBBB",
        burglary=(date(2026, 11, 20), date(2026, 11, 21)),
        planned_at=datetime(2026, 11, 22, 7, tzinfo=UTC),
        origin=HOME,
        victim_address_id="Storgatan-1",
        neighbours=town(),
        taken=(),
        rules=visit_rules(),
    )
    assert len(plan.stops) == 60
    assert [len(s.stops) for s in plan.sheets] == [20, 20, 20]
    assert "Storgatan 1," not in {s.label for s in plan.stops}


def test_homes_of_other_burglaries_nearby_are_never_listed() -> None:
    others = [BurgledHome(25.0, 12.0, None), BurgledHome(0.0, 0.0, "Storgatan-4")]
    stops = select_stops(HOME, "Storgatan-1", town(), (), RULES, other_burgled=others)
    listed = {a for s in stops for a in s.covers}
    assert not {"Storgatan-3", "Storgatan-4"} & listed  # no. 3 by its point, no. 4 by its id
