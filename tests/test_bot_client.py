"""The bot's HTTP client as create_bot() builds it, against the fake Bot API."""

from __future__ import annotations

import gc
import weakref

from aiogram.methods import EditMessageReplyMarkup, SendMessage
from aiogram.methods.base import Response
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import create_bot

TOKEN = "123456:TEST"


async def test_reply_types_are_built_once_not_after_every_collection(api) -> None:  # noqa: ANN001
    """pydantic caches Response[T] weakly; a class rebuilt after each collection cost 2-7 ms a call."""
    bot = create_bot(TOKEN, api.base_url)
    try:
        msg = await bot.send_message(42, "值班", reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="OK", callback_data="ok")]]))
        await bot.edit_message_reply_markup(chat_id=42, message_id=msg.message_id, reply_markup=None)
        kept = [weakref.ref(Response[m.__returning__]) for m in (SendMessage, EditMessageReplyMarkup)]
        gc.collect()
        assert all(ref() is not None for ref in kept)
        await bot.send_message(42, "again")  # and the kept class still reads replies
        assert [c.text for c in api.sent(chat_id=42)] == ["值班", "again"]
    finally:
        await bot.session.close()
