"""Planned door visits and what the teams found: one row per stop of a report's roster."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from cocoon.core.visits import Outcome, Stop, VisitKind, VisitPlan
from cocoon.errors import NotFoundError
from cocoon.store.engine import chunks
from cocoon.store.reasons import NO_PLANNED_VISIT, NO_PLANNED_VISIT_FOR
from cocoon.store.schema import visit_plans, visits


@dataclass(frozen=True)
class StoredStop:
    """A stop as the database keeps it: its place on the roster and its outcome so far."""

    report_id: str
    sheet: int
    stop: int
    address_id: str
    address: str
    visit_kind: VisitKind
    distance_m: int
    lon: float
    lat: float
    covers: tuple[str, ...]
    outcome: Outcome | None
    visited_at: datetime | None
    note: str | None
    saw_what: str | None = None  # what a neighbour saw, and when (internal)
    saw_when: str | None = None


def save_plan(conn: Connection, plan: VisitPlan) -> None:
    """Store a new plan and its stops; the report's primary key refuses a second plan."""
    conn.execute(
        visit_plans.insert().values(
            report_id=plan.report_id,
            zone_id=plan.zone_id,
            planned_at=plan.planned_at,
            stops=len(plan.stops),
        )
    )
    rows: list[dict[str, Any]] = [
        {
            "report_id": plan.report_id,
            "address_id": stop.address_id,
            "address": stop.label,
            "covers": json.dumps(list(stop.covers)),
            "visit_kind": stop.kind.value,
            "distance_m": stop.distance_m,
            "sheet": sheet.number,
            "stop": number,
            "lon": stop.lon,
            "lat": stop.lat,
        }
        for sheet in plan.sheets
        for number, stop in enumerate(sheet.stops, start=1)
    ]
    if rows:
        conn.execute(visits.insert(), rows)


def stops_of(conn: Connection, report_ids: Collection[str]) -> list[StoredStop]:
    """The stored stops of these reports, in roster order."""
    out: list[StoredStop] = []
    for chunk in chunks(sorted(report_ids)):
        stmt = (
            select(visits)
            .where(visits.c.report_id.in_(chunk))
            .order_by(visits.c.report_id, visits.c.sheet, visits.c.stop)
        )
        out.extend(_stored(row) for row in conn.execute(stmt))
    return out


@dataclass(frozen=True)
class PlanHead:
    """When and in which zone a report's visits were planned, how many stops it got, and
    when and where its roster files were written (None: not yet, the plan is not done)."""

    report_id: str
    zone_id: str
    planned_at: datetime
    stops: int
    roster_written_at: datetime | None = None
    roster_path: str | None = None


def plan_head(conn: Connection, report_id: str) -> PlanHead | None:
    row = conn.execute(select(visit_plans).where(visit_plans.c.report_id == report_id)).first()
    if row is None:
        return None
    return PlanHead(
        row.report_id, row.zone_id, row.planned_at, row.stops,
        row.roster_written_at, row.roster_path,
    )  # fmt: skip


def planned_reports(
    conn: Connection, report_ids: Collection[str], written_only: bool = False
) -> set[str]:
    """Those of the reports that have a stored plan (also one without stops); with
    `written_only`, only plans whose roster files have been written."""
    found: set[str] = set()
    for chunk in chunks(list(report_ids)):
        stmt = select(visit_plans.c.report_id).where(visit_plans.c.report_id.in_(chunk))
        if written_only:
            stmt = stmt.where(visit_plans.c.roster_written_at.is_not(None))
        found.update(conn.execute(stmt).scalars())
    return found


def roster_written(conn: Connection, report_id: str, at: datetime, where: str) -> None:
    """The plan's roster files are written (at `where`): from now on the plan is done."""
    conn.execute(
        update(visit_plans)
        .where(visit_plans.c.report_id == report_id)
        .values(roster_written_at=at, roster_path=where)
    )


def taken_addresses(
    conn: Connection,
    since: datetime,
    other_than: str,
    box: tuple[float, float, float, float],
) -> set[str]:
    """Address ids in a lon/lat box that other reports' plans listed, or teams visited, since."""
    min_lon, min_lat, max_lon, max_lat = box
    stmt = (
        select(visits.c.covers)
        .join(visit_plans, visit_plans.c.report_id == visits.c.report_id)
        .where(
            visits.c.report_id != other_than,
            or_(visit_plans.c.planned_at >= since, visits.c.visited_at >= since),
            visits.c.lat.between(min_lat, max_lat),
            visits.c.lon.between(min_lon, max_lon),
        )
    )
    taken: set[str] = set()
    for (covers,) in conn.execute(stmt):
        taken.update(json.loads(covers))
    return taken


def record_outcome(
    conn: Connection,
    address_id: str,
    outcome: Outcome,
    visited_at: datetime | None,
    note: str | None,
    now: datetime,
    report_id: str | None = None,
    neighbour_saw: tuple[str | None, str | None] | None = None,
) -> str:
    """Keep what a team found at a stop: 'created', 'updated' or 'unchanged'.

    Without a report id the stop is the newest planned one for that address. `neighbour_saw`
    (what, when) is kept with the visit when given; without it the stored one stays.
    """
    stmt = (
        select(visits)
        .join(visit_plans, visit_plans.c.report_id == visits.c.report_id)
        .where(visits.c.address_id == address_id)
    )
    if report_id is not None:
        stmt = stmt.where(visits.c.report_id == report_id)
    row = conn.execute(stmt.order_by(visit_plans.c.planned_at.desc()).limit(1)).first()
    if row is None:
        if report_id:
            raise NotFoundError(NO_PLANNED_VISIT_FOR(address_id=address_id, report_id=report_id))
        raise NotFoundError(NO_PLANNED_VISIT(address_id=address_id))
    new = (outcome.value, visited_at, note or None)
    saw = (row.saw_what, row.saw_when)
    if neighbour_saw is not None:
        saw = (neighbour_saw[0] or None, neighbour_saw[1] or None)
    if (row.outcome, row.visited_at, row.note, row.saw_what, row.saw_when) == (*new, *saw):
        return "unchanged"
    conn.execute(
        update(visits)
        .where(visits.c.visit_id == row.visit_id)
        .values(
            outcome=new[0], visited_at=new[1], note=new[2], recorded_at=now,
            saw_what=saw[0], saw_when=saw[1],
        )
    )  # fmt: skip
    return "created" if row.outcome is None else "updated"


def _stored(row: Any) -> StoredStop:
    return StoredStop(
        report_id=row.report_id,
        sheet=row.sheet,
        stop=row.stop,
        address_id=row.address_id,
        address=row.address,
        visit_kind=VisitKind(row.visit_kind),
        distance_m=row.distance_m,
        lon=row.lon,
        lat=row.lat,
        covers=tuple(json.loads(row.covers)),
        outcome=Outcome(row.outcome) if row.outcome else None,
        visited_at=row.visited_at,
        note=row.note,
        saw_what=row.saw_what,
        saw_when=row.saw_when,
    )


def as_stop(stored: StoredStop, x: float, y: float) -> Stop:
    """The core's view of a stored stop, given its metric position."""
    return Stop(
        address_id=stored.address_id,
        label=stored.address,
        kind=stored.visit_kind,
        distance_m=stored.distance_m,
        x=x,
        y=y,
        lon=stored.lon,
        lat=stored.lat,
        covers=stored.covers,
    )
