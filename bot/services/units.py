"""Units and departments (单位、业务部门) as the rest of the services see them: which unit a typed name means
(bot.domain.name_match over names and aliases), who answers for a unit (its head) and who handles its incidents
(its people with the `handler` role). Neutral: reads only, no messages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.name_match import match_names, suggest_names
from bot.services.dto import PersonDTO, UnitDTO
from bot.services.org import people_with_roles
from models import Person, Unit


def _dto(u: Unit) -> UnitDTO:
    return UnitDTO(id=u.id, name=u.name, aliases=tuple(u.aliases or ()), head_id=u.head_id)


async def all_units(s: AsyncSession) -> list[UnitDTO]:
    """Every unit, in the org file's order (by id)."""
    return [_dto(u) for u in (await s.scalars(select(Unit).order_by(Unit.id))).all()]


async def get_unit(s: AsyncSession, unit_id: int | None) -> UnitDTO | None:
    u = await s.get(Unit, unit_id) if unit_id is not None else None
    return _dto(u) if u is not None else None


async def match_unit(s: AsyncSession, text: str) -> list[UnitDTO]:
    """The units `text` names: none, one, or several to choose from (never a guess between them)."""
    units = await all_units(s)
    keys = match_names(text, [(u.id, (u.name, *u.aliases)) for u in units])
    by_id = {u.id: u for u in units}
    return [by_id[k] for k in keys]


async def suggest_units(s: AsyncSession, text: str) -> list[UnitDTO]:
    """When match_unit finds none: units sharing part of their name with `text`, to offer, never to set."""
    units = await all_units(s)
    keys = suggest_names(text, [(u.id, (u.name, *u.aliases)) for u in units])
    by_id = {u.id: u for u in units}
    return [by_id[k] for k in keys]


async def unit_head(s: AsyncSession, unit_id: int | None) -> PersonDTO | None:
    """The active person who answers for the unit (the org file's `head:`), if any."""
    unit = await get_unit(s, unit_id)
    if unit is None or unit.head_id is None:
        return None
    p = await s.get(Person, unit.head_id)
    if p is None or not p.active:
        return None
    return PersonDTO(id=p.id, telegram_id=p.telegram_id, name=p.name, roles=tuple(p.roles or ()),
                     unit=(await get_unit(s, p.unit_id) or UnitDTO(0, "")).name or None, language=p.language)


async def unit_handlers(s: AsyncSession, unit_id: int | None) -> list[PersonDTO]:
    """Active people with the `handler` role in the unit, by id."""
    unit = await get_unit(s, unit_id)
    if unit is None:
        return []
    return [p for p in await people_with_roles(s, ("handler",)) if p.unit == unit.name]


async def is_unit_handler(s: AsyncSession, unit_id: int | None, person_id: int) -> bool:
    return any(p.id == person_id for p in await unit_handlers(s, unit_id))
