"""The bot's HTTP client as create_bot() builds it, against the fake Bot API."""

from __future__ import annotations

import gc
import weakref

from aiogram.methods import EditMessageReplyMarkup, SendMessage
from aiogram.methods.base import Response
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

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


async def test_calls_without_files_go_as_json_and_uploads_as_multipart(api) -> None:  # noqa: ANN001
    """A form percent-encodes each byte of a Chinese character; JSON carries the text as it is. The fake Bot
    API validates both against the spec, so a value JSON would carry with the wrong type is a violation."""
    bot = create_bot(TOKEN, api.base_url)
    try:
        text = "【舆情快报】YQ-2026-0001 重大 · 食堂饭菜出现异物 & <未核实>"
        msg = await bot.send_message(42, text, reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="✅ 批准", callback_data="rel:a:1")]]))
        await bot.edit_message_reply_markup(chat_id=42, message_id=msg.message_id, reply_markup=None)
        await bot.send_document(42, BufferedInputFile("复盘报告".encode(), filename="复盘.docx"), caption="复盘")
        calls = [c for c in api.calls if c.method != "getUpdates"]
        assert [(c.method, c.encoding) for c in calls] == [
            ("sendMessage", "json"), ("editMessageReplyMarkup", "json"), ("sendDocument", "multipart")]
        assert calls[0].params["text"] == text and calls[0].params["chat_id"] == 42
        assert calls[0].params["link_preview_options"] == {"is_disabled": True}  # the bot's default, resolved
        assert calls[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rel:a:1"
        assert "reply_markup" not in calls[1].params  # None is left out, as aiogram's form does
        assert calls[2].params["document"].content == "复盘报告".encode() and calls[2].params["caption"] == "复盘"
        assert all(c.ok for c in calls) and api.violations == []
    finally:
        await bot.session.close()
