"""Inbox use cases: ingest the report files dropped in the inbox, each exactly once.

A file's bytes identify it (SHA-256, stored in the ingest's own transaction): a file ingested
before, under any name, is moved on without being ingested again. So a crash between the
ingest and the move, or the same export dropped twice, stores nothing twice.

One bad file never holds up the others: a file that cannot be taken, for any reason but a
failing database or disk, goes to rejected/DAY/ with its reason, and the round goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from cocoon.app.context import Context
from cocoon.app.reports import ReportCases
from cocoon.core.alerts import printable
from cocoon.errors import ConfigError, InputError, StoreError, describe
from cocoon.fileio import file_sha256
from cocoon.sources.inbox import Inbox, Seen, is_report_file, look, still
from cocoon.sources.report_rows import Rejection
from cocoon.store.files import IngestedFile

log = logging.getLogger("cocoon.inbox")


@dataclass
class InboxRound:
    """What one look into the inbox did, by file name."""

    ingested: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # some rows, or the whole file
    duplicates: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written
    failed: dict[str, str] = field(default_factory=dict)  # name: why it could not be taken
    reports_new: int = 0
    reports_updated: int = 0

    def problems(self) -> str | None:
        """The files that could not be taken, and why, as one line for the run's record."""
        if not self.failed:
            return None
        return printable("; ".join(f"{name}: {why}" for name, why in self.failed.items()))


#: A failing database (or a full disk), or settings that cannot work (a boundary file that cannot
#: be read): the file is not to blame and stays in the inbox for a later round.
STORE_FAILURES = (StoreError, SQLAlchemyError, ConfigError)


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
        """Take one file; whatever goes wrong with it but the store sends it to rejected/."""
        try:
            self._ingest(seen, now, result)
        except STORE_FAILURES:
            raise  # the file stays in the inbox; the round ends (the next files would fail too)
        except Exception as exc:
            extra = {"event": "inbox.failed", "file": seen.path.name}
            log.exception("%s could not be taken", printable(seen.path.name), extra=extra)
            self._reject_file(seen.path, now, describe(exc), result)

    def _ingest(self, seen: Seen, now: datetime, result: InboxRound) -> None:
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
            self._duplicate(path, earlier, day, result)
            return
        try:
            ingest = self.reports.ingest(path, now, rejects_dir=self.inbox.rejected_folder(day))
        except InputError as exc:
            self._reject_file(path, now, str(exc), result)
            return
        if ingest.ingested_meanwhile is not None:  # by `cocoon ingest` while this one waited
            self._duplicate(path, ingest.ingested_meanwhile, day, result)
            return
        rejected = bool(ingest.rejections)
        try:
            moved = self.inbox.move(path, rejected, day)
        except OSError as exc:  # stored: the next round finds it ingested and moves it on
            self._not_moved(name, "stored", exc, result)
            return
        (result.rejected if rejected else result.ingested).append(name)
        result.reports_new += ingest.created
        result.reports_updated += ingest.updated
        log.info(
            "%s: %d new, %d updated, %d unchanged, %d rejected; moved to %s",
            printable(name), ingest.created, ingest.updated, ingest.unchanged,
            len(ingest.rejections), moved,
            extra={
                "event": "inbox.ingested", "file": name, "sha256": digest,
                "reports_created": ingest.created, "reports_updated": ingest.updated,
                "reports_unchanged": ingest.unchanged, "rows_rejected": len(ingest.rejections),
                "rejects": str(ingest.rejects_path) if ingest.rejects_path else None,
            },
        )  # fmt: skip

    def _duplicate(self, path: Path, earlier: IngestedFile, day: date, result: InboxRound) -> None:
        """A file whose bytes were ingested before: moved on, not ingested again."""
        name = path.name
        try:
            moved = self.inbox.move(path, earlier.rejected > 0, day)
        except OSError as exc:
            self._not_moved(name, "ingested before", exc, result)
            return
        result.duplicates.append(name)
        log.info(
            "%s was ingested before (as %s, %s); moved to %s without ingesting it again",
            printable(name), printable(earlier.name),
            earlier.ingested_at.isoformat(timespec="seconds"), moved,
            extra={"event": "inbox.duplicate", "file": name, "sha256": earlier.sha256},
        )  # fmt: skip

    def _not_moved(self, name: str, done: str, exc: OSError, result: InboxRound) -> None:
        """A file whose reports are stored but that could not be moved on: the next round
        knows it by its bytes and tries the move again."""
        result.failed[name] = f"{done}, but not moved out of the inbox: {describe(exc)}"
        log.warning(
            "%s: %s", printable(name), result.failed[name],
            extra={"event": "inbox.not_moved", "file": name},
        )  # fmt: skip

    def _reject_file(self, path: Path, now: datetime, reason: str, result: InboxRound) -> None:
        """A file that cannot be taken: to rejected/, with the reason in a rejects file.

        Never fails itself: a rejects file or a move that cannot be made is logged and named
        in the run's record, and the round goes on (a file that could not be moved is tried
        again at the next round)."""
        name = path.name
        day = now.astimezone(self.ctx.tz).date()
        result.failed[name] = reason
        rejection = Rejection(name, "whole file", "file", reason, {})
        rejects: Path | None = None
        try:
            rejects = self.reports.write_rejects(
                path, [rejection], now, self.inbox.rejected_folder(day)
            )
        except OSError as exc:
            result.failed[name] = f"{reason} (its rejects file could not be written: {exc})"
        try:
            moved = self.inbox.move(path, True, day)
        except OSError as exc:
            result.failed[name] += f" (left in the inbox: it could not be moved: {exc})"
            log.error(
                "%s cannot be taken: %s", printable(name), printable(result.failed[name]),
                extra={"event": "inbox.unmovable", "file": name},
            )  # fmt: skip
            return
        result.rejected.append(name)
        log.warning(
            "%s rejected: %s; moved to %s",
            printable(name), printable(result.failed[name]), moved,
            extra={"event": "inbox.unreadable", "file": name,
                   "rejects": str(rejects) if rejects else None},
        )  # fmt: skip
