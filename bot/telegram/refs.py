"""Telegram's chats and messages as the port names them (bot/channels/types.py): what the handlers hand the
services when a text answers one of the bot's messages (a card, a handover prompt), so no service below them
takes Telegram's integers."""

from __future__ import annotations

from typing import Any

from bot.channels.types import TELEGRAM, Address, MessageRef


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
