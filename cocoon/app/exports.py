"""Map-export use cases: gather what a map shows at an instant and let the profile decide.

Shared by the CLI and the scheduler; each takes an explicit instant. Reads only: an export
never plans signs or visits, it shows what is stored.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy import Connection

from cocoon.app.context import Context
from cocoon.app.rules import public_rules
from cocoon.core.geo import lonlat_box
from cocoon.core.maps import SignOnMap, StopOnMap, map_content, sign_status
from cocoon.core.model import Address, Road
from cocoon.core.profile import Profile
from cocoon.core.risk import Zone
from cocoon.core.signs.rules import Sign
from cocoon.outputs.maps import ExportMap
from cocoon.store import addresses as address_store
from cocoon.store import roads as road_store
from cocoon.store import signs as sign_store
from cocoon.store import visits as visit_store


class ExportCases:
    """The export use cases of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.public_rules = public_rules(ctx.settings)

    def map(self, at: datetime, profile: Profile, zones: list[Zone] | None = None) -> ExportMap:
        """What an export at `at` shows under `profile`, with the roads (and, internal, the
        register addresses) of its frame as the base layer."""
        ctx = self.ctx
        if zones is None:
            zones = ctx.zones(at)
        with ctx.engine.connect() as conn:
            homes = [(x, y) for _, x, y in ctx.burgled_homes(conn, at)]
            signs: list[SignOnMap] = []
            stops: list[StopOnMap] = []
            if profile is Profile.INTERNAL:
                signs = self._signs(conn, at.astimezone(ctx.tz).date())
                stops = self._stops(conn, zones)
            publication = map_content(
                profile, zones, homes, ctx.rules, self.public_rules, signs, stops
            )
            roads: list[Road] = []
            addresses: list[Address] = []
            frame = publication.frame()
            if frame is not None:
                min_x, min_y, max_x, max_y = frame
                # a landscape A4 picture of a tall frame shows √2 times its height across
                half = max(max_x - min_x, max_y - min_y) / 2 * math.sqrt(2)
                box = lonlat_box(ctx.projection, (min_x + max_x) / 2, (min_y + max_y) / 2, half)
                roads = road_store.roads_in_box(conn, *box)
                if publication.shows_addresses:
                    addresses = address_store.addresses_in_box(conn, *box)
        return ExportMap(
            publication=publication,
            at=at,
            projection=ctx.projection,
            tz=ctx.tz,
            language=ctx.settings.output.language,
            roads=tuple(roads),
            addresses=tuple(addresses),
        )

    def _signs(self, conn: Connection, day: date) -> list[SignOnMap]:
        """The signs standing on `day`, coming down that day, or planned to go up later."""
        stored = {s.sign_id: s for s in sign_store.signs_around(conn, day)}
        stored.update({s.sign_id: s for s in sign_store.signs_up(conn) if s.put_up > day})
        if not stored:
            return []
        rows = sorted(stored.values(), key=lambda s: (s.zone_id, s.sign_id))
        xs, ys = self.ctx.projection.to_metric([s.lon for s in rows], [s.lat for s in rows])
        out = []
        for s, x, y in zip(rows, xs, ys, strict=True):
            sign = Sign(
                s.sign_id,
                s.zone_id,
                float(x),
                float(y),
                s.put_up,
                s.take_down,
                s.description,
                s.on_road,
                s.report_ids,
            )
            out.append(SignOnMap(sign, sign_status(sign, day, s.down_on)))
        return out

    def _stops(self, conn: Connection, zones: list[Zone]) -> list[StopOnMap]:
        """The stored visit stops of the zones' reports, with what the teams found."""
        zone_of = {rid: z.zone_id for z in zones for rid in z.report_ids}
        stored = visit_store.stops_of(conn, list(zone_of))
        if not stored:
            return []
        xs, ys = self.ctx.projection.to_metric([s.lon for s in stored], [s.lat for s in stored])
        return [
            StopOnMap(
                report_id=s.report_id,
                zone_id=zone_of[s.report_id],
                sheet=s.sheet,
                number=s.stop,
                stop=visit_store.as_stop(s, float(x), float(y)),
                outcome=s.outcome,
                visited_at=s.visited_at,
                note=s.note,
            )
            for s, x, y in zip(stored, xs, ys, strict=True)
        ]
