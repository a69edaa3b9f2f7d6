"""The organisation as stored: read by nearly every service (load_org, people_with_roles, the bound chats, the
person behind an account) and exported as an org file (round trip). The import is bot/services/org_import.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.identity import TELEGRAM, is_unlinked
from bot.domain.policy import Policy
from bot.domain.unavailability import file_time
from bot.services.addresses import bindings
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.memo import memo, watch
from models import ChatBinding, Contact, Organization, Person, PersonIdentity, Unit
from models.duty import UnavailabilityWindow

ORG_ID = 1


async def export_org(s: AsyncSession, *, now: datetime | None = None) -> dict[str, Any]:
    """The org file of what is stored (people's `unavailable:` windows that are not over included)."""
    row = await s.get(Organization, ORG_ID)
    if row is None:
        return {}
    units = (await s.scalars(select(Unit).order_by(Unit.id))).all()
    unit_names = {u.id: u.name for u in units}
    people = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    tz = ZoneInfo(row.timezone)
    unavailable: dict[int, list[UnavailabilityWindow]] = {}
    for w in (await s.scalars(select(UnavailabilityWindow).where(UnavailabilityWindow.end > (now or datetime.now(UTC)))
                              .order_by(UnavailabilityWindow.start))).all():
        unavailable.setdefault(w.person_id, []).append(w)
    heads = {p.id: p.name for p in people}
    out_people = []
    for p in people:
        item: dict[str, Any] = {} if is_unlinked(p.telegram_id) else {"telegram_id": p.telegram_id}
        item.update({"name": p.name, "roles": list(p.roles)})
        if p.unit_id:
            item["unit"] = unit_names[p.unit_id]
        if p.language:
            item["language"] = p.language
        if p.phone:
            item["phone"] = p.phone
        mine = [{"from": file_time(w.start, tz), "to": file_time(w.end, tz), **({"reason": w.reason} if w.reason else {})}
                for w in unavailable.get(p.id, [])]
        if mine:
            item["unavailable"] = mine
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
        "units": [_unit_item(u, heads) for u in units],
        "people": out_people,
        "chats": {c.key: c.chat_id for c in (await s.scalars(select(ChatBinding).where(ChatBinding.channel == TELEGRAM)
                                                             .order_by(ChatBinding.key))).all()},
        "contacts": contacts,
        "policy": Policy.from_mapping(row.policy).to_mapping(),
    }


def _unit_item(u: Unit, heads: dict[int, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"name": u.name}
    if u.aliases:
        item["aliases"] = list(u.aliases)
    if u.head_id in heads:  # a head no longer active is not written: the file could not name them
        item["head"] = heads[u.head_id]
    return item


async def unit_names(s: AsyncSession) -> dict[int, str]:
    return {u.id: u.name for u in (await s.scalars(select(Unit))).all()}


async def load_org(s: AsyncSession, default_tz: str = "Asia/Shanghai") -> OrgDTO:
    """The organisation, or defaults (settings' TIMEZONE) before any org file was imported."""
    row = await s.get(Organization, ORG_ID)
    if row is None:
        return OrgDTO(name="", timezone=default_tz, work_hours="08:30-17:30", language="zh",
                      policy=Policy())
    return OrgDTO(name=row.name, timezone=row.timezone, work_hours=row.work_hours, language=row.language,
                  policy=Policy.from_mapping(row.policy))


_P, _U, _I = Person.__table__, Unit.__table__, PersonIdentity.__table__
# read for every update: a Core statement built once (an ORM select of the row costs twice as much); the
# identity's state comes along so that noticing "they opened the bot" costs nothing while nothing changes
_PERSON = (select(_P.c.id, _P.c.telegram_id, _P.c.name, _P.c.roles, _U.c.name.label("unit"), _P.c.language,
                  _I.c.reachable)
           .select_from(_P.outerjoin(_U, _U.c.id == _P.c.unit_id)
                        .outerjoin(_I, (_I.c.person_id == _P.c.id) & (_I.c.channel == "telegram")))
           .where(_P.c.telegram_id == bindparam("tid"), _P.c.active))


# who holds which role, read whenever cards, approvals or duty messages go out: plain rows, not ORM objects
# (with fifty people, loading them into the identity map was ~500 Python calls of each confirmed report)
_ACTIVE = (select(_P.c.id, _P.c.telegram_id, _P.c.name, _P.c.roles, _U.c.name.label("unit"), _P.c.language)
           .select_from(_P.outerjoin(_U, _U.c.id == _P.c.unit_id)).where(_P.c.active).order_by(_P.c.id))


def _person(row: Any) -> PersonDTO:
    return PersonDTO(id=row.id, telegram_id=row.telegram_id, name=row.name, roles=tuple(row.roles or ()),
                     unit=row.unit, language=row.language, reachable=row.reachable)


def _active_person(row: Any) -> PersonDTO:  # _ACTIVE reads no identity: its rows have no `reachable`
    return PersonDTO(id=row.id, telegram_id=row.telegram_id, name=row.name, roles=tuple(row.roles or ()),
                     unit=row.unit, language=row.language)


async def get_person(s: AsyncSession, telegram_id: int) -> PersonDTO | None:
    row = (await s.execute(_PERSON, {"tid": telegram_id})).first()
    return _person(row) if row is not None else None


watch("people", Person)


async def chat_id(s: AsyncSession, key: str) -> int | None:
    """The Telegram group bound to `key` (a handler compares the chat it is in with it); a message to the group
    is addressed by bot/services/addresses.group."""
    return (await bindings(s)).get((TELEGRAM, key))


async def people_with_roles(s: AsyncSession, roles: tuple[str, ...] | list[str]) -> list[PersonDTO]:
    """Active people holding any of `roles` (roles are a JSON list, so filtered here), by id."""
    people = memo(s, "people")
    if "active" not in people:
        people["active"] = [(frozenset(p.roles), p) for p in map(_active_person, await s.execute(_ACTIVE))]
    wanted = frozenset(roles)
    return [p for held, p in people["active"] if held & wanted]
