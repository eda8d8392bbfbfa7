"""Use cases shared by every adapter (CLI, scheduler, web): they wire store, sources and core.

Each takes an explicit `now` or `at`; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from sqlalchemy import Connection, Engine

from cocoon import store
from cocoon.app.alerts import AlertCases
from cocoon.app.daily import DailyCases
from cocoon.app.exports import ExportCases
from cocoon.app.inbox import InboxCases
from cocoon.app.runs import RunCases
from cocoon.app.signs import SignCases
from cocoon.app.visits import VisitCases
from cocoon.config import Settings
from cocoon.core.addressing import AddressIndex
from cocoon.core.geo import Projection, ServiceArea, lonlat_box
from cocoon.core.model import Address, Report, Road
from cocoon.core.risk import RiskRules, Zone, zones_at
from cocoon.core.signs.plan import zone_area
from cocoon.core.visits import Neighbour
from cocoon.errors import InputError, NotFoundError
from cocoon.fileio import file_sha256, write_atomic
from cocoon.outputs.rejects import rejects_csv
from cocoon.sources.report_rows import IngestRules as RowRules
from cocoon.sources.report_rows import Rejection, validate
from cocoon.sources.reports import read_report_file
from cocoon.store import addresses as address_store
from cocoon.store import files as file_store
from cocoon.store import reports as report_store
from cocoon.store import roads as road_store


@dataclass
class IngestResult:
    """What ingesting one file did."""

    file: str
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unlocated: list[str] = field(default_factory=list)
    skipped: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rejects_path: Path | None = None
    sha256: str = ""


@dataclass
class AddressResult:
    file: str
    created: int
    updated: int
    unchanged: int
    skipped: dict[str, int]
    rejections: list[str]


@dataclass
class RoadResult:
    file: str
    stored: int
    replaced: int
    skipped: dict[str, int]
    rejections: list[str]


#: Roads and addresses this far around the zones are read, so entry points at an edge are found.
ZONE_MARGIN_M = 200.0


class Cocoon:
    """One configured installation: settings, database and the rules derived from them."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or store.open_engine(settings.database.url)

    @cached_property
    def rules(self) -> RiskRules:
        return RiskRules.from_settings(self.settings)

    @cached_property
    def projection(self) -> Projection:
        return Projection(self.settings.area.crs)

    @cached_property
    def visits(self) -> VisitCases:
        """Door-visit planning, rosters and outcomes."""
        return VisitCases(self)

    @cached_property
    def signs(self) -> SignCases:
        """Sign placement and the day's lists."""
        return SignCases(self)

    @cached_property
    def daily(self) -> DailyCases:
        """The daily zone list for patrols."""
        return DailyCases(self)

    @cached_property
    def exports(self) -> ExportCases:
        """Map exports (GeoPackage, KML, GeoJSON, offline HTML, PNG) by profile."""
        return ExportCases(self)

    @cached_property
    def inbox(self) -> InboxCases:
        """Report files dropped in the inbox folder."""
        return InboxCases(self)

    @cached_property
    def alerts(self) -> AlertCases:
        """Alerts for newly zoned reports."""
        return AlertCases(self)

    @cached_property
    def runs(self) -> RunCases:
        """The record of the service's job runs."""
        return RunCases(self)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.area.timezone)

    @cached_property
    def area(self) -> ServiceArea:
        a = self.settings.area
        if not a.boundary:
            return ServiceArea(a.name, a.bbox)
        from cocoon.sources.boundary import read_boundary  # GDAL only when a boundary is set

        return ServiceArea(a.name, a.bbox, read_boundary(a.boundary))

    def init(self) -> str:
        """Create or upgrade the schema."""
        return store.upgrade(self.engine)

    def check(self) -> None:
        store.check_schema(self.engine)

    def ingest(
        self, path: str | Path, now: datetime, rejects_dir: str | Path | None = None
    ) -> IngestResult:
        """Read, validate and store one report file in one transaction; write its rejects file.

        The file's SHA-256 is stored with the reports, so the inbox can tell it was ingested
        even if the service stopped before moving it. The rejects file goes to `rejects_dir`
        (default: ingest.rejects_dir) and is written before the commit: a stored batch always
        has its rejects file.
        """
        path = Path(path)
        source = read_report_file(path, self.settings)  # a missing file fails here, by name
        digest = file_sha256(path)
        index = self._address_index() if any(r.values.get("address") for r in source.rows) else None
        rules = RowRules(
            tz=self.tz,
            area=self.area,
            projection=self.projection,
            addresses=index or AddressIndex([]),
            now=now,
            future_tolerance=timedelta(minutes=self.settings.ingest.future_tolerance_minutes),
            premises_values=self.settings.ingest.premises_values,
        )
        batch = validate(path.name, source.rows, rules, skipped=source.skipped)
        with self.engine.begin() as conn:
            counts = report_store.upsert_reports(conn, batch.reports, now)
            result = IngestResult(
                file=str(path),
                kind=source.kind,
                created=len(counts.created),
                updated=len(counts.updated),
                unchanged=len(counts.unchanged),
                unlocated=[rid for rid in batch.unlocated if rid not in counts.unchanged],
                skipped=batch.skipped,
                rejections=batch.rejections,
                sha256=digest,
            )
            if batch.rejections:
                result.rejects_path = self.write_rejects(path, batch.rejections, now, rejects_dir)
            file_store.record_file(
                conn,
                file_store.IngestedFile(
                    sha256=digest,
                    name=path.name,
                    size=path.stat().st_size,
                    ingested_at=now,
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    rejected=len(batch.rejections),
                    rejects_path=str(result.rejects_path) if result.rejects_path else None,
                ),
            )
        return result

    def write_rejects(
        self,
        path: Path,
        rejections: list[Rejection],
        now: datetime,
        folder: str | Path | None = None,
    ) -> Path:
        """FOLDER/NAME-STAMP.rejects.csv: the rows of `path` that were not stored, and why."""
        stamp = now.astimezone(self.tz).strftime("%Y%m%dT%H%M%S")
        target = Path(folder or self.settings.ingest.rejects_dir) / f"{path.stem}-{stamp}"
        return write_atomic(target.with_name(target.name + ".rejects.csv"), rejects_csv(rejections))

    def ingested_file(self, sha256: str) -> file_store.IngestedFile | None:
        """The record of an earlier ingest of a file with these bytes, if any."""
        with self.engine.connect() as conn:
            return file_store.ingested(conn, sha256)

    def _address_index(self) -> AddressIndex:
        with self.engine.connect() as conn:
            return AddressIndex(address_store.all_addresses(conn))

    def load_addresses(
        self, path: str | Path, now: datetime, layer: str | None = None
    ) -> AddressResult:
        """Import residential address points; a reload updates in place."""
        from cocoon.sources.addresses import read_addresses  # GDAL only for this command

        loaded = read_addresses(path, self.area, self.projection, layer=layer)
        with self.engine.begin() as conn:
            counts = address_store.upsert_addresses(conn, loaded.addresses, Path(path).name, now)
        return AddressResult(
            str(path), counts.created, counts.updated, counts.unchanged,
            loaded.skipped, loaded.rejections,
        )  # fmt: skip

    def load_roads(self, path: str | Path, now: datetime, layer: str | None = None) -> RoadResult:
        """Import the road network; a reload of the same file replaces what it loaded before."""
        from cocoon.sources.roads import read_roads  # GDAL only for this command

        loaded = read_roads(path, self.area, layer=layer)
        with self.engine.begin() as conn:
            counts = road_store.replace_roads(conn, loaded.roads, Path(path).name, now)
        return RoadResult(
            str(path), counts.stored, counts.removed, loaded.skipped, loaded.rejections
        )

    def burgled_homes(self, conn: Connection, at: datetime) -> list[tuple[Report, float, float]]:
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

    def zones(self, at: datetime) -> list[Zone]:
        """The risk zones at an instant."""
        with self.engine.connect() as conn:
            candidates = report_store.live_candidates(conn, at, at - self.rules.lookback)
        return zones_at(candidates, at, self.rules, self.projection)

    def unlocated(self) -> list[tuple[Report, str]]:
        with self.engine.connect() as conn:
            return report_store.unlocated(conn)

    def locate(
        self,
        report_id: str,
        now: datetime,
        *,
        address: str | None = None,
        lon: float | None = None,
        lat: float | None = None,
    ) -> Report:
        """Place a report by an address of the register or by WGS 84 coordinates."""
        address_id = None
        if address is not None:
            match = self._address_index().match(address)
            if match is None:
                raise NotFoundError(f"no single address in the register matches {address!r}")
            lon, lat, address_id, how = match.lon, match.lat, match.address_id, f"address {address}"
        elif lon is not None and lat is not None:
            how = "coordinates"
        else:
            raise InputError("give --address, or --lat and --lon, or --easting and --northing")
        if not self.area.contains(lon, lat):
            raise InputError(
                f"{lat:.5f} N, {lon:.5f} E is outside the service area {self.area.name}"
            )
        with self.engine.begin() as conn:
            report = report_store.get_report(conn, report_id)
            if report.retracted:
                raise NotFoundError(f"report {report_id!r} is withdrawn")
            report_store.locate(conn, report, lon, lat, address_id, how, now)
            return report_store.get_report(conn, report_id)

    def retract(self, report_id: str, reason: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            report_store.retract(conn, report_id, reason, now)
