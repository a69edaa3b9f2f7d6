"""Per-update plumbing: one DB transaction per update, and who is writing in which language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import current_session
from bot.i18n import lang_of
from bot.services.org import get_person, load_org

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """Opens the update's session; the handler's effects and FSM changes commit together or not at all."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], default_tz: str):
        self.sessions = sessions
        self.default_tz = default_tz

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.sessions() as s:
            token = current_session.set(s)
            try:
                data["session"] = s
                data["org"] = await load_org(s, self.default_tz)
                user: User | None = data.get("event_from_user")
                person = await get_person(s, user.id) if user else None
                data["person"] = person
                data["lang"] = (person.language if person and person.language
                                else lang_of(user.language_code if user else None))
                result = await handler(event, data)
                await s.commit()
                return result
            except BaseException:
                await s.rollback()
                raise
            finally:
                current_session.reset(token)
