"""Migrations and the incident number, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select

from bot.db import create_engine
from bot.domain.orgfile import parse_org_file
from bot.services.org import get_person
from bot.services.org_import import import_org
from bot.services.reports import file_report
from models.migrate import downgrade, upgrade
from tests.conftest import EXAMPLE_ORG, T0

TZ = ZoneInfo("Asia/Shanghai")
VALUES = {"discovered": T0, "time": T0, "place": "东门", "unit": "后勤", "process": "p", "result": "r",
          "platform": "weibo"}


async def test_migrations_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"incidents", "reports", "evidence", "people", "fsm_state", "invites"} <= tables
    await downgrade(engine, "base")
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert "incidents" not in tables
    await upgrade(engine)
    await engine.dispose()


async def test_the_migrated_schema_is_the_models_schema(db_url: str) -> None:
    """No model change without its migration: Alembic's comparison (types included) finds nothing."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from models.base import Base

    engine = create_engine(db_url)
    await upgrade(engine)
    async with engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(
            MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata))
    await engine.dispose()
    assert diff == []


async def test_incident_numbers_are_unique_under_concurrency(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    async with sessions() as s:
        person = await get_person(s, 1001)

    async def one() -> str:
        async with sessions() as s, s.begin():
            return (await file_report(s, person=person, values=VALUES, evidence=[], source="template",
                                      now=T0, tz=TZ)).number

    numbers = await asyncio.gather(*(one() for _ in range(12)))
    assert sorted(numbers) == [f"YQ-2026-{i:04d}" for i in range(1, 13)]


async def test_numbers_restart_each_year_in_the_org_zone(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
        person = await get_person(s, 1001)
        # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Shanghai
        new_year = datetime.fromisoformat("2026-12-31T17:00:00+00:00")
        a = await file_report(s, person=person, values=VALUES, evidence=[], source="dialog", now=T0, tz=TZ)
        b = await file_report(s, person=person, values=VALUES, evidence=[], source="dialog", now=new_year, tz=TZ)
    assert (a.number, b.number) == ("YQ-2026-0001", "YQ-2027-0001")


async def test_fsm_storage_round_trip(sessions) -> None:  # noqa: ANN001
    from aiogram.fsm.storage.base import StorageKey

    from bot.telegram.fsm_storage import SqlStorage

    st = SqlStorage(sessions)
    key = StorageKey(bot_id=1, chat_id=2, user_id=2)
    assert await st.get_state(key) is None and await st.get_data(key) == {}
    await st.set_state(key, "ReportStates:filling")
    await st.set_data(key, {"draft": {"values": {"place": "东门"}}})
    st2 = SqlStorage(sessions)  # a new process sees the same
    assert await st2.get_state(key) == "ReportStates:filling"
    assert (await st2.get_data(key))["draft"]["values"]["place"] == "东门"
    async with sessions() as s:
        from models import FsmRecord

        assert (await s.scalar(select(FsmRecord))).key.startswith("1:2:2")


async def test_a_sqlite_write_lock_held_elsewhere_does_not_stall_the_event_loop(tmp_path) -> None:  # noqa: ANN001
    """SQLite statements run on the loop's thread (bot/sqlite_inline.py), but BEGIN IMMEDIATE, which waits in
    SQLite's busy handler while another process (the CLI, a second bot) writes, must not: the bot would stop
    polling and sending for as long as the other writer holds the lock."""
    path = tmp_path / "locked.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    async def write() -> None:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES (1)")

    tick_task = asyncio.create_task(ticker())
    writer = asyncio.create_task(write())
    await asyncio.sleep(0.5)
    try:
        assert not writer.done()  # still waiting for the lock
        assert ticks >= 20  # and the loop went on meanwhile
    finally:
        other.rollback()
        other.close()
    await asyncio.wait_for(writer, 5)
    tick_task.cancel()
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("SELECT count(*) FROM t")).scalar() == 1
    await engine.dispose()
