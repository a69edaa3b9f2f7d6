"""Fixtures for the delivery tests: the example organisation, an incident, a Bot on the fake API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from aiogram import Bot
from sqlalchemy import select

from bot.app import create_bot
from bot.domain.orgfile import parse_org_file
from bot.fakeapi import FakeBotAPI
from bot.services.org_import import import_org
from models import Incident, Person
from tests.conftest import EXAMPLE_ORG

TOKEN = "123456:TEST-delivery"
OFFICE_CHAT = -1001000000001


@pytest.fixture
async def org(sessions):  # noqa: ANN001
    """`sessions` with the example organisation imported."""
    async with sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    return sessions


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    b = create_bot(TOKEN, api.base_url)
    yield b
    await b.session.close()


async def person_id(s, telegram_id: int) -> int:  # noqa: ANN001
    return await s.scalar(select(Person.id).where(Person.telegram_id == telegram_id))


async def make_incident(s, *, now: datetime, discovered: datetime | None = None, grade: str = "major",  # noqa: ANN001
                        category: str | None = None, seq: int = 1) -> Incident:
    inc = Incident(number=f"YQ-2026-{seq:04d}", year=2026, seq=seq, grade=grade, category=category,
                   discovered_at=discovered or now, created_at=now, created_by=await person_id(s, 1001))
    s.add(inc)
    await s.flush()
    return inc
