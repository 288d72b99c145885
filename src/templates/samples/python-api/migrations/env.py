"""Runs migrations with the same connection settings as the service (DB_* variables)."""

from __future__ import annotations

import asyncio
import logging.config

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

from service.config import Settings
from service.db import connect_args, database_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

LOCK_TIMEOUT_MS = 10000


def _settings():
    database = Settings.from_env().database
    if database is None:
        raise SystemExit("DB_HOST is not set: nothing to migrate")
    return database


def run_migrations_offline() -> None:
    context.configure(url=database_url(_settings()).render_as_string(hide_password=True), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    database = _settings()
    engine = create_async_engine(
        database_url(database),
        poolclass=pool.NullPool,
        # No statement timeout: a migration may rewrite a large table. It waits for locks
        # only briefly, so it fails fast instead of queueing behind live traffic.
        connect_args=connect_args(database, f"{database.application_name}-migrate", lock_timeout=str(LOCK_TIMEOUT_MS)),
    )
    try:
        async with engine.connect() as connection:
            # Two tasks starting at once must not both migrate: serialise on an advisory lock.
            await connection.exec_driver_sql("SELECT pg_advisory_lock(hashtext('alembic'))")
            await connection.commit()
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
