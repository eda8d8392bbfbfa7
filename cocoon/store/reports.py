"""Reading and writing reports, with an audit event for every change."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import shapely
from sqlalchemy import Connection, and_, insert, or_, select, update

from cocoon.core.model import LocatedBy, Premises, Report, content_fingerprint
from cocoon.core.risk import risk_start
from cocoon.errors import NotFoundError
from cocoon.store.engine import chunks
from cocoon.store.reasons import ALREADY_WITHDRAWN, NO_REPORT
from cocoon.store.schema import report_events, reports

_KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


@dataclass
class UpsertCounts:
    """What one ingest did to the stored reports."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def new_key(prefix: str = "Z") -> str:
    """A short random id readable on paper: 'Z-7K3M-Q9TD' for a zone, 'S-…' for a sign."""
    value = int.from_bytes(secrets.token_bytes(5))  # 40 random bits, 8 base32 characters
    chars = "".join(_KEY_ALPHABET[(value >> (5 * i)) & 31] for i in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


def new_zone_key() -> str:
    """The random id of the zone a report founds (its key survives merges)."""
    return new_key("Z")


def _point(report: Report) -> bytes | None:
    if report.lon is None or report.lat is None:
        return None
    return bytes(shapely.to_wkb(shapely.Point(report.lon, report.lat)))


def _row(report: Report, source: str, now: datetime) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "reported_at": report.reported_at,
        "occurred_from": report.occurred_from,
        "occurred_to": report.occurred_to,
        "risk_start": risk_start(report),
        "premises": report.premises.value,
        "attempt": report.attempt,
        "address": report.address,
        "address_id": report.address_id,
        "geom": _point(report),
        "located_by": report.located_by.value if report.located_by else None,
        "source": source,
        "ingest_hash": content_fingerprint(report),
        "updated_at": now,
    }


def as_report(row: Any) -> Report:
    """A stored report row as the core's record (its point from the WKB geometry)."""
    lon = lat = None
    if row.geom is not None:
        pt = shapely.from_wkb(row.geom)
        lon, lat = pt.x, pt.y
    return Report(
        report_id=row.report_id,
        reported_at=row.reported_at,
        occurred_from=row.occurred_from,
        occurred_to=row.occurred_to,
        premises=Premises(row.premises),
        attempt=bool(row.attempt),
        lon=lon,
        lat=lat,
        address=row.address,
        address_id=row.address_id,
        located_by=LocatedBy(row.located_by) if row.located_by else None,
        zone_key=row.zone_key,
        retracted=row.retracted_at is not None,
    )


def _event(report_id: str, at: datetime, kind: str, source: str, **detail: Any) -> dict[str, Any]:
    return {
        "report_id": report_id,
        "at": at,
        "kind": kind,
        "source": source,
        "detail": json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True),
    }


def _fresh_keys(conn: Connection, count: int) -> list[str]:
    keys: set[str] = set()
    while len(keys) < count:
        wanted = [new_zone_key() for _ in range(count - len(keys))]
        taken = set(conn.scalars(select(reports.c.zone_key).where(reports.c.zone_key.in_(wanted))))
        keys.update(k for k in wanted if k not in taken)
    return list(keys)


def upsert_reports(
    conn: Connection, batch: Sequence[tuple[Report, str]], now: datetime
) -> UpsertCounts:
    """Store (report, source) pairs: new ids are created, changed content is an update.

    A point placed by hand survives a re-ingest whose row still has no point. Runs inside the
    caller's transaction, so one file is stored whole or not at all.
    """
    counts = UpsertCounts()
    existing: dict[str, Any] = {}
    ids = [r.report_id for r, _ in batch]
    for chunk in chunks(ids):
        for row in conn.execute(select(reports).where(reports.c.report_id.in_(chunk))):
            existing[row.report_id] = row
    new_rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for report, source in batch:
        old = existing.get(report.report_id)
        if old is None:
            new_rows.append(_row(report, source, now) | {"created_at": now})
            events.append(_event(report.report_id, now, "created", source))
            counts.created.append(report.report_id)
            continue
        if old.ingest_hash == content_fingerprint(report):
            counts.unchanged.append(report.report_id)
            continue
        if not report.located and old.located_by == LocatedBy.MANUAL.value:
            report = replace(report, **_located_part(as_report(old)))
        before, after = _audit(as_report(old), old.source), _audit(report, source)
        changed = [k for k in after if before[k] != after[k]]
        conn.execute(
            update(reports).where(reports.c.report_id == report.report_id),
            _row(report, source, now),
        )
        events.append(
            _event(report.report_id, now, "updated", source,
                   before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
        )  # fmt: skip
        counts.updated.append(report.report_id)
    if new_rows:
        for values, key in zip(new_rows, _fresh_keys(conn, len(new_rows)), strict=True):
            values["zone_key"] = key
        for rows in chunks(new_rows):
            conn.execute(insert(reports), list(rows))
    for rows in chunks(events):
        conn.execute(insert(report_events), list(rows))
    return counts


def _located_part(report: Report) -> dict[str, Any]:
    return {
        "lon": report.lon,
        "lat": report.lat,
        "address_id": report.address_id,
        "located_by": report.located_by,
    }


_AUDITED = ("reported_at", "occurred_from", "occurred_to", "premises", "attempt", "lon", "lat",
            "address", "address_id", "located_by")  # fmt: skip


def _audit(report: Report, source: str) -> dict[str, Any]:
    """The fields a person reads in the audit trail, as JSON-ready values."""
    values = {name: getattr(report, name) for name in _AUDITED} | {"source": source}
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def get_report(conn: Connection, report_id: str) -> Report:
    row = conn.execute(select(reports).where(reports.c.report_id == report_id)).first()
    if row is None:
        raise NotFoundError(NO_REPORT(report_id=report_id))
    return as_report(row)


def live_candidates(conn: Connection, at: datetime, since: datetime) -> list[Report]:
    """Located, not withdrawn reports known at `at` whose risk started in [since, at]."""
    query = select(reports).where(
        and_(
            reports.c.risk_start >= since,
            reports.c.risk_start <= at,
            reports.c.reported_at <= at,
            reports.c.retracted_at.is_(None),
            reports.c.geom.is_not(None),
        )
    )
    return [as_report(row) for row in conn.execute(query)]


def recent_located(conn: Connection, since: datetime) -> list[Report]:
    """Located, not withdrawn reports that happened or were reported at or after `since`.

    Late reports are among them: their burgled homes are kept off rosters like any other.
    """
    query = select(reports).where(
        and_(
            or_(reports.c.risk_start >= since, reports.c.reported_at >= since),
            reports.c.retracted_at.is_(None),
            reports.c.geom.is_not(None),
        )
    )
    return [as_report(row) for row in conn.execute(query)]


def unlocated(conn: Connection) -> list[tuple[Report, str]]:
    """Reports without a point (and not withdrawn), newest first, with where they came from."""
    query = (
        select(reports)
        .where(and_(reports.c.geom.is_(None), reports.c.retracted_at.is_(None)))
        .order_by(reports.c.reported_at.desc())
    )
    return [(as_report(row), row.source) for row in conn.execute(query)]


def locate(
    conn: Connection,
    report: Report,
    lon: float,
    lat: float,
    address_id: str | None,
    how: str,
    now: datetime,
) -> None:
    """Give a report its point by hand; recorded as a 'located' event."""
    geom = bytes(shapely.to_wkb(shapely.Point(lon, lat)))
    conn.execute(
        update(reports)
        .where(reports.c.report_id == report.report_id)
        .values(geom=geom, address_id=address_id, located_by=LocatedBy.MANUAL.value, updated_at=now)
    )
    conn.execute(
        insert(report_events),
        _event(report.report_id, now, "located", "cocoon locate",
               before={"lon": report.lon, "lat": report.lat},
               after={"lon": lon, "lat": lat, "address_id": address_id, "how": how}),
    )  # fmt: skip


def retract(conn: Connection, report_id: str, reason: str, now: datetime) -> None:
    """Withdraw a report (e.g. reclassified): it stays stored, its zone goes away."""
    report = get_report(conn, report_id)
    if report.retracted:
        raise NotFoundError(ALREADY_WITHDRAWN(report_id=report_id))
    conn.execute(
        update(reports)
        .where(reports.c.report_id == report_id)
        .values(retracted_at=now, retract_reason=reason, updated_at=now)
    )
    conn.execute(insert(report_events), _event(report_id, now, "retracted", "cocoon retract",
                                               reason=reason))  # fmt: skip


def events_of(conn: Connection, report_id: str) -> list[dict[str, Any]]:
    """The audit trail of one report, oldest first."""
    query = (
        select(report_events)
        .where(report_events.c.report_id == report_id)
        .order_by(report_events.c.id)
    )
    return [dict(row._mapping) | {"detail": json.loads(row.detail)} for row in conn.execute(query)]
