"""A real aiogram Bot pointed at the fake Bot API (the `api` fixture comes from tests/conftest.py)."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

TOKEN = "123456:TEST"


@pytest.fixture
async def bot(api):  # noqa: ANN001, ANN201
    b = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    yield b
    await b.session.close()
