"""Inbox use cases: ingest the report files dropped in the inbox, each exactly once.

A file's bytes identify it (SHA-256, stored in the ingest's own transaction): a file ingested
before, under any name, is moved on without being ingested again. So a crash between the
ingest and the move, or the same export dropped twice, stores nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cocoon.app.context import Context
from cocoon.app.reports import ReportCases
from cocoon.errors import InputError
from cocoon.fileio import file_sha256
from cocoon.sources.inbox import Inbox, Seen, is_report_file, look, still
from cocoon.sources.report_rows import Rejection

log = logging.getLogger("cocoon.inbox")


@dataclass
class InboxRound:
    """What one look into the inbox did, by file name."""

    ingested: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # some rows, or the whole file
    duplicates: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written
    reports_new: int = 0
    reports_updated: int = 0


class InboxCases:
    """The inbox of one installation."""

    def __init__(self, ctx: Context, reports: ReportCases) -> None:
        self.ctx = ctx
        self.reports = reports
        s = ctx.settings.service
        self.inbox = Inbox(
            Path(s.inbox_dir),
            Path(s.processed_dir),
            Path(s.rejected_dir),
            timedelta(seconds=s.settle_seconds),
        )

    def take(self, now: datetime, stopping: Callable[[], bool] = lambda: False) -> InboxRound:
        """Ingest every file that is ready, oldest first; stop between files when asked."""
        result = InboxRound()
        for seen in self.inbox.ready(now):
            if stopping():
                break
            self._take(seen, now, result)
        return result

    def waiting(self) -> int:
        """How many files lie in the inbox now."""
        return len(look(self.inbox.inbox))

    def _take(self, seen: Seen, now: datetime, result: InboxRound) -> None:
        path, name = seen.path, seen.path.name
        day = now.astimezone(self.ctx.tz).date()
        if not is_report_file(path):
            self._reject_file(path, now, "not a report file: use .csv, .geojson or .json", result)
            return
        digest = file_sha256(path)
        if not still(seen):
            result.waiting.append(name)  # written to while we read it: next round
            return
        earlier = self.reports.ingested_file(digest)
        if earlier is not None:
            moved = self.inbox.move(path, earlier.rejected > 0, day)
            result.duplicates.append(name)
            log.info(
                "%s was ingested before (as %s, %s); moved to %s without ingesting it again",
                name, earlier.name, earlier.ingested_at.isoformat(timespec="seconds"), moved,
                extra={"event": "inbox.duplicate", "file": name, "sha256": digest},
            )  # fmt: skip
            return
        try:
            ingest = self.reports.ingest(path, now, rejects_dir=self.inbox.rejected_folder(day))
        except InputError as exc:
            self._reject_file(path, now, str(exc), result)
            return
        rejected = bool(ingest.rejections)
        moved = self.inbox.move(path, rejected, day)
        (result.rejected if rejected else result.ingested).append(name)
        result.reports_new += ingest.created
        result.reports_updated += ingest.updated
        log.info(
            "%s: %d new, %d updated, %d unchanged, %d rejected; moved to %s",
            name, ingest.created, ingest.updated, ingest.unchanged, len(ingest.rejections), moved,
            extra={
                "event": "inbox.ingested", "file": name, "sha256": digest,
                "reports_created": ingest.created, "reports_updated": ingest.updated,
                "reports_unchanged": ingest.unchanged, "rows_rejected": len(ingest.rejections),
                "rejects": str(ingest.rejects_path) if ingest.rejects_path else None,
            },
        )  # fmt: skip

    def _reject_file(self, path: Path, now: datetime, reason: str, result: InboxRound) -> None:
        """A file that cannot be read at all: to rejected/, with the reason in a rejects file."""
        day = now.astimezone(self.ctx.tz).date()
        rejection = Rejection(path.name, "whole file", "file", reason, {})
        rejects = self.reports.write_rejects(
            path, [rejection], now, self.inbox.rejected_folder(day)
        )
        moved = self.inbox.move(path, True, day)
        result.rejected.append(path.name)
        log.warning(
            "%s rejected: %s; moved to %s",
            path.name, reason, moved,
            extra={"event": "inbox.unreadable", "file": path.name, "rejects": str(rejects)},
        )  # fmt: skip
