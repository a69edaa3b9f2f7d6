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
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address
from bot.domain.identity import REACHABLE, TELEGRAM, UNKNOWN, UNREACHABLE, is_unlinked
from bot.services.dto import PersonDTO
from bot.services.memo import memo, watch
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


_P, _I = Person.__table__, PersonIdentity.__table__
# a person's accounts, read once per transaction for each person a message goes to (bot/services/memo.py): one
# Core statement, built once
_ACCOUNTS = (select(_P.c.preferred_channel, _P.c.telegram_id, _I.c.channel, _I.c.external_id, _I.c.reachable)
             .select_from(_P.outerjoin(_I, _I.c.person_id == _P.c.id))
             .where(_P.c.id == bindparam("pid")).order_by(_I.c.id))
watch("identities", Person, PersonIdentity)
watch("chats", ChatBinding)


@dataclass(frozen=True)
class _Accounts:
    preferred: str
    telegram_id: int | None
    identities: tuple[Identity, ...]


def _with_telegram(found: list[Identity], telegram_id: int | None) -> tuple[Identity, ...]:
    """A linked telegram_id with no identity row yet (a person written before the row was made) counts as a
    Telegram identity in state unknown, as ensure_identity would make it."""
    if not is_unlinked(telegram_id) and all(i.channel != TELEGRAM for i in found):
        found.append(Identity(TELEGRAM, str(telegram_id), UNKNOWN))
    return tuple(found)


async def _accounts(s: AsyncSession, who: int | Person | PersonDTO) -> _Accounts | None:
    if isinstance(who, Person) and who.id is None:  # not flushed yet: no identity can name it
        return _Accounts(who.preferred_channel or TELEGRAM, who.telegram_id, _with_telegram([], who.telegram_id))
    pid = who if isinstance(who, int) else who.id
    known = memo(s, "identities")
    if pid not in known:
        rows = (await s.execute(_ACCOUNTS, {"pid": pid})).all()
        known[pid] = None if not rows else _Accounts(
            rows[0].preferred_channel or TELEGRAM, rows[0].telegram_id,
            _with_telegram([Identity(r.channel, r.external_id, r.reachable) for r in rows if r.channel is not None],
                           rows[0].telegram_id))
    return known[pid]


async def identities_of(s: AsyncSession, person: int | Person | PersonDTO) -> list[Identity]:
    """Every identity of the person, by channel (a linked telegram_id without its row counts as one, unknown)."""
    found = await _accounts(s, person)
    return [] if found is None else list(found.identities)


async def personal(s: AsyncSession, who: int | Person | PersonDTO) -> Address | None:
    """Where a personal message to `who` (a person or their id) goes now; None: nowhere (see the module)."""
    found = await _accounts(s, who)
    return None if found is None else pick(found.preferred, found.identities)


async def waiting(s: AsyncSession, who: int | Person | PersonDTO) -> Address | None:
    """Where a message waits while `personal` is None: the preferred channel's account when linked, else
    any linked one, else Telegram's placeholder (today's held rows: they go out once the person links).
    None only for a person with no account and no placeholder at all."""
    found = await _accounts(s, who)
    if found is None:
        return None
    for i in sorted((i for i in found.identities if i.external_id is not None), key=lambda i: i.channel != found.preferred):
        return i.address
    return None if found.telegram_id is None else Address(TELEGRAM, str(found.telegram_id))


async def person(s: AsyncSession, who: int | Person | PersonDTO) -> Address | None:
    """Where a message to `who` goes: `personal`, or else where it waits (`waiting`)."""
    return await personal(s, who) or await waiting(s, who)


def tag(to: Address) -> str:
    """The address as a dedup key names it: a Telegram chat by its id, as always; another channel's prefixed."""
    return to.conv if to.channel == TELEGRAM else f"{to.channel}:{to.conv}"


def is_placeholder(to: Address) -> bool:
    """The address of nobody yet: a person with no account linked (their rows wait until they link one)."""
    return to.channel == TELEGRAM and to.conv.isdigit() and is_unlinked(int(to.conv))


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


async def bindings(s: AsyncSession) -> dict[Any, Any]:
    """The bound groups, read once per transaction (a handful of rows; an unbound key is asked for often): key →
    its bindings, and (channel, key) → that binding's chat id (bot/services/org.chat_id)."""
    bound = memo(s, "chats")
    if not bound:
        for r in await s.execute(select(ChatBinding.key, ChatBinding.channel, ChatBinding.chat_id,
                                        ChatBinding.reachable)):
            bound.setdefault(r.key, []).append(r)
            bound[(r.channel, r.key)] = r.chat_id
        bound[None] = []  # marks the memo as loaded even when nothing is bound
    return bound


async def _binding(s: AsyncSession, key: str, channel: str | None) -> Any:
    rows = [r for r in (await bindings(s)).get(key, ()) if channel is None or r.channel == channel]
    return min(rows, key=lambda r: (r.reachable == UNREACHABLE, r.channel != TELEGRAM, r.channel), default=None)


def telegram(chat_id: int) -> Address:
    """A Telegram chat a handler names (the chat it was written in), or a Telegram-only row's (a contact's
    account, a binding made by /bind or the org file's `chats:`)."""
    return Address(TELEGRAM, str(chat_id))
