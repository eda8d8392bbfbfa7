"""Reads of the field app that no other job makes: the reports of the last hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from cocoon.core.model import Report
from cocoon.store.reports import as_report
from cocoon.store.schema import reports


def reported_between(conn: Connection, since: datetime, until: datetime) -> list[Report]:
    """Reports reported in (since, until], newest first, withdrawn ones included."""
    stmt = (
        select(reports)
        .where(reports.c.reported_at > since, reports.c.reported_at <= until)
        .order_by(reports.c.reported_at.desc(), reports.c.report_id)
    )
    return [as_report(row) for row in conn.execute(stmt)]
