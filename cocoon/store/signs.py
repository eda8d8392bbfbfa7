"""Signs that are up or have come down, and the days a sign plan was made for."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, func, insert, select, update

from cocoon.core.signs.rules import SignPlan
from cocoon.store.engine import chunks
from cocoon.store.schema import sign_runs, signs


@dataclass(frozen=True)
class StoredSign:
    """A sign as stored: WGS 84 point, dates, and when and why it came down (None while up)."""

    sign_id: str
    zone_id: str
    report_ids: tuple[str, ...]
    lon: float
    lat: float
    description: str
    on_road: bool
    put_up: date
    take_down: date
    down_on: date | None
    down_reason: str | None


def signs_up(conn: Connection) -> list[StoredSign]:
    """The signs that have not come down."""
    rows = conn.execute(select(signs).where(signs.c.down_on.is_(None)).order_by(signs.c.sign_id))
    return [_stored(row) for row in rows]


def signs_around(conn: Connection, day: date) -> list[StoredSign]:
    """Signs up on `day` or that went up or came down that day: what a day's list draws on."""
    stmt = select(signs).where(
        signs.c.put_up <= day, (signs.c.down_on.is_(None)) | (signs.c.down_on >= day)
    )
    return [_stored(row) for row in conn.execute(stmt.order_by(signs.c.sign_id))]


def signs_with_ids(conn: Connection, sign_ids: Collection[str]) -> list[StoredSign]:
    """The stored signs of these ids, up or down."""
    out: list[StoredSign] = []
    for chunk in chunks(sorted(sign_ids)):
        stmt = select(signs).where(signs.c.sign_id.in_(chunk)).order_by(signs.c.sign_id)
        out.extend(_stored(row) for row in conn.execute(stmt))
    return out


def last_plan_day(conn: Connection) -> date | None:
    day: date | None = conn.execute(select(func.max(sign_runs.c.day))).scalar_one()
    return day


def save_plan(
    conn: Connection, plan: SignPlan, points: dict[str, tuple[float, float]], at: datetime
) -> None:
    """Store a run: new signs inserted, kept ones follow their zone, taken-down ones closed.

    `points` gives the WGS 84 (lon, lat) of each new sign.
    """
    new_ids = {s.sign_id for s in plan.new}
    rows = [
        {
            "sign_id": s.sign_id,
            "zone_id": s.zone_id,
            "report_ids": json.dumps(list(s.report_ids)),
            "lon": points[s.sign_id][0],
            "lat": points[s.sign_id][1],
            "description": s.description,
            "on_road": s.on_road,
            "put_up": s.put_up,
            "take_down": s.take_down,
            "placed_at": at,
            "updated_at": at,
        }
        for s in plan.new
    ]
    if rows:
        conn.execute(insert(signs), rows)
    for s in plan.up:
        if s.sign_id in new_ids:
            continue
        conn.execute(
            update(signs)
            .where(signs.c.sign_id == s.sign_id)
            .values(
                zone_id=s.zone_id,
                report_ids=json.dumps(list(s.report_ids)),
                take_down=s.take_down,
                updated_at=at,
            )
        )
    for down in plan.taken_down:
        conn.execute(
            update(signs)
            .where(signs.c.sign_id == down.sign.sign_id)
            .values(
                take_down=down.sign.take_down,
                down_on=plan.day,
                down_reason=down.reason.value,
                updated_at=at,
            )
        )
    done = conn.execute(select(sign_runs.c.day).where(sign_runs.c.day == plan.day)).first()
    if done:
        conn.execute(update(sign_runs).where(sign_runs.c.day == plan.day).values(at=at))
    else:
        conn.execute(insert(sign_runs).values(day=plan.day, at=at))


def _stored(row: object) -> StoredSign:
    r = row._mapping  # type: ignore[attr-defined]
    return StoredSign(
        sign_id=r["sign_id"],
        zone_id=r["zone_id"],
        report_ids=tuple(json.loads(r["report_ids"])),
        lon=r["lon"],
        lat=r["lat"],
        description=r["description"],
        on_road=bool(r["on_road"]),
        put_up=r["put_up"],
        take_down=r["take_down"],
        down_on=r["down_on"],
        down_reason=r["down_reason"],
    )
