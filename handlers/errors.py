"""Last line: an unexpected error is logged and the user told, in their language, that nothing was lost."""

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
    msg = upd.message or (upd.callback_query.message if upd.callback_query else None)
    user = upd.message.from_user if upd.message else (upd.callback_query.from_user if upd.callback_query else None)
    if msg is not None and user is not None:
        try:
            await msg.answer(t("error.internal", lang_of(user.language_code)))
        except Exception:  # noqa: BLE001 - the error path must not raise again
            log.warning("could not tell the user about the error")
    return True
