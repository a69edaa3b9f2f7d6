"""A Telegram press in (a CallbackQuery as a neutral `Press`) and its `Outcome` out: the toast, then the
pressed message edited (or its buttons removed), then a reply in the same chat — as the handlers did it."""

from __future__ import annotations

from aiogram.types import CallbackQuery

from bot.channels.types import TELEGRAM, Address, MessageRef
from bot.presses.types import Outcome, Press
from bot.services.dto import PersonDTO
from bot.telegram.render import inline_keyboard


def press_of(query: CallbackQuery, person: PersonDTO | None, lang: str) -> Press:
    """Where the card is: its chat (the presser's private chat for an inline message without one)."""
    msg = query.message
    chat = msg.chat.id if msg is not None else query.from_user.id
    return Press(action=query.data or "", actor=person, actor_ref=f"{TELEGRAM}:{query.from_user.id}",
                 actor_name=query.from_user.full_name, where=Address(TELEGRAM, str(chat)),
                 ref=MessageRef(TELEGRAM, str(msg.message_id)) if msg is not None else None, lang=lang)


async def show(query: CallbackQuery, out: Outcome) -> None:
    await query.answer(out.notice or None, show_alert=out.alert or None)
    msg = query.message
    if msg is None:
        return
    if out.edit is not None:
        await msg.edit_text(out.edit.text, reply_markup=inline_keyboard(out.edit.buttons))
    elif out.clear_buttons:
        await msg.edit_reply_markup(reply_markup=None)
    if out.reply is not None:
        await msg.answer(out.reply.text, reply_markup=inline_keyboard(out.reply.buttons))
