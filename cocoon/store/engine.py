"""Opening the database and bringing its schema to the newest migration."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from cocoon.errors import StoreError
from cocoon.fileio import make_file
from cocoon.store import reasons

if TYPE_CHECKING:
    from alembic.config import Config

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
        raise StoreError(reasons.NOT_A_DATABASE_URL(url=url)) from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(reasons.UNSUPPORTED_DATABASE(backend=parsed.get_backend_name()))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
            # before SQLite opens it: SQLite gives its -wal, -shm and -journal the file's mode
            try:
                make_file(parsed.database, internal=True)
            except OSError as exc:
                raise StoreError(
                    reasons.CANNOT_CREATE_DATABASE_FILE(path=parsed.database, reason=exc.strerror)
                ) from exc
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        # prepare_threshold=None: psycopg would otherwise prepare the id lookups after five runs,
        # and PostgreSQL may keep a plan made while the table was empty (measured 5x slower).
        return create_engine(parsed, pool_pre_ping=True, connect_args={"prepare_threshold": None})
    except NoSuchModuleError as exc:
        raise StoreError(
            reasons.UNSUPPORTED_DATABASE_URL(driver=parsed.drivername, url=url)
        ) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: loading a national register is faster
    cursor.close()


_REVISION = re.compile(r'^revision = "([^"]+)"', re.M)
_DOWN = re.compile(r'^down_revision = (?:None|"([^"]+)")', re.M)


def head_revision() -> str:
    """The newest migration: the one no other revises. Read from the migration files without
    alembic, so that every command's schema check stays cheap (alembic loads for `init` only;
    a test checks this against alembic's own answer)."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        text = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(text), _DOWN.search(text)
        if found is None or down is None:
            raise StoreError(f"{path.name}: a migration without revision and down_revision")
        revisions.add(found.group(1))
        if down.group(1):
            revised.add(down.group(1))
    heads = revisions - revised
    if len(heads) != 1:
        raise StoreError(f"the migrations have {len(heads)} heads: {', '.join(sorted(heads))}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at; None for a database cocoon has not made."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        raise StoreError(reasons.CANNOT_OPEN_DATABASE(reason=_one_line(exc))) from exc


def _alembic_config() -> Config:
    from alembic.config import Config  # alembic only where the schema is made or upgraded

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> str:
    """Create or migrate the schema to the newest revision; returns that revision."""
    from alembic import command

    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise StoreError(reasons.CANNOT_CREATE_SCHEMA(reason=_one_line(exc))) from exc
    return head_revision()


def check_schema(engine: Engine) -> None:
    """Refuse to work on a database that `cocoon init` has not made or upgraded."""
    current = current_revision(engine)
    if current is None:
        raise StoreError(reasons.NO_SCHEMA())
    if current != head_revision():
        raise StoreError(reasons.OLD_SCHEMA(current=current, head=head_revision()))


def _one_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
