"""Due rows of kind "message": one prepared message to one chat at a set time (payload: chat_id, text,
optional buttons, as the neutral body stores them). The handler only moves it to the outbox (dedup key `due:message:{row id}`), so a
rerun after a crash adds nothing. A plain building block — one row, one message — which the scale-out
tests use to count deliveries exactly (tests/scaleout/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Buttons, buttons_body, buttons_from_body
from bot.services.clocks import add_due
from bot.services.send import enqueue
from schedules.sweeps import DueDTO, SweepContext, register_kind

MESSAGE = "message"


async def schedule_message(s: AsyncSession, *, chat_id: int, text: str, due: datetime, now: datetime,
                           dedup_key: str, buttons: Buttons | None = None,
                           incident_id: int | None = None) -> int | None:
    """Add the due row (None when `dedup_key` exists)."""
    payload: dict[str, Any] = {"chat_id": int(chat_id), "text": text}
    if buttons:
        payload["buttons"] = buttons_body(buttons)
    return await add_due(s, kind=MESSAGE, due=due, dedup_key=dedup_key, now=now, payload=payload,
                         incident_id=incident_id)


async def message_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    for item in items:
        p = item.payload
        legacy = {"reply_markup": p["reply_markup"]} if p.get("reply_markup") else None  # a row from before 0016
        if await enqueue(ctx.session, chat_id=int(p["chat_id"]), text=str(p["text"]), now=ctx.now,
                         buttons=buttons_from_body(p.get("buttons")), payload=legacy,
                         dedup_key=f"due:message:{item.id}") is not None:
            ctx.enqueued += 1
    return None


register_kind(MESSAGE, message_handler)
