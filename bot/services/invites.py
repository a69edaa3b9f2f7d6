"""One-time invite links: an admin invites a role, the newcomer redeems it with /start <token>."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.dto import PersonDTO
from bot.services.org import get_person
from bot.services.reachability import ensure_identity, set_person_state
from models import Invite, Person


class InviteError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # invite.err.<code> in the catalogue


@dataclass(frozen=True)
class CreatedInvite:
    token: str
    role: str
    expires_at: datetime


async def create_invite(s: AsyncSession, *, by: PersonDTO, role: str, now: datetime, ttl_hours: int) -> CreatedInvite:
    if not by.has("admin"):
        raise InviteError("not_admin")
    token = secrets.token_urlsafe(16)  # 22 chars; deep-link payloads allow up to 64
    s.add(Invite(token=token, role=role, created_by=by.telegram_id, created_at=now,
                 expires_at=now + timedelta(hours=ttl_hours)))
    await s.flush()
    return CreatedInvite(token, role, now + timedelta(hours=ttl_hours))


async def redeem_invite(s: AsyncSession, *, token: str, telegram_id: int, name: str, language: str | None,
                        now: datetime) -> PersonDTO:
    inv = await s.get(Invite, token)
    if inv is None:
        raise InviteError("unknown")
    if inv.used_by is not None:
        raise InviteError("used")
    if inv.expires_at <= now:
        raise InviteError("expired")
    # Conditional update: of two people opening the same link at once, exactly one wins.
    res = await s.execute(update(Invite).where(Invite.token == token, Invite.used_by.is_(None))
                          .values(used_by=telegram_id, used_at=now))
    if res.rowcount != 1:
        raise InviteError("used")
    row = await s.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if row is None:
        row = Person(telegram_id=telegram_id, name=name[:200] or str(telegram_id), roles=[inv.role],
                     language=language)
        s.add(row)
    else:
        row.active = True
        if inv.role not in row.roles:
            row.roles = [*row.roles, inv.role]
    await s.flush()
    await ensure_identity(s, row, now=now)
    await set_person_state(s, telegram_id, "reachable", now=now)  # they are writing to the bot right now
    got = await get_person(s, telegram_id)
    assert got is not None
    return got
