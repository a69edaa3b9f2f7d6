"""Due rows of kind "message": one prepared message to one conversation at a set time (payload: chat_id, its
channel unless Telegram's, text, optional buttons, as the neutral body stores them). The handler only moves it to the outbox (dedup key `due:message:{row id}`), so a
rerun after a crash adds nothing. A plain building block — one row, one message — which the scale-out
tests use to count deliveries exactly (tests/scaleout/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import TELEGRAM, Address, Buttons, buttons_body, buttons_from_body
from bot.services.clocks import add_due
from bot.services.outbox import chat_key
from bot.services.send import to_address
from schedules.sweeps import DueDTO, SweepContext, register_kind

MESSAGE = "message"


async def schedule_message(s: AsyncSession, *, to: Address, text: str, due: datetime, now: datetime,
                           dedup_key: str, buttons: Buttons | None = None,
                           incident_id: int | None = None) -> int | None:
    """Add the due row (None when `dedup_key` exists)."""
    payload: dict[str, Any] = {"chat_id": chat_key(to.conv), "text": text}  # Telegram's: an integer, as ever
    if to.channel != TELEGRAM:  # a row without one is Telegram's, as every row written before channels
        payload["channel"] = to.channel
    if buttons:
        payload["buttons"] = buttons_body(buttons)
    return await add_due(s, kind=MESSAGE, due=due, dedup_key=dedup_key, now=now, payload=payload,
                         incident_id=incident_id)


async def message_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    for item in items:
        p = item.payload
        legacy = {"reply_markup": p["reply_markup"]} if p.get("reply_markup") else None  # a row from before 0016
        to = Address(str(p.get("channel") or TELEGRAM), str(p["chat_id"]))
        if await to_address(ctx.session, to, text=str(p["text"]), now=ctx.now,
                            buttons=buttons_from_body(p.get("buttons")), payload=legacy,
                            dedup_key=f"due:message:{item.id}", notice="scheduled.message") is not None:
            ctx.enqueued += 1
    return None


register_kind(MESSAGE, message_handler)
