"""Sign plans through the store, on SQLite and PostGIS: stable, growing, coming down, due lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cocoon.app.installation import Installation
from cocoon.core.model import Road
from cocoon.errors import InputError
from cocoon.store import reports as report_store
from cocoon.store import roads as road_store
from cocoon.store import signs as sign_store
from tests.signtown import grid_town
from tests.support import SWEREF, report

MONDAY = datetime(2026, 11, 23, 7, tzinfo=UTC)


def _load_town(app: Installation, *reports: object) -> None:
    roads = []
    for ln in grid_town(half_m=800):
        lons, lats = SWEREF.to_wgs84(ln.xy[:, 0], ln.xy[:, 1])
        coords = tuple((float(lo), float(la)) for lo, la in zip(lons, lats, strict=True))
        roads.append(Road(ln.road_class, coords, ln.name))
    with app.engine.begin() as conn:
        road_store.replace_roads(conn, roads, "town.gpkg", MONDAY)
        report_store.upsert_reports(conn, [(r, "test") for r in reports], MONDAY)  # type: ignore[misc]


def _burglary(report_id: str, at: datetime, dx: float = 0.0) -> object:
    return report(report_id, at, offset_m=(dx, 60.0))


def test_a_new_zone_gets_two_signs_that_go_up_the_day_after(app: Installation) -> None:
    _load_town(app, _burglary("R1", MONDAY - timedelta(hours=3)))
    plan = app.signs.plan(MONDAY).plan
    assert len(plan.new) == len(plan.up) == 2
    assert {s.put_up for s in plan.new} == {date(2026, 11, 24)}
    [zone] = plan.zones
    assert {s.take_down for s in plan.up} == {zone.ends.astimezone(app.tz).date()}


def test_signs_stay_in_place_on_the_next_run(app: Installation) -> None:
    _load_town(app, _burglary("R1", MONDAY - timedelta(hours=3)))
    first = app.signs.plan(MONDAY).plan
    again = app.signs.plan(MONDAY + timedelta(days=2)).plan
    assert again.new == ()
    assert {(s.sign_id, round(s.x, 2), round(s.y, 2)) for s in again.up} == {
        (s.sign_id, round(s.x, 2), round(s.y, 2)) for s in first.up
    }


def test_a_zone_that_grows_gets_an_extra_sign_and_keeps_its_old_ones(app: Installation) -> None:
    _load_town(app, _burglary("R1", MONDAY - timedelta(hours=3)))
    first = {s.sign_id for s in app.signs.plan(MONDAY).plan.up}
    with app.engine.begin() as conn:
        later = _burglary("R2", MONDAY + timedelta(days=2), dx=400.0)
        report_store.upsert_reports(conn, [(later, "test")], MONDAY)  # type: ignore[list-item]
    grown = app.signs.plan(MONDAY + timedelta(days=3)).plan
    assert first < {s.sign_id for s in grown.up}
    assert len(grown.up) == 3


def test_signs_come_down_when_the_zone_ends(app: Installation) -> None:
    _load_town(app, _burglary("R1", MONDAY - timedelta(hours=3)))
    ids = {s.sign_id for s in app.signs.plan(MONDAY).plan.up}
    after = app.signs.plan(MONDAY + timedelta(days=60)).plan
    assert after.up == () and {d.sign.sign_id for d in after.taken_down} == ids
    with app.engine.connect() as conn:
        assert sign_store.signs_up(conn) == []


def test_an_earlier_day_than_the_last_plan_is_refused(app: Installation) -> None:
    _load_town(app, _burglary("R1", MONDAY - timedelta(hours=3)))
    app.signs.plan(MONDAY + timedelta(days=1))
    with pytest.raises(InputError, match="planned forward"):
        app.signs.plan(MONDAY)


def test_due_lists_what_goes_up_and_what_comes_down_on_a_day(app: Installation) -> None:
    _load_town(app, _burglary("R1", MONDAY - timedelta(hours=3)))
    plan = app.signs.plan(MONDAY).plan
    ids = {s.sign_id for s in plan.up}
    assert {s.sign_id for s in app.signs.due(date(2026, 11, 24)).put_up} == ids
    assert app.signs.due(date(2026, 11, 25)).put_up == []
    take_down = plan.up[0].take_down
    assert {s.sign_id for s in app.signs.due(take_down).take_down} == ids
