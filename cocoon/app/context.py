"""What every use case shares: the settings, the database, the projection, the risk rules and
the reads that several jobs make (the zones at an instant, the burgled homes, what lies
around a place)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from sqlalchemy import Connection, Engine

from cocoon.app.rules import risk_rules
from cocoon.config import Settings
from cocoon.core.addressing import AddressIndex
from cocoon.core.geo import Projection, ServiceArea, lonlat_box, national_area
from cocoon.core.model import Address, Report, Road
from cocoon.core.risk import RiskRules, Zone, zone_area, zones_at
from cocoon.core.visits import Neighbour
from cocoon.errors import ConfigError, InputError
from cocoon.sources.report_rows import IngestRules, Row
from cocoon.store import addresses as address_store
from cocoon.store import reports as report_store
from cocoon.store import roads as road_store
from cocoon.store.engine import open_engine

#: Roads and addresses this far around the zones are read, so entry points at an edge are found.
ZONE_MARGIN_M = 200.0

#: A burgled home with its point in the metric CRS.
BurgledPoint = tuple[Report, float, float]


class Context:
    """One configured installation's settings and database, and the reads its jobs share."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        if engine is not None:
            self.__dict__["engine"] = engine  # given: the cached property below is not asked

    @cached_property
    def engine(self) -> Engine:
        """The database, opened when a job first needs it: `cocoon knox FILE` never does."""
        return open_engine(self.settings.database.url)

    @cached_property
    def rules(self) -> RiskRules:
        return risk_rules(self.settings)

    @cached_property
    def projection(self) -> Projection:
        return Projection(self.settings.area.crs)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.area.timezone)

    @cached_property
    def area(self) -> ServiceArea:
        """The box narrowed by `area.boundary`, else by Sweden's outline (a box wholly outside
        Sweden, the Helsinki demo's, is taken as it is). A bad boundary file is a ConfigError,
        so that the inbox does not put the blame on the report file it was ingesting."""
        from cocoon.sources.boundary import read_boundary, sweden_outline

        a = self.settings.area
        if not a.boundary:
            return national_area(a.name, a.bbox, sweden_outline())
        try:
            return ServiceArea(a.name, a.bbox, read_boundary(a.boundary))
        except InputError as exc:
            raise ConfigError(f"area.boundary: {exc}") from exc

    def zones(self, at: datetime) -> list[Zone]:
        """The risk zones at an instant."""
        with self.engine.connect() as conn:
            candidates = report_store.live_candidates(conn, at, at - self.rules.lookback)
        return zones_at(candidates, at, self.rules, self.projection)

    def ingest_rules(self, rows: Sequence[Row], now: datetime) -> IngestRules:
        """What validating report rows needs: the area, the time zone, the settings' tolerances,
        and the address register when some row gives its place as an address."""
        wants_index = any(row.values.get("address") for row in rows)
        ingest = self.settings.ingest
        return IngestRules(
            tz=self.tz,
            area=self.area,
            projection=self.projection,
            addresses=self.address_index() if wants_index else AddressIndex([]),
            now=now,
            future_tolerance=timedelta(minutes=ingest.future_tolerance_minutes),
            premises_values=ingest.premises_values,
        )

    def address_index(self) -> AddressIndex:
        """The whole register, indexed for matching the address text of reports."""
        with self.engine.connect() as conn:
            return AddressIndex(address_store.all_addresses(conn))

    def burgled_homes(self, conn: Connection, at: datetime) -> list[BurgledPoint]:
        """Every burglary of the risk period (late reports included) with its metric point:
        no roster lists these homes and no sign stands near them."""
        recent = report_store.recent_located(conn, at - self.rules.lookback)
        if not recent:
            return []
        lons = [r.lon if r.lon is not None else np.nan for r in recent]  # all located
        lats = [r.lat if r.lat is not None else np.nan for r in recent]
        xs, ys = self.projection.to_metric(lons, lats)
        return [(r, float(x), float(y)) for r, x, y in zip(recent, xs, ys, strict=True)]

    def roads_around(self, conn: Connection, zones: list[Zone]) -> list[Road]:
        """The loaded roads in the box around the zones: sign places, street names, maps."""
        box = self._zones_box(zones)
        return road_store.roads_in_box(conn, *box) if box else []

    def addresses_around(self, conn: Connection, zones: list[Zone]) -> list[Neighbour]:
        """The register addresses in the box around the zones, with their metric points."""
        box = self._zones_box(zones)
        return self.neighbours(address_store.addresses_in_box(conn, *box)) if box else []

    def neighbours(self, found: list[Address]) -> list[Neighbour]:
        """Register addresses with their points in the metric CRS, projected in one call."""
        if not found:
            return []
        xs, ys = self.projection.to_metric([a.lon for a in found], [a.lat for a in found])
        return [Neighbour(a, float(x), float(y)) for a, x, y in zip(found, xs, ys, strict=True)]

    def _zones_box(self, zones: list[Zone]) -> tuple[float, float, float, float] | None:
        """The lon/lat box around all zones, with a margin that finds entry roads at the edge."""
        if not zones:
            return None
        min_x, min_y, max_x, max_y = shapely.total_bounds([zone_area(z) for z in zones])
        half = max(max_x - min_x, max_y - min_y) / 2 + ZONE_MARGIN_M
        return lonlat_box(self.projection, (min_x + max_x) / 2, (min_y + max_y) / 2, half)
