"""Filters over what the middlewares put into the handler data."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from bot.services.dto import PersonDTO


class Unregistered(Filter):
    async def __call__(self, event: TelegramObject, person: PersonDTO | None = None) -> bool:
        return person is None
