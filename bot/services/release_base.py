"""What the release modules share (releases.py, release_stage.py, release_blocked.py): the one place the feature
writes to the timeline, who holds a role, in which language a person reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.dto import OrgDTO, PersonDTO
from models import Person


async def record(s: AsyncSession, *, incident_id: int | None, kind: str, person: PersonDTO | None,
                 payload: dict[str, Any], now: datetime) -> None:
    """The one place this feature writes to the timeline (audit log)."""
    await audit.append(s, incident_id=incident_id, kind=kind, actor_telegram_id=person.telegram_id if person else None,
                       actor_name=person.name if person else None, payload=payload, now=now)


def lang_of(p: Person, org: OrgDTO) -> str:
    return p.language or org.language or "zh"


async def people_with(s: AsyncSession, roles: tuple[str, ...], exclude: set[int]) -> list[Person]:
    rows = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    return [p for p in rows if set(p.roles or ()) & set(roles) and p.id not in exclude]
