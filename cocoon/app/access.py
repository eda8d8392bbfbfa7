"""The access log (brottsdatalagen: access to personal data must be possible to follow up):
who saw or downloaded which internal page or file, and who changed what.

Entries are only ever added; no use case changes or removes one. An admin exports them as CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cocoon.app.context import Context
from cocoon.outputs.csv_table import csv_table
from cocoon.store import access as access_store
from cocoon.store.access import AccessEntry as AccessEntry

#: The columns of the access log's CSV export.
CSV_HEADER = ("at", "user", "role", "client", "action", "target", "detail")


@dataclass(frozen=True)
class Actor:
    """Who does something: a web user (name, role, client address) or a command-line user."""

    name: str
    role: str
    client: str


class AccessCases:
    """The access log of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def record(
        self, actor: Actor, action: str, target: str, at: datetime, detail: str = ""
    ) -> None:
        """Add one entry, in its own transaction."""
        with self.ctx.engine.begin() as conn:
            access_store.append(
                conn, AccessEntry(at, actor.name, actor.role, actor.client, action, target, detail)
            )

    def entries(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        user_name: str | None = None,
        limit: int | None = None,
    ) -> list[AccessEntry]:
        with self.ctx.engine.connect() as conn:
            return access_store.entries(conn, since, until, user_name, limit)

    def csv(
        self, since: datetime | None = None, until: datetime | None = None, user: str | None = None
    ) -> bytes:
        """The entries as CSV (output.csv_format), times in local time with their offset."""
        tz = self.ctx.tz
        rows = [
            (e.at.astimezone(tz).isoformat(timespec="seconds"), e.user_name, e.role, e.client,
             e.action, e.target, e.detail)
            for e in self.entries(since, until, user)
        ]  # fmt: skip
        return csv_table(CSV_HEADER, rows, self.ctx.settings.output.csv_format)
