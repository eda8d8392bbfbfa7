"""Partner groups in the database: a file's load replaces that file's groups whole; each notice
a group has had (one per group and zone level, kept when the group is reloaded or dropped), the
reports it covers, and how each of its messages went."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, delete, func, insert, select, update

from cocoon.core.groups import Channel, Contact, Told
from cocoon.core.model import Address, Level
from cocoon.store.engine import chunks
from cocoon.store.schema import addresses, group_contacts, group_messages, group_notices
from cocoon.store.schema import partner_groups as group_table


@dataclass(frozen=True)
class StoredMember:
    """One register address of an address-list group, as it was when the group was loaded."""

    address_id: str
    street: str
    lon: float
    lat: float


@dataclass(frozen=True)
class GroupRecord:
    """A group as stored: its polygon (WGS 84) or its addresses, and its contacts."""

    group_id: str
    name: str
    language: str | None
    polygon: BaseGeometry | None
    members: tuple[StoredMember, ...]
    contacts: tuple[Contact, ...]
    source: str = ""
    loaded_at: datetime | None = None


@dataclass
class GroupCounts:
    """Groups a load removed (the file's earlier load) and stored."""

    removed: int = 0
    stored: int = 0


def replace_groups(
    conn: Connection, groups: Sequence[GroupRecord], source: str, now: datetime
) -> GroupCounts:
    """Store the groups of one file, dropping what that file loaded before, in the caller's
    transaction: a failed load leaves the earlier groups in place."""
    earlier = select(group_table.c.group_id).where(group_table.c.source == source)
    conn.execute(delete(group_contacts).where(group_contacts.c.group_id.in_(earlier)))
    removed = conn.execute(delete(group_table).where(group_table.c.source == source)).rowcount
    for chunk in chunks(groups):
        conn.execute(insert(group_table), [_group_values(g, source, now) for g in chunk])
        contacts = [
            {
                "group_id": g.group_id,
                "position": i,
                "name": c.name,
                "channel": c.channel.value,
                "recipient": c.to,
            }
            for g in chunk
            for i, c in enumerate(g.contacts)
        ]
        if contacts:
            conn.execute(insert(group_contacts), contacts)
    return GroupCounts(removed=max(removed, 0), stored=len(groups))


def _group_values(group: GroupRecord, source: str, now: datetime) -> dict[str, Any]:
    if group.polygon is not None:
        geom = group.polygon
    else:
        geom = shapely.multipoints([(m.lon, m.lat) for m in group.members])
    members = [[m.address_id, m.street, m.lon, m.lat] for m in group.members]
    return {
        "group_id": group.group_id,
        "name": group.name,
        "language": group.language,
        "geom": bytes(shapely.to_wkb(geom)),
        "members": json.dumps(members, ensure_ascii=False),
        "source": source,
        "loaded_at": now,
    }


def loaded_elsewhere(conn: Connection, group_ids: Iterable[str], source: str) -> dict[str, str]:
    """Which of these group ids another file has loaded, and which file."""
    found: dict[str, str] = {}
    ids = list(group_ids)
    for chunk in chunks(ids):
        stmt = select(group_table.c.group_id, group_table.c.source).where(
            group_table.c.group_id.in_(chunk), group_table.c.source != source
        )
        found.update({row.group_id: row.source for row in conn.execute(stmt)})
    return found


def all_groups(conn: Connection) -> list[GroupRecord]:
    """Every loaded group with its contacts, by name."""
    contacts: dict[str, list[Contact]] = {}
    c = group_contacts.c
    for row in conn.execute(select(group_contacts).order_by(c.group_id, c.position)):
        contact = Contact(row.name, Channel(row.channel), row.recipient)
        contacts.setdefault(row.group_id, []).append(contact)
    out = []
    for row in conn.execute(select(group_table).order_by(group_table.c.name)):
        members = tuple(StoredMember(*m) for m in json.loads(row.members))
        polygon = None if members else shapely.from_wkb(bytes(row.geom))
        out.append(
            GroupRecord(
                row.group_id, row.name, row.language, polygon, members,
                tuple(contacts.get(row.group_id, ())), row.source, row.loaded_at,
            )
        )  # fmt: skip
    return out


def count_groups(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(group_table)) or 0)


def addresses_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Address]:
    """The register addresses of these ids that exist."""
    a = addresses.c
    found: dict[str, Address] = {}
    for chunk in chunks(list(ids)):
        stmt = select(a.address_id, a.street, a.number, a.lon, a.lat, a.town).where(
            a.address_id.in_(chunk)
        )
        for row in conn.execute(stmt):
            found[row.address_id] = Address(
                row.address_id, row.street, row.number, row.lon, row.lat, town=row.town
            )
    return found


# --- notices and their messages ------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What one group is told of one zone at one level: the words, and the reports it covers
    (their zone keys; the oldest is its anchor)."""

    group_id: str
    group_name: str
    zone_id: str
    level: Level
    anchor_key: str
    report_keys: frozenset[str]
    until: datetime
    decided_at: datetime
    subject: str
    body: str


@dataclass(frozen=True)
class Message:
    """One notice to one contact, and how its delivery went."""

    message_id: int
    notice_id: int
    group_id: str
    group_name: str
    zone_id: str
    level: str
    contact_name: str
    channel: Channel
    recipient: str
    status: str  # pending, sent, failed
    attempts: int
    error: str | None
    decided_at: datetime
    tried_at: datetime | None
    sent_at: datetime | None
    subject: str
    body: str


def told(conn: Connection, group_ids: Iterable[str]) -> list[Told]:
    """The notices these groups have had: level and the reports each covers."""
    n = group_notices.c
    out = []
    for chunk in chunks(list(group_ids)):
        stmt = select(n.notice_id, n.group_id, n.level, n.report_keys).where(n.group_id.in_(chunk))
        for row in conn.execute(stmt):
            keys = frozenset(json.loads(row.report_keys))
            out.append(Told(row.notice_id, row.group_id, Level(row.level), keys))
    return out


def cover(conn: Connection, covered: dict[int, frozenset[str]]) -> None:
    """Notices now cover these reports (those that joined theirs at the same level)."""
    for notice_id, keys in covered.items():
        conn.execute(
            update(group_notices)
            .where(group_notices.c.notice_id == notice_id)
            .values(report_keys=json.dumps(sorted(keys)))
        )


def add_notice(conn: Connection, notice: Notice, contacts: Sequence[Contact]) -> list[int]:
    """Keep a notice and one pending message per contact; the ids of the messages.

    A second notice of the same group, level and anchor breaks the unique constraint
    (IntegrityError): of two passes that judged alike, the second rolls back and sends nothing.
    """
    values = {
        "group_id": notice.group_id,
        "group_name": notice.group_name,
        "zone_id": notice.zone_id,
        "level": notice.level.value,
        "anchor_key": notice.anchor_key,
        "report_keys": json.dumps(sorted(notice.report_keys)),
        "until": notice.until,
        "decided_at": notice.decided_at,
        "subject": notice.subject,
        "body": notice.body,
    }
    notice_id = conn.execute(
        insert(group_notices).values(**values).returning(group_notices.c.notice_id)
    ).scalar_one()
    ids = []
    for contact in contacts:
        stmt = (
            insert(group_messages)
            .values(
                notice_id=notice_id,
                contact_name=contact.name,
                channel=contact.channel.value,
                recipient=contact.to,
                status="pending",
                attempts=0,
            )
            .returning(group_messages.c.message_id)
        )
        ids.append(int(conn.execute(stmt).scalar_one()))
    return ids


def message_result(
    conn: Connection, message_id: int, status: str, error: str | None, at: datetime
) -> None:
    """How one more attempt to deliver a message went."""
    m = group_messages.c
    conn.execute(
        update(group_messages)
        .where(m.message_id == message_id)
        .values(
            status=status,
            error=error,
            tried_at=at,
            sent_at=at if status == "sent" else None,
            attempts=m.attempts + 1,
        )
    )


def _messages(conn: Connection, *where: Any) -> list[Message]:
    m, n = group_messages.c, group_notices.c
    stmt = (
        select(
            m.message_id, m.notice_id, n.group_id, n.group_name, n.zone_id, n.level,
            m.contact_name, m.channel, m.recipient, m.status, m.attempts, m.error,
            n.decided_at, m.tried_at, m.sent_at, n.subject, n.body,
        )
        .join(group_notices, m.notice_id == n.notice_id)
        .where(*where)
        .order_by(n.decided_at, m.message_id)
    )  # fmt: skip
    return [
        Message(**{**row._mapping, "channel": Channel(row.channel)}) for row in conn.execute(stmt)
    ]


def messages_for(conn: Connection, ids: Iterable[int]) -> list[Message]:
    """These messages, with their notices' words."""
    out: list[Message] = []
    for chunk in chunks(list(ids)):
        out += _messages(conn, group_messages.c.message_id.in_(chunk))
    return out


def retryable(conn: Connection, since: datetime, max_attempts: int) -> list[Message]:
    """Messages of notices since `since` that failed, or were cut off, and may be tried again."""
    m = group_messages.c
    return _messages(
        conn,
        m.status.in_(("failed", "pending")),
        group_notices.c.decided_at >= since,
        m.attempts < max_attempts,
    )


def unsent(conn: Connection, since: datetime) -> list[Message]:
    """Messages of notices since `since` that have not gone out: `cocoon status` shows them."""
    m = group_messages.c
    return _messages(conn, m.status.in_(("failed", "pending")), group_notices.c.decided_at >= since)


def all_messages(conn: Connection) -> list[Message]:
    """Every message on record, oldest notice first: what was sent to whom, when, how it went."""
    return _messages(conn)
