"""Counts updates and times their handling (outermost middleware on dp.update, registered in bot/app.py).
Outcomes: handled, unhandled (no handler matched), duplicate (already processed: skipped), deferred (the
database could not take it: it stays in the inbox and is tried again, bot/ops/dbfault.py), error."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update

from bot.ops.metrics import HANDLER_SECONDS, UPDATES


class UpdateMetrics(BaseMiddleware):
    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__.lower()
        start = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            if getattr(data.get("inbox_outcome"), "fault", None) is not None:
                outcome = "deferred"
            elif "inbox_update_id" in data and "session" not in data:
                # bot/telegram/middlewares.DbSessionMiddleware found the inbox row done already (a redelivery that
                # reached this instance too) and skipped it before giving the handler its session.
                outcome = "duplicate"
            else:
                outcome = "unhandled" if result is UNHANDLED else "handled"
            return result
        finally:
            HANDLER_SECONDS.labels(kind).observe(time.perf_counter() - start)
            UPDATES.labels(kind, outcome).inc()
