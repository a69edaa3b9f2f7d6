"""What several services share: a service's answer (`Result`), and telling the office — its bound group
chat, else each office member — one outbox message per address in its language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address, Buttons
from bot.i18n import t
from bot.services import room_address
from bot.services.addresses import tag
from bot.services.dto import OrgDTO
from bot.services.numbers import lookup_incident
from bot.services.org import chat_id as bound_chat
from bot.services.org import people_with_roles
from bot.services.send import recipients, to_address
from models import Incident


@dataclass(frozen=True)
class Result:
    code: str  # the i18n key suffix the handler shows
    info: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


def fail(code: str, **info: Any) -> Result:
    return Result(code, info, ok=False)


def listing(items: Any, lang: str) -> str:
    """Items of a list inside a sentence, with the language's separator (、 in Chinese)."""
    return t("track.sep", lang).join(str(i) for i in items)


async def incident_by_number(s: AsyncSession, number: str) -> Incident | None:
    """The incident a typed number names (`YQ-2026-0001`, `yq-2026-1`, `1`: bot/services/numbers.py); None when
    it names none or several."""
    return (await lookup_incident(s, number)).incident


async def office_chats(s: AsyncSession, org: OrgDTO, *, incident_id: int | None = None) -> dict[Address, str]:
    """The office's group chat when bound, else every office member: address → language. About one incident
    (`incident_id`): the group's topic of that incident while it has one (bot/services/room_address.py)."""
    office = await room_address.office_address(s, incident_id)
    if office is not None:
        return {office: org.language}
    return await recipients(s, ((p, p.language or org.language) for p in await people_with_roles(s, ("office",))))


async def in_office_chat(s: AsyncSession, chat_id: int) -> bool:
    return chat_id == await bound_chat(s, "office")


async def tell(s: AsyncSession, chats: dict[Address, str], key: str, *, now: datetime, dedup: str, notice: str,
               buttons: Buttons | Callable[[str], Buttons] | None = None, **kw: Any) -> int:
    """One outbox message per address, each in its language; `buttons(lang)` builds the buttons (bot/actions/);
    `notice` its kind (bot/channels/notices.py). Returns how many were new (a dedup key already queued counts
    none)."""
    n = 0
    for to, lang in chats.items():
        rows = buttons(lang) if callable(buttons) else buttons
        if await to_address(s, to, text=t(key, lang, **kw), buttons=rows, now=now,
                            dedup_key=f"{dedup}:{tag(to)}", notice=notice) is not None:
            n += 1
    return n
