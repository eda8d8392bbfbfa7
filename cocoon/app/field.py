"""What the field app's pages show, per role, as plain records: no web framework here.

A visiting team sees the rosters of the active zones it is given, named by zone and roster id
(a report's random key), never a report id, a burgled address or its point. Patrols see the
daily list's zones by their streets. The kommunpolis sees everything, report ids too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from cocoon.app.context import Context
from cocoon.app.daily import DailyCases
from cocoon.app.users import User, UserCases
from cocoon.core.daily import NEW_WITHIN, DailyList
from cocoon.core.model import Level, Report
from cocoon.core.risk import Zone, burglary_days
from cocoon.errors import NotFoundError
from cocoon.store import field as field_store
from cocoon.store import visits as visit_store


@dataclass(frozen=True)
class NewReport:
    """A report of the last 24 hours as the kommunpolis sees it (internal)."""

    report: Report
    zone_id: str | None  # the active zone it is in, if it makes one


@dataclass(frozen=True)
class RosterSummary:
    """One roster as a team sees it: which zone, when the burglary was, how far it has come."""

    key: str  # the report's random key; never its id
    zone_id: str
    level: Level
    level_until: datetime
    burglary_from: date
    burglary_to: date
    planned_at: datetime
    stops: int
    outcomes: dict[str, int]  # outcome → stops; "pending" for those without one

    @property
    def done(self) -> int:
        return self.stops - self.outcomes.get("pending", 0)


@dataclass(frozen=True)
class RosterStop:
    """One stop of a roster: a neighbour's door or stairwell, never the burgled home."""

    sheet: int
    stop: int
    address_id: str
    address: str
    visit_kind: str
    distance_m: int
    outcome: str | None
    visited_at: datetime | None


@dataclass(frozen=True)
class RosterView:
    summary: RosterSummary
    stops: tuple[RosterStop, ...]


class FieldCases:
    """The reads of the field app's pages."""

    def __init__(self, ctx: Context, users: UserCases, daily: DailyCases) -> None:
        self.ctx = ctx
        self.users = users
        self.daily = daily

    def new_reports(self, now: datetime) -> list[NewReport]:
        """Reports of the last 24 hours, newest first, with their zone: for the kommunpolis."""
        zone_of = {rid: z.zone_id for z in self.ctx.zones(now) for rid in z.report_ids}
        with self.ctx.engine.connect() as conn:
            found = field_store.reported_between(conn, now - NEW_WITHIN, now)
        return [NewReport(r, zone_of.get(r.report_id)) for r in found]

    def daily_list(self, now: datetime) -> DailyList:
        """Today's list as it stands now: the zones by their main streets, the signs due."""
        return self.daily.list_for(now, now.astimezone(self.ctx.tz).date()).daily

    def rosters(self, user: User, now: datetime) -> list[RosterSummary]:
        """The rosters of active zones a user may see: an admin all, a team those it is given."""
        zones = self.ctx.zones(now)
        wanted = self._visible(user, zones)
        ids = [rid for rid, _ in wanted.values()]
        with self.ctx.engine.connect() as conn:
            stops = visit_store.stops_of(conn, ids)
            heads = {rid: visit_store.plan_head(conn, rid) for rid in ids}
        counts: dict[str, Counter[str]] = {rid: Counter() for rid in ids}
        for s in stops:
            counts[s.report_id][s.outcome.value if s.outcome else "pending"] += 1
        out = []
        for key, (rid, zone) in wanted.items():
            head = heads[rid]
            if head is None:
                continue  # no roster planned yet
            live = next(lr for lr in zone.reports if lr.report.report_id == rid)
            first, last = burglary_days(live.report, self.ctx.tz)
            out.append(
                RosterSummary(
                    key=key, zone_id=zone.zone_id, level=zone.level,
                    level_until=zone.level_until, burglary_from=first, burglary_to=last,
                    planned_at=head.planned_at, stops=sum(counts[rid].values()),
                    outcomes=dict(counts[rid]),
                )
            )  # fmt: skip
        return sorted(out, key=lambda r: (r.zone_id, r.planned_at, r.key))

    def roster(self, user: User, key: str, now: datetime) -> RosterView:
        """One roster's stops in walking order, if the user may see it; else not found."""
        summary = next((r for r in self.rosters(user, now) if r.key == key), None)
        if summary is None:
            raise NotFoundError(f"no roster {key} for {user.name}")
        rid = self._visible(user, self.ctx.zones(now))[key][0]
        with self.ctx.engine.connect() as conn:
            stored = visit_store.stops_of(conn, [rid])
        stops = tuple(
            RosterStop(s.sheet, s.stop, s.address_id, s.address, s.visit_kind.value, s.distance_m,
                       s.outcome.value if s.outcome else None, s.visited_at)
            for s in stored
        )  # fmt: skip
        return RosterView(summary, stops)

    def _visible(self, user: User, zones: list[Zone]) -> dict[str, tuple[str, Zone]]:
        """Roster key → (report id, zone) of the live reports whose rosters `user` may see."""
        given: list[tuple[str, str]] = []
        if user.role == "team":
            given = [(a.kind, a.zone_key) for a in self.users.assignments(user.name)]
        elif user.role != "admin":
            return {}
        out: dict[str, tuple[str, Zone]] = {}
        for zone in zones:
            keys = {lr.report.zone_key for lr in zone.reports}
            for lr in zone.reports:
                key = lr.report.zone_key
                if (
                    user.role == "admin"
                    or ("roster", key) in given
                    or any(kind == "zone" and k in keys for kind, k in given)
                ):
                    out[key] = (lr.report.report_id, zone)
        return out
