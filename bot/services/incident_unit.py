"""The unit involved in an incident (涉及单位) as an org unit (issue 22, item 1): matched when the report is filed
(one match sets it; none or several: the office gets a picker), chosen from the picker, or set with /unit. The
unit's handlers then get the incident card like a leader (bot/services/escalation.open_unit_cards)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.unit import picker_buttons
from bot.domain import audit_kinds as K
from bot.services import audit
from bot.services.dto import OrgDTO, PersonDTO, UnitDTO
from bot.services.escalation import open_unit_cards, refresh_cards
from bot.services.notify import Result, fail, in_office_chat, incident_by_number, office_chats, tell
from bot.services.units import all_units, get_unit, match_unit, suggest_units, unit_handlers, unit_head
from models import Incident

PICKER_MAX = 24  # buttons on the picker; with more units the office names it with /unit
STOP_WORDS = frozenset({"-", "无", "取消", "none", "off"})
MATCHED, PICKED, COMMAND = "matched", "picked", "command"


async def match_on_filing(s: AsyncSession, inc: Incident, text: str | None, *,
                          now: datetime) -> tuple[list[UnitDTO], str] | None:
    """Before the first notifications: one unit matched is set (and its handlers get cards with everyone else's).
    Else (the candidates the office chooses from, why): several matched ("several"), units sharing part of the
    name ("unsure"), or all units ("none"). None: nothing to ask (no units listed, or the report names none)."""
    text = (text or "").strip()
    units = await all_units(s)
    if not units or not text:
        return None
    found = await match_unit(s, text)
    if len(found) == 1:
        inc.unit_id = found[0].id
        await audit.append(s, incident_id=inc.id, kind=K.UNIT_SET, now=now,
                           payload={"unit": found[0].name, "how": MATCHED, "text": text})
        return None
    if found:
        return found, "several"
    near = await suggest_units(s, text)
    return (near, "unsure") if near else (units, "none")


async def offer_picker(s: AsyncSession, inc: Incident, candidates: list[UnitDTO], text: str, *, why: str,
                       org: OrgDTO, now: datetime) -> int:
    """The office's picker: a button per candidate (the first PICKER_MAX) and "none of these"; `why`: several |
    unsure | none (match_on_filing)."""
    key = f"unit.pick.{why}"
    shown = [(u.id, u.name) for u in candidates[:PICKER_MAX]]
    return await tell(s, await office_chats(s, org, incident_id=inc.id), key, now=now, dedup=f"unitpick:{inc.id}",
                      buttons=lambda lang: picker_buttons(inc.id, shown, lang), number=inc.number, text=text[:100],
                      count=len(candidates), notice="unit.picker")


async def may_set(s: AsyncSession, person: PersonDTO | None, chat_id: int) -> bool:
    """The office, a leader, or anyone registered writing (or pressing) in the office chat."""
    return person is not None and (person.has("office") or person.is_leader or await in_office_chat(s, chat_id))


async def set_unit(s: AsyncSession, inc: Incident, unit: UnitDTO | None, *, person: PersonDTO, how: str,
                   org: OrgDTO, now: datetime) -> list[PersonDTO] | None:
    """Set (or clear) the unit involved: on the timeline, every card shows it, the new unit's handlers get the
    card (once the incident is graded; else with its first notifications). None when it already was that unit."""
    new = unit.id if unit else None
    # "none of these" is the office's answer to the picker: recorded even when no unit was set
    if inc.unit_id == new and not (unit is None and how == PICKED):
        return None
    inc.unit_id = new
    await audit.append(s, incident_id=inc.id, kind=K.UNIT_SET, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"unit": unit.name if unit else None, "how": how})
    told = await open_unit_cards(s, inc, org=org, now=now) if inc.grade is not None else []
    await refresh_cards(s, inc, org=org, now=now)
    return told


async def pick(s: AsyncSession, *, incident_id: int, unit_id: int | None, person: PersonDTO | None, chat_id: int,
               org: OrgDTO, now: datetime) -> Result:
    """A press on the picker. Codes: picked, picked_none, already; err.not_allowed, err.unknown_incident, err.gone."""
    if not await may_set(s, person, chat_id):
        return fail("not_allowed")
    inc = await s.get(Incident, incident_id)
    if inc is None:
        return fail("unknown_incident", number="")
    unit = await get_unit(s, unit_id) if unit_id is not None else None
    if unit_id is not None and unit is None:
        return fail("gone")
    done = await set_unit(s, inc, unit, person=person, how=PICKED, org=org, now=now)
    if done is None:
        return Result("already", {"number": inc.number, "unit": unit.name if unit else ""})
    return Result("picked" if unit else "picked_none", {"number": inc.number, "unit": unit.name if unit else ""})


async def unit_command(s: AsyncSession, *, number: str, text: str, person: PersonDTO | None, chat_id: int,
                       org: OrgDTO, now: datetime) -> Result:
    """/unit YQ-… [UNIT | 无]. Codes: status, status_none, set, set_nobody, cleared, already; err.not_allowed,
    err.unknown_incident, err.no_units, err.no_match, err.ambiguous."""
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=number.strip().upper())
    text = text.strip()
    if not text:
        unit = await get_unit(s, inc.unit_id)
        if unit is None:
            return Result("status_none", {"number": inc.number})
        head = await unit_head(s, unit.id)
        return Result("status", {"number": inc.number, "unit": unit.name, "head": head.name if head else None})
    if not await may_set(s, person, chat_id):
        return fail("not_allowed")
    if text.casefold() in STOP_WORDS:
        if inc.unit_id is None:
            return Result("cleared", {"number": inc.number})
        await set_unit(s, inc, None, person=person, how=COMMAND, org=org, now=now)
        return Result("cleared", {"number": inc.number})
    units = await all_units(s)
    if not units:
        return fail("no_units")
    found = await match_unit(s, text)
    if not found:
        return fail("no_match", text=text[:100], units=[u.name for u in units])
    if len(found) > 1:
        return fail("ambiguous", text=text[:100], units=[u.name for u in found])
    told = await set_unit(s, inc, found[0], person=person, how=COMMAND, org=org, now=now)
    if told is None:
        return Result("already", {"number": inc.number, "unit": found[0].name})
    handlers = [p.name for p in await unit_handlers(s, found[0].id)]
    return Result("set" if handlers else "set_nobody", {"number": inc.number, "unit": found[0].name,
                                                        "handlers": handlers})
