"""Visit planning through the store, on SQLite and PostGIS: plans, the 14-day rule, outcomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from cocoon.core.model import Address, Dwelling, LocatedBy, Premises, Road
from cocoon.core.visits import Outcome
from cocoon.errors import InputError, NotFoundError
from cocoon.sources.outcomes import OutcomeRow
from cocoon.store import addresses as address_store
from cocoon.store import reports as report_store
from cocoon.store import roads as road_store
from tests.support import make_app, report
from tests.towns import ORIGIN, SWEREF, address, villa_street

NOW = datetime(2026, 11, 22, 8, tzinfo=UTC)
BURGLED = "Storgatan-1"


def _town() -> list[Address]:
    return [
        *villa_street("Storgatan", 0, 0, 40),
        *villa_street("Åkervägen", 120, -200, 40),
        *[
            address("Parkgatan", "5", 60, 60, Dwelling.FLERBOSTADSHUS, address_id=f"pg5-{i}")
            for i in range(8)
        ],
    ]


def _setup(app: Installation, *reports: object) -> None:
    with app.engine.begin() as conn:
        address_store.upsert_addresses(conn, _town(), "town.csv", NOW)
        report_store.upsert_reports(conn, [(r, "test") for r in reports], NOW)  # type: ignore[misc]


def _burglary(report_id: str = "R1", days_ago: float = 1, dx: float = 0.0, **kw: object) -> object:
    fields: dict[str, object] = {"address_id": BURGLED, "located_by": LocatedBy.ADDRESS}
    fields.update(kw)
    return report(report_id, NOW - timedelta(days=days_ago), offset_m=(dx, 12.0), **fields)


def test_plan_never_lists_the_burgled_address(app: Installation) -> None:
    _setup(app, _burglary())
    plan = app.visits.plan("R1", NOW)
    assert plan.stops
    assert BURGLED not in {a for s in plan.stops for a in s.covers}
    assert all(not s.label.startswith("Storgatan 1,") for s in plan.stops)


def test_plan_leaves_out_the_home_of_a_later_burglary_in_the_street(app: Installation) -> None:
    _setup(app, _burglary("R1", days_ago=2), _burglary("R2", days_ago=1, dx=25, address_id=None))
    listed = {a for s in app.visits.plan("R1", NOW).stops for a in s.covers}
    assert "Storgatan-3" not in listed  # R2's home, 25 m along the street from R1's


def test_plan_leaves_out_the_home_of_a_late_report_that_makes_no_zone(app: Installation) -> None:
    late = _burglary(
        "R2", days_ago=1, dx=25, address_id=None,
        occurred_from=NOW - timedelta(days=80), occurred_to=NOW - timedelta(days=80),
    )  # fmt: skip
    _setup(app, _burglary("R1", days_ago=2), late)
    listed = {a for s in app.visits.plan("R1", NOW).stops for a in s.covers}
    assert "Storgatan-3" not in listed


def test_plan_is_stored_and_the_same_on_the_next_run(app: Installation) -> None:
    _setup(app, _burglary())
    first = app.visits.plan("R1", NOW)
    again = app.visits.plan("R1", NOW + timedelta(hours=3))
    assert [s.address_id for s in again.stops] == [s.address_id for s in first.stops]
    assert again.planned_at == first.planned_at
    assert [len(s.stops) for s in again.sheets] == [len(s.stops) for s in first.sheets]


def test_a_block_of_flats_is_one_stairwell_stop_in_the_store(app: Installation) -> None:
    _setup(app, _burglary())
    stairwells = [s for s in app.visits.plan("R1", NOW).stops if s.kind == "stairwell"]
    assert len(stairwells) == 1 and len(stairwells[0].covers) == 8


def test_second_burglary_in_the_street_does_not_send_teams_to_the_same_doors(
    app: Installation,
) -> None:
    _setup(app, _burglary("R1", days_ago=3), _burglary("R2", days_ago=1, dx=75, address_id=None))
    first = {a for s in app.visits.plan("R1", NOW - timedelta(days=2)).stops for a in s.covers}
    second = {a for s in app.visits.plan("R2", NOW).stops for a in s.covers}
    assert first and second
    assert not first & second


def test_doors_planned_more_than_14_days_ago_may_be_listed_again(app: Installation) -> None:
    _setup(app, _burglary("R1", days_ago=20), _burglary("R2", days_ago=1, dx=75, address_id=None))
    first = {a for s in app.visits.plan("R1", NOW - timedelta(days=19)).stops for a in s.covers}
    second = {a for s in app.visits.plan("R2", NOW).stops for a in s.covers}
    assert first & second


def test_a_plan_without_doors_is_kept_so_the_report_is_not_waiting_again(app: Installation) -> None:
    _setup(app, _burglary("R1", dx=5_000, address_id=None))  # in the woods, no register nearby
    assert app.visits.unplanned(NOW) == ["R1"]
    assert app.visits.plan("R1", NOW).stops == []
    assert app.visits.unplanned(NOW) == []


def test_a_withdrawn_report_gets_no_visits(app: Installation) -> None:
    _setup(app, _burglary())
    app.reports.retract("R1", "not a burglary", NOW)
    with pytest.raises(InputError, match="withdrawn"):
        app.visits.plan("R1", NOW)


def test_a_report_whose_zone_has_ended_gets_no_new_plan(app: Installation) -> None:
    _setup(app, _burglary(days_ago=60))
    with pytest.raises(InputError, match="no live zone"):
        app.visits.plan("R1", NOW)


def test_a_report_of_premises_that_make_no_zone_gets_no_plan(app: Installation) -> None:
    _setup(app, _burglary(premises=Premises.FRITIDSHUS))
    with pytest.raises(InputError, match="fritidshus"):
        app.visits.plan("R1", NOW)


def test_unknown_report_is_named(app: Installation) -> None:
    with pytest.raises(NotFoundError, match="R9"):
        app.visits.plan("R9", NOW)


def _filled_roster(app: Installation, tmp_path: Path, outcomes: list[tuple[str, str, str]]) -> Path:
    stops = app.visits.plan("R1", NOW).stops
    lines = ["sheet,stop,address_id,address,visit_kind,distance_m,outcome,visited_at,note"]
    for i, s in enumerate(stops):
        outcome, visited_at, note = outcomes[i] if i < len(outcomes) else ("", "", "")
        lines.append(
            f'1,{i + 1},{s.address_id},"{s.label}",{s.kind},{s.distance_m},'
            f"{outcome},{visited_at},{note}"
        )
    path = tmp_path / "filled.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_outcomes_from_a_filled_in_roster_are_kept_and_bad_rows_named(
    app: Installation, tmp_path: Path
) -> None:
    _setup(app, _burglary())
    path = _filled_roster(
        app,
        tmp_path,
        [
            ("besökt", "2026-11-22 09:10", "pratade med boende"),
            ("ej hemma", "2026-11-22 09:20", ""),
            ("kanske", "2026-11-22 09:30", ""),
            ("avböjde", "i morgon", ""),
            ("declined", "", ""),
        ],
    )
    result = app.visits.record_file(path, NOW + timedelta(hours=3), None)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert [(r.where, r.field) for r in result.rejections] == [
        ("line 4", "outcome"),
        ("line 5", "visited_at"),
    ]
    assert all(r.file == "filled.csv" for r in result.rejections)
    again = app.visits.record_file(path, NOW + timedelta(hours=4), None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_visited_doors_count_towards_the_14_day_rule(app: Installation) -> None:
    _setup(app, _burglary("R1", days_ago=20), _burglary("R2", days_ago=1, dx=75, address_id=None))
    first = app.visits.plan("R1", NOW - timedelta(days=19))
    door = first.stops[0].address_id
    app.visits.record_one(
        OutcomeRow(door, Outcome.VISITED, NOW - timedelta(days=5), None, "R1"), NOW
    )
    second = {a for s in app.visits.plan("R2", NOW).stops for a in s.covers}
    assert door not in second


def test_recording_a_stop_that_was_never_planned_is_refused(app: Installation) -> None:
    _setup(app, _burglary())
    app.visits.plan("R1", NOW)
    result = app.visits.record_one(OutcomeRow("nowhere-1", Outcome.VISITED, None, None), NOW)
    assert result.created == 0 and "nowhere-1" in str(result.rejections[0])


def test_status_counts_done_not_at_home_and_pending_per_zone(app: Installation) -> None:
    _setup(app, _burglary())
    stops = app.visits.plan("R1", NOW).stops
    for s, outcome in zip(
        stops, [Outcome.VISITED, Outcome.DECLINED, Outcome.NOT_HOME], strict=False
    ):
        app.visits.record_one(OutcomeRow(s.address_id, outcome, NOW, None, "R1"), NOW)
    [row] = app.visits.status(NOW)
    assert (row.done, row.not_home, row.pending) == (2, 1, len(stops) - 3)
    assert row.planned_reports == 1 and row.stops == len(stops)


def _canal_town(app: Installation, with_roads: bool) -> list[str]:
    """Houses on both banks of a canal bridged at its west end; the banks in walking order."""
    houses = [
        address(street, str(2 * i + (1 if north else 2)), 40.0 * i, 15.0 if north else -15.0)
        for i in range(11)
        for north, street in ((True, "Norra kajen"), (False, "Södra kajen"))
    ]
    burgled = report("R1", NOW - timedelta(days=1), offset_m=(200.0, 15.0))
    with app.engine.begin() as conn:
        address_store.upsert_addresses(conn, houses, "canal.csv", NOW)
        report_store.upsert_reports(conn, [(burgled, "test")], NOW)
        if with_roads:
            lines = [[(-20, 8), (450, 8)], [(-20, -8), (450, -8)], [(-20, 8), (-20, -8)]]
            roads = [Road("residential", tuple(_lonlat(x, y) for x, y in ln)) for ln in lines]
            road_store.replace_roads(conn, roads, "canal-roads.gpkg", NOW)
    return [s.label.split(" ")[0] for s in app.visits.plan("R1", NOW).stops]


def _lonlat(dx: float, dy: float) -> tuple[float, float]:
    return SWEREF.point_to_wgs84(ORIGIN[0] + dx, ORIGIN[1] + dy)


def _crossings(banks: list[str]) -> int:
    return sum(a != b for a, b in pairwise(banks))


def test_with_roads_loaded_the_walk_crosses_the_canal_once_by_the_bridge(app: Installation) -> None:
    assert _crossings(_canal_town(app, with_roads=True)) == 1


def test_without_roads_the_walk_is_straight_line_and_crosses_the_canal_often(
    tmp_path: Path,
) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    assert _crossings(_canal_town(app, with_roads=False)) > 1


def test_a_plan_is_done_only_once_its_roster_files_are_written(app: Installation) -> None:
    _setup(app, _burglary())
    assert app.visits.unwritten(NOW) == ["R1"]
    app.visits.plan("R1", NOW)  # stored; a crash here leaves it without files
    assert app.visits.unplanned(NOW) == [] and app.visits.unwritten(NOW) == ["R1"]
    head = app.visits.head("R1")
    assert head is not None and head.roster_written_at is None
    app.visits.roster_written("R1", NOW + timedelta(seconds=2), Path("besok/R1"))
    assert app.visits.unwritten(NOW) == []
    head = app.visits.head("R1")
    assert head is not None and head.roster_written_at == NOW + timedelta(seconds=2)
    assert head.roster_path == str(Path("besok/R1"))
