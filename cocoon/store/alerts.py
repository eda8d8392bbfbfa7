"""Alerts sent for newly zoned reports: one per report, with how its e-mail went."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from cocoon.store.engine import chunks
from cocoon.store.schema import alerts


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
    conn.execute(insert(alerts).values(**alert.__dict__))


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
