"""Alembic environment: runs on the connection that cocoon.store.migrate hands it."""

from alembic import context

from cocoon.store.schema import is_cocoon_object, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    include_object=is_cocoon_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
