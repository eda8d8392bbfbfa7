"""What the field app's pages show and keep, per role, as plain records: no web framework here.

A visiting team sees the rosters of the active zones it is given, named by zone and roster id
(a report's random key), never a report id, a burgled address or its point. Patrols see the
daily list's zones by their streets and the day's signs. The kommunpolis sees everything.
Outcomes tapped on a phone are kept once each, by the id the phone gave the tap.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from cocoon.app import reasons
from cocoon.app.context import Context
from cocoon.app.daily import DailyCases
from cocoon.app.field_map import (
    MapData,
    box_around,
    roads_layer,
    zone_corners,
    zones_layer,
)
from cocoon.app.reports import ReportCases
from cocoon.app.users import User, UserCases
from cocoon.app.visits import VisitCases
from cocoon.core.daily import NEW_WITHIN, DailyList, DailyZone
from cocoon.core.model import Level, Report
from cocoon.core.risk import Zone, burglary_days
from cocoon.core.signs.rules import Sign
from cocoon.core.visits import Outcome, ZoneVisits
from cocoon.errors import InputError, NotFoundError
from cocoon.sources.text import one_line_note
from cocoon.store import field as field_store
from cocoon.store import visits as visit_store
from cocoon.store.field import SignCheck, Tap

#: A tap's id: the UUID the phone made for it (version 4, lower case).
TAP_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
#: The longest note, and what-a-neighbour-saw, a tap may carry; and its "when".
MAX_NOTE, MAX_WHEN = 2000, 200
#: The ticks a sign can get.
SIGN_ACTIONS = ("up", "down")


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
    lon: float = 0.0
    lat: float = 0.0
    note: str | None = None
    saw_what: str | None = None
    saw_when: str | None = None


@dataclass(frozen=True)
class RosterView:
    summary: RosterSummary
    stops: tuple[RosterStop, ...]
    map: MapData = field(default_factory=MapData)


@dataclass(frozen=True)
class TapSent:
    """An outcome tapped on the roster page, as the phone sends it (perhaps long after)."""

    tap_id: str
    address_id: str
    outcome: str
    tapped_at: str = ""  # ISO 8601 from the phone's clock; empty: now
    note: str = ""
    saw_what: str = ""
    saw_when: str = ""


@dataclass(frozen=True)
class TapResult:
    """What a tap did: created, updated, unchanged, or superseded (a later outcome stands);
    `repeat` when the tap had been received before and this is its stored result."""

    tap_id: str
    address_id: str
    result: str
    repeat: bool


@dataclass(frozen=True)
class DaySign:
    """A sign on the day's list, without report ids, with the ticks it got."""

    sign: Sign
    lon: float
    lat: float
    up: SignCheck | None
    down: SignCheck | None


@dataclass(frozen=True)
class SignDay:
    day: date
    put_up: tuple[DaySign, ...]
    take_down: tuple[DaySign, ...]

    @property
    def unticked(self) -> int:
        return sum(s.up is None for s in self.put_up) + sum(s.down is None for s in self.take_down)


@dataclass(frozen=True)
class Waiting:
    """What waits for the kommunpolis: reports without a place, rosters nobody has started,
    and the day's signs nobody has ticked."""

    unlocated: tuple[tuple[Report, str], ...]
    not_started: tuple[RosterSummary, ...]
    signs_unticked: int


@dataclass(frozen=True)
class ZoneView:
    """One active zone: its line on the daily list, its rosters, its visits and its signs."""

    line: DailyZone
    rosters: tuple[RosterSummary, ...]
    visits: ZoneVisits | None
    signs: tuple[tuple[str, DaySign], ...]  # ("up" or "down", the sign) of the day
    map: MapData


class FieldCases:
    """The reads and the writes of the field app's pages."""

    def __init__(
        self,
        ctx: Context,
        users: UserCases,
        daily: DailyCases,
        visits: VisitCases,
        reports: ReportCases,
    ) -> None:
        self.ctx = ctx
        self.users = users
        self.daily = daily
        self.visits = visits
        self.reports = reports

    # --- reads -----------------------------------------------------------------------------

    def new_reports(self, now: datetime) -> list[NewReport]:
        """Reports of the last 24 hours, newest first, with their zone: for the kommunpolis."""
        zone_of = {rid: z.zone_id for z in self.ctx.zones(now) for rid in z.report_ids}
        with self.ctx.engine.connect() as conn:
            found = field_store.reported_between(conn, now - NEW_WITHIN, now)
        return [NewReport(r, zone_of.get(r.report_id)) for r in found]

    def daily_list(self, now: datetime, zones: list[Zone] | None = None) -> DailyList:
        """Today's list as it stands now: the zones by their main streets, the signs due."""
        return self.daily.list_for(now, self.today(now), zones).daily

    def today(self, now: datetime) -> date:
        return now.astimezone(self.ctx.tz).date()

    def rosters(
        self, user: User, now: datetime, zones: list[Zone] | None = None
    ) -> list[RosterSummary]:
        """The rosters of active zones a user may see: an admin all, a team those it is given."""
        zones = self.ctx.zones(now) if zones is None else zones
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
        """One roster's stops in walking order with its map, if the user may see it."""
        summary, rid = self._roster_of(user, key, now)
        with self.ctx.engine.connect() as conn:
            stored = visit_store.stops_of(conn, [rid])
            xy = [self.ctx.projection.point_to_metric(s.lon, s.lat) for s in stored]
            box = box_around(self.ctx.projection, xy)
            roads, labels = roads_layer(conn, box) if box else ([], [])
        stops = tuple(
            RosterStop(
                s.sheet, s.stop, s.address_id, s.address, s.visit_kind.value, s.distance_m,
                s.outcome.value if s.outcome else None, s.visited_at, s.lon, s.lat, s.note,
                s.saw_what, s.saw_when,
            )
            for s in stored
        )  # fmt: skip
        sheets = len({s.sheet for s in stops})
        marks = [
            {"lat": round(s.lat, 6), "lon": round(s.lon, 6), "sheet": s.sheet, "stop": s.stop,
             "label": f"{s.sheet}·{s.stop}" if sheets > 1 else str(s.stop),
             "address": s.address, "id": s.address_id, "outcome": s.outcome or "pending"}
            for s in stops
        ]  # fmt: skip
        return RosterView(summary, stops, MapData(roads=roads, labels=labels, stops=marks))

    def roster_pdf(self, user: User, key: str, now: datetime) -> bytes:
        """The printable roster (the same PDF `cocoon visits` writes), if the user may see it."""
        from cocoon.outputs import render

        _, rid = self._roster_of(user, key, now)
        return render("pdf", self.visits.roster(self.visits.plan(rid, now)))

    def zones_map(self, now: datetime, zones: list[Zone] | None = None) -> MapData:
        """The active zones over the loaded roads, and the day's signs: admin's and patrols'."""
        ctx = self.ctx
        zones = ctx.zones(now) if zones is None else zones
        day = self.signs_day(now)
        signs = [
            {"lat": round(s.lat, 6), "lon": round(s.lon, 6), "id": s.sign.sign_id,
             "zone": s.sign.zone_id, "what": s.sign.description, "due": due,
             "done": (s.up if due == "up" else s.down) is not None}
            for due, listed in (("up", day.put_up), ("down", day.take_down))
            for s in listed
        ]  # fmt: skip
        corners = zone_corners(zones)
        corners += [
            ctx.projection.point_to_metric(s.lon, s.lat) for s in (*day.put_up, *day.take_down)
        ]
        box = box_around(ctx.projection, corners)
        with ctx.engine.connect() as conn:
            roads, labels = roads_layer(conn, box) if box else ([], [])
        return MapData(
            roads=roads, labels=labels, zones=zones_layer(zones, ctx.projection, ctx.tz),
            signs=signs,
        )  # fmt: skip

    def zone(self, user: User, zone_id: str, now: datetime) -> ZoneView:
        """One active zone as the kommunpolis or a patrol sees it (a patrol: no rosters)."""
        zones = self.ctx.zones(now)
        zone = next((z for z in zones if z.zone_id == zone_id), None)
        if zone is None:
            raise NotFoundError(reasons.NO_ACTIVE_ZONE(zone_id=zone_id))
        daily = self.daily_list(now, [zone])
        rosters = self.rosters(user, now, [zone]) if user.role == "admin" else []
        visits = next(iter(self._status([zone])), None)
        day = self.signs_day(now)
        signs = tuple(
            (action, s)
            for action, listed in (("up", day.put_up), ("down", day.take_down))
            for s in listed
            if s.sign.zone_id == zone_id
        )
        shown = self.zones_map(now, [zone])
        shown = replace(shown, signs=[s for s in shown.signs if s["zone"] == zone_id])
        return ZoneView(daily.zones[0], tuple(rosters), visits, signs, shown)

    def visits_status(self, now: datetime) -> list[tuple[ZoneVisits, list[RosterSummary]]]:
        """Each active zone's visits so far (`cocoon visits status`), with its rosters."""
        zones = self.ctx.zones(now)
        admin = User(0, "-", "admin", "", now, None)
        by_zone: dict[str, list[RosterSummary]] = {}
        for r in self.rosters(admin, now, zones):
            by_zone.setdefault(r.zone_id, []).append(r)
        return [(v, by_zone.get(v.zone.zone_id, [])) for v in self._status(zones)]

    def _status(self, zones: list[Zone]) -> list[ZoneVisits]:
        ids = [r for z in zones for r in z.report_ids]
        with self.ctx.engine.connect() as conn:
            stored = visit_store.stops_of(conn, ids)
            planned = visit_store.planned_reports(conn, ids)
        out = []
        for zone in zones:
            stops = [s for s in stored if s.report_id in zone.report_ids]
            out.append(
                ZoneVisits(
                    zone, sum(1 for rid in zone.report_ids if rid in planned), len(stops),
                    Counter(s.outcome for s in stops),
                )
            )  # fmt: skip
        return out

    def signs_day(self, now: datetime) -> SignDay:
        """The day's signs to put up and take down (the stored plan), with their ticks."""
        day = self.today(now)
        due = self.daily.signs.due(day)
        listed = [replace(s, report_ids=()) for s in (*due.put_up, *due.take_down)]
        with self.ctx.engine.connect() as conn:
            checks = field_store.sign_checks_of(conn, {s.sign_id for s in listed})
        ticks = {(c.sign_id, c.action): c for c in checks}

        def shown(signs: list[Sign]) -> tuple[DaySign, ...]:
            out = []
            for s in sorted(signs, key=lambda s: (s.zone_id, s.sign_id)):
                lon, lat = self.ctx.projection.point_to_wgs84(s.x, s.y)
                sign = replace(s, report_ids=())
                up, down = ticks.get((s.sign_id, "up")), ticks.get((s.sign_id, "down"))
                out.append(DaySign(sign, lon, lat, up, down))
            return tuple(out)

        return SignDay(day, shown(due.put_up), shown(due.take_down))

    def waiting(self, user: User, now: datetime) -> Waiting:
        """What waits: unlocated reports, rosters not started, the day's signs unticked."""
        started = [r for r in self.rosters(user, now) if r.done == 0 and r.stops > 0]
        return Waiting(
            tuple(self.reports.unlocated()), tuple(started), self.signs_day(now).unticked
        )

    # --- writes ----------------------------------------------------------------------------

    def record_tap(self, user: User, key: str, sent: TapSent, now: datetime) -> TapResult:
        """Keep one tapped outcome exactly once: a tap whose id was received before changes
        nothing and gets its stored result. An outcome tapped before one already stored (a
        phone that was offline) is kept as a tap but does not replace the later one."""
        tap_id = sent.tap_id.strip().lower()
        if not TAP_ID.fullmatch(tap_id):
            raise InputError(reasons.TAP_ID_NOT_UUID(text=sent.tap_id[:40]))
        with self.ctx.engine.connect() as conn:
            before = field_store.tap(conn, tap_id)
        if before is not None:
            return self._repeat(before, user)
        summary, rid = self._roster_of(user, key, now)
        try:
            outcome = Outcome(sent.outcome)
        except ValueError:
            known = ", ".join(o.value for o in Outcome)
            raise InputError(reasons.UNKNOWN_OUTCOME(text=sent.outcome[:40], known=known)) from None
        note = _text("note", sent.note, MAX_NOTE)
        saw_what = _text("saw_what", sent.saw_what, MAX_NOTE)
        saw_when = _text("saw_when", sent.saw_when, MAX_WHEN)
        visited_at = self._tapped_at(sent.tapped_at, summary.planned_at, now)
        try:
            with self.ctx.engine.begin() as conn:
                on_roster, last = field_store.stop_visited_at(conn, rid, sent.address_id)
                if not on_roster:
                    raise NotFoundError(
                        reasons.NOT_ON_ROSTER(address_id=sent.address_id[:64], key=key)
                    )
                if last is not None and last > visited_at:
                    result = "superseded"
                else:
                    result = visit_store.record_outcome(
                        conn, sent.address_id, outcome, visited_at, note, now, report_id=rid,
                        neighbour_saw=(saw_what, saw_when),
                    )  # fmt: skip
                field_store.save_tap(conn, Tap(
                    tap_id, rid, sent.address_id, outcome.value, visited_at, note, saw_what,
                    saw_when, user.name, now, result,
                ))  # fmt: skip
        except IntegrityError:  # the same tap, sent twice at once: the first one was kept
            with self.ctx.engine.connect() as conn:
                kept = field_store.tap(conn, tap_id)
            if kept is None:
                raise
            return self._repeat(kept, user)
        return TapResult(tap_id, sent.address_id, result, repeat=False)

    def taps(self, report_id: str) -> list[Tap]:
        """The taps received for a report's roster, in the order they came."""
        with self.ctx.engine.connect() as conn:
            return field_store.taps_of(conn, report_id)

    def check_sign(self, user: User, sign_id: str, action: str, now: datetime, undo: bool) -> bool:
        """Tick (or untick) that one of the day's signs was put up or taken down."""
        if action not in SIGN_ACTIONS:
            raise InputError(reasons.NOT_UP_OR_DOWN(action=action[:16]))
        day = self.signs_day(now)
        listed = day.put_up if action == "up" else day.take_down
        if not any(s.sign.sign_id == sign_id for s in listed):
            text = reasons.NO_SIGN_TO_PUT_UP if action == "up" else reasons.NO_SIGN_TO_TAKE_DOWN
            raise NotFoundError(text(sign_id=sign_id[:16], day=day.day))
        with self.ctx.engine.begin() as conn:
            if undo:
                return field_store.uncheck_sign(conn, sign_id, action)
            return field_store.check_sign(conn, SignCheck(sign_id, action, now, user.name))

    # --- helpers ---------------------------------------------------------------------------

    def _repeat(self, kept: Tap, user: User) -> TapResult:
        if kept.user_name != user.name and user.role != "admin":
            raise NotFoundError(reasons.NO_SUCH_TAP())  # another user's id: nothing to say about it
        return TapResult(kept.tap_id, kept.address_id, kept.result, repeat=True)

    def _tapped_at(self, text: str, planned_at: datetime, now: datetime) -> datetime:
        """When the phone says the stop was done, within [planned, now]: a phone's clock may
        be off, and an outcome never lies in the future or before its roster."""
        if not text.strip():
            return now
        try:
            at = datetime.fromisoformat(text.strip())
        except ValueError:
            raise InputError(reasons.TAPPED_AT_NOT_ISO(text=text[:40])) from None
        if at.tzinfo is None:
            at = at.replace(tzinfo=self.ctx.tz)
        return min(max(at, planned_at), now)

    def _roster_of(self, user: User, key: str, now: datetime) -> tuple[RosterSummary, str]:
        """The roster's summary and its report id, if the user may see it; else not found."""
        zones = self.ctx.zones(now)
        summary = next((r for r in self.rosters(user, now, zones) if r.key == key), None)
        if summary is None:
            raise NotFoundError(reasons.NO_ROSTER_FOR(key=key[:16], name=user.name))
        return summary, self._visible(user, zones)[key][0]

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


def _text(name: str, value: str, limit: int) -> str | None:
    """A free text of a tap on one line, or None when empty; too long is refused, not cut."""
    if len(value) > limit:
        raise InputError(reasons.AT_MOST_CHARACTERS(name=name, limit=limit))
    return one_line_note(value) or None
