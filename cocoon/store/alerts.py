"""Alerts sent for newly zoned reports: one per report, with how its e-mail went; and the
alerts that could not be made, with why and how often they were tried."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from cocoon.store.engine import chunks
from cocoon.store.schema import alert_failures, alerts


@dataclass(frozen=True)
class Alert:
    report_id: str
    zone_id: str
    alerted_at: datetime
    folder: str
    line: str
    mail: str  # off, pending, sent, failed
    mail_attempts: int
    mail_error: str | None


def alerted(conn: Connection, report_ids: Iterable[str]) -> set[str]:
    """Which of these reports have had their alert."""
    ids = list(report_ids)
    found: set[str] = set()
    for chunk in chunks(ids):
        stmt = select(alerts.c.report_id).where(alerts.c.report_id.in_(chunk))
        found.update(conn.execute(stmt).scalars())
    return found


def save_alert(conn: Connection, alert: Alert) -> None:
    """Keep an alert that was made; failures of earlier tries are over."""
    conn.execute(insert(alerts).values(**alert.__dict__))
    conn.execute(delete(alert_failures).where(alert_failures.c.report_id == alert.report_id))


def mail_result(conn: Connection, report_id: str, mail: str, error: str | None) -> None:
    """How one more attempt to mail an alert went."""
    conn.execute(
        update(alerts)
        .where(alerts.c.report_id == report_id)
        .values(mail=mail, mail_error=error, mail_attempts=alerts.c.mail_attempts + 1)
    )


def unsent(conn: Connection, since: datetime, max_attempts: int) -> list[Alert]:
    """Alerts since `since` whose mail failed, or was cut off, and may be tried again."""
    stmt = (
        select(alerts)
        .where(
            alerts.c.mail.in_(("failed", "pending")),
            alerts.c.alerted_at >= since,
            alerts.c.mail_attempts < max_attempts,
        )
        .order_by(alerts.c.alerted_at, alerts.c.report_id)
    )
    return [Alert(**row._mapping) for row in conn.execute(stmt)]


def failed_mails(conn: Connection, since: datetime) -> list[Alert]:
    """Alerts since `since` whose mail has not gone out: `cocoon status` shows them."""
    stmt = select(alerts).where(alerts.c.mail == "failed", alerts.c.alerted_at >= since)
    return [Alert(**row._mapping) for row in conn.execute(stmt.order_by(alerts.c.alerted_at))]


@dataclass(frozen=True)
class AlertFailure:
    """A report whose alert could not be made: how often it was tried, when, and why."""

    report_id: str
    attempts: int
    first_failed_at: datetime
    last_failed_at: datetime
    error: str


def alert_failed(conn: Connection, report_id: str, error: str, at: datetime) -> int:
    """One more failed try to make a report's alert; how many tries have failed now."""
    where = alert_failures.c.report_id == report_id
    attempts = conn.execute(select(alert_failures.c.attempts).where(where)).scalar()
    if attempts is None:
        conn.execute(
            insert(alert_failures).values(
                report_id=report_id, attempts=1, first_failed_at=at, last_failed_at=at, error=error
            )
        )
        return 1
    conn.execute(
        update(alert_failures)
        .where(where)
        .values(attempts=attempts + 1, last_failed_at=at, error=error)
    )
    return int(attempts) + 1


def given_up(conn: Connection, report_ids: Iterable[str], max_attempts: int) -> set[str]:
    """Which of these reports' alerts have failed `max_attempts` times: they are not tried again."""
    ids = list(report_ids)
    found: set[str] = set()
    for chunk in chunks(ids):
        stmt = select(alert_failures.c.report_id).where(
            alert_failures.c.report_id.in_(chunk), alert_failures.c.attempts >= max_attempts
        )
        found.update(conn.execute(stmt).scalars())
    return found


def failures(conn: Connection, since: datetime) -> list[AlertFailure]:
    """Alerts that failed since `since` and have not been made since: `cocoon status` shows them."""
    stmt = select(alert_failures).where(alert_failures.c.last_failed_at >= since)
    stmt = stmt.order_by(alert_failures.c.first_failed_at, alert_failures.c.report_id)
    return [AlertFailure(**row._mapping) for row in conn.execute(stmt)]
