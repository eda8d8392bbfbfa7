"""One writer at a time for the jobs that read, decide and then write on what they read: two
ingests of the same file, two `visits new` planning the same doors. The second waits for the
first and then sees what it stored."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Connection, text, update

from cocoon.store.schema import ingested_files

Job = Literal["ingest", "plan"]

#: PostgreSQL's advisory locks, by job: "cocoon" in ASCII plus one, two (the service lock's + n).
PG_KEYS: dict[Job, int] = {"ingest": 0x636F636F6F6E + 1, "plan": 0x636F636F6F6E + 2}


def take_turn(conn: Connection, job: Job) -> None:
    """Wait until no other run of `job` is writing; hold the turn until this transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: a write as the transaction's first
    statement takes the database's write lock, waiting (the busy timeout) for a writer before
    this one; a read first would fail at once instead of waiting (SQLITE_BUSY_SNAPSHOT).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_KEYS[job]})
    else:
        conn.execute(update(ingested_files).where(text("0 = 1")).values(name=ingested_files.c.name))
