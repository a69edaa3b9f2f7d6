"""Shift swaps: a person offers an upcoming shift, another monitor takes it, the office approves
(policy.patrol.swap_approval); the shift row changes hands and its reminders follow the new person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.duty import approve_buttons, take_buttons
from bot.domain import roster as rd
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty import cancel_rows, lang_of, patrol_policy, schedule_shift, span
from bot.services.duty_roster import load_roster
from bot.services.notify import Result, fail, office_chats, tell
from bot.services.org import people_with_roles
from bot.services.send import recipients
from models import Person
from models.duty import DutyEvent, DutyShift, SwapOffer


async def my_upcoming(s: AsyncSession, person_id: int, now: datetime) -> list[DutyShift]:
    return list((await s.scalars(select(DutyShift).join(DutyEvent, DutyEvent.id == DutyShift.event_id)
                                 .where(DutyEvent.status == "running", DutyShift.person_id == person_id,
                                        DutyShift.start > now).order_by(DutyShift.start))).all())


async def offer_swap(s: AsyncSession, *, shift_id: int, person: PersonDTO | None, org: OrgDTO,
                     now: datetime) -> Result:
    row = await s.get(DutyShift, shift_id)
    if row is None or person is None or row.person_id != person.id or row.start <= now:
        return fail("swap.not_yours")
    if await s.scalar(select(SwapOffer.id).where(SwapOffer.shift_id == row.id, SwapOffer.status.in_(("open", "taken")))):
        return fail("swap.already")
    offer = SwapOffer(shift_id=row.id, from_person=person.id, status="open", created_at=now)
    s.add(offer)
    await s.flush()
    chats = await recipients(s, ((p, lang_of(p, org)) for p in await people_with_roles(s, ("monitor",))
                                 if p.id != person.id))
    await tell(s, chats, "duty.swap.offered", now=now, dedup=f"duty:offer:{offer.id}",
               buttons=lambda lang: take_buttons(offer.id, lang), name=person.name, span=span(row.start, row.end, org),
               notice="duty.swap.offered")
    return Result("swap.offer_sent", {"span": span(row.start, row.end, org)})


async def _check_swap(s: AsyncSession, offer: SwapOffer, taker_id: int, org: OrgDTO, lang: str) -> str | None:
    row = await s.get(DutyShift, offer.shift_id)
    ev = await s.get(DutyEvent, row.event_id)
    roster, _ = await load_roster(s, ev, org)
    taker = await s.get(Person, taker_id)
    problems = rd.validate_swap(roster, row.index, rd.Person(taker_id, taker.name), replacing=offer.from_person)
    return problems[0].text(lang) if problems else None


async def take_swap(s: AsyncSession, *, offer_id: int, person: PersonDTO | None, org: OrgDTO, now: datetime,
                    lang: str) -> Result:
    offer = await s.get(SwapOffer, offer_id)
    if offer is None or offer.status != "open" or person is None:
        return fail("swap.gone")
    if person.id == offer.from_person or not person.has("monitor"):
        return fail("swap.cannot_take")
    if (err := await _check_swap(s, offer, person.id, org, lang)) is not None:
        return fail("swap.invalid", error=err)
    offer.to_person = person.id
    row = await s.get(DutyShift, offer.shift_id)
    frm = await s.get(Person, offer.from_person)
    if not patrol_policy(org).swap_approval:
        return await apply_offer(s, offer, org=org, now=now)
    offer.status = "taken"
    await tell(s, await office_chats(s, org), "duty.swap.approve_ask", now=now, dedup=f"duty:ask:{offer.id}",
               buttons=lambda lg: approve_buttons(offer.id, lg), frm=frm.name, to=person.name,
               span=span(row.start, row.end, org), notice="duty.swap.approve")
    return Result("swap.waiting")


async def apply_offer(s: AsyncSession, offer: SwapOffer, *, org: OrgDTO, now: datetime) -> Result:
    """The swap takes effect: the shift row changes hands, the reminders follow."""
    row = await s.get(DutyShift, offer.shift_id)
    await cancel_rows(s, f"duty:{row.event_id}:{row.id}:", now)
    row.person_id, offer.status = offer.to_person, "done"
    await s.flush()
    await schedule_shift(s, row, org=org, now=now, gen=offer.id)
    frm, to = await s.get(Person, offer.from_person), await s.get(Person, offer.to_person)
    chats = await recipients(s, [(frm, lang_of(frm, org)), (to, lang_of(to, org))])
    await tell(s, chats, "duty.swap.done", now=now, dedup=f"duty:swapped:{offer.id}", frm=frm.name, to=to.name,
               span=span(row.start, row.end, org), notice="duty.swap.done")
    return Result("swap.applied", {"frm": frm.name, "to": to.name})


async def decide_swap(s: AsyncSession, *, offer_id: int, approve: bool, person: PersonDTO | None, org: OrgDTO,
                      now: datetime, lang: str) -> Result:
    offer = await s.get(SwapOffer, offer_id)
    if person is None or not person.has("office"):
        return fail("refused")
    if offer is None or offer.status != "taken":
        return fail("swap.gone")
    if not approve:
        offer.status = "rejected"
        frm, to = await s.get(Person, offer.from_person), await s.get(Person, offer.to_person)
        chats = await recipients(s, [(p, lang_of(p, org)) for p in (frm, to)])
        await tell(s, chats, "duty.swap.rejected_note", now=now,
                   dedup=f"duty:rej:{offer.id}", notice="duty.swap.rejected")
        return Result("swap.rejected")
    if (err := await _check_swap(s, offer, offer.to_person, org, lang)) is not None:
        return fail("swap.invalid", error=err)
    return await apply_offer(s, offer, org=org, now=now)


