"""Where a message goes: the one delivery rule for every channel.

A person: their preferred channel's identity when it is linked and not unreachable; else another linked
identity that is reachable (or unknown: a send is tried, as today on Telegram); else None — nobody can be
reached now. None is not an answer from anyone: the message waits on `waiting()` (an outbox row held as
today, bot/services/outbox.held_clause) and the office is told once per unreachable spell
(bot/services/reachability.py); a leader who cannot be reached still counts as not having acknowledged.

A bound group: its binding (chat_bindings, one per key and channel), reachable ones first, Telegram first.

Telegram addresses are `Address("telegram", str(chat_id))`; a person not linked on Telegram has a
placeholder telegram_id (bot.domain.identity.UNLINKED_BASE), which is never an address here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address
from bot.domain.identity import REACHABLE, TELEGRAM, UNKNOWN, UNREACHABLE, is_unlinked
from models import ChatBinding, Person, PersonIdentity


@dataclass(frozen=True)
class Identity:
    """A person's account on one channel, as the rule sees it (external_id None: not linked)."""

    channel: str
    external_id: str | None
    reachable: str = UNKNOWN

    @property
    def address(self) -> Address | None:
        return None if self.external_id is None else Address(self.channel, self.external_id)


_RANK = {REACHABLE: 0, UNKNOWN: 1}  # among the fallbacks: a known-good account before an untried one


def pick(preferred: str, identities: Iterable[Identity]) -> Address | None:
    """The rule itself, pure: preferred channel if linked and not unreachable, else the best other linked
    identity that is reachable or unknown (reachable first, then in the order given), else None."""
    linked = [i for i in identities if i.external_id is not None and i.reachable != UNREACHABLE]
    for i in linked:
        if i.channel == preferred:
            return i.address
    fallbacks = sorted(linked, key=lambda i: _RANK.get(i.reachable, len(_RANK)))
    return fallbacks[0].address if fallbacks else None


async def identities_of(s: AsyncSession, person: Person) -> list[Identity]:
    """Every identity of the person, by channel. A linked telegram_id with no identity row yet (a person
    written before the row was made) counts as a Telegram identity in state unknown, as ensure_identity
    would make it."""
    rows = (await s.execute(select(PersonIdentity.channel, PersonIdentity.external_id, PersonIdentity.reachable)
                            .where(PersonIdentity.person_id == person.id).order_by(PersonIdentity.id))).all()
    found = [Identity(r.channel, r.external_id, r.reachable) for r in rows]
    if not is_unlinked(person.telegram_id) and all(i.channel != TELEGRAM for i in found):
        found.append(Identity(TELEGRAM, str(person.telegram_id), UNKNOWN))
    return found


async def _person(s: AsyncSession, who: int | Person) -> Person | None:
    return await s.get(Person, who) if isinstance(who, int) else who


async def personal(s: AsyncSession, who: int | Person) -> Address | None:
    """Where a personal message to `who` (a person or their id) goes now; None: nowhere (see the module)."""
    person = await _person(s, who)
    if person is None:
        return None
    return pick(person.preferred_channel or TELEGRAM, await identities_of(s, person))


async def waiting(s: AsyncSession, who: int | Person) -> Address | None:
    """Where a message waits while `personal` is None: the preferred channel's account when linked, else
    any linked one, else Telegram's placeholder (today's held rows: they go out once the person links).
    None only for a person with no account and no placeholder at all."""
    person = await _person(s, who)
    if person is None:
        return None
    linked = [i for i in await identities_of(s, person) if i.external_id is not None]
    preferred = person.preferred_channel or TELEGRAM
    for i in sorted(linked, key=lambda i: i.channel != preferred):
        return i.address
    return None if person.telegram_id is None else Address(TELEGRAM, str(person.telegram_id))


async def group(s: AsyncSession, key: str, *, channel: str | None = None) -> Address | None:
    """The bound group `key` (office, upper_office) on `channel`, or on any channel: a reachable binding
    before an unreachable one, Telegram first. An unreachable group's address is still returned — its
    messages wait as today; a caller that needs it reachable checks `group_reachable`."""
    row = await _binding(s, key, channel)
    return None if row is None else Address(row.channel, str(row.chat_id))


async def group_reachable(s: AsyncSession, key: str, *, channel: str | None = None) -> Address | None:
    """The bound group `key` when a message can reach it now, else None."""
    row = await _binding(s, key, channel)
    return None if row is None or row.reachable == UNREACHABLE else Address(row.channel, str(row.chat_id))


async def _binding(s: AsyncSession, key: str, channel: str | None) -> ChatBinding | None:
    q = select(ChatBinding).where(ChatBinding.key == key)
    if channel is not None:
        q = q.where(ChatBinding.channel == channel)
    rows = (await s.scalars(q)).all()
    return min(rows, key=lambda r: (r.reachable == UNREACHABLE, r.channel != TELEGRAM, r.channel), default=None)
