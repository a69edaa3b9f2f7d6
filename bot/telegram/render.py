"""Neutral buttons and input requests as Telegram's reply_markup (the Bot API dict form, which the outbox stored
before migration 0016 and aiogram validates on `answer`)."""

from __future__ import annotations

from typing import Any

from aiogram.types import ForceReply, InlineKeyboardMarkup

from bot.channels.types import Buttons, InputRequest

PLACEHOLDER_MAX = 64  # Telegram's input_field_placeholder limit


def reply_markup(buttons: Buttons | None, input: InputRequest | None = None) -> dict[str, Any] | None:  # noqa: A002
    """An inline keyboard (a button's action is its callback_data), else a force-reply prompt, else None. A
    message has one or the other: the services never ask for both (buttons would win)."""
    if buttons:
        return {"inline_keyboard": [[{"text": b.label, "callback_data": b.action} for b in row] for row in buttons]}
    if input is not None:
        return {"force_reply": True, "input_field_placeholder": input.placeholder[:PLACEHOLDER_MAX]}
    return None


def inline_keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    """For a handler's own reply (aiogram's object, as `answer` takes it); None when there are no buttons."""
    markup = reply_markup(buttons)
    return InlineKeyboardMarkup.model_validate(markup) if markup is not None else None


def force_reply(placeholder: str) -> ForceReply:
    """For a handler's own prompt: the person's next message answers it."""
    return ForceReply(**reply_markup(None, InputRequest(placeholder)))  # type: ignore[arg-type]
