"""`onduty run`: the durable poller (or webhook), the outbox sender and the due-row sweeper, together.

Several `onduty run --webhook` processes may share one PostgreSQL database (docs/deployment.md): work
rows are claimed with leases (bot/services/claims.py), cron occurrences are due rows with a unique key
(schedules/cron.py), the live instances share Telegram's sending limit (bot/ops/instances.py), and
updates an instance left half-done are taken by another (bot/ops/inbox_retake.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import BotCommand
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import create_bot, create_dispatcher
from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings
from bot.db import create_engine, is_sqlite, session_factory
from bot.delivery import OutboxSender
from bot.delivery.limiter import Limits
from bot.domain.menus import default_menu
from bot.i18n import t
from bot.ops import logs as ops_logs
from bot.ops.http import OpsEndpoints, start_server
from bot.ops.inbox_retake import retake_stale
from bot.ops.instances import heartbeat_forever, leave
from bot.telegram.channel import TelegramChannel
from bot.telegram.link import TelegramLink
from bot.telegram.polling import DurablePoller
from bot.telegram.webhook import DurableWebhook
from bot.telegram.webhook_watch import WebhookWatch
from models.migrate import upgrade
from schedules import cron, messages  # noqa: F401 - registers the "message" due kind
from schedules.sweeps import DueSweeper, install

T = TypeVar("T")
log = logging.getLogger("onduty")

COMMANDS = default_menu()  # everyone's menu; office, leaders, admins get their own per chat (bot/services/menus.py)


async def retake_claims(sessions, now) -> None:  # noqa: ANN001
    """SQLite runs one instance: whatever the previous process had claimed is ours again at once, rather
    than after its lease expires (rows it may have sent are still flagged as possible duplicates)."""
    from sqlalchemy import update

    from models import DueItem, OutboxMessage

    async with sessions() as s, s.begin():
        await s.execute(update(OutboxMessage).where(OutboxMessage.status == "sending").values(claimed_until=now))
        await s.execute(update(DueItem).where(DueItem.status == "claimed").values(claimed_until=now))


async def cache_bot_username(sessions, username: str | None) -> None:  # noqa: ANN001
    """`onduty org links` builds https://t.me/<username>?start=… links even when it cannot ask Telegram."""
    from bot.services.org import ORG_ID
    from models import Organization

    async with sessions() as s, s.begin():
        row = await s.get(Organization, ORG_ID)
        if row is not None and username and row.bot_username != username:
            row.bot_username = username


class App:
    """Everything one process runs; `start()` and `stop()` are symmetric."""

    def __init__(self, settings: Settings, clock: Clock | None = None):
        self.settings = settings
        self.clock = clock or SystemClock()
        self.instance = f"{socket.gethostname()}-{os.getpid()}"
        self.mode = "polling"
        ops_logs.configure(settings.log_format, self.instance)

    async def start(self) -> None:
        token = self.settings.require_token()
        self.engine = create_engine(self.settings.database_url)
        await upgrade(self.engine)
        self.sessions = session_factory(self.engine)
        if is_sqlite(self.settings.database_url):
            await retake_claims(self.sessions, self.clock.now())
        self.dp = create_dispatcher(self.sessions, self.settings, self.clock)
        self.telegram_link = TelegramLink(self.clock.now)
        self.bot: Bot = create_bot(token, self.settings.telegram_api_url, self.telegram_link)
        # Everything loaded so far (aiogram's and pydantic's hundreds of thousands of objects) lives as long
        # as the process: set it aside, so a full garbage collection does not walk it again and again,
        # holding up every update for a tenth of a second or more each time.
        gc.collect()
        gc.freeze()
        st = self.settings
        lease = st.outbox_lease_seconds
        # The sender gives a claim back before its lease runs out: a call's timeout and a limiter wait
        # must fit well inside the lease (they are 15 s and 5 s at the default 60 s lease).
        self.sender = OutboxSender(TelegramChannel(self.bot, request_timeout=min(15.0, lease / 4)), self.sessions,
                                   self.clock, instance=self.instance, default_tz=st.timezone,
                                   lease=timedelta(seconds=lease), max_wait=min(5.0, lease / 4),
                                   limits=Limits(global_per_second=st.send_rate_per_second))
        self.sweeper = DueSweeper(self.sessions, self.clock, instance=self.instance, notify=self.sender.wake,
                                  default_tz=st.timezone, lease=timedelta(seconds=st.due_lease_seconds))
        self.ops = OpsEndpoints(self.sessions, self.clock.now, instance=self.instance,
                                max_lag=st.health_max_lag_seconds, telegram=self.telegram_link)
        self.stop_event = asyncio.Event()
        self.sender_task = asyncio.create_task(self.sender.run_forever(self.stop_event))
        self.heartbeat_task = asyncio.create_task(heartbeat_forever(
            self.sessions, self.clock.now, instance=self.instance, mode=self.mode,
            on_count=self.sender.limiter.share_global, stop=self.stop_event))
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        install(self.scheduler, self.sweeper, None, every_seconds=0.5)
        # Periodic jobs (the patrol planner) run once per occurrence across instances: schedules/cron.py.
        cron.install(self.scheduler, self.sessions, self.clock,
                     every={"patrols": timedelta(seconds=st.patrol_plan_seconds)}, instance=self.instance,
                     wake=lambda: self.scheduler.modify_job("onduty.sweep", next_run_time=datetime.now(UTC)))
        self.scheduler.start()

    async def set_commands(self) -> None:
        me = await until_taken(self.bot.me, self.stop_event, "getMe")
        await cache_bot_username(self.sessions, me.username)
        for lang, code in (("zh", None), ("en", "en")):
            commands = [BotCommand(command=c, description=t(f"cmd.{c}", lang)) for c in COMMANDS]
            await until_taken(lambda cs=commands, lc=code: self.bot.set_my_commands(cs, language_code=lc),
                              self.stop_event, "setMyCommands")

    async def stop(self) -> None:
        self.stop_event.set()
        with contextlib.suppress(Exception):
            # Let a pass already running (a sweep, a cron run) finish rather than cancel it half-way: the
            # scheduler's shutdown cancels it, and it would end in a traceback (its claims left to the lease).
            self.scheduler.pause()
            running = [f for f in getattr(self.scheduler._lookup_executor("default"), "_pending_futures", ())
                       if not f.done()]
            if running:
                await asyncio.wait(running, timeout=5)
            self.scheduler.shutdown(wait=False)
        with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
            await asyncio.wait_for(self.sender_task, 10)
        with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
            await asyncio.wait_for(self.heartbeat_task, 10)
        with contextlib.suppress(Exception):  # a clean stop frees its share of the sending limit at once
            async with self.sessions() as s, s.begin():
                await leave(s, self.instance)
        await self.bot.session.close()
        await self.engine.dispose()


class Stopped(Exception):
    """Asked to stop while a call of the start was still waiting for Telegram."""


async def until_taken(call: Callable[[], Awaitable[T]], stop: asyncio.Event, what: str) -> T:
    """A call the start cannot do without, retried while Telegram says not now (429, 5xx, no answer): a
    process restarted into a flood-control storm waits it out instead of exiting (and, under systemd, looping)."""
    delay = 1.0
    while True:
        try:
            return await call()
        except TelegramRetryAfter as e:
            wait = float(e.retry_after) + 0.1
        except (TelegramServerError, TelegramNetworkError) as e:
            wait, delay = delay, min(delay * 2, 30.0)
            log.warning("%s at start: %s; retrying in %.0f s", what, type(e).__name__, wait)
        if stop.is_set():
            raise Stopped(what)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)


async def run_polling(settings: Settings) -> None:
    app = App(settings)
    await app.start()
    metrics = None
    try:
        if (listen := settings.metrics_host_port()) is not None:
            metrics = await start_server(app.ops, *listen)
        _on_signals(app.stop_event)
        await until_taken(lambda: app.bot.delete_webhook(drop_pending_updates=False), app.stop_event,
                          "deleteWebhook")
        await app.set_commands()
        log.info("polling %s as %s", settings.telegram_api_url, app.instance)
        await DurablePoller(app.dp, app.bot, app.sessions, app.clock).run(app.stop_event)
    except Stopped:
        log.info("stopped before Telegram answered the start")
    finally:
        if metrics is not None:
            await metrics.cleanup()
        await app.stop()


async def run_webhook(settings: Settings) -> None:
    if not settings.webhook_secret:
        raise ConfigError("WEBHOOK_SECRET is required for webhook mode (Telegram sends it back on every call)")
    if not settings.webhook_url:
        raise ConfigError("WEBHOOK_URL is required for webhook mode (the public https URL Telegram will call)")
    host, port = settings.webhook_host_port()
    app = App(settings)
    app.mode = "webhook"
    await app.start()
    runner = None
    try:
        hook = DurableWebhook(DurablePoller(app.dp, app.bot, app.sessions, app.clock), settings.webhook_secret)
        await hook.processor.recover()
        retry = timedelta(seconds=settings.inbox_retry_seconds)
        app.scheduler.add_job(retake_stale, IntervalTrigger(seconds=retry.total_seconds() / 2, timezone="UTC"),
                              args=(hook.processor, retry), id="onduty.inbox", misfire_grace_time=None,
                              coalesce=True, max_instances=1, replace_existing=True)
        web_app = web.Application()
        hook.register(web_app, settings.webhook_path)
        app.ops.register(web_app)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        await app.set_commands()
        url = settings.webhook_url.rstrip("/") + settings.webhook_path
        # the update types the routers use (my_chat_member among them): Telegram keeps an earlier list otherwise
        await until_taken(lambda: app.bot.set_webhook(url, secret_token=settings.webhook_secret,
                                                      allowed_updates=app.dp.resolve_used_update_types()),
                          app.stop_event, "setWebhook")
        app.ops.webhook = watch = WebhookWatch(app.bot, url, app.clock.now)
        await watch.check()
        app.scheduler.add_job(watch.check, IntervalTrigger(seconds=settings.webhook_check_seconds, timezone="UTC"),
                              id="onduty.webhook_watch", misfire_grace_time=None, coalesce=True, max_instances=1,
                              replace_existing=True)
        _on_signals(app.stop_event)
        log.info("webhook on %s:%s%s as %s", host, port, settings.webhook_path, app.instance)
        await app.stop_event.wait()
        await hook.drain()
    except Stopped:
        log.info("stopped before Telegram answered the start")
    finally:
        if runner is not None:
            await runner.cleanup()
        await app.stop()
