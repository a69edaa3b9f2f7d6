"""Last line: an unexpected error is logged and the user told, in their language, that nothing was lost.
A failed press is answered too (a toast), so the client's button does not spin until Telegram gives up."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

from bot.i18n import lang_of, t

log = logging.getLogger(__name__)
router = Router(name="errors")


@router.errors()
async def on_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    upd = event.update
    query = upd.callback_query
    msg = upd.message or (query.message if query else None)
    user = upd.message.from_user if upd.message else (query.from_user if query else None)
    lang = lang_of(user.language_code) if user is not None else "zh"
    if query is not None:
        try:
            await query.answer(t("press.error", lang))
        except Exception:  # noqa: BLE001 - the error path must not raise again (already answered, too old)
            log.warning("could not answer the failed press")
    if msg is not None and user is not None:
        try:
            await msg.answer(t("error.internal", lang))
        except Exception:  # noqa: BLE001 - the error path must not raise again
            log.warning("could not tell the user about the error")
    return True
