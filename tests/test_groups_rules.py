"""Partner groups, the pure rules: which groups a zone reaches (an area or a list of
addresses), what each group is owed (one message per group and zone level), and the words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import shapely

from cocoon.core.groups import (
    Channel,
    Contact,
    Group,
    Member,
    Told,
    email_address,
    group_message,
    judge,
    reaches,
    say_day,
    streets,
    swedish_mobile,
)
from cocoon.core.model import Level, Report
from cocoon.core.risk import Zone, zones_at
from tests.signtown import ORIGIN, line
from tests.support import STOCKHOLM, SWEREF, report, risk_rules

AT = datetime(2026, 11, 20, 9, tzinfo=UTC)
RULES = risk_rules()
ANNA = Contact("Anna Andersson", Channel.SMS, "+46701234567")


def square(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A metric polygon given in metres from the town's origin (where reports are made)."""
    ox, oy = ORIGIN
    return shapely.box(ox + x0, oy + y0, ox + x1, oy + y1)


def area_group(group_id: str, *corners: float, name: str = "Grannsamverkan") -> Group:
    return Group(group_id, name, (ANNA,), polygon=square(*corners))


def address_group(group_id: str, *points: tuple[str, float, float]) -> Group:
    ox, oy = ORIGIN
    members = tuple(Member(f"{s}-{i}", s, ox + x, oy + y) for i, (s, x, y) in enumerate(points))
    return Group(group_id, "Bostadsbolaget", (ANNA,), members=members)


def zones(*reports: Report, at: datetime = AT) -> list[Zone]:
    return zones_at(reports, at, RULES, SWEREF)


def reached(groups: list[Group], *reports: Report, at: datetime = AT) -> list[tuple[str, Level]]:
    return [(r.group.group_id, r.level) for r in reaches(groups, zones(*reports, at=at), RULES)]


# --- which groups a zone reaches -----------------------------------------------------------------


def test_a_zone_reaches_an_area_group_within_the_radius_and_not_one_beyond() -> None:
    near = area_group("NEAR", 499, -50, 800, 50)  # its edge 499 m from the burglary
    far = area_group("FAR", 501, -50, 800, 50)  # 501 m
    assert reached([near, far], report("R1", AT - timedelta(hours=2))) == [("NEAR", Level.HIGH)]


def test_a_zone_reaches_an_address_group_when_one_of_its_addresses_is_in_the_zone() -> None:
    inside = address_group("IN", ("Storgatan", 800, 0), ("Parkgatan", 400, 300))  # 500 m
    outside = address_group("OUT", ("Storgatan", 800, 0), ("Parkgatan", 400, 301))
    burglary = report("R1", AT - timedelta(hours=2))
    assert reached([inside, outside], burglary) == [("IN", Level.HIGH)]


def test_a_zone_that_never_comes_near_a_group_reaches_it_never() -> None:
    group = area_group("G", 3000, 3000, 3500, 3500)
    burglaries = [
        report(f"R{i}", AT - timedelta(days=i), offset_m=(i * 300.0, 0)) for i in range(5)
    ]
    assert reached([group], *burglaries) == []


def test_a_zone_that_grows_into_a_group_reaches_it_only_then() -> None:
    group = area_group("EAST", 700, -50, 900, 50)
    first = report("R1", AT - timedelta(days=2))
    assert reached([group], first) == []
    second = report("R2", AT - timedelta(hours=1), offset_m=(350, 0))  # joins R1's zone
    (zone,) = zones(first, second)
    assert len(zone.reports) == 2
    assert reached([group], first, second) == [("EAST", Level.HIGH)]


def test_the_group_level_is_the_highest_of_the_reports_that_reach_it() -> None:
    group = area_group("G", -100, -100, 100, 100)
    old = report("OLD", AT - timedelta(days=20))  # elevated, under the group
    new = report("NEW", AT - timedelta(hours=1), offset_m=(900, 0))  # high, 800 m from it
    (reach,) = reaches([group], zones(old, new), RULES)
    assert reach.level is Level.ELEVATED  # the zone is high elsewhere, elevated here
    assert reach.zone.level is Level.HIGH
    newer = report("NEWER", AT - timedelta(hours=1), offset_m=(300, 0))
    (reach,) = reaches([group], zones(old, new, newer), RULES)
    assert reach.level is Level.HIGH


def test_a_high_reach_says_until_when_and_the_elevated_end_after_it() -> None:
    group = area_group("G", -100, -100, 100, 100)
    burglary = report("R1", AT - timedelta(hours=2))
    (reach,) = reaches([group], zones(burglary), RULES)
    assert reach.until == burglary.reported_at + timedelta(days=14)
    assert reach.then_elevated_until == burglary.reported_at + timedelta(days=56)


# --- what a group is owed: one message per group and zone level -----------------------------------


class Ledger:
    """The notices groups have had, kept as the store keeps them between passes."""

    def __init__(self) -> None:
        self.told: list[Told] = []

    def tell(self, groups: list[Group], *reports: Report, at: datetime = AT) -> list[str]:
        """One pass at `at`: the notices it owes, as 'GROUP level'."""
        judgement = judge(reaches(groups, zones(*reports, at=at), RULES), self.told)
        self.told = [replace(t, keys=judgement.covered.get(t.notice_id, t.keys)) for t in self.told]
        for r in judgement.owed:
            self.told.append(Told(len(self.told) + 1, r.group.group_id, r.level, r.keys))
        return [f"{r.group.group_id} {r.level.value}" for r in judgement.owed]


def test_a_group_told_of_a_zone_is_not_told_again_at_the_same_level() -> None:
    group, ledger = area_group("G", -100, -100, 100, 100), Ledger()
    burglary = report("R1", AT - timedelta(hours=2))
    assert ledger.tell([group], burglary) == ["G high"]
    assert ledger.tell([group], burglary, at=AT + timedelta(minutes=5)) == []


def test_the_turn_from_high_to_elevated_is_not_news_after_a_high_message() -> None:
    group, ledger = area_group("G", -100, -100, 100, 100), Ledger()
    burglary = report("R1", AT - timedelta(hours=2))
    ledger.tell([group], burglary)
    assert ledger.tell([group], burglary, at=AT + timedelta(days=20)) == []


def test_a_second_burglary_while_the_area_is_high_is_no_second_message() -> None:
    group, ledger = area_group("G", -100, -100, 100, 100), Ledger()
    first = report("R1", AT - timedelta(days=10))
    ledger.tell([group], first, at=AT - timedelta(days=10))
    second = report("R2", AT - timedelta(hours=1), offset_m=(50, 0))
    assert ledger.tell([group], first, second) == []
    assert ledger.told[0].keys == {"Z-R1", "Z-R2"}  # the notice covers the second one too
    assert ledger.tell([group], first, second, at=AT + timedelta(days=5)) == []  # R1 elevated


def test_an_area_back_at_elevated_that_turns_high_again_is_told_again() -> None:
    group, ledger = area_group("G", -100, -100, 100, 100), Ledger()
    first = report("R1", AT - timedelta(days=30))
    ledger.tell([group], first, at=AT - timedelta(days=30))
    assert ledger.tell([group], first) == []  # elevated now
    again = report("R2", AT - timedelta(hours=1), offset_m=(50, 0))
    assert ledger.tell([group], first, again) == ["G high"]


def test_a_group_first_reached_at_elevated_is_told_so_and_again_when_it_turns_high() -> None:
    group, ledger = area_group("G", -100, -100, 100, 100), Ledger()
    late = report("OLD", AT - timedelta(days=20))  # reported late: elevated from the start
    assert ledger.tell([group], late) == ["G elevated"]
    other_late = report("OLD2", AT - timedelta(days=19), offset_m=(30, 0))
    assert ledger.tell([group], late, other_late) == []
    new = report("NEW", AT - timedelta(hours=1), offset_m=(100, 0))
    assert ledger.tell([group], late, other_late, new) == ["G high"]
    assert ledger.tell([group], late, other_late, new, at=AT + timedelta(hours=1)) == []


def test_a_zone_stays_the_same_zone_when_it_merges_under_an_older_id() -> None:
    group, ledger = area_group("G", 800, -50, 900, 50), Ledger()
    young = report("YOUNG", AT - timedelta(hours=5), offset_m=(850, 0))
    assert ledger.tell([group], young) == ["G high"]
    old = report("OLD", AT - timedelta(days=3), offset_m=(-100, 0))
    bridge = report("BRIDGE", AT - timedelta(hours=1), offset_m=(400, 0))
    (merged,) = zones(young, old, bridge)
    assert merged.zone_id == "Z-OLD"  # the older report's key names the merged zone
    assert ledger.tell([group], young, old, bridge) == []


def test_a_new_zone_after_the_old_one_ended_is_news_again() -> None:
    group, ledger = area_group("G", -100, -100, 100, 100), Ledger()
    old = report("R1", AT - timedelta(days=60))
    ledger.tell([group], old, at=AT - timedelta(days=60))
    assert ledger.tell([group], old, report("R2", AT - timedelta(hours=1))) == ["G high"]


def test_each_group_is_owed_its_own_message_and_only_its_own() -> None:
    a = area_group("A", -100, -100, 100, 100)
    b = address_group("B", ("Storgatan", 200, 0))
    c = area_group("C", 3000, 3000, 3500, 3500)
    ledger = Ledger()
    burglary = report("R1", AT - timedelta(hours=2))
    assert ledger.tell([a], burglary) == ["A high"]
    assert ledger.tell([a, b, c], burglary) == ["B high"]


def test_a_notice_is_anchored_at_the_oldest_report_that_brings_its_level() -> None:
    group = area_group("G", -100, -100, 100, 100)
    reports = (report("R2", AT - timedelta(hours=1)), report("R1", AT - timedelta(hours=3)))
    (reach,) = reaches([group], zones(*reports), RULES)
    assert (reach.anchor, reach.keys) == ("Z-R1", {"Z-R1", "Z-R2"})


# --- the streets and the words -------------------------------------------------------------------


def test_an_area_group_is_told_the_zone_main_streets_inside_its_area() -> None:
    group = area_group("G", -200, -200, 200, 0)  # south of the burglary
    roads = [
        line("residential", "Norrgatan", (-400, 100), (400, 100)),
        line("residential", "Södergatan", (-400, -100), (400, -100)),
        line("tertiary", "Tvärvägen", (0, -400), (0, 400)),
    ]
    (reach,) = reaches([group], zones(report("R1", AT - timedelta(hours=1))), RULES)
    assert streets(reach, roads, [], RULES) == ("Södergatan", "Tvärvägen")


def test_an_address_group_is_told_the_streets_of_its_addresses_within_reach() -> None:
    group = address_group(
        "B", ("Parkgatan", 100, 0), ("Parkgatan", 120, 0), ("Ågatan", 50, 50), ("Fjärran", 900, 0)
    )
    (reach,) = reaches([group], zones(report("R1", AT - timedelta(hours=1))), RULES)
    assert streets(reach, [], [], RULES) == ("Parkgatan", "Ågatan")


def test_the_message_says_streets_level_last_day_advice_and_whom_to_call_in_swedish() -> None:
    group = area_group("G", -100, -100, 100, 100, name="Grannsamverkan Norr")
    burglary = report("R1", datetime(2026, 11, 20, 9, 40, tzinfo=UTC))
    (reach,) = reaches([group], zones(burglary, at=AT + timedelta(hours=1)), RULES)
    words = group_message(reach, ("Storgatan", "Parkgatan"), STOCKHOLM, "sv")
    head, advice1, advice2, call = words.body.split("\n")
    assert head == (
        "Grannsamverkan Norr: ett inbrott har skett i närheten. Hög risk för fler inbrott kring "
        "Storgatan, Parkgatan t.o.m. 4 december, sedan förhöjd t.o.m. 15 januari."
    )
    assert "Lås dörrar" in advice1 and "grannarnas" in advice2
    assert call == "Pågående brott: ring 112. Tips och frågor: 114 14."
    assert words.subject == "Inbrott i närheten – hög risk t.o.m. 4 december"


def test_the_message_in_english_and_without_known_streets() -> None:
    group = area_group("G", -100, -100, 100, 100, name="Neighbourhood Watch")
    (reach,) = reaches([group], zones(report("R1", AT - timedelta(days=20))), RULES)
    words = group_message(reach, (), STOCKHOLM, "en")
    assert words.body.startswith(
        "Neighbourhood Watch: burglaries have happened nearby. Elevated risk of burglary in your "
        "area through December 26."
    )
    assert words.body.endswith("Crime in progress: call 112. Tips and questions: 114 14.")


def test_the_last_day_is_the_local_day_the_level_still_holds() -> None:
    group = area_group("G", -100, -100, 100, 100)
    burglary = report("R1", datetime(2026, 11, 19, 23, 30, tzinfo=UTC))  # 00:30 local, the 20th
    (reach,) = reaches([group], zones(burglary), RULES)
    assert "t.o.m. 4 december" in group_message(reach, (), STOCKHOLM, "sv").body
    midnight = report("R2", datetime(2026, 11, 19, 23, 0, tzinfo=UTC))  # 00:00 local, the 20th
    (reach,) = reaches([group], zones(midnight), RULES)
    assert "t.o.m. 3 december" in group_message(reach, (), STOCKHOLM, "sv").body


def test_days_are_said_as_residents_read_them() -> None:
    day = datetime(2027, 1, 5).date()
    assert (say_day(day, "sv"), say_day(day, "en")) == ("5 januari", "January 5")


# --- contacts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["070-123 45 67", "0701234567", "+46 70 123 45 67", "+46 (0)70-123 45 67", "0046701234567"],
)
def test_swedish_mobile_numbers_are_read_in_the_ways_people_write_them(written: str) -> None:
    assert swedish_mobile(written) == "+46701234567"


@pytest.mark.parametrize(
    "written", ["08-123 456 78", "070-123 45", "+358 40 123 4567", "0741234567", "mobil"]
)
def test_landlines_short_foreign_and_pager_numbers_are_no_swedish_mobile(written: str) -> None:
    assert swedish_mobile(written) is None


def test_email_addresses_are_checked_for_an_at_and_a_domain() -> None:
    assert email_address(" bo@example.se ") == "bo@example.se"
    assert email_address("bo@example") is None
    assert email_address("bo example.se") is None
