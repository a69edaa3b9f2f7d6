"""Migrations over a database that holds data: SQLite's batch mode rebuilds tables (DROP + CREATE), which
foreign keys must not stop, and no row may be lost on the way up or down."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, String, Text, func, select

from bot.db import create_engine
from models.migrate import downgrade, upgrade

# Tables with foreign keys pointing at them, in an order that satisfies those keys.
TABLES = ("organizations", "units", "people", "incidents", "reports", "evidence")
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def _value(col, n: int, dialect: str):  # noqa: ANN001, ANN202
    """A plausible value for a required column of the reflected (old) schema, stored as models.base would."""
    if col.foreign_keys:
        return 1
    t = col.type
    if isinstance(t, Boolean):
        return False
    if isinstance(t, Integer):
        return n
    if isinstance(t, DateTime):
        return NOW.replace(tzinfo=None) if dialect == "sqlite" else NOW
    if isinstance(t, Date):
        return NOW.date()
    if isinstance(t, String | Text):
        return f"{col.name}-{n}"
    return {}  # JSON


def _seed(conn) -> dict[str, int]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn)
    counts = {}
    for name in TABLES:
        if name not in meta.tables:
            continue
        table = meta.tables[name]
        for n in (1, 2):
            row = {c.name: _value(c, n, conn.dialect.name) for c in table.columns
                   if not c.nullable and c.server_default is None}
            if "id" in table.c:
                row["id"] = n
            conn.execute(table.insert().values(row))
        counts[name] = 2
    return counts


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(conn, only=[t for t in TABLES if conn.dialect.has_table(conn, t)])
    return {name: conn.execute(select(func.count()).select_from(meta.tables[name])).scalar_one()
            for name in TABLES if name in meta.tables}


async def test_upgrade_and_downgrade_keep_rows(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")  # before 0005 and 0008, which rebuild incidents/evidence on SQLite
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        assert set(seeded) >= {"people", "incidents", "reports", "evidence"}
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
        await downgrade(engine, "0004")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
    finally:
        await engine.dispose()
