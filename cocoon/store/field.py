"""Reads and writes of the field app that no other job makes: the reports of the last hours,
the outcome taps of the roster page (each kept once, by its client's id) and the ticks that a
sign was put up or taken down."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from cocoon.core.model import Report
from cocoon.store.engine import chunks
from cocoon.store.reports import as_report
from cocoon.store.schema import reports, sign_checks, visit_taps, visits


def reported_between(conn: Connection, since: datetime, until: datetime) -> list[Report]:
    """Reports reported in (since, until], newest first, withdrawn ones included."""
    stmt = (
        select(reports)
        .where(reports.c.reported_at > since, reports.c.reported_at <= until)
        .order_by(reports.c.reported_at.desc(), reports.c.report_id)
    )
    return [as_report(row) for row in conn.execute(stmt)]


@dataclass(frozen=True)
class Tap:
    """One tap of an outcome on the roster page, as the phone sent it (its id is a UUID)."""

    tap_id: str
    report_id: str
    address_id: str
    outcome: str
    visited_at: datetime
    note: str | None
    saw_what: str | None
    saw_when: str | None
    user_name: str
    received_at: datetime
    result: str  # created, updated, unchanged, superseded


def tap(conn: Connection, tap_id: str) -> Tap | None:
    row = conn.execute(select(visit_taps).where(visit_taps.c.tap_id == tap_id)).first()
    return None if row is None else Tap(**row._mapping)


def save_tap(conn: Connection, kept: Tap) -> None:
    """Keep a tap; a second one with the same id breaks the primary key (and the transaction)."""
    conn.execute(insert(visit_taps).values(**kept.__dict__))


def taps_of(conn: Connection, report_id: str) -> list[Tap]:
    stmt = select(visit_taps).where(visit_taps.c.report_id == report_id)
    return [Tap(**row._mapping) for row in conn.execute(stmt.order_by(visit_taps.c.received_at))]


def stop_visited_at(
    conn: Connection, report_id: str, address_id: str
) -> tuple[bool, datetime | None]:
    """Whether the stop is on the report's roster, and when it was last found visited."""
    row = conn.execute(
        select(visits.c.visited_at).where(
            visits.c.report_id == report_id, visits.c.address_id == address_id
        )
    ).first()
    return (False, None) if row is None else (True, row.visited_at)


@dataclass(frozen=True)
class SignCheck:
    """Someone ticked that a sign was put up (`up`) or taken down (`down`)."""

    sign_id: str
    action: str
    at: datetime
    by: str


def sign_checks_of(conn: Connection, sign_ids: Collection[str]) -> list[SignCheck]:
    out: list[SignCheck] = []
    for chunk in chunks(sorted(sign_ids)):
        stmt = select(sign_checks).where(sign_checks.c.sign_id.in_(chunk))
        out.extend(SignCheck(**row._mapping) for row in conn.execute(stmt))
    return out


def first_sign_check(conn: Connection) -> datetime | None:
    """When anyone first ticked a sign: before it, signs were kept on paper."""
    at: datetime | None = conn.execute(select(func.min(sign_checks.c.at))).scalar_one()
    return at


def ticked_up_not_down(conn: Connection) -> list[str]:
    """The signs ticked as put up and not (yet) as taken down: standing, as far as anyone said."""
    down = select(sign_checks.c.sign_id).where(sign_checks.c.action == "down")
    stmt = select(sign_checks.c.sign_id).where(
        sign_checks.c.action == "up", sign_checks.c.sign_id.not_in(down)
    )
    return list(conn.execute(stmt.order_by(sign_checks.c.sign_id)).scalars())


def check_sign(conn: Connection, check: SignCheck) -> bool:
    """Keep a tick; False when the sign had it already (the first one stands)."""
    found = conn.execute(
        select(sign_checks.c.at).where(
            sign_checks.c.sign_id == check.sign_id, sign_checks.c.action == check.action
        )
    ).first()
    if found is not None:
        return False
    conn.execute(insert(sign_checks).values(**check.__dict__))
    return True


def uncheck_sign(conn: Connection, sign_id: str, action: str) -> bool:
    """Take a tick back (a mistake); False when there was none."""
    done = conn.execute(
        delete(sign_checks).where(sign_checks.c.sign_id == sign_id, sign_checks.c.action == action)
    )
    return bool(done.rowcount)
