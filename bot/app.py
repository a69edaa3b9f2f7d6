"""Assembly: the same dispatcher and bot for production, the demo and the tests."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.api_session import JsonAiohttpSession
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.middlewares import (
    CommitBeforeSend,
    DbSessionMiddleware,
    KeepResponseTypes,
    RetryTransient,
    TolerateStaleCallbacks,
)
from bot.ops.middleware import UpdateMetrics
from bot.ops.telegram_link import TelegramLink
from bot.storage import SqlStorage


def create_bot(token: str, api_url: str, link: TelegramLink | None = None) -> Bot:
    """`link`, when given, watches every call's outcome for /healthz."""
    session = JsonAiohttpSession(api=TelegramAPIServer.from_base(api_url.rstrip("/")))
    session.middleware(KeepResponseTypes())
    session.middleware(CommitBeforeSend())
    session.middleware(TolerateStaleCallbacks())
    session.middleware(RetryTransient())
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
