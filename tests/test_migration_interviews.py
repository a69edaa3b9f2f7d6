"""Migration 0024 (interview requests, their decisions, breaches) over a database that holds data: up adds three
empty tables and loses no row; rows written there go with the tables on the way down; up again is empty."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.db import create_engine
from models.migrate import downgrade, upgrade
from tests.test_migration_data import _at, _counts, _seed

TABLES = ("interview_requests", "interview_decisions", "breaches")


async def test_0024_interviews_up_and_down_with_rows(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as conn:
            seeded = await conn.run_sync(_seed)  # two people, two incidents…
        await upgrade(engine, "0024")
        async with engine.begin() as conn:
            assert await conn.run_sync(_counts) == seeded
            at = {"at": _at(conn)}
            await conn.execute(text(
                "INSERT INTO interview_requests (id, incident_id, media, reporter, topic, speaker_id, requested_by,"
                " created_at, status, stage) VALUES (1, 2, '市电视台', '李记者', '整改进展', 1, 2, :at, 'in_review',"
                " 'approval')"), at)
            await conn.execute(text(
                "INSERT INTO interview_decisions (id, request_id, stage, decider_id, decision, at)"
                " VALUES (1, 1, 'review', 1, 'approve', :at)"), at)
            await conn.execute(text(
                "INSERT INTO breaches (id, incident_id, who, what, link, evidence, recorded_by, created_at)"
                " VALUES (1, 2, '某教师', '擅自透露', 'https://x.cn/1', '[]', 1, :at)"), at)
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT incident_id, media, status, stage FROM interview_requests"))).one()
            assert tuple(row) == (2, "市电视台", "in_review", "approval")
            assert (await conn.execute(text("SELECT stage, decision FROM interview_decisions"))).one() == \
                ("review", "approve")
            assert (await conn.execute(text("SELECT who, link FROM breaches"))).one() == ("某教师", "https://x.cn/1")
        await downgrade(engine, "0021")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            assert not any([await conn.run_sync(lambda c, name=name: inspect(c).has_table(name)) for name in TABLES])
        await upgrade(engine, "0024")
        async with engine.connect() as conn:
            assert await conn.run_sync(_counts) == seeded
            for name in TABLES:
                assert (await conn.execute(text(f"SELECT count(*) FROM {name}"))).scalar_one() == 0  # noqa: S608
    finally:
        await engine.dispose()
