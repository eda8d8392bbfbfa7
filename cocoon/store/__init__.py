"""The database: one code path for SQLite (default) and PostgreSQL/PostGIS."""

from cocoon.store.engine import check_schema, open_engine, upgrade

__all__ = ["check_schema", "open_engine", "upgrade"]
