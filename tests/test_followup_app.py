"""The medborgarlöfte follow-up of a small seeded installation near Kalmar, on SQLite and PostGIS:
reports ingested from a CSV, rosters planned and outcomes recorded, signs planned, and every
figure checked by hand.

The town (metres from central Kalmar, SWEREF 99 TM; local times, winter time UTC+1):

- A 2026-01-05 10:00 at (0, 0), reported 12:00: opens zone A.
- B 2026-01-12 22:00 at (200, 0), reported 01-13 08:00: 7.5 days after A, within 500 m: high.
- C 2026-02-10 09:00 at (300, 0): 28.5 days after B, 36 after A: inside zone A, elevated.
- K 2026-01-25 10:00 at (200, 50), reported 03-30: counted in January; within 500 m of B
  (12.5 days) so a near-repeat at high risk; reported after its 56 days, so it opens no zone.
- P0 2025-12-20 10:00 at (-3000, 0); L 2026-01-02 10:00 at (-3000, 200), 13 days later: high.
- D 2026-01-20 12:00 at (-5000, 0): opens zone D (a second street of houses is there).
- E 2026-02-01 12:00 at (-10000, 0): opens zone E; F 02-02 at (-10000, 800) joins it (800 m:
  outside E's 500 m, inside its 1,000 m reach) and is no near-repeat.
- G 2026-03-15 12:00 at (-20000, 0), an attempt in a flat: counted, opens zone G.
- H 2026-03-20 (fritidshus): not counted; I 2026-02-20 without a place: not counted, not located;
  J 2026-02-15 withdrawn: not counted.
- The reference, 2025 in the database: 10, 4, 1 and 2 burglaries in January–April.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cocoon.analysis.followup import PeriodError, measures, parse_period, public_measures
from cocoon.app.followup import FollowUpCases
from cocoon.app.installation import Installation
from cocoon.core.model import Address, Dwelling, Level
from cocoon.core.visits import Outcome, VisitKind, VisitPlan
from cocoon.outputs.followup_csv import followup_csv
from cocoon.outputs.followup_pdf import followup_pdf
from cocoon.sources.outcomes import OutcomeRow
from cocoon.store import addresses as address_store
from cocoon.store import alerts as alert_store
from cocoon.store import field as field_store
from cocoon.store import followup as followup_store
from cocoon.store import reports as report_store
from tests.support import STOCKHOLM, make_app
from tests.towns import ORIGIN, address, villa_street

INGESTED = datetime(2026, 5, 1, 12, tzinfo=UTC)
MADE = datetime(2026, 5, 2, 9, tzinfo=UTC)
T1 = parse_period("2026-T1")


def at(text: str) -> datetime:
    """A Swedish local time as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM).astimezone(UTC)


#: report_id, risk start (local), reported (local), (x, y) metres, premises, attempt
BURGLARIES = [
    ("R-P0", "2025-12-20 10:00", "2025-12-20 12:00", (-3000, 0), "villa", "false"),
    ("R-L", "2026-01-02 10:00", "2026-01-02 12:00", (-3000, 200), "villa", "false"),
    ("R-A", "2026-01-05 10:00", "2026-01-05 12:00", (0, 0), "villa", "false"),
    ("R-B", "2026-01-12 22:00", "2026-01-13 08:00", (200, 0), "villa", "false"),
    ("R-D", "2026-01-20 12:00", "2026-01-20 12:00", (-5000, 0), "villa", "false"),
    ("R-K", "2026-01-25 10:00", "2026-03-30 10:00", (200, 50), "radhus", "false"),
    ("R-E", "2026-02-01 12:00", "2026-02-01 12:00", (-10000, 0), "villa", "false"),
    ("R-F", "2026-02-02 12:00", "2026-02-02 12:00", (-10000, 800), "villa", "false"),
    ("R-C", "2026-02-10 09:00", "2026-02-10 12:00", (300, 0), "villa", "false"),
    ("R-J", "2026-02-15 12:00", "2026-02-15 12:00", (-7000, 0), "villa", "false"),
    ("R-G", "2026-03-15 12:00", "2026-03-15 12:00", (-20000, 0), "lagenhet", "true"),
    ("R-H", "2026-03-20 12:00", "2026-03-20 12:00", (-1000, -1000), "fritidshus", "false"),
]
#: The reference year's burglaries per month (January–April 2025), far from everything else.
REFERENCE_2025 = {1: 10, 2: 4, 3: 1, 4: 2}


def reports_csv(folder: Path) -> Path:
    lines = ["report_id,reported_at,occurred_to,easting,northing,address,premises,attempt"]
    for rid, start, reported, (dx, dy), premises, attempt in BURGLARIES:
        x, y = ORIGIN[0] + dx, ORIGIN[1] + dy
        lines.append(f"{rid},{reported},{start},{x:.1f},{y:.1f},,{premises},{attempt}")
    lines.append("R-I,2026-02-20 12:00,2026-02-20 09:00,,,Okändvägen 99,villa,false")
    n = 0
    for month, count in REFERENCE_2025.items():
        for day in range(count):
            n += 1
            x, y = ORIGIN[0] - 30000 - 700 * n, ORIGIN[1] + 5000
            when = f"2025-{month:02d}-{day + 2:02d} 10:00"
            lines.append(f"R-2025-{n},{when},{when},{x:.1f},{y:.1f},,villa,false")
    path = folder / "anmalningar.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def register() -> list[Address]:
    """Houses along a street through A's place and one through D's, and a block of flats by A."""
    flats = [
        address("Parkgatan", "5", 10, 30, Dwelling.FLERBOSTADSHUS, address_id=f"pg5-{i}")
        for i in range(4)
    ]
    return [
        *villa_street("Storgatan", 0, -300, 60),
        *villa_street("Åkervägen", 0, -5300, 40),
        *flats,
    ]


def seed(app: Installation, folder: Path) -> dict[str, VisitPlan]:
    """The town: reports ingested from a CSV, rosters planned and outcomes recorded, signs
    planned on the days the service would have planned them, one alert."""
    with app.engine.begin() as conn:
        address_store.upsert_addresses(conn, register(), "register.csv", INGESTED)
    result = app.reports.ingest(reports_csv(folder), INGESTED, folder / "rejects")
    assert result.rejections == [] and result.unlocated == ["R-I"]
    app.reports.retract("R-J", "ej bostadsinbrott", INGESTED)
    plans = {
        "R-A": app.visits.plan("R-A", at("2026-01-05 14:00")),  # 2 h after the report
        "R-B": app.visits.plan("R-B", at("2026-01-14 20:00")),  # 36 h
        "R-D": app.visits.plan("R-D", at("2026-01-24 12:00")),  # 96 h
        "R-E": app.visits.plan("R-E", at("2026-02-01 13:00")),  # no door out there
    }
    doors = {rid: [s for s in p.stops if s.kind is VisitKind.DOOR] for rid, p in plans.items()}
    [stairwell] = [s for s in plans["R-A"].stops if s.kind is VisitKind.STAIRWELL]
    outcomes = [
        ("R-A", doors["R-A"][0].address_id, Outcome.VISITED, "2026-01-06 10:00"),  # 22 h
        ("R-A", doors["R-A"][1].address_id, Outcome.NOT_HOME, "2026-01-06 10:20"),
        ("R-A", doors["R-A"][2].address_id, Outcome.DECLINED, "2026-01-06 10:40"),
        ("R-A", stairwell.address_id, Outcome.VISITED, "2026-01-06 11:00"),
        ("R-B", doors["R-B"][0].address_id, Outcome.VISITED, "2026-01-16 08:00"),  # 72 h
        ("R-B", doors["R-B"][1].address_id, Outcome.NOT_HOME, "2026-01-16 08:30"),
    ]
    for rid, address_id, outcome, when in outcomes:
        app.visits.record_one(OutcomeRow(address_id, outcome, at(when), None, rid), INGESTED)
    for day in ("01-06", "01-14", "01-21", "02-11", "03-18", "04-07"):
        app.signs.plan(at(f"2026-{day} 07:00"))
    with app.engine.begin() as conn:
        alert_store.save_alert(
            conn,
            alert_store.Alert(
                "R-A", "Z", at("2026-01-05 12:05"), "outbox/a", "LARM", "off", 0, None
            ),
        )
    return plans


@pytest.fixture
def app_setup() -> Callable[[str, Path], Installation]:
    """The town's installation: Kalmar, rosters of at most ten stops."""

    def setup(url: str, root: Path) -> Installation:
        return make_app(
            url, area={"name": "Kalmar"}, visits={"cap": 10},
            ingest={"rejects_dir": str(root / "rejects")},
        )  # fmt: skip

    return setup


def keys(app: Installation, *report_ids: str) -> list[str]:
    """The zone keys the store gave these reports (a zone's id is its oldest report's key)."""
    with app.engine.connect() as conn:
        return [report_store.get_report(conn, rid).zone_key for rid in report_ids]


def pdf_text(data: bytes, folder: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (scripts/test.sh installs poppler-utils)")
    path = folder / "followup.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def test_burglaries_per_month_and_their_change_from_the_reference_year(
    app: Installation, tmp_path: Path
) -> None:
    seed(app, tmp_path)
    f = FollowUpCases(app.context).figures(T1, MADE, reference=parse_period("2025"))
    rows = f.burglaries.rows
    # January: L, A, B, D and K (reported in March, counted where it happened); February: E, F
    # and C (not the withdrawn J, the unplaced I); March: G (an attempt in a flat; not H, a
    # fritidshus); April: none. 2025: 10, 4, 1, 2.
    assert [r.month.label for r in rows] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [r.reference_month.label for r in rows if r.reference_month] == [
        "2025-01", "2025-02", "2025-03", "2025-04",
    ]  # fmt: skip
    assert [(r.count, r.reference) for r in rows] == [(5, 10), (3, 4), (1, 1), (0, 2)]
    assert [r.change_pct for r in rows] == [-50.0, -25.0, 0.0, -100.0]
    assert (f.burglaries.total, f.burglaries.reference_total) == (9, 17)
    assert f.burglaries.change_pct == pytest.approx(-8 / 17 * 100)  # −47.1 %
    assert f.burglaries.reference_label == "2025"
    assert f.burglaries.not_located == 1  # R-I


def test_the_work_done_in_the_period_as_worked_out_by_hand(
    app: Installation, tmp_path: Path
) -> None:
    plans = seed(app, tmp_path)
    f = FollowUpCases(app.context).figures(T1, MADE)
    zone_a, zone_d, zone_e, zone_g = keys(app, "R-A", "R-D", "R-E", "R-G")
    # A, D, E and G open zones; B, C and K fall in A's, L in P0's (live since December), F joins E's
    assert [(z.zone_id, z.at, z.report_ids) for z in f.zones] == [
        (zone_a, at("2026-01-05 12:00"), ("R-A",)),  # live when reported, two hours after
        (zone_d, at("2026-01-20 12:00"), ("R-D",)),
        (zone_e, at("2026-02-01 12:00"), ("R-E",)),
        (zone_g, at("2026-03-15 12:00"), ("R-G",)),
    ]
    # rosters of A (2 h after the report), B (36 h) and D (96 h); E's plan found no door
    assert (f.rosters, f.plans_without_doors) == (3, 1)
    assert f.to_roster.hours == (2.0, 36.0, 96.0) and f.to_roster.median_hours == 36.0
    assert f.to_roster.share_within(24) == pytest.approx(1 / 3)
    assert f.to_roster.share_within(48) == pytest.approx(2 / 3)
    # first visits: A's 22 h after its report, B's 72 h; D's roster has none recorded
    assert f.to_first_visit.hours == (22.0, 72.0) and f.to_first_visit.median_hours == 47.0
    assert f.to_first_visit.share_within(24) == pytest.approx(1 / 3)
    assert f.to_first_visit.share_within(48) == pytest.approx(1 / 3)
    doors = sum(1 for p in plans.values() for s in p.stops if s.kind is VisitKind.DOOR)
    assert doors == 29  # A's ten stops include the block of flats
    assert (f.doors.planned, f.doors.visited, f.doors.not_home, f.doors.declined) == (29, 2, 2, 1)
    assert f.doors.pending == 24
    assert (f.stairwells.planned, f.stairwells.visited, f.stairwells.pending) == (1, 1, 0)
    assert f.alerts == 1


def test_signs_put_up_and_taken_down_on_time_from_the_stored_rows(
    app: Installation, tmp_path: Path
) -> None:
    seed(app, tmp_path)
    with app.engine.connect() as conn:
        stored = [s for s in followup_store.signs_between(conn, T1.first, T1.last) if s.stood]
    by_zone: dict[tuple[str, ...], set[date | None]] = {}
    for s in stored:
        by_zone.setdefault(s.report_ids, set()).add(s.down_on)
    # the day each zone's elevated level ended: L's, F's, C's and G's 56th day; the plans were
    # made on 18 March (after P0/L's end on 27 February: late) and on 7 April (after E/F's end on
    # 30 March: late; on C's last day: on time); G's signs are due on 10 May, after the follow-up
    assert by_zone == {
        ("R-P0", "R-L"): {date(2026, 3, 18)},
        ("R-E", "R-F"): {date(2026, 4, 7)},
        ("R-C",): {date(2026, 4, 7)},
        ("R-G",): {None},
    }
    count = {ids: sum(1 for s in stored if s.report_ids == ids) for ids in by_zone}
    signs = FollowUpCases(app.context).figures(T1, MADE).signs
    assert signs.put_up == len(stored)
    assert signs.on_time == count[("R-C",)]
    assert signs.late == count[("R-P0", "R-L")] + count[("R-E", "R-F")]
    assert signs.still_up == 0
    assert signs.plan_days == 6


def test_the_field_apps_ticks_reach_the_follow_up_and_its_pdf(
    app: Installation, tmp_path: Path
) -> None:
    seed(app, tmp_path)
    with app.engine.connect() as conn:
        stored = [s for s in followup_store.signs_between(conn, T1.first, T1.last) if s.stood]
    first = min(stored, key=lambda s: (s.put_up, s.sign_id))
    on_its_day = datetime.combine(first.put_up, datetime.min.time(), STOCKHOLM).replace(hour=14)
    with app.engine.begin() as conn:
        field_store.check_sign(conn, field_store.SignCheck(first.sign_id, "up", on_its_day, "t"))
    signs = FollowUpCases(app.context).figures(T1, MADE).signs
    assert (signs.ticked_up, signs.ticked_up_on_time) == (1, 1)
    text = pdf_text(followup_pdf(FollowUpCases(app.context).report(T1, MADE)), tmp_path)
    assert "Uppsatta enligt appen" in text


def test_burglaries_inside_a_live_zone_as_known_when_they_happened(
    app: Installation, tmp_path: Path
) -> None:
    seed(app, tmp_path)
    f = FollowUpCases(app.context).figures(T1, MADE)
    got = [(n.report_id, n.at, n.level, round(n.days_after, 3)) for n in f.near_repeats]
    assert got == [
        ("R-L", at("2026-01-02 10:00"), Level.HIGH, 13.0),  # 200 m from P0, 13 days after
        ("R-B", at("2026-01-12 22:00"), Level.HIGH, 7.5),  # 200 m from A, 7 days 12 hours after
        ("R-K", at("2026-01-25 10:00"), Level.HIGH, 12.5),  # 50 m from B, 12 days 12 h after B
        ("R-C", at("2026-02-10 09:00"), Level.ELEVATED, round(28 + 11 / 24, 3)),  # 28 d 11 h
    ]
    assert (f.counted, len(f.near_repeats), f.in_high_risk_zone) == (9, 4, 3)
    public = {m.measure: m.value for m in public_measures(f) if m.section == "near_repeats"}
    internal = {m.measure: m.value for m in measures(f) if m.section == "near_repeats"}
    assert internal["in_live_zone_pct"] == pytest.approx(4 / 9 * 100)
    assert internal["in_high_risk_zone_pct"] == pytest.approx(3 / 9 * 100)
    assert public["in_live_zone"] == public["in_high_risk_zone"] == "< 5"
    assert public["in_live_zone_pct"] is None  # it would give the 4 away


def test_a_reference_file_gives_the_months_of_its_year(app: Installation, tmp_path: Path) -> None:
    seed(app, tmp_path)
    ref = tmp_path / "referens.csv"
    ref.write_text(
        "month;count\n" + "".join(f"2015-{m:02d};{c}\n" for m, c in enumerate(
            (18, 15, 14, 12, 10, 9, 12, 11, 13, 16, 17, 20), start=1)),
        encoding="utf-8",
    )  # fmt: skip
    cases = FollowUpCases(app.context)
    f = cases.figures(T1, MADE, reference=parse_period("2015"), reference_file=ref)
    assert [(r.reference_month.label if r.reference_month else "", r.reference)
            for r in f.burglaries.rows] == [
        ("2015-01", 18), ("2015-02", 15), ("2015-03", 14), ("2015-04", 12),
    ]  # fmt: skip
    assert f.burglaries.change_pct == pytest.approx((9 - 59) / 59 * 100)  # −84.7 %
    with pytest.raises(PeriodError, match="has 12 months, the period 2026-T1 4"):
        cases.figures(T1, MADE, reference_file=ref)


def test_the_public_files_carry_no_report_id_address_zone_id_or_burglary_date(
    app: Installation, tmp_path: Path
) -> None:
    seed(app, tmp_path)
    content = FollowUpCases(app.context).report(
        T1, MADE, reference=parse_period("2025"), public=True
    )
    csv = followup_csv(content).decode()
    text = pdf_text(followup_pdf(content), tmp_path)
    secret = [
        *(b[0] for b in BURGLARIES), "R-I", *keys(app, *(b[0] for b in BURGLARIES)),
        "Storgatan", "Åkervägen", "Parkgatan", "Okändvägen",
        *(b[1][:10] for b in BURGLARIES),  # the days the burglaries happened
    ]  # fmt: skip
    for found in (csv, text):
        assert not [s for s in secret if s in found]
    assert "burglaries,count,2026-02,< 5,2025-02,< 5,\n" in csv  # 3 and 4: no change given
    assert "burglaries,total,,9,2025,17,-47.1\n" in csv
    assert "Skydd mot röjande" in text and "”< 5”" in text
    internal = FollowUpCases(app.context).report(T1, MADE, reference=parse_period("2025"))
    inside = followup_csv(internal).decode()
    assert f"zones_opened,{keys(app, 'R-A')[0]},2026-01," in inside
    assert "Intern" in pdf_text(followup_pdf(internal), tmp_path)


def test_the_same_follow_up_gives_the_same_bytes_and_speaks_english_and_excel(
    app: Installation, tmp_path: Path
) -> None:
    seed(app, tmp_path)
    cases = FollowUpCases(app.context)
    content = cases.report(T1, MADE, reference=parse_period("2025"), public=True)
    again = cases.report(T1, MADE, reference=parse_period("2025"), public=True)
    assert followup_pdf(content) == followup_pdf(again)
    english = pdf_text(followup_pdf(replace(content, language="en")), tmp_path)
    assert "Follow-up of the citizen promise – Kalmar" in english
    assert "9 residential burglaries in the period, 47% fewer than the reference year 2025" in (
        " ".join(english.split())
    )
    assert "Disclosure control" in english
    excel = followup_csv(replace(content, csv_format="excel"))
    assert excel.startswith("\ufeffsection;measure;month;value".encode())
    assert b"burglaries;total;;9;2025;17;-47,1\r\n" in excel
