"""Sign use cases: plan the signs of a day and keep them, list what goes up and comes down.

Shared by the CLI and the scheduler; each takes an explicit instant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from cocoon.app import reasons
from cocoon.app.context import Context
from cocoon.app.rules import sign_rules
from cocoon.core.model import Road
from cocoon.core.risk import Zone
from cocoon.core.roads import road_lines
from cocoon.core.signs.plan import plan_signs
from cocoon.core.signs.rules import Sign, SignPlan, SignTicks, signs_due
from cocoon.errors import InputError
from cocoon.outputs.content import SignSheet
from cocoon.store import field as field_store
from cocoon.store import reports as report_store
from cocoon.store import signs as sign_store

log = logging.getLogger("cocoon.signs")


@dataclass(frozen=True)
class DueList:
    """What goes up and what comes down on one day."""

    day: date
    put_up: list[Sign]
    take_down: list[Sign]


class SignCases:
    """The sign use cases of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rules = sign_rules(ctx.settings)

    def plan(self, at: datetime, zones: list[Zone] | None = None) -> SignSheet:
        """The sign plan of `at`'s local day, stored: signs stay put while their zone lives.

        Plans go forward in time; a day before the last planned one is refused, since the
        signs that were up then are history.
        """
        ctx = self.ctx
        day = at.astimezone(ctx.tz).date()
        if zones is None:
            zones = ctx.zones(at)
        with ctx.engine.begin() as conn:
            last = sign_store.last_plan_day(conn)
            if last is not None and day < last:
                raise InputError(reasons.SIGNS_PLANNED_FORWARD(last=last, day=day))
            roads = ctx.roads_around(conn, zones)
            existing = [self._sign(s) for s in sign_store.signs_up(conn)]
            plan = plan_signs(
                zones,
                road_lines(roads, ctx.projection),
                existing,
                [(x, y) for _, x, y in ctx.burgled_homes(conn, at)],
                day,
                ctx.tz,
                self.rules,
                lambda: report_store.new_key("S"),
                ctx.settings.output.language,
                ctx.addresses_around(conn, zones),
            )
            sign_store.save_plan(conn, plan, self._points(plan.new), at)
        return self.sheet(plan, roads)

    def plan_forward(self, at: datetime, zones: list[Zone] | None = None) -> SignSheet | None:
        """The jobs' plan of `at`'s day; None (and a warning) when a later day was planned by
        hand, so the jobs go on with the plan as stored instead of failing."""
        try:
            return self.plan(at, zones)
        except InputError as exc:
            log.warning("sign plan kept as stored: %s", exc, extra={"event": "signs.kept"})
            return None

    def due(self, day: date) -> DueList:
        """The signs to put up and to take down on a day, from the stored plan and the ticks
        of the field app (`cocoon.core.signs.rules.signs_due` says how they count)."""
        with self.ctx.engine.connect() as conn:
            stored = sign_store.signs_around(conn, day)
            standing = set(field_store.ticked_up_not_down(conn)) - {s.sign_id for s in stored}
            stored += [s for s in sign_store.signs_with_ids(conn, standing) if s.take_down < day]
            ticks = self._ticks(conn, [s.sign_id for s in stored])
        up, down = signs_due([self._sign(s) for s in stored], day, ticks)
        early = [self._sign(s) for s in stored if s.down_on == day and s.take_down != day]
        return DueList(day, up, [*down, *early])

    def _ticks(self, conn: Connection, sign_ids: list[str]) -> SignTicks:
        tz = self.ctx.tz
        first = field_store.first_sign_check(conn)
        checks = field_store.sign_checks_of(conn, sign_ids)
        days = {
            action: {c.sign_id: c.at.astimezone(tz).date() for c in checks if c.action == action}
            for action in ("up", "down")
        }
        since = first.astimezone(tz).date() if first is not None else None
        return SignTicks(days["up"], days["down"], since)

    def sheet(self, plan: SignPlan, roads: list[Road]) -> SignSheet:
        ctx = self.ctx
        output = ctx.settings.output
        return SignSheet(
            plan, ctx.projection, ctx.tz, output.language, tuple(roads), output.csv_format
        )

    def _sign(self, s: sign_store.StoredSign) -> Sign:
        x, y = self.ctx.projection.point_to_metric(s.lon, s.lat)
        return Sign(
            s.sign_id, s.zone_id, x, y, s.put_up, s.take_down, s.description, s.on_road,
            s.report_ids,
        )  # fmt: skip

    def _points(self, new: tuple[Sign, ...]) -> dict[str, tuple[float, float]]:
        if not new:
            return {}
        lons, lats = self.ctx.projection.to_wgs84([s.x for s in new], [s.y for s in new])
        return {
            s.sign_id: (float(lo), float(la)) for s, lo, la in zip(new, lons, lats, strict=True)
        }
