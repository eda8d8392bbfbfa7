"""What the medborgarlöfte follow-up reads: reports, visit plans and their stops, signs, the days
a sign plan was made for, and alerts, as the analysis layer's plain records. Read-only."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import Connection, or_, select

from cocoon.analysis.followup import AlertRecord, PlanRecord, SignRecord, StopRecord
from cocoon.core.model import Report
from cocoon.core.visits import Outcome, VisitKind
from cocoon.store import field as field_store
from cocoon.store.engine import chunks
from cocoon.store.reports import as_report
from cocoon.store.schema import alerts, reports, sign_runs, signs, visit_plans, visits


def reports_between(conn: Connection, since: datetime, until: datetime) -> list[Report]:
    """Every report whose risk started in [since, until): withdrawn and unlocated ones too (the
    analysis counts them by the core's rule)."""
    stmt = select(reports).where(reports.c.risk_start >= since, reports.c.risk_start < until)
    return [as_report(row) for row in conn.execute(stmt.order_by(reports.c.risk_start))]


def reports_by_id(conn: Connection, report_ids: Collection[str]) -> list[Report]:
    """The reports with these ids (those of the plans and signs read)."""
    out: list[Report] = []
    for chunk in chunks(sorted(report_ids)):
        out.extend(
            as_report(r)
            for r in conn.execute(select(reports).where(reports.c.report_id.in_(chunk)))
        )
    return out


def plans_between(conn: Connection, since: datetime, until: datetime) -> list[PlanRecord]:
    """The visit plans made in [since, until)."""
    stmt = select(visit_plans).where(
        visit_plans.c.planned_at >= since, visit_plans.c.planned_at < until
    )
    return [
        PlanRecord(row.report_id, row.zone_id, row.planned_at, row.stops)
        for row in conn.execute(stmt.order_by(visit_plans.c.planned_at, visit_plans.c.report_id))
    ]


def stops_of(conn: Connection, report_ids: Collection[str]) -> list[StopRecord]:
    """The stops of these reports' plans: their kind and outcome."""
    out: list[StopRecord] = []
    columns = (visits.c.report_id, visits.c.visit_kind, visits.c.outcome, visits.c.visited_at)
    for chunk in chunks(sorted(report_ids)):
        stmt = select(*columns).where(visits.c.report_id.in_(chunk))
        out.extend(
            StopRecord(
                row.report_id,
                VisitKind(row.visit_kind),
                Outcome(row.outcome) if row.outcome else None,
                row.visited_at,
            )
            for row in conn.execute(
                stmt.order_by(visits.c.report_id, visits.c.sheet, visits.c.stop)
            )
        )
    return out


def signs_between(conn: Connection, first: date, last: date) -> list[SignRecord]:
    """Signs planned to go up by `last` that had not come down before `first`, with the field
    app's ticks."""
    stmt = select(signs).where(
        signs.c.put_up <= last, or_(signs.c.down_on.is_(None), signs.c.down_on >= first)
    )
    rows = list(conn.execute(stmt.order_by(signs.c.sign_id)))
    checks = field_store.sign_checks_of(conn, [row.sign_id for row in rows])
    ticks = {(c.sign_id, c.action): c.at for c in checks}
    return [
        SignRecord(
            row.sign_id,
            tuple(json.loads(row.report_ids)),
            row.put_up,
            row.take_down,
            row.down_on,
            ticks.get((row.sign_id, "up")),
            ticks.get((row.sign_id, "down")),
        )
        for row in rows
    ]


def sign_plan_days(conn: Connection, first: date, last: date) -> list[date]:
    """The local days in [first, last] a sign plan was made for."""
    stmt = select(sign_runs.c.day).where(sign_runs.c.day >= first, sign_runs.c.day <= last)
    return list(conn.execute(stmt.order_by(sign_runs.c.day)).scalars())


def alerts_between(conn: Connection, since: datetime, until: datetime) -> list[AlertRecord]:
    """The alerts made in [since, until)."""
    stmt = select(alerts.c.report_id, alerts.c.alerted_at).where(
        alerts.c.alerted_at >= since, alerts.c.alerted_at < until
    )
    return [AlertRecord(row.report_id, row.alerted_at) for row in conn.execute(stmt)]
