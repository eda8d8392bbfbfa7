"""Partner group use cases: load the register of groups (Grannsamverkan, housing companies,
other partners), list them with the zones that touch them, and tell each group, once per zone
level, when a zone opens in or grows into its area.

Run by the service after every alert pass, and by `cocoon groups send` by hand; each takes an
explicit `now`. The courier that delivers (e-mail through the relay, SMS through the gateway)
is handed in by the adapter, so this layer knows neither SMTP nor the gateway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import shapely
from sqlalchemy.exc import IntegrityError

from cocoon.app import reasons
from cocoon.app.context import Context
from cocoon.core import groups as rules
from cocoon.core.groups import Channel, Group, Member, Reach
from cocoon.core.model import Address, Level
from cocoon.core.risk import Zone
from cocoon.core.roads import road_lines
from cocoon.errors import ConfigError, DeliveryError, RowError
from cocoon.i18n import Language
from cocoon.store import groups as group_store
from cocoon.store.groups import GroupRecord, Message, Notice, StoredMember

if TYPE_CHECKING:
    from cocoon.sources.groups import GroupRow

log = logging.getLogger("cocoon.groups")

#: Failed group messages are tried again for this long, as the alert mails are.
MESSAGE_RETRY = timedelta(hours=24)


class Courier(Protocol):
    """Delivers one message to one contact on its channel; a failure is a DeliveryError."""

    def deliver(self, channel: Channel, to: str, subject: str, body: str) -> None: ...


@dataclass
class GroupLoad:
    """What one group file did: groups stored, the file's earlier groups replaced, rows to fix."""

    file: str
    stored: int
    replaced: int
    rejections: list[str]


@dataclass(frozen=True)
class GroupView:
    """A group as `cocoon groups list` shows it: who, how large, which zones touch it now."""

    group: GroupRecord
    area_m2: float
    touching: tuple[tuple[str, Level], ...]  # zone id and the level it has in the group's area
    messages_sent: int


@dataclass
class GroupRound:
    """What one pass did: notices decided, messages sent and failed (tried again later)."""

    notices: int = 0
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class GroupCases:
    """The partner group use cases of one installation.

    The courier is handed in by the adapter that sends (the service, `cocoon groups send`);
    without one, a pass that owes a message refuses rather than drop it.
    """

    def __init__(self, ctx: Context, courier: Courier | None = None) -> None:
        self.ctx = ctx
        self.courier = courier

    # --- the register --------------------------------------------------------------------

    def load(self, path: str | Path, now: datetime, layer: str | None = None) -> GroupLoad:
        """Load a group file; its good rows replace what the same file loaded before."""
        from cocoon.sources.groups import read_groups
        from cocoon.sources.reasons import rejected

        source = Path(path).name
        read = read_groups(path, self.ctx.area, self.ctx.projection, layer=layer)
        rejections = list(read.rejections)
        members = self._members(read.rows)
        records = []
        with self.ctx.engine.connect() as conn:
            elsewhere = group_store.loaded_elsewhere(conn, [r.group_id for r in read.rows], source)
        for row in read.rows:
            try:
                if row.group_id in elsewhere:
                    there = elsewhere[row.group_id]
                    reason = reasons.GROUP_LOADED_ELSEWHERE(group_id=row.group_id, source=there)
                    raise RowError("group_id", reason)
                found = tuple(_member(members, row.addresses))
            except RowError as err:
                rejections.append(rejected(read.file, row.where, err))
                continue
            records.append(
                GroupRecord(row.group_id, row.name, row.language, row.polygon, found, row.contacts)
            )
        with self.ctx.engine.begin() as conn:
            counts = group_store.replace_groups(conn, records, source, now)
        return GroupLoad(str(path), counts.stored, counts.removed, rejections)

    def _members(self, rows: Sequence[GroupRow]) -> dict[str, Address | None]:
        """Each address a list names, by register id or by street and number: found or None."""
        refs = {ref for row in rows for ref in row.addresses}
        if not refs:
            return {}
        with self.ctx.engine.connect() as conn:
            found: dict[str, Address | None] = dict(group_store.addresses_by_id(conn, refs))
        rest = refs - set(found)
        if rest:
            index = self.ctx.address_index()
            found.update({ref: index.match(ref) for ref in rest})
        return found

    def groups(self) -> list[GroupRecord]:
        with self.ctx.engine.connect() as conn:
            return group_store.all_groups(conn)

    def listing(self, now: datetime) -> list[GroupView]:
        """Every group with its contacts, its area and the live zones that touch it now."""
        records = self.groups()
        if not records:
            return []
        groups = self._metric(records)
        found = rules.reaches(groups, self.ctx.zones(now), self.ctx.rules)
        with self.ctx.engine.connect() as conn:
            messages = group_store.all_messages(conn)
        sent: dict[str, int] = {}
        for m in messages:
            if m.status == "sent":
                sent[m.group_id] = sent.get(m.group_id, 0) + 1
        return [
            GroupView(
                record,
                group.area_m2,
                tuple((r.zone.zone_id, r.level) for r in found if r.group is group),
                sent.get(record.group_id, 0),
            )
            for record, group in zip(records, groups, strict=True)
        ]

    # --- the messages --------------------------------------------------------------------

    def owed(self, now: datetime, zones: list[Zone] | None = None) -> list[Reach]:
        """The reaches of groups that no notice covers yet; notices that now cover reports
        joining theirs at the same level are brought up to date."""
        records = self.groups()
        if not records:
            return []
        groups = self._metric(records)
        if zones is None:
            zones = self.ctx.zones(now)
        found = rules.reaches(groups, zones, self.ctx.rules)
        with self.ctx.engine.connect() as conn:
            told = group_store.told(conn, {r.group.group_id for r in found})
        judgement = rules.judge(found, told)
        if judgement.covered:
            with self.ctx.engine.begin() as conn:
                group_store.cover(conn, judgement.covered)
        return judgement.owed

    def send(self, now: datetime, stopping: Callable[[], bool] = lambda: False) -> GroupRound:
        """Tell every group what it is owed, each contact once; failed messages of the last day
        are tried again first."""
        result = GroupRound()
        self._retry(now, result, stopping)
        owed = self.owed(now)
        if not owed:
            return result
        if self.courier is None:
            raise ConfigError("group messages are owed, but this installation has no courier")
        named = self._streets(owed)
        for reach in owed:
            if stopping():
                break
            ids = self._decide(reach, named[id(reach)], now)
            if ids is None:
                continue
            result.notices += 1
            with self.ctx.engine.connect() as conn:
                messages = group_store.messages_for(conn, ids)
            for message in messages:
                self._deliver(message, now, result)
        return result

    def unsent(self, now: datetime) -> list[Message]:
        """Group messages of the last day that have not gone out (yet): `cocoon status`."""
        with self.ctx.engine.connect() as conn:
            return group_store.unsent(conn, now - MESSAGE_RETRY)

    def messages(self) -> list[Message]:
        """Every group message on record: what was sent to whom, when, and how it went."""
        with self.ctx.engine.connect() as conn:
            return group_store.all_messages(conn)

    def _decide(self, reach: Reach, streets: tuple[str, ...], now: datetime) -> list[int] | None:
        """Keep the notice and its pending messages; None when another pass kept it first."""
        group = reach.group
        language: Language = group.language or self.ctx.settings.output.language
        words = rules.group_message(reach, streets, self.ctx.tz, language)
        notice = Notice(
            group_id=group.group_id,
            group_name=group.name,
            zone_id=reach.zone.zone_id,
            level=reach.level,
            anchor_key=reach.anchor,
            report_keys=reach.keys,
            until=reach.until,
            decided_at=now,
            subject=words.subject,
            body=words.body,
        )
        try:
            with self.ctx.engine.begin() as conn:
                ids = group_store.add_notice(conn, notice, group.contacts)
        except IntegrityError:
            log.info(
                "group %s already told of zone %s (%s)", group.group_id, reach.zone.zone_id,
                reach.level.value, extra={"event": "group.already_told"},
            )  # fmt: skip
            return None
        log.info(
            "group %s told of zone %s (%s): %d message(s)", group.name, reach.zone.zone_id,
            reach.level.value, len(ids),
            extra={"event": "group.notice", "group_id": group.group_id,
                   "zone_id": reach.zone.zone_id, "level": reach.level.value},
        )  # fmt: skip
        return ids

    def _deliver(self, message: Message, now: datetime, result: GroupRound) -> None:
        """One attempt at one message, kept on record; a failure waits for the next pass."""
        assert self.courier is not None
        extra = {"group_id": message.group_id, "channel": message.channel.value}
        error: str | None = None
        try:
            self.courier.deliver(message.channel, message.recipient, message.subject, message.body)
        except DeliveryError as exc:
            status, error = "failed", str(exc)
            result.failed += 1
            result.errors.append(f"{message.group_name} → {message.contact_name}: {exc}")
            log.warning("group message failed: %s", exc, extra={**extra, "event": "group.failed"})
        else:
            status = "sent"
            result.sent += 1
            log.info("group message sent", extra={**extra, "event": "group.sent"})
        with self.ctx.engine.begin() as conn:
            group_store.message_result(conn, message.message_id, status, error, now)

    def _retry(self, now: datetime, result: GroupRound, stopping: Callable[[], bool]) -> None:
        with self.ctx.engine.connect() as conn:
            waiting = group_store.retryable(
                conn, now - MESSAGE_RETRY, self.ctx.settings.groups.max_attempts
            )
        if waiting and self.courier is None:
            raise ConfigError(
                "group messages wait to be sent, but this installation has no courier"
            )
        for message in waiting:
            if stopping():
                return
            self._deliver(message, now, result)

    # --- helpers -------------------------------------------------------------------------

    def _metric(self, records: Sequence[GroupRecord]) -> list[Group]:
        """The stored groups in the metric CRS, as the core reads them."""
        projection = self.ctx.projection
        out = []
        for r in records:
            polygon = None
            if r.polygon is not None:
                polygon = shapely.transform(
                    r.polygon, lambda xy: np.column_stack(projection.to_metric(xy[:, 0], xy[:, 1]))
                )
            members: tuple[Member, ...] = ()
            if r.members:
                xs, ys = projection.to_metric(
                    [m.lon for m in r.members], [m.lat for m in r.members]
                )
                members = tuple(
                    Member(m.address_id, m.street, float(x), float(y))
                    for m, x, y in zip(r.members, xs, ys, strict=True)
                )
            language: Language | None = "en" if r.language == "en" else "sv" if r.language else None
            out.append(Group(r.group_id, r.name, r.contacts, polygon, members, language))
        return out

    def _streets(self, owed: Sequence[Reach]) -> dict[int, tuple[str, ...]]:
        """The streets each owed message names, from the roads and addresses around its zone."""
        zones = list({id(r.zone): r.zone for r in owed}.values())
        with self.ctx.engine.connect() as conn:
            roads = road_lines(self.ctx.roads_around(conn, zones), self.ctx.projection)
            addresses = self.ctx.addresses_around(conn, zones)
        return {id(r): rules.streets(r, roads, addresses, self.ctx.rules) for r in owed}


def _member(found: dict[str, Address | None], refs: Sequence[str]) -> list[StoredMember]:
    """The register addresses a list names; a RowError names the first that matches none."""
    out: dict[str, StoredMember] = {}
    for ref in refs:
        address = found.get(ref)
        if address is None:
            raise RowError("addresses", reasons.NO_MEMBER_ADDRESS(ref=ref))
        out.setdefault(
            address.address_id,
            StoredMember(address.address_id, address.street, address.lon, address.lat),
        )
    return list(out.values())
