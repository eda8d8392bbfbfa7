"""The follow-up's rules on plain records: periods, what counts in which month, zones opened,
near-repeats as known then, signs on time, the delays, and the public version's suppression."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from cocoon.analysis.followup import (
    Delays,
    FollowUp,
    Month,
    PeriodError,
    PlanRecord,
    Reference,
    SignRecord,
    due_down,
    follow_up,
    measures,
    parse_period,
    public_measures,
    reference_period,
)
from cocoon.core.model import Level, Premises, Report
from cocoon.core.risk import level_at, level_of, live_reports, risk_start, zones_at
from cocoon.core.signs.rules import sign_until
from tests.support import STOCKHOLM, SWEREF, report, risk_rules, sign_rules

RULES = risk_rules()


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM).astimezone(UTC)


def burglary(rid: str, when: str, dx: float = 0.0, dy: float = 0.0, **fields: object) -> Report:
    """A located villa burglary that happened (and was reported) at local time `when`."""
    fields.setdefault("reported_at", local(when))
    return report(rid, local(when), offset_m=(dx, dy), occurred_to=local(when), **fields)


def figures(reports: list[Report], period: str = "2026-Q1", **kw: object) -> FollowUp:
    return follow_up(parse_period(period), reports, [], [], [], RULES, SWEREF, **kw)  # type: ignore[arg-type]


def spread(counts: dict[str, int]) -> list[Report]:
    """`counts` burglaries in each month (YYYY-MM), 5 km apart so that no zone joins another."""
    out = []
    for month, count in counts.items():
        for i in range(count):
            out.append(burglary(f"{month}-{i}", f"{month}-{i + 2:02d} 10:00", dx=5000.0 * len(out)))
    return out


# --- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "kind", "label"),
    [
        ("2026", "2026-01-01", "2026-12-31", "year", "2026"),
        ("2026-T1", "2026-01-01", "2026-04-30", "tertial", "2026-T1"),
        ("2026-t2", "2026-05-01", "2026-08-31", "tertial", "2026-T2"),
        ("2026-T3", "2026-09-01", "2026-12-31", "tertial", "2026-T3"),
        ("2026-Q1", "2026-01-01", "2026-03-31", "quarter", "2026-Q1"),
        ("2026-K4", "2026-10-01", "2026-12-31", "quarter", "2026-Q4"),
        ("2024-02", "2024-02-01", "2024-02-29", "month", "2024-02"),
        (" 2026-01-15 .. 2026-03-10 ", "2026-01-15", "2026-03-10", "dates",
         "2026-01-15..2026-03-10"),
    ],
)  # fmt: skip
def test_periods_parse_to_their_first_and_last_day(
    text: str, first: str, last: str, kind: str, label: str
) -> None:
    p = parse_period(text)
    assert (p.first, p.last) == (date.fromisoformat(first), date.fromisoformat(last))
    assert (p.kind, p.label) == (kind, label)


def test_a_period_of_dates_names_the_months_it_touches_and_is_not_whole_months() -> None:
    p = parse_period("2026-01-15..2026-03-10")
    assert p.months == (Month(2026, 1), Month(2026, 2), Month(2026, 3))
    assert not p.whole_months and parse_period("2026-T2").whole_months


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("2026-Q5", "'2026-Q5' is not a period: give 2026 (year), 2026-T1…T3 (tertial), "
                    "2026-Q1…Q4 (quarter), 2026-03 (month) or 2026-01-01..2026-06-30 (dates)"),
        ("2026-T4", "'2026-T4' is not a period"),
        ("2026-13", "'2026-13' is not a period"),
        ("26", "'26' is not a period"),
        ("2026-03-01", "'2026-03-01' is not a period"),
        ("2026-02-30..2026-03-31", "'2026-02-30..2026-03-31': '2026-02-30' is not a date"),
        ("2026-03-01..2026-02-01", "'2026-03-01..2026-02-01': the period ends before it starts"),
        ("1899", "'1899' is outside the years 1900–2999"),
    ],
)  # fmt: skip
def test_a_bad_period_is_one_line_in_either_language(text: str, english: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert str(caught.value).startswith(english)
    for language in ("sv", "en"):
        assert "\n" not in caught.value.render(language)
    assert caught.value.render("sv").startswith(f"{text!r}")
    assert isinstance(caught.value, ValueError)  # for analysts: a ValueError like any other


def test_a_period_is_local_midnight_to_local_midnight() -> None:
    start, end = parse_period("2026-03").bounds(STOCKHOLM)
    assert start == datetime(2026, 2, 28, 23, tzinfo=UTC)  # winter time, UTC+1
    assert end == datetime(2026, 3, 31, 22, tzinfo=UTC)  # summer time from 29 March, UTC+2


def test_a_year_as_reference_of_a_quarter_means_the_same_days_that_year() -> None:
    assert reference_period(parse_period("2026-Q2"), parse_period("2015")).label == "2015-Q2"
    days = reference_period(parse_period("2024-02-10..2024-02-29"), parse_period("2015"))
    assert (days.first, days.last) == (date(2015, 2, 10), date(2015, 2, 28))


def test_a_reference_of_another_length_is_refused_naming_both() -> None:
    with pytest.raises(PeriodError, match="the reference period 2025-Q1 has 3 months, the period"):
        reference_period(parse_period("2026-T1"), parse_period("2025-Q1"))
    assert reference_period(parse_period("2026-T1"), parse_period("2025-T3")).label == "2025-T3"


# --- what counts, and in which month ------------------------------------------------------------


def test_a_burglary_counts_in_the_local_month_it_happened() -> None:
    new_year = burglary("R1", "2026-02-01 00:30")  # 31 January 23:30 UTC
    window = report("R2", local("2026-02-03 10:00"), occurred_from=local("2026-01-20 10:00"),
                    occurred_to=local("2026-02-02 08:00"), offset_m=(5000, 0))  # fmt: skip
    rows = figures([new_year, window]).burglaries.rows
    assert [r.count for r in rows] == [0, 2, 0]


def test_counting_follows_the_zones_rule_of_premises_attempts_withdrawals_and_a_place() -> None:
    reports = [
        burglary("villa", "2026-01-10 10:00"),
        burglary("attempt", "2026-01-11 10:00", 5000, attempt=True, premises=Premises.LAGENHET),
        burglary("holiday", "2026-01-12 10:00", 10000, premises=Premises.FRITIDSHUS),
        burglary("withdrawn", "2026-01-13 10:00", 15000, retracted=True),
        burglary("unplaced", "2026-01-14 10:00", lon=None, lat=None),
    ]
    f = figures(reports)
    assert (f.burglaries.total, f.burglaries.not_located) == (2, 1)
    no_attempts = replace(RULES, count_attempts=False)
    g = follow_up(parse_period("2026-Q1"), reports, [], [], [], no_attempts, SWEREF)
    assert g.burglaries.total == 1


# --- zones opened, near-repeats ------------------------------------------------------------------


def test_a_report_joining_a_live_zone_opens_none_nor_does_a_zone_taking_a_new_id() -> None:
    first = burglary("A", "2026-01-05 10:00")
    joins = burglary("B", "2026-01-15 10:00", 300)  # in A's zone; A ends on 2 March, B goes on
    f = figures([first, joins])
    assert [(z.zone_id, z.report_ids) for z in f.zones] == [("Z-A", ("A",))]
    assert zones_at([first, joins], local("2026-03-03 10:00"), RULES, SWEREF)[0].zone_id == "Z-B"


def test_a_burglary_nearby_as_a_zone_ends_opens_a_new_zone() -> None:
    ending = burglary("A", "2026-01-05 10:00")  # its 56 days end on 2 March at 10:00
    f = figures([ending, burglary("B", "2026-03-02 10:00", 300)])
    assert [(z.zone_id, z.at) for z in f.zones] == [
        ("Z-A", local("2026-01-05 10:00")),
        ("Z-B", local("2026-03-02 10:00")),
    ]


def test_a_zone_live_before_the_period_did_not_open_in_it_and_a_late_report_opens_none() -> None:
    december = burglary("P0", "2025-12-20 10:00")
    late = burglary("late", "2026-01-10 10:00", 5000, reported_at=local("2026-03-10 10:00"))
    assert figures([december, late]).zones == ()  # late: reported after its 56 days


def test_a_burglary_within_14_days_of_a_known_report_nearby_is_a_high_risk_near_repeat() -> None:
    reports = [
        burglary("A", "2026-01-05 10:00"),
        burglary("high", "2026-01-19 09:59", 499),  # 13.99 days, 499 m
        burglary("elevated", "2026-01-19 10:00", 0, 499),  # 14 days: elevated
        burglary("far", "2026-01-06 10:00", -501),  # 501 m from A: outside its zone
    ]
    got = {n.report_id: n.level for n in figures(reports).near_repeats}
    assert got == {"high": Level.HIGH, "elevated": Level.ELEVATED}


def test_a_report_the_police_learnt_of_after_the_burglary_does_not_make_it_a_near_repeat() -> None:
    unknown = burglary("A", "2026-01-05 10:00", reported_at=local("2026-01-09 10:00"))
    assert figures([unknown, burglary("B", "2026-01-08 10:00", 100)]).near_repeats == (
        figures([unknown])
    ).near_repeats == ()  # fmt: skip
    known = burglary("A", "2026-01-05 10:00", reported_at=local("2026-01-05 11:00"))
    [near] = figures([known, burglary("B", "2026-01-08 10:00", 100)]).near_repeats
    assert (near.report_id, near.level, near.days_after) == ("B", Level.HIGH, 3.0)


def test_zones_opened_and_near_repeats_agree_with_asking_the_core_at_every_instant() -> None:
    rng = np.random.default_rng(13)
    reports = []
    for i in range(150):
        happened = local("2026-02-01 00:00") + timedelta(minutes=int(rng.integers(0, 150 * 1440)))
        late = timedelta(days=70) if i % 25 == 0 else timedelta(hours=float(rng.uniform(0, 72)))
        dx, dy = rng.uniform(0, 15000, size=2)
        reports.append(
            report(f"R{i:03d}", happened + late, offset_m=(float(dx), float(dy)),
                   occurred_to=happened)
        )  # fmt: skip
    period = parse_period("2026-Q2")
    start, end = period.bounds(STOCKHOLM)
    f = follow_up(period, reports, [], [], [], RULES, SWEREF)
    tick, expected = timedelta(microseconds=1), []
    for t in sorted({max(risk_start(r), r.reported_at) for r in reports}):
        if not start <= t < end or all(level_of(r, t, RULES) is None for r in reports):
            continue
        before = {live.report.report_id for live in live_reports(reports, t - tick, RULES, SWEREF)}
        expected += [
            (z.zone_id, t) for z in zones_at(reports, t, RULES, SWEREF)
            if not before & set(z.report_ids)
        ]  # fmt: skip
    assert [(z.zone_id, z.at) for z in f.zones] == expected and len(expected) >= 3
    near = {}
    for b in reports:
        t = risk_start(b)
        if start <= t < end:
            known = [r for r in reports if r.reported_at < t and r is not b]
            x, y = SWEREF.point_to_metric(b.lon or 0.0, b.lat or 0.0)
            level = level_at(x, y, live_reports(known, t, RULES, SWEREF), RULES)
            if level is not None:
                near[b.report_id] = level
    assert {n.report_id: n.level for n in f.near_repeats} == near
    assert len(near) >= 10 and Level.ELEVATED in near.values()


# --- the work: delays and signs -------------------------------------------------------------------


def test_exactly_24_hours_is_within_24_hours() -> None:
    delays = Delays((1.0, 24.0, 24.5), of=4)  # the fourth roster never got there
    assert (delays.within(24), delays.share_within(24), delays.median_hours) == (2, 0.5, 24.0)


def test_rosters_are_plans_with_a_door_made_in_the_period() -> None:
    a = burglary("A", "2026-01-05 10:00")
    plans = [
        PlanRecord("A", "Z-A", local("2026-01-05 12:00"), 12),
        PlanRecord("B", "Z-B", local("2026-01-05 13:00"), 0),
        PlanRecord("C", "Z-C", local("2025-12-31 13:00"), 5),  # before the period
    ]
    f = follow_up(parse_period("2026-Q1"), [a], plans, [], [], RULES, SWEREF)
    assert (f.rosters, f.plans_without_doors, f.to_roster.hours) == (1, 1, (2.0,))


def test_a_sign_is_due_down_on_the_day_the_core_sets_for_its_zone() -> None:
    reports = [burglary("A", "2026-01-05 10:00"), burglary("B", "2026-01-20 22:00", 300)]
    [zone] = zones_at(reports, local("2026-01-21 10:00"), RULES, SWEREF)
    by_id = {r.report_id: r for r in reports}
    for level, take_down in ((Level.ELEVATED, "elevated"), (Level.HIGH, "high")):
        sign = SignRecord("S1", zone.report_ids, date(2026, 1, 6), date(2099, 1, 1), None)
        expected = sign_until(zone, sign_rules(take_down=take_down), STOCKHOLM)
        assert due_down(sign, by_id, RULES, level) == expected


def test_signs_down_on_or_before_their_day_are_on_time_after_it_or_still_up_are_late() -> None:
    a = burglary("A", "2026-01-05 10:00")  # elevated until 2 March
    day = date(2026, 3, 2)

    def sign(sid: str, down: date | None, put_up: date = date(2026, 1, 6)) -> SignRecord:
        return SignRecord(sid, ("A",), put_up, down or day, down)

    signs = [
        sign("on-the-day", day),
        sign("early", date(2026, 2, 1)),  # a burglary near it: down early, on time
        sign("late", date(2026, 3, 5)),
        sign("still-up", None),
        sign("dropped", date(2026, 1, 6)),  # its plan dropped on its put-up day: never stood
    ]
    f = follow_up(parse_period("2026-Q1"), [a], [], [], signs, RULES, SWEREF,
                  as_of=date(2026, 4, 1))  # fmt: skip
    assert (f.signs.put_up, f.signs.on_time, f.signs.late, f.signs.still_up) == (4, 2, 1, 1)
    assert f.signs.on_time_share == 0.5
    not_yet = follow_up(parse_period("2026-Q1"), [a], [], [], [sign("up", None)], RULES, SWEREF,
                        as_of=date(2026, 3, 2))  # fmt: skip
    assert not_yet.signs.due == 0  # its day has not passed when the follow-up is made


def test_ticks_in_the_field_app_count_signs_confirmed_up_and_down_by_their_day() -> None:
    a = burglary("A", "2026-01-05 10:00")  # elevated until 2 March
    put_up, due = date(2026, 1, 6), date(2026, 3, 2)

    def sign(sid: str, up: str | None, down: str | None) -> SignRecord:
        ticked = [local(t) if t else None for t in (up, down)]
        return SignRecord(sid, ("A",), put_up, due, due, *ticked)

    signs = [
        sign("up-on-its-day", "2026-01-06 15:00", "2026-03-02 09:00"),
        sign("up-a-day-late", "2026-01-07 08:00", "2026-03-04 09:00"),  # down two days late
        sign("on-paper", None, None),
    ]
    f = follow_up(parse_period("2026-Q1"), [a], [], [], signs, RULES, SWEREF,
                  as_of=date(2026, 4, 1))  # fmt: skip
    assert (f.signs.ticked_up, f.signs.ticked_up_on_time) == (2, 1)
    assert (f.signs.ticked_down_on_time, f.signs.ticked_down_late) == (1, 1)
    assert f.signs.ticked


def test_without_ticks_the_follow_up_says_nothing_of_them() -> None:
    a = burglary("A", "2026-01-05 10:00")
    paper = SignRecord("S1", ("A",), date(2026, 1, 6), date(2026, 3, 2), date(2026, 3, 2))
    f = follow_up(parse_period("2026-Q1"), [a], [], [], [paper], RULES, SWEREF)
    assert not f.signs.ticked


# --- the public version ---------------------------------------------------------------------


def values(f: FollowUp, field: str = "value") -> list[object]:
    rows = [m for m in public_measures(f) if (m.section, m.measure) == ("burglaries", "count")]
    return [getattr(m, field) for m in rows]


def test_counts_of_1_to_4_are_shown_as_under_5_and_zero_as_zero() -> None:
    f = figures(spread({"2026-01": 5, "2026-02": 1, "2026-03": 4}))
    assert values(f) == [5, "< 5", "< 5"]
    assert figures(spread({"2026-01": 6})).burglaries.rows[1].count == 0
    assert values(figures(spread({"2026-01": 6}))) == [6, 0, 0]


def test_one_month_hidden_hides_the_smallest_other_month_too_so_the_total_keeps_it() -> None:
    f = figures(spread({"2026-01": 12, "2026-02": 3, "2026-03": 8}))
    assert values(f) == [12, "< 5", ".."]
    total = next(m for m in public_measures(f) if m.measure == "total")
    assert total.value == 23


def test_a_change_is_not_given_when_either_count_is_under_5() -> None:
    against = Reference("2025-Q1", (Month(2025, 1), Month(2025, 2), Month(2025, 3)), (20, 8, 0))
    f = figures(spread({"2026-01": 10, "2026-02": 4, "2026-03": 6}), reference=against)
    assert [r.change_pct for r in f.burglaries.rows] == [-50.0, -50.0, None]  # none from zero
    assert values(f, "change_pct") == [-50.0, None, None]


def test_a_share_or_median_resting_on_fewer_than_5_is_not_given() -> None:
    reports = spread({"2026-01": 4})
    plans = [PlanRecord(r.report_id, "Z", r.reported_at + timedelta(hours=3), 10) for r in reports]
    f = follow_up(parse_period("2026-Q1"), reports, plans, [], [], RULES, SWEREF)
    internal = {m.measure: m.value for m in measures(f)}
    public = {m.measure: m.value for m in public_measures(f)}
    assert internal["report_to_roster_median_hours"] == 3.0
    assert internal["report_to_roster_within_24h_pct"] == 100.0
    assert public["report_to_roster_median_hours"] is None
    assert public["report_to_roster_within_24h_pct"] is None
    assert public["rosters"] == "< 5"


def test_the_public_rows_name_no_zone_and_no_report() -> None:
    reports = [burglary("A", "2026-01-05 10:00"), burglary("B", "2026-01-08 10:00", 100)]
    f = figures(reports)
    assert {m.section for m in measures(f)} >= {"zones_opened", "near_repeat"}
    public = [str(cell) for m in public_measures(f) for cell in m.row()]
    assert not [c for c in public if c in ("A", "B", "Z-A") or c.startswith("2026-01-0")]


def test_to_frame_gives_one_row_per_month() -> None:
    pytest.importorskip("pandas")
    f = figures(spread({"2026-01": 2, "2026-03": 1}))
    frame = f.burglaries.to_frame()
    assert list(frame["month"]) == ["2026-01", "2026-02", "2026-03"]
    assert list(frame["count"]) == [2, 0, 1]
    assert list(f.to_frame(public=True).columns) == [
        "section", "measure", "month", "value", "reference_month", "reference", "change_pct",
    ]  # fmt: skip
