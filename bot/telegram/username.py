"""The bot's own username, asked of the Bot API (getMe): `onduty org links` prints t.me links with it."""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer


async def fetch_username(token: str, api_url: str = "") -> str | None:
    """Raises on no network or a wrong token (the caller falls back to the cached name)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else AiohttpSession()
    bot = Bot(token, session=session)
    try:
        return (await asyncio.wait_for(bot.get_me(), 10)).username
    finally:
        await bot.session.close()
