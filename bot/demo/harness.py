"""The real bot (dispatcher, handlers, database) wired to the fake Bot API, restartable on one database.

Used by `onduty demo`, the tests and the benchmarks, so all three exercise production code.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from pathlib import Path

from aiogram import Bot, Dispatcher

from bot.app import create_bot, create_dispatcher
from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.db import create_engine, session_factory
from bot.delivery import Limits, OutboxSender, RateLimiter
from bot.telegram.channel import TelegramChannel
from bot.telegram.link import TelegramLink
from bot.telegram.polling import DurablePoller
from models.migrate import upgrade
from schedules.duty import plan_patrols
from schedules.sweeps import DueSweeper

UNLIMITED = Limits(global_per_second=10_000, global_burst=100, chat_per_second=10_000, chat_burst=100,
                   group_per_minute=1_000_000, group_burst=100)
# Telegram's own limit for a group (20 a minute, a burst of 3), everything else lifted: `group-limits` in a
# script, for the office group in a burst (the digest). Counted on the virtual clock (see limit_groups).
GROUP_LIMITED = dataclasses.replace(UNLIMITED, group_per_minute=20, group_burst=3)
DEMO_TOKEN = "123456:DEMO-onduty-fake-token"


def local_settings(workdir: Path, api_url: str, database_url: str | None = None) -> Settings:
    return load_settings(bot_token=DEMO_TOKEN, telegram_api_url=api_url,
                         database_url=database_url or f"sqlite+aiosqlite:///{workdir / 'onduty.db'}",
                         evidence_dir=str(workdir / "evidence"))


class BotProcess:
    """One running bot: engine, dispatcher and polling task. `stop()` drops everything held in memory."""

    def __init__(self, settings: Settings, clock: Clock):
        self.settings = settings
        self.clock = clock
        self.bot: Bot | None = None
        self.dp: Dispatcher | None = None
        self._task: asyncio.Task | None = None
        self._engine = None
        self.group_limited = False  # kept across a restart

    async def start(self) -> None:
        self._engine = create_engine(self.settings.database_url)
        await upgrade(self._engine)
        self.sessions = session_factory(self._engine)
        self.dp = create_dispatcher(self.sessions, self.settings, self.clock)
        self.telegram_link = TelegramLink(self.clock.now)  # what /healthz says of Telegram, as in `onduty run`
        self.bot = create_bot(self.settings.bot_token, self.settings.telegram_api_url, self.telegram_link)
        # The production poller: the next getUpdates, which confirms the offset, only follows a processed
        # batch, so the fake API's `wait_confirmed` means "processed".
        # The demo's clock is virtual and the limiter's is real: lift the rate limits here, or a minute of
        # virtual time would hold group messages for many virtual hours. (Tests of the limits use the sender.)
        self.sender = OutboxSender(TelegramChannel(self.bot), self.sessions, self.clock, instance="demo",
                                   limits=UNLIMITED, default_tz=self.settings.timezone)
        if self.group_limited:
            self.limit_groups()
        self.sweeper = DueSweeper(self.sessions, self.clock, instance="demo", default_tz=self.settings.timezone)
        self._stop = asyncio.Event()
        self.poller = DurablePoller(self.dp, self.bot, self.sessions, self.clock, polling_timeout=1)
        self._task = asyncio.create_task(self.poller.run(self._stop))

    def limit_groups(self) -> None:
        """From now on groups get Telegram's 20 messages a minute (a burst of 3), on the virtual clock: a
        message the limit holds back waits (as a row due later) until the clock is advanced, never in real
        time. Replies (the gate's limiter) stay unlimited."""
        self.group_limited = True
        self.sender.limiter = RateLimiter(GROUP_LIMITED, clock=lambda: self.clock.now().timestamp())
        self.sender.max_wait = 0.0

    async def tick(self) -> int:
        """What the timers would do now: sweep due rows into the outbox, then deliver the outbox."""
        await plan_patrols(self.sessions, self.clock)
        swept = await self.sweeper.run_once()
        sent = 0
        while (n := await self.sender.run_once()) > 0:
            sent += n
        return swept + sent

    async def stop(self) -> None:
        if self._task is not None:
            self._stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)
        if self.bot is not None:
            await self.bot.session.close()
        if self._engine is not None:
            await self._engine.dispose()
        self.bot = self.dp = self._task = self._engine = None
