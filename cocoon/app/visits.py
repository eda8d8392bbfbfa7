"""Door-visit use cases: plan a report's visits, print its roster, keep what the teams found.

Shared by the CLI and the scheduler; each takes an explicit `now`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Connection

from cocoon.app import reasons
from cocoon.app.context import Context
from cocoon.app.leaflets import LeafletCases
from cocoon.app.rules import visit_rules
from cocoon.core.geo import lonlat_box
from cocoon.core.model import Report, Road
from cocoon.core.network import walking_costs_for
from cocoon.core.risk import Zone, burglary_days
from cocoon.core.visits import (
    BurgledHome,
    Sheet,
    Stop,
    VisitPlan,
    ZoneVisits,
    awaiting_visits,
    plan_visits,
    revisit_since,
    why_no_visits,
)
from cocoon.core.walking import CostFn, straight_line_costs
from cocoon.errors import InputError, NotFoundError
from cocoon.messages import why
from cocoon.outputs.content import Roster
from cocoon.sources.csvfile import csv_records, read_text
from cocoon.sources.outcomes import OutcomeBatch, OutcomeRow, validate_outcome_rows
from cocoon.sources.report_rows import Rejection
from cocoon.store import addresses as address_store
from cocoon.store import reports as report_store
from cocoon.store import roads as road_store
from cocoon.store import visits as visit_store
from cocoon.store.turns import take_turn


@dataclass
class RecordResult:
    """What recording one file (or one stop) of outcomes did."""

    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    blank: int = 0
    rejections: list[Rejection] = field(default_factory=list)


#: Roads this far beyond the visit radius are loaded too, so a walk round the block at the
#: zone's edge still finds its way.
ROAD_MARGIN_M = 300.0


class VisitCases:
    """The visit use cases of one installation."""

    def __init__(self, ctx: Context, leaflets: LeafletCases) -> None:
        self.ctx = ctx
        self.leaflets = leaflets
        self.rules = visit_rules(ctx.settings)

    def plan(self, report_id: str, now: datetime, zones: list[Zone] | None = None) -> VisitPlan:
        """Plan the report's visits and store the plan; a plan made before is read back as is.

        `zones` are the zones at `now` where the caller has them already (a batch of plans).
        """
        with self.ctx.engine.begin() as conn:
            take_turn(conn, "plan")  # another plan in progress may take these doors: wait for it
            return self._plan(conn, report_id, now, zones)

    def write_roster(
        self,
        report_id: str,
        now: datetime,
        zones: list[Zone] | None,
        write: Callable[[Roster], Path],
    ) -> Roster | None:
        """Plan a report's visits if need be, write its roster files with `write` (which says
        where they went) and mark the plan done, all in one turn: two runs at once never write
        one roster twice. None when another run had written it when this one got its turn."""
        with self.ctx.engine.begin() as conn:
            take_turn(conn, "plan")
            head = visit_store.plan_head(conn, report_id)
            if head is not None and head.roster_written_at is not None:
                return None
            roster = self.roster(self._plan(conn, report_id, now, zones))
            where = write(roster)
            visit_store.roster_written(conn, report_id, now, str(where))
        return roster

    def _plan(
        self, conn: Connection, report_id: str, now: datetime, zones: list[Zone] | None
    ) -> VisitPlan:
        """The body of `plan`, in the caller's transaction (which holds the plan turn)."""
        ctx = self.ctx
        report = report_store.get_report(conn, report_id)
        head = visit_store.plan_head(conn, report_id)
        if head is not None:
            return self._stored_plan(conn, report, head)
        if reason := why_no_visits(report, now, ctx.rules):
            raise InputError(reasons.NO_VISITS(report_id=report_id, reason=reason))
        assert report.lon is not None and report.lat is not None
        if zones is None:
            zones = ctx.zones(now)
        zone = next((z for z in zones if report_id in z.report_ids), None)
        if zone is None:
            raise NotFoundError(reasons.IN_NO_ZONE(report_id=report_id, at=now.isoformat()))
        x, y = ctx.projection.point_to_metric(report.lon, report.lat)
        box = lonlat_box(ctx.projection, x, y, self.rules.radius_m)
        found = address_store.addresses_in_box(conn, *box)
        neighbours = ctx.neighbours(found)
        road_box = lonlat_box(ctx.projection, x, y, self.rules.radius_m + ROAD_MARGIN_M)
        roads = road_store.roads_in_box(conn, *road_box)
        since = revisit_since(now, self.rules)
        # a stairwell's entries lie metres apart: the box of the visit radius, with a margin
        taken_box = lonlat_box(ctx.projection, x, y, self.rules.radius_m + 50)
        taken = visit_store.taken_addresses(conn, since, report_id, taken_box)
        plan = plan_visits(
            report_id=report_id,
            zone_id=zone.zone_id,
            burglary=burglary_days(report, ctx.tz),
            planned_at=now,
            origin=(x, y),
            victim_address_id=report.address_id,
            neighbours=neighbours,
            taken=taken,
            rules=self.rules,
            costs=self._walking_costs(roads),
            other_burgled=[
                BurgledHome(x, y, r.address_id)
                for r, x, y in ctx.burgled_homes(conn, now)
                if r.report_id != report_id
            ],
        )
        visit_store.save_plan(conn, plan)
        return plan

    def unplanned(self, now: datetime, zones: list[Zone] | None = None) -> list[str]:
        """Reports at high risk now that have no visit plan yet, oldest first."""
        if zones is None:
            zones = self.ctx.zones(now)
        with self.ctx.engine.connect() as conn:
            planned = visit_store.planned_reports(conn, [r for z in zones for r in z.report_ids])
        return awaiting_visits(zones, planned)

    def unwritten(self, now: datetime, zones: list[Zone] | None = None) -> list[str]:
        """Reports at high risk now whose roster files have not been written, oldest first:
        those with no plan, and those whose plan was stored by a run that stopped before it
        wrote the files."""
        if zones is None:
            zones = self.ctx.zones(now)
        ids = [r for z in zones for r in z.report_ids]
        with self.ctx.engine.connect() as conn:
            done = visit_store.planned_reports(conn, ids, written_only=True)
        return awaiting_visits(zones, done)

    def head(self, report_id: str) -> visit_store.PlanHead | None:
        """The stored plan's head (when planned, when its files were written), if any."""
        with self.ctx.engine.connect() as conn:
            return visit_store.plan_head(conn, report_id)

    def roster_written(self, report_id: str, at: datetime, where: str | Path) -> None:
        """Mark the plan done: its roster files are written at `where`."""
        with self.ctx.engine.begin() as conn:
            visit_store.roster_written(conn, report_id, at, str(where))

    def roster(self, plan: VisitPlan) -> Roster:
        """What the roster files of a plan show: its sheets, their maps' roads, and a leaflet in
        each language of the area and of its doors' postcodes (`[leaflets]`)."""
        with self.ctx.engine.connect() as conn:
            postcodes = address_store.postcodes_of(conn, [a for s in plan.stops for a in s.covers])
        output = self.ctx.settings.output
        return Roster(
            plan=plan,
            projection=self.ctx.projection,
            tz=self.ctx.tz,
            leaflets=self.leaflets.for_roster(postcodes),
            language=output.language,
            roads=tuple(self._roads_around(plan)),
            csv_format=output.csv_format,
        )

    def _roads_around(self, plan: VisitPlan) -> list[Road]:
        """The roads under the sheet maps: those near any stop of the plan."""
        stops = plan.stops
        if not stops:
            return []
        xs, ys = [s.x for s in stops], [s.y for s in stops]
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + ROAD_MARGIN_M
        centre_x, centre_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        box = lonlat_box(self.ctx.projection, centre_x, centre_y, half)
        with self.ctx.engine.connect() as conn:
            return road_store.roads_in_box(conn, *box)

    def record_file(self, path: str | Path, now: datetime, report_id: str | None) -> RecordResult:
        """Store the outcomes of a filled-in roster CSV; good rows are kept when others fail."""
        path = Path(path)
        header, records = csv_records(read_text(path), path)
        missing = [c for c in ("address_id", "outcome") if c not in header]
        if missing:
            raise InputError(reasons.NO_ROSTER_COLUMNS(path=path, columns=", ".join(missing)))
        batch = validate_outcome_rows(
            path.name,
            ((r.where, r.values) for r in records),
            self.ctx.tz,
            now,
            timedelta(minutes=self.ctx.settings.ingest.future_tolerance_minutes),
        )
        return self._record(str(path), batch, now, report_id)

    def record_one(self, row: OutcomeRow, now: datetime) -> RecordResult:
        return self._record("command line", OutcomeBatch(outcomes=[row]), now, row.report_id)

    def _record(
        self, file: str, batch: OutcomeBatch, now: datetime, report_id: str | None
    ) -> RecordResult:
        result = RecordResult(file, blank=batch.blank, rejections=list(batch.rejections))
        with self.ctx.engine.begin() as conn:
            if report_id is not None:
                report_store.get_report(
                    conn, report_id
                )  # an unknown report: one line, not a row each
            for row in batch.outcomes:
                try:
                    change = visit_store.record_outcome(
                        conn, row.address_id, row.outcome, row.visited_at, row.note, now,
                        report_id=row.report_id or report_id,
                    )  # fmt: skip
                except NotFoundError as exc:
                    result.rejections.append(
                        Rejection(
                            file, row.where, "address_id", why(exc), {"address_id": row.address_id}
                        )
                    )
                    continue
                setattr(result, change, getattr(result, change) + 1)
        return result

    def status(self, now: datetime) -> list[ZoneVisits]:
        """For each active zone: stops planned and their outcomes so far."""
        zones = self.ctx.zones(now)
        ids = [r for z in zones for r in z.report_ids]
        with self.ctx.engine.connect() as conn:
            stored = visit_store.stops_of(conn, ids)
            planned = visit_store.planned_reports(conn, ids)
        by_report: dict[str, list[visit_store.StoredStop]] = {}
        for s in stored:
            by_report.setdefault(s.report_id, []).append(s)
        out = []
        for zone in zones:
            stops = [s for rid in zone.report_ids for s in by_report.get(rid, [])]
            out.append(
                ZoneVisits(
                    zone=zone,
                    planned_reports=sum(1 for rid in zone.report_ids if rid in planned),
                    stops=len(stops),
                    outcomes=Counter(s.outcome for s in stops),
                )
            )
        return out

    def _walking_costs(self, roads: list[Road]) -> CostFn:
        """Along the loaded roads where there are any, else in straight lines."""
        if not roads:
            return straight_line_costs

        return walking_costs_for(roads, self.ctx.projection)

    def _stored_plan(
        self, conn: Connection, report: Report, head: visit_store.PlanHead
    ) -> VisitPlan:
        stored = visit_store.stops_of(conn, [report.report_id])
        xs, ys = self.ctx.projection.to_metric(
            np.array([s.lon for s in stored]), np.array([s.lat for s in stored])
        )
        sheets: dict[int, list[Stop]] = {}
        for s, x, y in zip(stored, xs, ys, strict=True):
            sheets.setdefault(s.sheet, []).append(visit_store.as_stop(s, float(x), float(y)))
        first, last = burglary_days(report, self.ctx.tz)
        return VisitPlan(
            report_id=report.report_id,
            zone_id=head.zone_id,
            burglary_from=first,
            burglary_to=last,
            planned_at=head.planned_at,
            sheets=tuple(Sheet(n, tuple(stops)) for n, stops in sorted(sheets.items())),
        )
