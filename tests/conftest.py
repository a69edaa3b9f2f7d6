"""Shared fixtures: a real database (SQLite file always; PostgreSQL when TEST_DATABASE_URL is set),
the packaged fake Bot API on 127.0.0.1, and the real bot wired to both."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import VirtualClock
from bot.db import create_engine, session_factory
from bot.demo.harness import BotProcess, local_settings
from bot.domain.orgfile import parse_org_file
from bot.fakeapi import FakeBotAPI
from bot.services.org import import_org
from models.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ORG = ROOT / "bot" / "demo" / "org.example.yaml"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
T0 = datetime.fromisoformat("2026-11-24T10:00:00+08:00")


def _pg_or_skip() -> str:
    if PG_URL:
        return PG_URL
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI")
    pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")


async def reset_pg(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    url = _pg_or_skip()
    await reset_pg(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"


@pytest.fixture
async def sessions(db_url: str):
    engine = create_engine(db_url)
    await upgrade(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(T0)


@pytest.fixture
async def running(api: FakeBotAPI, db_url: str, tmp_path: Path, clock: VirtualClock) -> AsyncIterator[BotProcess]:
    """The real bot polling the fake API, with the example organisation imported."""
    proc = BotProcess(local_settings(tmp_path, api.base_url, db_url), clock)
    await proc.start()
    async with proc.sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    yield proc
    await proc.stop()
    assert not api.violations, api.violations
