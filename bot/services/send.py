"""Sending a message the bot writes on its own: a row of the outbox (bot/services/outbox.py, which knows nothing
of people), in the caller's transaction.

A person with no account linked at all is never refused by a channel, so nothing else would say that their
messages wait: the office is told, once until they link one (bot/services/reachability.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.identity import UNLINKED_BASE
from bot.services import outbox
from bot.services.reachability import tell_office_not_linked


async def enqueue(s: AsyncSession, *, chat_id: int, now: datetime, **kw: Any) -> int | None:
    """One message (outbox.enqueue's parameters); its row id, or None when the dedup key was taken."""
    added = await outbox.enqueue(s, chat_id=chat_id, now=now, **kw)
    if added is not None and chat_id >= UNLINKED_BASE:  # no account linked: no refusal will ever say so
        await tell_office_not_linked(s, chat_id, now=now)
    return added
