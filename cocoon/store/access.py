"""The access log: who saw, downloaded or changed what. Append-only: this module has no update
and no delete, and nothing else writes the table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from cocoon.store.schema import access_log


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    user_name: str
    role: str
    client: str
    action: str
    target: str
    detail: str = ""


def append(conn: Connection, entry: AccessEntry) -> None:
    conn.execute(
        insert(access_log).values(
            at=entry.at, user_name=entry.user_name[:64], role=entry.role[:16],
            client=entry.client[:64], action=entry.action[:16], target=entry.target,
            detail=entry.detail,
        )
    )  # fmt: skip


def entries(
    conn: Connection,
    since: datetime | None = None,
    until: datetime | None = None,
    user_name: str | None = None,
    limit: int | None = None,
) -> list[AccessEntry]:
    """Entries in the order they were written (newest last); `limit` keeps the newest."""
    stmt = select(access_log)
    if since is not None:
        stmt = stmt.where(access_log.c.at >= since)
    if until is not None:
        stmt = stmt.where(access_log.c.at < until)
    if user_name is not None:
        stmt = stmt.where(access_log.c.user_name == user_name)
    if limit is not None:
        stmt = stmt.order_by(access_log.c.entry_id.desc()).limit(limit)
        rows = list(conn.execute(stmt))[::-1]
    else:
        rows = list(conn.execute(stmt.order_by(access_log.c.entry_id)))
    return [
        AccessEntry(r.at, r.user_name, r.role, r.client, r.action, r.target, r.detail) for r in rows
    ]
