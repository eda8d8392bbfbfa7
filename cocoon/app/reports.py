"""Report use cases: ingest a file of reports, place one by hand, withdraw one, list the unplaced.

Each takes an explicit `now`; nothing here reads the clock.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from cocoon.app import reasons
from cocoon.app.context import Context
from cocoon.core.model import Report
from cocoon.errors import CocoonError, InputError, NotFoundError, StoreError
from cocoon.fileio import file_sha256, write_atomic
from cocoon.outputs.rejects import rejects_csv
from cocoon.sources.report_rows import Batch, Rejection, validate
from cocoon.sources.reports import read_report_file
from cocoon.store import files as file_store
from cocoon.store import reports as report_store
from cocoon.store.turns import take_turn


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
    #: Set when another run ingested the same file while this one waited for its turn: this
    #: one then stored nothing (its counts are what the file's rows are now: unchanged).
    ingested_meanwhile: file_store.IngestedFile | None = None
    note: str | None = None  # what to tell the user beside the counts, if anything


#: Errors of the disk rather than of the file: the file is fine, it can be ingested later.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})


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
        has its rejects file, and a batch that is not stored (a full disk, a database error)
        leaves none. Ingests take turns: one of the same file that another run stored while
        this one waited stores nothing (`ingested_meanwhile`).
        """
        ctx = self.ctx
        path = Path(path)
        source = read_report_file(path, ctx.settings)  # a missing file fails here, by name
        digest = file_sha256(path)
        rules = ctx.ingest_rules(source.rows, now)
        batch = validate(path.name, source.rows, rules, skipped=source.skipped)
        written: list[Path] = []
        try:
            return self._store(path, source.kind, batch, digest, now, rejects_dir, written)
        except BaseException as exc:
            for rejects in written:  # its batch was not stored: neither is its rejects file
                rejects.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _disk_error(path, exc, exc.filename) from exc
            if isinstance(exc, SQLAlchemyError):
                first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
                raise StoreError(reasons.DATABASE_ERROR(path=path, reason=first)) from exc
            raise

    def _store(
        self,
        path: Path,
        kind: str,
        batch: Batch,
        digest: str,
        now: datetime,
        rejects_dir: str | Path | None,
        written: list[Path],
    ) -> IngestResult:
        """Store a validated batch in one transaction, in turn with other ingests."""
        ctx = self.ctx
        with ctx.engine.connect() as conn:
            known_before = file_store.ingested(conn, digest)
        with ctx.engine.begin() as conn:
            take_turn(conn, "ingest")  # another ingest in progress: wait for it
            known = file_store.ingested(conn, digest)
            if known is not None and known != known_before:
                at = known.ingested_at.astimezone(ctx.tz).strftime("%H:%M:%S")
                return IngestResult(
                    file=str(path),
                    kind=kind,
                    unchanged=len(batch.reports),
                    skipped=batch.skipped,
                    rejections=batch.rejections,
                    rejects_path=Path(known.rejects_path) if known.rejects_path else None,
                    sha256=digest,
                    ingested_meanwhile=known,
                    note=f"{path}: already ingested by another run at {at}; nothing stored twice",
                )
            counts = report_store.upsert_reports(conn, batch.reports, now)
            result = IngestResult(
                file=str(path),
                kind=kind,
                created=len(counts.created),
                updated=len(counts.updated),
                unchanged=len(counts.unchanged),
                unlocated=[rid for rid in batch.unlocated if rid not in counts.unchanged],
                skipped=batch.skipped,
                rejections=batch.rejections,
                sha256=digest,
            )
            if batch.rejections:
                try:
                    result.rejects_path = self.write_rejects(
                        path, batch.rejections, now, rejects_dir
                    )
                except OSError as exc:
                    raise _disk_error(path, exc, "its rejects file") from exc
                written.append(result.rejects_path)
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
        output = self.ctx.settings.output
        data = rejects_csv(rejections, output.csv_format, output.language)
        return write_atomic(target.with_name(target.name + ".rejects.csv"), data)

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
                raise NotFoundError(reasons.NO_SINGLE_ADDRESS(address=address))
            lon, lat, address_id, how = match.lon, match.lat, match.address_id, f"address {address}"
        elif lon is not None and lat is not None:
            how = "coordinates"
        else:
            raise InputError(reasons.NO_PLACE_GIVEN())
        if not ctx.area.contains(lon, lat):
            raise InputError(reasons.PLACE_OUTSIDE(lat=lat, lon=lon, area=ctx.area.name))
        with ctx.engine.begin() as conn:
            report = report_store.get_report(conn, report_id)
            if report.retracted:
                raise NotFoundError(reasons.WITHDRAWN(report_id=report_id))
            report_store.locate(conn, report, lon, lat, address_id, how, now)
            return report_store.get_report(conn, report_id)

    def retract(self, report_id: str, reason: str, now: datetime) -> None:
        """Withdraw a report: it stays on record, its zone goes away."""
        with self.ctx.engine.begin() as conn:
            report_store.retract(conn, report_id, reason, now)


def _disk_error(path: Path, exc: OSError, writing: object = None) -> CocoonError:
    """A write that failed during an ingest, as one line naming the file: a full disk is the
    store's failure (the file is fine and can be ingested later), others the file's."""
    where = f" (writing {writing})" if writing else ""
    line = f"{path}: {exc.strerror or exc}{where}; nothing was stored"
    return StoreError(line) if exc.errno in STORAGE_ERRNOS else CocoonError(line)
