"""ONDUTY_CRASH_AT: a sender process killed at a named point; the next one finishes the job."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import VirtualClock
from bot.db import create_engine, session_factory
from bot.delivery import OutboxSender
from bot.fakeapi import FakeBotAPI
from bot.services.addresses import telegram
from bot.services.outbox import enqueue, outbox_report
from bot.telegram.channel import TelegramChannel
from models.migrate import upgrade
from tests.delivery.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
CHILD = textwrap.dedent("""
    import asyncio, sys
    from bot.app import create_bot
    from bot.clock import SystemClock
    from bot.db import create_engine, session_factory
    from bot.delivery import OutboxSender
    from bot.telegram.channel import TelegramChannel

    async def main(url, api):
        engine = create_engine(url)
        bot = create_bot(sys.argv[3], api)
        await OutboxSender(TelegramChannel(bot), session_factory(engine), SystemClock(), instance="child").run_once()
        await bot.session.close()
        await engine.dispose()

    asyncio.run(main(sys.argv[1], sys.argv[2]))
""")


@pytest.mark.parametrize(("point", "deliveries", "duplicate"), [
    ("after_claim", 1, False), ("before_send", 1, True), ("after_send", 2, True), ("before_mark", 2, True),
])
async def test_killed_sender_loses_nothing_and_counts_the_possible_duplicate(
        tmp_path: Path, point: str, deliveries: int, duplicate: bool) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = VirtualClock()
    async with sessions() as s, s.begin():
        await enqueue(s, to=telegram(1001), text="survives a crash", now=clock.now())
    async with FakeBotAPI() as api:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, url, api.base_url, TOKEN, cwd=ROOT,
            env={**os.environ, "ONDUTY_CRASH_AT": point, "PYTHONPATH": str(ROOT)})
        assert await asyncio.wait_for(proc.wait(), 60) in (-9, 137)
        clock.set(datetime.now(UTC) + timedelta(seconds=61))  # the child's lease (60 s) expired
        from bot.app import create_bot

        bot = create_bot(TOKEN, api.base_url)
        assert await OutboxSender(TelegramChannel(bot), sessions, clock, instance="next").run_once() == 1
        await bot.session.close()
        assert len(api.sent("sendMessage", 1001)) == deliveries
    async with sessions() as s:
        report = await outbox_report(s)
    await engine.dispose()
    assert report["sent"] == 1 and report["possible_duplicates"] == int(duplicate) and report["reclaimed"] == 1
