"""Opening the database and bringing its schema to the newest migration."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from cocoon.errors import StoreError
from cocoon.fileio import make_file

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"

#: Rows per statement: keeps an IN (...) list under SQLite's limit on bound parameters.
CHUNK = 500


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """The items in slices of at most CHUNK."""
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def open_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, its locks wait instead of failing.

    A new SQLite file and its missing folders are internal data (fileio's access policy).
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
            # before SQLite opens it: SQLite gives its -wal, -shm and -journal the file's mode
            try:
                make_file(parsed.database, internal=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the database file {parsed.database}: {exc.strerror}"
                ) from exc
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        # prepare_threshold=None: psycopg would otherwise prepare the id lookups after five runs,
        # and PostgreSQL may keep a plan made while the table was empty (measured 5x slower).
        return create_engine(parsed, pool_pre_ping=True, connect_args={"prepare_threshold": None})
    except NoSuchModuleError as exc:
        raise StoreError(f"unsupported database URL {parsed.drivername!r}: {url!r}") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: loading a national register is faster
    cursor.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the database: {_one_line(exc)}") from exc


def upgrade(engine: Engine) -> str:
    """Create or migrate the schema to the newest revision; returns that revision."""
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot create the schema: {_one_line(exc)}") from exc
    return head_revision()


def check_schema(engine: Engine) -> None:
    """Refuse to work on a database that `cocoon init` has not made or upgraded."""
    current = current_revision(engine)
    if current is None:
        raise StoreError("the database has no cocoon schema; run `cocoon init` first")
    if current != head_revision():
        raise StoreError(
            f"the database schema is at revision {current}, this cocoon needs "
            f"{head_revision()}; run `cocoon init` to upgrade it"
        )


def _one_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
