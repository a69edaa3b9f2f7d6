"""The last callback router: a press nobody took — data that does not parse, an unknown prefix, an action or a
state that has passed — is answered, so the client's spinner stops, and changes nothing."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.i18n import t

router = Router(name="stale")


@router.callback_query()
async def on_unknown_press(query: CallbackQuery, lang: str) -> None:
    await query.answer(t("press.stale", lang))
