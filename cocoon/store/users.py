"""Accounts, web sessions, failed logins and team assignments.

Sessions are kept by the SHA-256 of their token: the database holds nothing a cookie could be
made from. Passwords arrive here already hashed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from cocoon.errors import NotFoundError
from cocoon.store.reasons import NO_USER
from cocoon.store.schema import login_failures, team_assignments, users, web_sessions


@dataclass(frozen=True)
class User:
    user_id: int
    name: str
    role: str
    password_hash: str
    created_at: datetime
    disabled_at: datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True)
class StoredSession:
    token_hash: str
    user: User
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Assignment:
    user_name: str
    kind: str  # zone, roster
    zone_key: str
    assigned_at: datetime
    assigned_by: str


def add_user(conn: Connection, name: str, role: str, password_hash: str, now: datetime) -> None:
    conn.execute(
        insert(users).values(
            name=name, role=role, password_hash=password_hash, created_at=now, updated_at=now
        )
    )


def find_user(conn: Connection, name: str) -> User | None:
    row = conn.execute(select(users).where(users.c.name == name)).first()
    return _user(row) if row is not None else None


def get_user(conn: Connection, name: str) -> User:
    found = find_user(conn, name)
    if found is None:
        raise NotFoundError(NO_USER(name=name))
    return found


def all_users(conn: Connection) -> list[User]:
    return [_user(row) for row in conn.execute(select(users).order_by(users.c.name))]


def set_password(conn: Connection, user_id: int, password_hash: str, now: datetime) -> None:
    conn.execute(
        update(users)
        .where(users.c.user_id == user_id)
        .values(password_hash=password_hash, updated_at=now)
    )


def disable_user(conn: Connection, user_id: int, now: datetime) -> None:
    conn.execute(
        update(users).where(users.c.user_id == user_id).values(disabled_at=now, updated_at=now)
    )


# --- sessions ------------------------------------------------------------------------------


def open_session(
    conn: Connection,
    token_hash: str,
    user_id: int,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
    client: str,
) -> None:
    conn.execute(
        insert(web_sessions).values(
            token_hash=token_hash, user_id=user_id, csrf_token=csrf_token, created_at=now,
            last_seen_at=now, expires_at=expires_at, client=client[:64],
        )
    )  # fmt: skip


def find_session(conn: Connection, token_hash: str) -> StoredSession | None:
    stmt = select(web_sessions, users).join(users, users.c.user_id == web_sessions.c.user_id)
    row = conn.execute(stmt.where(web_sessions.c.token_hash == token_hash)).first()
    if row is None:
        return None
    m = row._mapping
    return StoredSession(
        token_hash=m["token_hash"], user=_user(row), csrf_token=m["csrf_token"],
        created_at=m["created_at"], last_seen_at=m["last_seen_at"], expires_at=m["expires_at"],
    )  # fmt: skip


def touch_session(conn: Connection, token_hash: str, now: datetime) -> None:
    conn.execute(
        update(web_sessions).where(web_sessions.c.token_hash == token_hash).values(last_seen_at=now)
    )


def end_session(conn: Connection, token_hash: str) -> int:
    stmt = delete(web_sessions).where(web_sessions.c.token_hash == token_hash)
    return conn.execute(stmt).rowcount


def end_sessions_of(conn: Connection, user_id: int) -> int:
    return conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id)).rowcount


def end_stale_sessions(conn: Connection, idle_before: datetime, now: datetime) -> int:
    """Forget sessions that have expired, idle or absolute."""
    stale = (web_sessions.c.last_seen_at < idle_before) | (web_sessions.c.expires_at <= now)
    return conn.execute(delete(web_sessions).where(stale)).rowcount


# --- failed logins -------------------------------------------------------------------------


def add_failure(conn: Connection, name: str, client: str, at: datetime) -> None:
    conn.execute(insert(login_failures).values(name=name[:64], client=client[:64], at=at))


def failures_since(
    conn: Connection, since: datetime, name: str | None = None, client: str | None = None
) -> list[datetime]:
    """When the failed logins since `since` for a name (or from a client) were, oldest first."""
    stmt = select(login_failures.c.at).where(login_failures.c.at > since)
    if name is not None:
        stmt = stmt.where(login_failures.c.name == name[:64])
    if client is not None:
        stmt = stmt.where(login_failures.c.client == client[:64])
    return list(conn.scalars(stmt.order_by(login_failures.c.at)))


def clear_failures(conn: Connection, name: str) -> None:
    conn.execute(delete(login_failures).where(login_failures.c.name == name[:64]))


def prune_failures(conn: Connection, before: datetime) -> None:
    conn.execute(delete(login_failures).where(login_failures.c.at <= before))


# --- team assignments ----------------------------------------------------------------------


def assign(
    conn: Connection, user_id: int, kind: str, zone_key: str, now: datetime, by: str
) -> bool:
    """Give a team user a zone or a roster; False when it was given already."""
    key = and_(
        team_assignments.c.user_id == user_id,
        team_assignments.c.kind == kind,
        team_assignments.c.zone_key == zone_key,
    )
    if conn.execute(select(func.count()).select_from(team_assignments).where(key)).scalar_one():
        return False
    conn.execute(
        insert(team_assignments).values(
            user_id=user_id, kind=kind, zone_key=zone_key, assigned_at=now, assigned_by=by[:64]
        )
    )
    return True


def unassign(conn: Connection, user_id: int, kind: str, zone_key: str) -> int:
    return conn.execute(
        delete(team_assignments).where(
            team_assignments.c.user_id == user_id,
            team_assignments.c.kind == kind,
            team_assignments.c.zone_key == zone_key,
        )
    ).rowcount


def assignments(conn: Connection, user_id: int | None = None) -> list[Assignment]:
    stmt = select(team_assignments, users.c.name).join(
        users, users.c.user_id == team_assignments.c.user_id
    )
    if user_id is not None:
        stmt = stmt.where(team_assignments.c.user_id == user_id)
    stmt = stmt.order_by(users.c.name, team_assignments.c.kind, team_assignments.c.zone_key)
    return [
        Assignment(r.name, r.kind, r.zone_key, r.assigned_at, r.assigned_by)
        for r in conn.execute(stmt)
    ]


def _user(row: object) -> User:
    m = row._mapping  # type: ignore[attr-defined]
    return User(
        user_id=m["user_id"], name=m["name"], role=m["role"], password_hash=m["password_hash"],
        created_at=m["created_at"], disabled_at=m["disabled_at"],
    )  # fmt: skip
