"""Telegram's chats and messages as the port names them (bot/channels/types.py): what the handlers hand the
services when a text answers one of the bot's messages (a card, a handover prompt), so no service below them
takes Telegram's integers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import TELEGRAM, Address, MessageRef
from bot.telegram.replies import real_message_ids


def address_of(chat_id: int) -> Address:
    """A Telegram chat as an address."""
    return Address(TELEGRAM, str(chat_id))


def message_ref(message: Any) -> tuple[Address, MessageRef]:
    """A message (aiogram's Message, or an inaccessible one of a press) as its conversation and reference."""
    return address_of(message.chat.id), MessageRef(TELEGRAM, str(message.message_id))


def replied_to(message: Any) -> tuple[Address, MessageRef] | None:
    """The message this one answers (Telegram: reply_to_message, in the same chat); None when it answers none."""
    reply = message.reply_to_message
    if reply is None:
        return None
    return address_of(message.chat.id), MessageRef(TELEGRAM, str(reply.message_id))


async def answers_one_of(message: Any, session: AsyncSession | None, kept: list[Any]) -> bool:
    """Whether the message replies to one of the bot's messages a handler kept (their ids as the handler got
    them back: a stand-in of a reply not sent then is Telegram's id once sent)."""
    replied = replied_to(message)
    if replied is None or session is None:
        return False
    sent = await real_message_ids(message.bot, session, list(kept))
    return replied[1] in {MessageRef(TELEGRAM, str(i)) for i in sent if i is not None}
