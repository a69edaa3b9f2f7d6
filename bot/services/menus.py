"""Telegram's command menu kept in step with each person's roles: their private chat's menu once they are
reachable, and in the office group one menu for the office plus one per member whose roles differ. Sent through
the outbox like any message (durable, rate-limited, held while the chat cannot be reached); a menu identical to
the last one queued for that scope is not queued again."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address
from bot.domain.identity import REACHABLE, TELEGRAM, is_unlinked
from bot.domain.menus import default_menu, group_menu, private_menu
from bot.i18n import t
from bot.services.outbox import enqueue
from models import ChatBinding, OutboxMessage, Person, PersonIdentity

METHOD = "setMyCommands"


def _body(scope: dict[str, Any], commands: tuple[str, ...], lang: str) -> dict[str, Any]:
    return {"scope": scope, "commands": [{"command": c, "description": t(f"cmd.{c}", lang)} for c in commands]}


def _digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


async def _queue(s: AsyncSession, chat: int, scope_key: str, body: dict[str, Any], now: datetime, *,
                 as_default: bool = False) -> bool:
    """Queue the menu unless the last one queued for this scope is the same; `as_default`: the menu equals the
    default one, so a scope that never had its own needs none."""
    digest = _digest(body)
    prefix = f"menu:{chat}:{scope_key}:"
    last = await s.scalar(select(OutboxMessage.dedup_key).where(OutboxMessage.kind == "commands",
                                                                OutboxMessage.dedup_key.like(f"{prefix}%"))
                          .order_by(OutboxMessage.id.desc()).limit(1))
    if (last is None and as_default) or (last is not None and last.split(":")[3] == digest):
        return False
    return await enqueue(s, to=Address(TELEGRAM, str(chat)), method=METHOD, payload=body, now=now,
                         dedup_key=f"{prefix}{digest}:{now.isoformat()}", notice="commands.menu") is not None


async def private_menu_for(s: AsyncSession, person: Person, *, lang: str, now: datetime) -> bool:
    if is_unlinked(person.telegram_id):
        return False
    mine = private_menu(person.roles or ())
    body = _body({"type": "chat", "chat_id": person.telegram_id}, mine, lang)
    return await _queue(s, person.telegram_id, "p", body, now, as_default=mine == default_menu())


async def refresh_menus(s: AsyncSession, *, default_lang: str, now: datetime) -> int:
    """Every reachable person's private menu, and the office group's menus, as their roles are now. A group bound
    only by the org file is left alone until the bot is known to be in it (/bind, or the bot added back): before
    that Telegram would refuse a menu for it."""
    reachable = set((await s.scalars(select(PersonIdentity.person_id).where(
        PersonIdentity.channel == TELEGRAM, PersonIdentity.reachable == REACHABLE))).all())
    people = [p for p in (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
              if p.id in reachable]
    n = 0
    for p in people:
        n += await private_menu_for(s, p, lang=p.language or default_lang, now=now)
    office = await s.get(ChatBinding, ("office", TELEGRAM))
    if office is not None and office.reachable == REACHABLE:
        n += await office_group_menus(s, office.chat_id, people, lang=default_lang, now=now)
    return n


async def office_group_menus(s: AsyncSession, chat: int, people: list[Person], *, lang: str, now: datetime) -> int:
    base = group_menu(("office",))
    n = await _queue(s, chat, "g", _body({"type": "chat", "chat_id": chat}, base, lang), now)
    for p in people:
        mine = group_menu(p.roles or ())
        if mine != base and not is_unlinked(p.telegram_id):
            body = _body({"type": "chat_member", "chat_id": chat, "user_id": p.telegram_id}, mine, p.language or lang)
            n += await _queue(s, chat, f"m{p.telegram_id}", body, now)
    return n
