"""Alert use cases: for each newly zoned report, its roster and the sign plan in the outbox,
a line in the alert log and, where configured, an e-mail.

Run by the service after every look into the inbox; each takes an explicit `now`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from cocoon.app.context import Context
from cocoon.app.signs import SignCases
from cocoon.app.visits import VisitCases
from cocoon.core.alerts import (
    AlertNote,
    NewReport,
    alert_line,
    alert_subject,
    awaiting_alerts,
    owed_since,
    printable,
)
from cocoon.core.risk import Zone
from cocoon.core.visits import gets_visits
from cocoon.errors import ConfigError, DeliveryError, describe
from cocoon.fileio import append_line, safe_name
from cocoon.i18n import text
from cocoon.outputs.content import SignSheet
from cocoon.outputs.files import write_roster, write_sign_plan
from cocoon.store import alerts as alert_store
from cocoon.store import visits as visit_store

log = logging.getLogger("cocoon.alerts")

#: Failed alert mails are tried again for this long.
MAIL_RETRY = timedelta(hours=24)

#: An alert that fails this many times (one try per poll) is not tried again: the failures are
#: on record with their reason for `cocoon status`, and the roster can be made by hand.
ALERT_ATTEMPTS = 5


@dataclass
class AlertRound:
    """What one pass did."""

    alerted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # report id: the error, tried again later
    given_up: list[str] = field(default_factory=list)  # failed for the last time: not tried again
    mails_sent: int = 0
    mails_failed: int = 0

    def problems(self) -> str | None:
        """The failed alerts as one line for the run's record, ids escaped; None if none."""
        if not self.failed:
            return None
        return printable(
            "; ".join(
                f"{rid}: {why}"
                + (f" (given up after {ALERT_ATTEMPTS} attempts)" if rid in self.given_up else "")
                for rid, why in self.failed.items()
            )
        )


class Mailer(Protocol):
    """Sends one alert mail to the configured recipients; a failure is a DeliveryError."""

    def send(self, subject: str, body: str, attachments: Sequence[Path]) -> None: ...


class AlertCases:
    """The alert use cases of one installation.

    The mailer is handed in by the adapter that sends alerts (the service); without one, an
    installation whose settings turn mail on refuses to send rather than skip the mail.
    """

    def __init__(
        self, ctx: Context, visits: VisitCases, signs: SignCases, mailer: Mailer | None = None
    ) -> None:
        self.ctx = ctx
        self.visits = visits
        self.signs = signs
        self.mailer = mailer

    def waiting(self, now: datetime, zones: list[Zone] | None = None) -> list[NewReport]:
        """Reports in live zones, reported within the high-risk period, that have had no alert,
        oldest first."""
        if zones is None:
            zones = self.ctx.zones(now)
        ids = [r for z in zones for r in z.report_ids]
        with self.ctx.engine.connect() as conn:
            done = alert_store.alerted(conn, ids) | alert_store.given_up(conn, ids, ALERT_ATTEMPTS)
        return awaiting_alerts(zones, done, since=owed_since(now, self.ctx.rules))

    def unsent_mails(self, now: datetime) -> list[alert_store.Alert]:
        """Alert mails of the last day that have not gone out (yet): `cocoon status` shows them."""
        with self.ctx.engine.connect() as conn:
            return alert_store.failed_mails(conn, now - MAIL_RETRY)

    def failed_alerts(self, now: datetime) -> list[alert_store.AlertFailure]:
        """Alerts of the high-risk period that could not be made, with why and how often they
        were tried (at most ALERT_ATTEMPTS): `cocoon status` shows them."""
        with self.ctx.engine.connect() as conn:
            return alert_store.failures(conn, owed_since(now, self.ctx.rules))

    def send(self, now: datetime, stopping: Callable[[], bool] = lambda: False) -> AlertRound:
        """Alert every report owed one; failed mails of the last day are tried again first."""
        if self.ctx.settings.mail.enabled and self.mailer is None:
            raise ConfigError("mail is on in the settings, but this installation has no mailer")
        result = AlertRound()
        self._retry_mails(now, result)
        zones = self.ctx.zones(now)  # alerts change no zone: once for the whole pass
        waiting = self.waiting(now, zones)
        if not waiting:
            return result
        sheet = self.signs.plan_forward(now, zones)
        for new in waiting:
            if stopping():
                break
            try:
                self._alert(new, now, zones, sheet, result)
            except Exception as exc:  # one report's failure must not hold up the others
                self._failed(new.report_id, exc, now, result)
        return result

    def _failed(self, report_id: str, exc: Exception, now: datetime, result: AlertRound) -> None:
        """Keep why a report's alert failed; it is tried at later polls, ALERT_ATTEMPTS in all."""
        why = describe(exc)
        result.failed[report_id] = why
        with self.ctx.engine.begin() as conn:
            attempts = alert_store.alert_failed(conn, report_id, why, now)
        last = attempts >= ALERT_ATTEMPTS
        if last:
            result.given_up.append(report_id)
        then = "not tried again" if last else "tried again at the next poll"
        extra = {"event": "alert.failed", "report_id": report_id, "attempts": attempts}
        log.exception(
            "alert for %s failed (attempt %d of %d); %s",
            printable(report_id), attempts, ALERT_ATTEMPTS, then, extra=extra,
        )  # fmt: skip

    def _alert(
        self,
        new: NewReport,
        now: datetime,
        zones: list[Zone],
        sheet: SignSheet | None,
        result: AlertRound,
    ) -> None:
        ctx, service, language = (
            self.ctx,
            self.ctx.settings.service,
            self.ctx.settings.output.language,
        )
        day = now.astimezone(ctx.tz).date().isoformat()
        folder = Path(service.outbox_dir) / f"{day}-{safe_name(new.report_id)}"
        stops: int | None = None
        sheets = 0
        files: list[Path] = []
        roster_written = False
        if gets_visits(new.level):
            roster = self.visits.roster(self.visits.plan(new.report_id, now, zones))
            files += write_roster(roster, folder / "roster")
            stops, sheets, roster_written = len(roster.plan.stops), len(roster.plan.sheets), True
        new_signs = 0
        if sheet is not None:
            files += write_sign_plan(sheet, folder / "signs")
            new_signs = sum(1 for s in sheet.plan.new if s.zone_id == new.zone_id)
        note = AlertNote(new, now, stops, sheets, new_signs, str(folder))
        line = alert_line(note, ctx.tz, language)
        append_line(service.alert_log, line)
        mailing = ctx.settings.mail.enabled
        with ctx.engine.begin() as conn:
            alert_store.save_alert(
                conn,
                alert_store.Alert(
                    report_id=new.report_id,
                    zone_id=new.zone_id,
                    alerted_at=now,
                    folder=str(folder),
                    line=line,
                    mail="pending" if mailing else "off",
                    mail_attempts=0,
                    mail_error=None,
                ),
            )
            if roster_written:  # the plan is done: `visits new` does not write it again
                visit_store.roster_written(conn, new.report_id, now, str(folder / "roster"))
        log.info(line, extra={"event": "alert", "report_id": new.report_id, "folder": str(folder)})
        result.alerted.append(new.report_id)
        if mailing:
            self._mail(new.report_id, new.zone_id, line, folder, result)

    def _mail(
        self, report_id: str, zone_id: str, line: str, folder: Path, result: AlertRound
    ) -> None:
        """Send one alert mail and keep how it went; a failure waits for the next pass."""
        assert self.mailer is not None  # send() checked it
        language = self.ctx.settings.output.language
        body = f"{line}\n\n{text('alert_body', language, folder=folder)}\n"
        attachments = [p for p in (folder / "roster.pdf", folder / "signs.pdf") if p.is_file()]
        subject = alert_subject(report_id, zone_id, language)
        error: str | None = None
        try:
            self.mailer.send(subject, body, attachments)
        except Exception as exc:  # the relay, or a message that cannot be made: on record
            outcome = "failed"
            error = str(exc) if isinstance(exc, DeliveryError) else describe(exc)
            result.mails_failed += 1
            extra = {"event": "mail.failed", "report_id": report_id}
            log.warning("alert mail failed: %s", error, extra=extra)
        else:
            outcome = "sent"
            result.mails_sent += 1
            log.info("alert mailed", extra={"event": "mail.sent", "report_id": report_id})
        with self.ctx.engine.begin() as conn:
            alert_store.mail_result(conn, report_id, outcome, error)

    def _retry_mails(self, now: datetime, result: AlertRound) -> None:
        if not self.ctx.settings.mail.enabled:
            return
        with self.ctx.engine.connect() as conn:
            unsent = alert_store.unsent(conn, now - MAIL_RETRY, self.ctx.settings.mail.max_attempts)
        for alert in unsent:
            self._mail(alert.report_id, alert.zone_id, alert.line, Path(alert.folder), result)
