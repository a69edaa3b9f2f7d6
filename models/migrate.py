"""Create or upgrade the schema through Alembic, programmatically (no alembic.ini needed).

Several instances may start at once on one PostgreSQL database: the upgrade runs under a transaction-level
advisory lock, so one instance migrates while the others wait, then find the schema at head and do
nothing. (PostgreSQL's DDL is transactional: a crash mid-upgrade rolls back and releases the lock.)
SQLite needs no lock: BEGIN IMMEDIATE already serialises writers of the file. There the migration runs
on its own connection with foreign keys off (batch mode drops and recreates tables that rows point at),
and `PRAGMA foreign_key_check` must come back empty before the migration commits.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")
# pg_advisory_xact_lock key: any fixed 64-bit number, the same in every instance ("onduty" in ASCII).
MIGRATION_LOCK = 0x6F6E64757479


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def _run(engine: AsyncEngine, conn, action: str, revision: str) -> None:  # noqa: ANN001
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
    cfg = alembic_config(str(engine.url))
    cfg.attributes["connection"] = conn
    getattr(command, action)(cfg, revision)
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration to {revision} would leave broken foreign keys: {broken[:5]}")


async def _migrate(engine: AsyncEngine, action: str, revision: str) -> None:
    from bot.db import create_migration_engine

    own = create_migration_engine(str(engine.url)) if engine.dialect.name == "sqlite" else None
    try:
        async with (own or engine).begin() as conn:
            await conn.run_sync(lambda c: _run(engine, c, action, revision))
    finally:
        if own is not None:
            await own.dispose()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision`."""
    await _migrate(engine, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _migrate(engine, "downgrade", revision)
