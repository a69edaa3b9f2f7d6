"""A handler of the unit involved put in charge of the incident (issue 22, item 3) by the office or a leader:
`/charge YQ-… NAME`. In charge, the handler may draft the reply (/release: bot/domain/release.may_draft). Taking
charge from their own card is bot/services/escalation._unit_press, when policy.units.handler_may_take."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain.identity import is_unlinked
from bot.i18n import t
from bot.services import audit
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import open_unit_cards, refresh_cards
from bot.services.notify import Result, fail, incident_by_number
from bot.services.send import to_person
from bot.services.tracking import find_person
from bot.services.units import get_unit, is_unit_handler
from models import Person


async def put_in_charge(s: AsyncSession, *, number: str, who: str, person: PersonDTO | None, org: OrgDTO,
                        now: datetime) -> Result:
    """Codes: set, already; err.not_allowed, err.unknown_incident, err.closed, err.no_unit, err.unknown_person,
    err.ambiguous, err.not_handler (written to the timeline as a refusal)."""
    if person is None or not (person.has("office") or person.is_leader):
        return fail("not_allowed")
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=number.strip().upper())
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    unit = await get_unit(s, inc.unit_id)
    if unit is None:
        return fail("no_unit", number=inc.number)
    found = await find_person(s, who)
    if not found:
        return fail("unknown_person", who=who.strip()[:100])
    if len(found) > 1:
        return fail("ambiguous", who=who.strip()[:100],
                    names=[p.name if is_unlinked(p.telegram_id) else f"{p.name} ({p.telegram_id})" for p in found[:8]])
    target: Person = found[0]
    if not await is_unit_handler(s, unit.id, target.id):
        await audit.append(s, incident_id=inc.id, kind=K.REFUSAL, actor_telegram_id=person.telegram_id,
                           actor_name=person.name, now=now, payload={"action": "unit.charge",
                                                                     "reason": "unit_not_handler"})
        return fail("not_handler", name=target.name, unit=unit.name)
    if inc.in_charge_id == target.id:
        return Result("already", {"number": inc.number, "name": target.name})
    previous = await s.get(Person, inc.in_charge_id) if inc.in_charge_id else None
    inc.in_charge_id = target.id
    await audit.append(s, incident_id=inc.id, kind=K.CHARGE_ASSIGNED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"name": target.name, "unit": unit.name, "previous": previous.name if previous else None})
    if inc.grade is not None:  # a handler listed after the unit was set has no card yet
        await open_unit_cards(s, inc, org=org, now=now)
    lang = target.language or org.language
    await to_person(s, target, now=now, dedup_key=f"charge:{inc.id}:{target.id}:{now.timestamp()}",
                    text=t("charge.you", lang, number=inc.number, by=person.name), notice="charge.assigned")
    await refresh_cards(s, inc, org=org, now=now)
    return Result("set", {"number": inc.number, "name": target.name, "unit": unit.name})
