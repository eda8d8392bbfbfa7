"""Report files already ingested, known by the SHA-256 of their bytes; one ingest at a time.

The inbox asks here before ingesting, so a file is never processed twice, not even when it
comes back under another name or the service stopped between ingesting it and moving it.
Ingests take turns (`cocoon.store.turns`), so two that store the same reports at once never
collide: the second waits for the first and then sees what it stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from cocoon.store.schema import ingested_files


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
