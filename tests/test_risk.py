"""The cocooning rules: risk start, 14 + 42 days, 500 m by distance, merging, stable ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from cocoon.core.geo import Projection
from cocoon.core.model import Level, Premises
from cocoon.core.risk import (
    RiskRules,
    burglary_days,
    level_at,
    level_of,
    live_reports,
    risk_start,
    window,
    zones_at,
)
from tests.support import STOCKHOLM, report, risk_rules, utc

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def day(n: int) -> datetime:
    """An instant on day n of the risk period, day 1 being the day the risk starts."""
    return T0 + timedelta(days=n - 1, hours=1)


def test_risk_starts_at_end_of_offence_window() -> None:
    r = report(occurred_from=utc(2026, 10, 30, 20), occurred_to=utc(2026, 10, 31, 6), at=T0)
    assert risk_start(r) == utc(2026, 10, 31, 6)


def test_risk_starts_at_offence_start_when_end_unknown() -> None:
    assert risk_start(report(occurred_from=utc(2026, 10, 30, 20), at=T0)) == utc(2026, 10, 30, 20)


def test_risk_starts_when_reported_when_offence_time_unknown() -> None:
    assert risk_start(report(at=T0)) == T0


def test_level_is_high_on_day_1(rules: RiskRules) -> None:
    assert level_of(report(at=T0), day(1), rules) is Level.HIGH


def test_level_is_high_on_day_14(rules: RiskRules) -> None:
    assert level_of(report(at=T0), day(14), rules) is Level.HIGH


def test_level_is_elevated_on_day_15(rules: RiskRules) -> None:
    assert level_of(report(at=T0), day(15), rules) is Level.ELEVATED


def test_level_is_elevated_on_day_56(rules: RiskRules) -> None:
    assert level_of(report(at=T0), day(56), rules) is Level.ELEVATED


def test_level_is_none_on_day_57(rules: RiskRules) -> None:
    assert level_of(report(at=T0), day(57), rules) is None


def test_high_ends_exactly_fourteen_days_after_start(rules: RiskRules) -> None:
    r = report(at=T0)
    end = T0 + timedelta(days=14)
    assert level_of(r, end - timedelta(seconds=1), rules) is Level.HIGH
    assert level_of(r, end, rules) is Level.ELEVATED


def test_elevated_period_is_counted_after_the_high_period(rules: RiskRules) -> None:
    assert window(report(at=T0), rules).elevated_until == T0 + timedelta(days=56)


def test_periods_are_calendar_days_across_the_autumn_dst_change(rules: RiskRules) -> None:
    # 12:00 CEST on 20 October; DST ends 25 October, so 14 days later is 12:00 CET = 11:00 UTC.
    start = datetime(2026, 10, 20, 10, tzinfo=UTC)
    win = window(report(at=start), rules)
    assert win.high_until == datetime(2026, 11, 3, 11, tzinfo=UTC)


def test_periods_are_calendar_days_across_the_spring_dst_change(rules: RiskRules) -> None:
    start = datetime(2026, 3, 20, 11, tzinfo=UTC)  # 12:00 CET
    assert window(report(at=start), rules).high_until == datetime(2026, 4, 3, 10, tzinfo=UTC)


def test_configured_numbers_are_used() -> None:
    rules = risk_rules(high_risk_days=7, elevated_risk_days=7)
    r = report(at=T0)
    assert level_of(r, day(8), rules) is Level.ELEVATED
    assert level_of(r, day(15), rules) is None


def test_report_is_not_live_before_police_knew_of_it(rules: RiskRules) -> None:
    r = report(at=T0, occurred_to=T0 - timedelta(days=2))
    assert level_of(r, T0 - timedelta(hours=1), rules) is None
    assert level_of(r, T0, rules) is Level.HIGH


def test_late_report_whose_windows_have_passed_makes_no_zone(
    rules: RiskRules, sweref: Projection
) -> None:
    late = report(at=T0, occurred_to=T0 - timedelta(days=70))
    assert zones_at([late], T0 + timedelta(hours=1), rules, sweref) == []


def test_holiday_home_does_not_count_by_default(rules: RiskRules) -> None:
    assert level_of(report(at=T0, premises=Premises.FRITIDSHUS), day(1), rules) is None


def test_holiday_home_counts_when_configured() -> None:
    rules = risk_rules(counted_premises=frozenset({Premises.FRITIDSHUS}))
    assert level_of(report(at=T0, premises=Premises.FRITIDSHUS), day(1), rules) is Level.HIGH


def test_attempt_counts_unless_configured_off(rules: RiskRules) -> None:
    attempt = report(at=T0, attempt=True)
    assert level_of(attempt, day(1), rules) is Level.HIGH
    assert level_of(attempt, day(1), replace(rules, count_attempts=False)) is None


def test_withdrawn_report_makes_no_zone(rules: RiskRules) -> None:
    assert level_of(report(at=T0, retracted=True), day(1), rules) is None


def test_unlocated_report_makes_no_zone(rules: RiskRules) -> None:
    assert level_of(report(at=T0, lon=None, lat=None), day(1), rules) is None


def _level_at_offset(dx: float, rules: RiskRules, sweref: Projection) -> Level | None:
    lives = live_reports([report(at=T0)], day(1), rules, sweref)
    x, y = lives[0].x, lives[0].y
    return level_at(x + dx, y, lives, rules)


def test_place_at_499_m_is_in_the_zone(rules: RiskRules, sweref: Projection) -> None:
    assert _level_at_offset(499, rules, sweref) is Level.HIGH


def test_place_at_exactly_500_m_is_in_the_zone(rules: RiskRules, sweref: Projection) -> None:
    assert _level_at_offset(500, rules, sweref) is Level.HIGH


def test_place_at_501_m_is_out_of_the_zone(rules: RiskRules, sweref: Projection) -> None:
    assert _level_at_offset(501, rules, sweref) is None


def test_highest_level_wins_where_buffers_overlap(rules: RiskRules, sweref: Projection) -> None:
    old = report("OLD", at=T0)  # elevated on day 20
    new = report("NEW", at=T0 + timedelta(days=18), offset_m=(300, 0))  # high
    lives = live_reports([old, new], day(20), rules, sweref)
    ox, oy = next((lv.x, lv.y) for lv in lives if lv.report.report_id == "OLD")
    assert level_at(ox + 150, oy, lives, rules) is Level.HIGH  # covered by both
    assert level_at(ox - 300, oy, lives, rules) is Level.ELEVATED  # only the old one


def test_overlapping_buffers_merge_into_one_zone(rules: RiskRules, sweref: Projection) -> None:
    zones = zones_at(
        [report("A", at=T0), report("B", at=T0, offset_m=(900, 0))], day(2), rules, sweref
    )
    assert len(zones) == 1
    assert zones[0].report_ids == ("A", "B")


def test_buffers_more_than_two_radii_apart_are_separate_zones(
    rules: RiskRules, sweref: Projection
) -> None:
    zones = zones_at(
        [report("A", at=T0), report("B", at=T0, offset_m=(1001, 0))], day(2), rules, sweref
    )
    assert len(zones) == 2


def test_chain_of_overlaps_makes_one_zone(rules: RiskRules, sweref: Projection) -> None:
    chain = [report(f"C{i}", at=T0, offset_m=(900 * i, 0)) for i in range(4)]
    assert len(zones_at(chain, day(2), rules, sweref)) == 1


def test_zone_id_is_the_oldest_reports_and_survives_a_merge(
    rules: RiskRules, sweref: Projection
) -> None:
    old = report("OLD", at=T0)
    before = zones_at([old], day(3), rules, sweref)
    newer = report("NEW", at=T0 + timedelta(days=2), offset_m=(600, 0))
    after = zones_at([newer, old], day(4), rules, sweref)
    assert before[0].zone_id == after[0].zone_id == "Z-OLD"


def test_zone_id_is_the_same_whatever_the_input_order(rules: RiskRules, sweref: Projection) -> None:
    reports = [report(f"R{i}", at=T0 + timedelta(hours=i), offset_m=(400 * i, 0)) for i in range(5)]
    first = zones_at(reports, day(2), rules, sweref)
    second = zones_at(list(reversed(reports)), day(2), rules, sweref)
    assert [z.zone_id for z in first] == [z.zone_id for z in second] == ["Z-R0"]


def test_elevated_area_excludes_the_high_area(rules: RiskRules, sweref: Projection) -> None:
    old = report("OLD", at=T0)
    new = report("NEW", at=T0 + timedelta(days=18), offset_m=(300, 0))
    (zone,) = zones_at([old, new], day(20), rules, sweref)
    assert zone.high is not None and zone.elevated is not None
    assert zone.high.intersection(zone.elevated).area < 1.0
    assert zone.level is Level.HIGH


def test_display_buffer_area_is_within_half_a_percent(rules: RiskRules, sweref: Projection) -> None:
    (zone,) = zones_at([report(at=T0)], day(1), rules, sweref)
    true_area = 3.141592653589793 * 500**2
    assert abs(zone.area_m2 - true_area) / true_area < 0.005


def test_level_until_is_the_latest_end_among_the_zones_reports(
    rules: RiskRules, sweref: Projection
) -> None:
    a = report("A", at=T0)
    b = report("B", at=T0 + timedelta(days=3), offset_m=(200, 0))
    (zone,) = zones_at([a, b], day(5), rules, sweref)
    assert zone.high_until == T0 + timedelta(days=17)


def test_burglary_days_are_the_offence_window_in_local_days() -> None:
    # 23:30 UTC on 1 Nov is 00:30 on 2 Nov in Stockholm
    r = report(occurred_from=utc(2026, 11, 1, 23, 30), occurred_to=utc(2026, 11, 3, 8))
    assert burglary_days(r, STOCKHOLM) == (date(2026, 11, 2), date(2026, 11, 3))


def test_burglary_day_without_a_window_is_the_day_it_was_reported() -> None:
    r = report(at=utc(2026, 11, 4, 12))
    assert burglary_days(r, STOCKHOLM) == (date(2026, 11, 4), date(2026, 11, 4))


def test_zone_level_ends_with_the_high_period_then_with_the_elevated(
    rules: RiskRules, sweref: Projection
) -> None:
    r = report(at=T0)
    [high] = zones_at([r], T0 + timedelta(days=1), rules, sweref)
    assert high.level_until == window(r, rules).high_until
    [elevated] = zones_at([r], T0 + timedelta(days=20), rules, sweref)
    assert elevated.level_until == window(r, rules).elevated_until == elevated.ends
