"""Report files already ingested, known by the SHA-256 of their bytes; one ingest at a time.

The inbox asks here before ingesting, so a file is never processed twice, not even when it
comes back under another name or the service stopped between ingesting it and moving it.
Ingests take turns (`take_ingest_turn`), so two that store the same reports at once never
collide: the second waits for the first and then sees what it stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, text, update

from cocoon.store.schema import ingested_files

#: PostgreSQL's advisory lock for ingests: "cocoon" in ASCII plus one (the service lock's + 1).
PG_INGEST_KEY = 0x636F636F6F6E + 1


@dataclass(frozen=True)
class IngestedFile:
    sha256: str
    name: str
    size: int
    ingested_at: datetime
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejects_path: str | None


def record_file(conn: Connection, file: IngestedFile) -> None:
    """Remember an ingested file; ingesting the same bytes again updates the record."""
    conn.execute(delete(ingested_files).where(ingested_files.c.sha256 == file.sha256))
    conn.execute(insert(ingested_files).values(**asdict(file)))


def ingested(conn: Connection, sha256: str) -> IngestedFile | None:
    row = conn.execute(select(ingested_files).where(ingested_files.c.sha256 == sha256)).first()
    return IngestedFile(**row._mapping) if row is not None else None


def take_ingest_turn(conn: Connection) -> None:
    """Wait until no other ingest is writing, and hold the turn until this transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: a write as the transaction's first
    statement takes the database's write lock, waiting (the busy timeout) for a writer before
    this one; a read first would fail at once instead of waiting (SQLITE_BUSY_SNAPSHOT).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_INGEST_KEY})
    else:
        conn.execute(update(ingested_files).where(text("0 = 1")).values(name=ingested_files.c.name))
