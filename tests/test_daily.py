"""The daily zone list: most urgent zones first, named by their main streets, no report in it."""

from __future__ import annotations

import random
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta

import shapely

from cocoon.core.daily import (
    NEW_WITHIN,
    DailyList,
    DailyZone,
    daily_list,
    days_left,
    main_streets,
)
from cocoon.core.model import Address, Level, Report
from cocoon.core.risk import Zone, zone_area, zones_at
from cocoon.core.signs.rules import Sign
from cocoon.core.visits import Neighbour
from cocoon.outputs import summary
from tests.signtown import ORIGIN, line
from tests.support import SWEREF, report, risk_rules

DAY = date(2026, 11, 2)
AT = datetime(2026, 11, 2, 5, tzinfo=UTC)  # 06:00 local: the morning run
#: A zone-sized area around the town's origin, as `zone_area` gives it.
AREA = shapely.Point(ORIGIN).buffer(500, quad_segs=16)


def home(street: str, number: int, dx: float, dy: float) -> Neighbour:
    """A register address `dx`, `dy` metres from the origin, with its metric point."""
    x, y = ORIGIN[0] + dx, ORIGIN[1] + dy
    lon, lat = SWEREF.point_to_wgs84(x, y)
    return Neighbour(Address(f"{street}-{number}", street, str(number), lon, lat), x, y)


def zones(*reports: Report, at: datetime = AT) -> list[Zone]:
    return zones_at(reports, at, risk_rules(), SWEREF)


def ago(days: float = 0.0, hours: float = 0.0) -> datetime:
    return AT - timedelta(days=days, hours=hours)


def east(km: float) -> tuple[float, float]:
    """Far enough apart (over 2 × radius) that each report makes its own zone."""
    return (km * 1000.0, 0.0)


def listed(*reports: Report, signs: tuple[list[Sign], list[Sign]] = ([], [])) -> DailyList:
    return daily_list(DAY, AT, zones(*reports), [], [], signs[0], signs[1])


def sign(sign_id: str, zone_id: str, report_ids: tuple[str, ...] = ("K-1",)) -> Sign:
    x, y = ORIGIN
    return Sign(
        sign_id, zone_id, x + 150, y + 120, DAY, date(2026, 12, 27), "vid skolan", True, report_ids
    )


# --- main streets ------------------------------------------------------------------------------


def test_main_streets_prefer_the_busier_road() -> None:
    roads = [
        line("residential", "Allégatan", (-400, 100), (400, 100)),
        line("primary", "Storgatan", (-400, -100), (400, -100)),
    ]
    assert main_streets(AREA, roads, []) == ("Storgatan", "Allégatan")


def test_a_long_street_outranks_a_busy_road_that_only_clips_the_zone() -> None:
    roads = [
        line("primary", "Riksvägen", (450, -300), (450, 300)),  # about 2 × 218 m inside
        line("residential", "Långgatan", (-480, 0), (480, 0)),  # 960 m inside
    ]
    assert main_streets(AREA, roads, []) == ("Långgatan", "Riksvägen")


def test_a_street_of_many_ways_is_named_once_with_its_lengths_added() -> None:
    pieces = [line("residential", "Storgatan", (x, 0), (x + 100, 0)) for x in range(-300, 200, 100)]
    roads = [*pieces, line("residential", "Kortgatan", (0, -150), (0, 150))]
    assert main_streets(AREA, roads, []) == ("Storgatan", "Kortgatan")


def test_only_the_length_inside_the_area_counts() -> None:
    roads = [
        line("residential", "Bygatan", (-200, 50), (200, 50)),  # 400 m, all inside
        line("residential", "Ringvägen", (300, -2000), (300, 2000)),  # 4 km, 800 m inside
        line("residential", "Fjärran", (3000, 0), (4000, 0)),  # outside
    ]
    assert main_streets(AREA, roads, []) == ("Ringvägen", "Bygatan")


def test_unnamed_ways_and_motorways_do_not_name_a_zone() -> None:
    roads = [
        line("motorway", "E22", (-500, 0), (500, 0)),
        line("footway", None, (0, -400), (0, 400)),
        line("residential", "  ", (-300, 200), (300, 200)),
        line("residential", "Lillgatan", (-50, -200), (50, -200)),
    ]
    assert main_streets(AREA, roads, []) == ("Lillgatan",)


def test_a_way_with_two_names_counts_for_both() -> None:
    roads = [
        line("residential", "Kungsgatan; Drottninggatan", (-300, 0), (300, 0)),
        line("residential", "Tvärgatan", (0, -100), (0, 100)),
    ]
    assert main_streets(AREA, roads, []) == ("Drottninggatan", "Kungsgatan", "Tvärgatan")


def test_main_streets_are_at_most_the_limit() -> None:
    roads = [line("residential", f"Gata {i}", (-300, 40 * i), (300, 40 * i)) for i in range(6)]
    assert main_streets(AREA, roads, [], limit=2) == ("Gata 0", "Gata 1")
    assert len(main_streets(AREA, roads, [])) == 3


def test_main_streets_do_not_depend_on_the_order_roads_come_in() -> None:
    roads = [
        line("residential", name, (-300, y), (300, y))
        for name, y in (("Cedergatan", 0), ("Almgatan", 100), ("Björkgatan", -100))
    ]
    roads.append(line("tertiary", "Tvärleden", (0, -300), (0, 300)))
    shuffled = roads[:]
    random.Random(7).shuffle(shuffled)
    expected = ("Tvärleden", "Almgatan", "Björkgatan")  # equal streets go by name
    assert main_streets(AREA, roads, []) == expected
    assert main_streets(AREA, shuffled, []) == expected


def test_streets_fall_back_to_register_addresses() -> None:
    homes = [
        *(home("Åkervägen", i, 20 * i, 30) for i in range(1, 4)),
        *(home("Björkvägen", i, -20 * i, -30) for i in range(1, 3)),
        home("Ekvägen", 1, 0, 100),
        *(home("Fjärranvägen", i, 2000 + i, 0) for i in range(1, 9)),  # outside the area
    ]
    footway_only = [line("footway", None, (0, -400), (0, 400))]
    assert main_streets(AREA, footway_only, homes) == ("Åkervägen", "Björkvägen", "Ekvägen")
    assert main_streets(AREA, [], homes, limit=1) == ("Åkervägen",)


def test_named_roads_inside_win_over_register_addresses() -> None:
    homes = [home("Åkervägen", i, 20 * i, 30) for i in range(1, 6)]
    roads = [line("residential", "Storgatan", (-300, 0), (300, 0))]
    assert main_streets(AREA, roads, homes) == ("Storgatan",)


def test_main_streets_are_empty_when_nothing_is_known() -> None:
    far = [line("residential", "Fjärran", (3000, 0), (4000, 0))]
    assert main_streets(AREA, far, [home("Fjärranvägen", 1, 3500, 0)]) == ()
    assert main_streets(AREA, [], []) == ()


# --- days left ---------------------------------------------------------------------------------


def test_days_left_round_up_and_never_go_below_zero() -> None:
    assert days_left(AT + timedelta(hours=3), AT) == 1
    assert days_left(AT + timedelta(days=14), AT) == 14
    assert days_left(AT + timedelta(days=13, minutes=1), AT) == 14
    assert days_left(AT - timedelta(hours=1), AT) == 0


def test_the_terminal_summary_counts_days_left_by_the_same_rule() -> None:
    assert summary.days_left is days_left


# --- the zones on the list ---------------------------------------------------------------------


def test_a_zone_shows_its_level_its_days_left_and_its_reports() -> None:
    reports = (
        report("K-1", ago(days=5), offset_m=(0, 0)),
        report("K-2", ago(days=3), offset_m=(300, 0)),
    )
    (zone,) = listed(*reports).zones
    (source,) = zones(*reports)
    assert zone.zone_id == "Z-K-1" and zone.level is Level.HIGH
    assert zone.level_until == source.level_until
    assert zone.days_left == 11  # the newer report keeps the zone high 14 days from it
    assert zone.reports == 2 and zone.new_reports == 0
    assert zone.area_m2 == zone_area(source).area


def test_a_high_zone_says_until_when_it_then_stays_elevated() -> None:
    high, elevated = listed(
        report("K-1", ago(days=2), offset_m=east(0)),
        report("K-2", ago(days=30), offset_m=east(5)),
    ).zones
    (source,) = zones(report("K-1", ago(days=2)))
    assert high.level is Level.HIGH and high.then_elevated_until == source.ends
    assert elevated.level is Level.ELEVATED and elevated.then_elevated_until is None
    # 30 days ago was summer time: the level ends at the same local hour, an hour after 26 × 24 h
    # from now, and days left round up
    assert elevated.days_left == 27


def test_new_reports_are_those_reported_in_the_24_hours_before_the_list() -> None:
    reports = (
        report("K-1", ago(days=3)),
        report("K-2", AT - NEW_WITHIN, offset_m=(100, 0)),  # yesterday's list had it
        report("K-3", AT - NEW_WITHIN + timedelta(seconds=1), offset_m=(200, 0)),
        report("K-4", AT, offset_m=(300, 0)),
    )
    (zone,) = listed(*reports).zones
    assert zone.reports == 4 and zone.new_reports == 2


def test_a_late_report_is_new_even_when_its_zone_is_only_elevated() -> None:
    late = report("K-1", ago(hours=2), occurred_to=ago(days=20))
    (zone,) = listed(late).zones
    assert zone.level is Level.ELEVATED and zone.new_reports == 1


def test_zone_with_a_report_in_the_last_24_hours_comes_first() -> None:
    daily = listed(
        report("K-OLD", ago(days=5), offset_m=east(0)),  # high, 9 days left
        report("K-NEW", ago(hours=10), offset_m=east(5)),  # high, 14 days left, new
        report("K-LATE", ago(hours=2), offset_m=east(10), occurred_to=ago(days=20)),  # elevated
    )
    assert [z.zone_id for z in daily.zones] == ["Z-K-NEW", "Z-K-LATE", "Z-K-OLD"]


def test_high_zones_come_before_elevated_ones_then_those_ending_soonest() -> None:
    daily = listed(
        report("K-E1", ago(days=40), offset_m=east(0)),  # elevated
        report("K-H1", ago(days=3), offset_m=east(5)),  # high
        report("K-E2", ago(days=50), offset_m=east(10)),  # elevated, ends sooner
        report("K-H2", ago(days=10), offset_m=east(15)),  # high, ends sooner
    )
    assert [z.zone_id for z in daily.zones] == ["Z-K-H2", "Z-K-H1", "Z-K-E2", "Z-K-E1"]
    assert [z.days_left for z in daily.zones] == [5, 11, 7, 17]  # summer time adds an hour


def test_zones_alike_in_everything_else_go_by_zone_id() -> None:
    same = ago(days=4)
    daily = listed(
        report("K-B", same, offset_m=east(0)),
        report("K-C", same, offset_m=east(5)),
        report("K-A", same, offset_m=east(10)),
    )
    assert [z.zone_id for z in daily.zones] == ["Z-K-A", "Z-K-B", "Z-K-C"]


def test_the_list_names_each_zone_by_the_roads_inside_it() -> None:
    reports = (
        report("K-1", ago(days=1), offset_m=east(0)),
        report("K-2", ago(days=1), offset_m=east(5)),
    )
    roads = [
        line("residential", "Storgatan", (-300, 0), (300, 0)),
        line("residential", "Bortre vägen", (4700, 0), (5300, 0)),
    ]
    daily = daily_list(DAY, AT, zones(*reports), roads, [], [], [])
    assert {z.zone_id: z.streets for z in daily.zones} == {
        "Z-K-1": ("Storgatan",),
        "Z-K-2": ("Bortre vägen",),
    }


def test_an_empty_day_has_no_zones_and_no_signs() -> None:
    daily = daily_list(DAY, AT, [], [], [], [], [])
    assert daily == DailyList(DAY, AT, (), (), ())
    assert (daily.high, daily.elevated, daily.with_new_reports) == (0, 0, 0)


# --- signs and privacy -------------------------------------------------------------------------


def test_signs_are_listed_in_the_order_of_their_zones_ended_zones_last() -> None:
    daily = listed(
        report("K-OLD", ago(days=5), offset_m=east(0)),
        report("K-NEW", ago(hours=10), offset_m=east(5)),
        signs=(
            [sign("S3", "Z-K-OLD"), sign("S2", "Z-K-NEW"), sign("S1", "Z-K-OLD")],
            [sign("S9", "Z-ENDED"), sign("S4", "Z-K-OLD")],
        ),
    )
    assert [s.sign_id for s in daily.put_up] == ["S2", "S1", "S3"]
    assert [s.sign_id for s in daily.take_down] == ["S4", "S9"]


def test_the_list_holds_no_report_id_and_no_burglary_point() -> None:
    reports = (
        report("K-4711-26", ago(hours=3), zone_key="Z-7Q4K"),
        report("K-4712-26", ago(days=2), offset_m=(200, 0), zone_key="Z-M2P9"),
    )
    daily = listed(
        *reports,
        signs=([sign("S1", "Z-7Q4K", ("K-4711-26",))], [sign("S2", "Z-0LD1", ("K-4712-26",))]),
    )
    assert all(s.report_ids == () for s in (*daily.put_up, *daily.take_down))
    shown = repr(daily)
    assert "K-4711" not in shown and "K-4712" not in shown
    assert {f.name for f in fields(DailyZone)} == {
        "zone_id", "level", "streets", "level_until", "days_left", "reports", "new_reports",
        "then_elevated_until", "area_m2",
    }  # fmt: skip
    points = {(live.x, live.y) for z in zones(*reports) for live in z.reports}
    assert points and not any(str(x) in shown or str(y) in shown for x, y in points)


def test_signs_keep_everything_but_their_report_ids() -> None:
    put = sign("S1", "Z-K-1", ("K-1",))
    daily = listed(report("K-1", ago(days=1)), signs=([put], []))
    assert daily.put_up == (replace(put, report_ids=()),)
