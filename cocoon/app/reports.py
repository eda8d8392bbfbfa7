"""Report use cases: ingest a file of reports, place one by hand, withdraw one, list the unplaced.

Each takes an explicit `now`; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cocoon.app.context import Context
from cocoon.core.addressing import AddressIndex
from cocoon.core.model import Report
from cocoon.errors import InputError, NotFoundError
from cocoon.fileio import file_sha256, write_atomic
from cocoon.outputs.rejects import rejects_csv
from cocoon.sources.report_rows import IngestRules, Rejection, validate
from cocoon.sources.reports import read_report_file
from cocoon.store import files as file_store
from cocoon.store import reports as report_store


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


class ReportCases:
    """The report use cases of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def ingest(
        self, path: str | Path, now: datetime, rejects_dir: str | Path | None = None
    ) -> IngestResult:
        """Read, validate and store one report file in one transaction; write its rejects file.

        The file's SHA-256 is stored with the reports, so the inbox can tell it was ingested
        even if the service stopped before moving it. The rejects file goes to `rejects_dir`
        (default: ingest.rejects_dir) and is written before the commit: a stored batch always
        has its rejects file.
        """
        ctx = self.ctx
        path = Path(path)
        source = read_report_file(path, ctx.settings)  # a missing file fails here, by name
        digest = file_sha256(path)
        wants_index = any(r.values.get("address") for r in source.rows)
        rules = IngestRules(
            tz=ctx.tz,
            area=ctx.area,
            projection=ctx.projection,
            addresses=ctx.address_index() if wants_index else AddressIndex([]),
            now=now,
            future_tolerance=timedelta(minutes=ctx.settings.ingest.future_tolerance_minutes),
            premises_values=ctx.settings.ingest.premises_values,
        )
        batch = validate(path.name, source.rows, rules, skipped=source.skipped)
        with ctx.engine.begin() as conn:
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
        stamp = now.astimezone(self.ctx.tz).strftime("%Y%m%dT%H%M%S")
        target = Path(folder or self.ctx.settings.ingest.rejects_dir) / f"{path.stem}-{stamp}"
        return write_atomic(target.with_name(target.name + ".rejects.csv"), rejects_csv(rejections))

    def ingested_file(self, sha256: str) -> file_store.IngestedFile | None:
        """The record of an earlier ingest of a file with these bytes, if any."""
        with self.ctx.engine.connect() as conn:
            return file_store.ingested(conn, sha256)

    def unlocated(self) -> list[tuple[Report, str]]:
        """Reports stored without a point, with the text that could not be placed."""
        with self.ctx.engine.connect() as conn:
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
        ctx = self.ctx
        address_id = None
        if address is not None:
            match = ctx.address_index().match(address)
            if match is None:
                raise NotFoundError(f"no single address in the register matches {address!r}")
            lon, lat, address_id, how = match.lon, match.lat, match.address_id, f"address {address}"
        elif lon is not None and lat is not None:
            how = "coordinates"
        else:
            raise InputError("give --address, or --lat and --lon, or --easting and --northing")
        if not ctx.area.contains(lon, lat):
            raise InputError(
                f"{lat:.5f} N, {lon:.5f} E is outside the service area {ctx.area.name}"
            )
        with ctx.engine.begin() as conn:
            report = report_store.get_report(conn, report_id)
            if report.retracted:
                raise NotFoundError(f"report {report_id!r} is withdrawn")
            report_store.locate(conn, report, lon, lat, address_id, how, now)
            return report_store.get_report(conn, report_id)

    def retract(self, report_id: str, reason: str, now: datetime) -> None:
        """Withdraw a report: it stays on record, its zone goes away."""
        with self.ctx.engine.begin() as conn:
            report_store.retract(conn, report_id, reason, now)
