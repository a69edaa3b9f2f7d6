"""0020 assessments: up over a database holding incidents, a row stored and its uniqueness per (incident, version)
kept by the database, down drops the table and nothing else (SQLite always; PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.db import create_engine
from models.migrate import downgrade, upgrade
from tests.test_migration_data import _at, _counts, _seed

INSERT = ("INSERT INTO assessments (incident_id, based_on, person_id, created_at, category_before, category_after,"
          " large_effect, decision, reason) VALUES (1, :v, 1, :at, 'inquiry', 'hype', :large, 'respond', '有组织转发')")


async def test_0020_assessments_up_and_down_with_rows(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        await upgrade(engine, "0019")
        await upgrade(engine, "0020")
        async with engine.begin() as conn:
            await conn.execute(text(INSERT), {"v": 0, "at": _at(conn), "large": True})
        with pytest.raises(IntegrityError):  # a second assessment based on the same version: refused
            async with engine.begin() as conn:
                await conn.execute(text(INSERT), {"v": 0, "at": _at(conn), "large": False})
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT category_before, category_after, decision, reason FROM "
                                            "assessments"))).all()
            assert rows == [("inquiry", "hype", "respond", "有组织转发")]
        await downgrade(engine, "0019")
        async with engine.connect() as conn:
            assert not await conn.run_sync(lambda c: c.dialect.has_table(c, "assessments"))
            assert await conn.run_sync(_counts) == seeded
    finally:
        await engine.dispose()
