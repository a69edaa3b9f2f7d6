"""Migration 0025 (incident rooms, decisions, a thread on outbox rows) up and down over a database with rows."""

from __future__ import annotations

from sqlalchemy import MetaData, inspect, text

from bot.db import create_engine
from models.migrate import downgrade, upgrade
from tests.test_migration_data import _at, _counts, _seed, _value


def _outbox_row(conn) -> None:  # noqa: ANN001
    """One outbox row as the schema before 0025 stores it (every required column filled)."""
    meta = MetaData()
    meta.reflect(conn, only=["outbox"])
    table = meta.tables["outbox"]
    row = {c.name: _value(c, 1, conn.dialect.name) for c in table.columns
           if not c.nullable and c.server_default is None and c.name != "id"}
    row.update(conv="-1001000000001", kind="send", payload={"text": "卡片"}, status="pending")
    conn.execute(table.insert().values(row))


async def test_0025_rooms_up_and_down_with_rows(db_url: str) -> None:
    """The two tables come empty and the outbox's rows get no thread; rows written in them go with the tables on
    the way down, the outbox keeps its rows (without the column), and up again gives empty tables."""
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)
        await upgrade(engine, "0021")
        async with engine.begin() as conn:
            await conn.run_sync(_outbox_row)
        await upgrade(engine, "0025")
        async with engine.begin() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert (await conn.execute(text("SELECT thread FROM outbox"))).scalars().all() == [None]
            await conn.execute(text(
                "INSERT INTO incident_rooms (id, incident_id, channel, conv, name, status, outbox_id, thread,"
                " created_at) VALUES (1, 2, 'telegram', '-1001000000001', 'YQ-2026-0002 食堂', 'open', 1, '7', :at)"),
                {"at": _at(conn)})
            await conn.execute(text(
                "INSERT INTO decisions (id, incident_id, text, decided_by, task_id, created_at)"
                " VALUES (1, 2, '统一口径', 1, NULL, :at)"), {"at": _at(conn)})
            await conn.execute(text("UPDATE outbox SET thread = '7'"))
        async with engine.connect() as conn:
            room = (await conn.execute(text("SELECT incident_id, name, status, thread FROM incident_rooms"))).one()
            assert tuple(room) == (2, "YQ-2026-0002 食堂", "open", "7")
            assert (await conn.execute(text("SELECT text FROM decisions"))).scalar_one() == "统一口径"
            assert (await conn.execute(text("SELECT thread FROM outbox"))).scalar_one() == "7"
        await downgrade(engine, "0021")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert not await conn.run_sync(lambda c: inspect(c).has_table("incident_rooms"))
            assert not await conn.run_sync(lambda c: inspect(c).has_table("decisions"))
            columns = await conn.run_sync(lambda c: [col["name"] for col in inspect(c).get_columns("outbox")])
            assert "thread" not in columns
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one() == 1
        await upgrade(engine, "0025")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert (await conn.execute(text("SELECT count(*) FROM incident_rooms"))).scalar_one() == 0
            assert (await conn.execute(text("SELECT count(*) FROM decisions"))).scalar_one() == 0
            assert (await conn.execute(text("SELECT thread FROM outbox"))).scalar_one() is None
    finally:
        await engine.dispose()
