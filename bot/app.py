"""Assembly: the same dispatcher and bot for production, the demo and the tests."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.telegram.api_session import JsonAiohttpSession
from bot.telegram.fsm_storage import SqlStorage
from bot.telegram.link import TelegramLink
from bot.telegram.middlewares import DbSessionMiddleware, KeepResponseTypes, TolerateStaleCallbacks
from bot.telegram.replies import DeliveryGate, Replies
from bot.telegram.update_metrics import UpdateMetrics


def create_bot(token: str, api_url: str, link: TelegramLink | None = None, replies: Replies | None = None) -> Bot:
    """`link`, when given, watches every call's outcome for /healthz. Every call passes the DeliveryGate: the
    update's transaction commits before anything is told, a handler's reply is an outbox row delivered at once
    or by the sender, and one limiter holds every path back after a 429 (bot/telegram/replies.py). The
    process's OutboxSender, created with this bot, lends the gate its limiter."""
    session = JsonAiohttpSession(api=TelegramAPIServer.from_base(api_url.rstrip("/")))
    session.middleware(KeepResponseTypes())
    session.middleware(TolerateStaleCallbacks())
    session.middleware(DeliveryGate(replies))
    if link is not None:
        session.middleware(link)  # innermost: each attempt counts
    return Bot(token=token, session=session, default=DefaultBotProperties(link_preview_is_disabled=True))


def create_dispatcher(sessions: async_sessionmaker[AsyncSession], settings: Settings,
                      clock: Clock | None = None) -> Dispatcher:
    from handlers import build_router

    dp = Dispatcher(storage=SqlStorage(sessions))
    dp["clock"] = clock or SystemClock()
    dp["settings"] = settings
    # The DB session opens before aiogram's FSM middleware, so reading the dialog state shares the update's
    # transaction (public API only: take the FSM middleware out, put ours in, put it back).
    dp.update.outer_middleware.unregister(dp.fsm)
    dp.update.outer_middleware(UpdateMetrics())  # outermost: counts and times the whole update
    dp.update.outer_middleware(DbSessionMiddleware(sessions, settings.timezone))
    dp.update.outer_middleware(dp.fsm)
    dp.include_router(build_router())
    return dp
