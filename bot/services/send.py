"""Sending a message the bot writes on its own: to a person, by the delivery rule (bot/services/addresses.py), or
to an address already known (a bound group, the office's chats). A row of the outbox (bot/services/outbox.py,
which knows rows, not people), in the caller's transaction.

A person nobody can reach now gets the message where it waits (`addresses.waiting`): held until they come
back or link an account. A person with no account linked at all is never refused by a channel, so nothing
else would say that their messages wait: the office is told, once until they link one
(bot/services/reachability.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address
from bot.services import addresses, outbox
from bot.services.dto import PersonDTO
from bot.services.reachability import tell_office_not_linked
from models import Person

Who = int | Person | PersonDTO  # a person, by id or as a row


async def to_address(s: AsyncSession, to: Address, *, now: datetime, notice: str | None = None,
                     **kw: Any) -> int | None:
    """One message to `to` (outbox.enqueue's parameters; `notice` its kind, bot/channels/notices.py); its row id,
    or None when the dedup key was taken."""
    added = await outbox.enqueue(s, to=to, now=now, notice=notice, **kw)
    if added is not None and addresses.is_placeholder(to):  # no account linked: no refusal will ever say so
        await tell_office_not_linked(s, int(to.conv), now=now)
    return added


async def to_person(s: AsyncSession, person: Who, *, now: datetime, notice: str | None = None,
                    **kw: Any) -> int | None:
    """One message to a person: where the delivery rule sends it, or where it waits. None when the dedup key
    was taken, or there is no such person."""
    to = await addresses.person(s, person)
    return None if to is None else await to_address(s, to, now=now, notice=notice, **kw)


async def recipients(s: AsyncSession, people: Iterable[tuple[Who, str]]) -> dict[Address, str]:
    """(person, language) pairs as `notify.tell`'s recipients: address → language, the first at an address
    keeping it."""
    out: dict[Address, str] = {}
    for p, lang in people:
        to = await addresses.person(s, p)
        if to is not None:
            out.setdefault(to, lang)
    return out


async def add_recipient(s: AsyncSession, chats: dict[Address, str], person: Who, lang: str) -> None:
    """`person` joins `chats` in `lang`, unless their address is there already (it keeps its language)."""
    to = await addresses.person(s, person)
    if to is not None:
        chats.setdefault(to, lang)
