"""Organisation setup: org file import (idempotent upsert) and export (round trip)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.orgfile import OrgFile
from bot.domain.policy import Policy
from bot.services.dto import OrgDTO, PersonDTO
from models import ChatBinding, Contact, Organization, Person, Unit

ORG_ID = 1


async def import_org(s: AsyncSession, org: OrgFile) -> dict[str, int]:
    """Upsert everything in the file; people and units not in the file are left as they are."""
    row = await s.get(Organization, ORG_ID)
    if row is None:
        row = Organization(id=ORG_ID)
        s.add(row)
    o = org.organization
    row.name, row.timezone, row.work_hours, row.language = o.name, o.timezone, o.work_hours, o.language
    row.policy = org.policy

    units = {u.name: u for u in (await s.scalars(select(Unit))).all()}
    for u in org.units:
        if u.name not in units:
            units[u.name] = Unit(name=u.name)
            s.add(units[u.name])
    await s.flush()

    people = {p.telegram_id: p for p in (await s.scalars(select(Person))).all()}
    for p in org.people:
        row_p = people.get(p.telegram_id) or Person(telegram_id=p.telegram_id)
        row_p.name, row_p.roles, row_p.language, row_p.active = p.name, list(p.roles), p.language, True
        row_p.unit_id = units[p.unit].id if p.unit else None
        s.add(row_p)

    for key, chat_id in org.chats.items():
        await s.merge(ChatBinding(key=key, chat_id=chat_id))

    contacts = {c.name: c for c in (await s.scalars(select(Contact))).all()}
    for c in org.contacts:
        row_c = contacts.get(c.name) or Contact(name=c.name)
        row_c.kind, row_c.telegram_id = c.kind, c.telegram_id
        s.add(row_c)
    await s.flush()
    return {"units": len(org.units), "people": len(org.people), "contacts": len(org.contacts),
            "chats": len(org.chats)}


async def export_org(s: AsyncSession) -> dict[str, Any]:
    row = await s.get(Organization, ORG_ID)
    if row is None:
        return {}
    units = (await s.scalars(select(Unit).order_by(Unit.id))).all()
    unit_names = {u.id: u.name for u in units}
    people = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    out_people = []
    for p in people:
        item: dict[str, Any] = {"telegram_id": p.telegram_id, "name": p.name, "roles": list(p.roles)}
        if p.unit_id:
            item["unit"] = unit_names[p.unit_id]
        if p.language:
            item["language"] = p.language
        out_people.append(item)
    contacts = []
    for c in (await s.scalars(select(Contact).order_by(Contact.id))).all():
        item = {"name": c.name, "kind": c.kind}
        if c.telegram_id is not None:
            item["telegram_id"] = c.telegram_id
        contacts.append(item)
    return {
        "organization": {"name": row.name, "timezone": row.timezone, "work_hours": row.work_hours,
                         "language": row.language},
        "units": [{"name": u.name} for u in units],
        "people": out_people,
        "chats": {c.key: c.chat_id for c in (await s.scalars(select(ChatBinding).order_by(ChatBinding.key))).all()},
        "contacts": contacts,
        "policy": Policy.from_mapping(row.policy).to_mapping(),
    }


async def load_org(s: AsyncSession, default_tz: str = "Asia/Shanghai") -> OrgDTO:
    """The organisation, or defaults (settings' TIMEZONE) before any org file was imported."""
    row = await s.get(Organization, ORG_ID)
    if row is None:
        return OrgDTO(name="", timezone=default_tz, work_hours="08:30-17:30", language="zh",
                      policy=Policy())
    return OrgDTO(name=row.name, timezone=row.timezone, work_hours=row.work_hours, language=row.language,
                  policy=Policy.from_mapping(row.policy))


async def get_person(s: AsyncSession, telegram_id: int) -> PersonDTO | None:
    row = (await s.execute(select(Person, Unit.name).outerjoin(Unit, Unit.id == Person.unit_id)
                           .where(Person.telegram_id == telegram_id, Person.active))).first()
    if row is None:
        return None
    p, unit = row
    return PersonDTO(id=p.id, telegram_id=p.telegram_id, name=p.name, roles=tuple(p.roles), unit=unit,
                     language=p.language)


async def chat_id(s: AsyncSession, key: str) -> int | None:
    row = await s.get(ChatBinding, key)
    return row.chat_id if row else None


async def people_with_roles(s: AsyncSession, roles: tuple[str, ...] | list[str]) -> list[Person]:
    """Active people holding any of `roles` (roles are a JSON list, so filtered here)."""
    people = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    return [p for p in people if set(p.roles or []) & set(roles)]
