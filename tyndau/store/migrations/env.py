"""Alembic environment: migrations run on a connection the store hands over (SQLite or PostgreSQL)."""

from alembic import context

from tyndau.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
