"""A shift starting within the warning time is offered, not imposed.

Who is on a shift normally hears of it `reminder_before_minutes` ahead, then checks in. A shift that starts
sooner than that (the first shift of a duty started just now, the next one when the duty started minutes
before a boundary) is offered instead: its person gets Accept / Can't. They stay responsible until someone
accepts. Can't — or no answer within the check-in grace — offers it to the next person the swap rules allow
(rest, unavailability), least loaded first (bot/domain/roster_reassign.py); when nobody is left the office is
alarmed. Accepting is the check-in. Every step is on the duty's timeline. The state is in the shift row
(`offered_to`, `offered_at`, `declined`) and the due rows, so a restart continues where it stopped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.duty import accept_buttons
from bot.domain import audit_kinds as K
from bot.domain import roster as rd
from bot.domain.roster_reassign import replacement
from bot.i18n import t
from bot.services import audit
from bot.services.clocks import add_due_many
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty_roster import (
    load_roster,
    mark_offered,
    offer_due_rows,
    shift_due_rows,
    unavailability_of,
)
from bot.services.notify import Result, fail, office_chats, tell
from bot.services.org import people_with_roles
from bot.services.send import add_recipient, to_person
from models import Person
from models.duty import DutyEvent, DutyShift


async def _tg(s: AsyncSession, person_id: int | None) -> int | None:
    p = await s.get(Person, person_id) if person_id else None
    return p.telegram_id if p else None


async def _record(s: AsyncSession, ev: DutyEvent, row: DutyShift, kind: str, *, now: datetime, person: int | None,
                  actor: Person | None = None, **extra: Any) -> None:
    payload = {"event": ev.id, "shift": row.id, "start": row.start.isoformat(), "end": row.end.isoformat(),
               "person": await _tg(s, person), "owner": await _tg(s, row.person_id), **extra}
    await audit.append(s, incident_id=ev.incident_id, kind=kind, now=now, payload=payload,
                       actor_telegram_id=actor.telegram_id if actor else None, actor_name=actor.name if actor else None)


def _span(row: DutyShift, org: OrgDTO) -> str:
    return rd.when(row.start, row.end, org.tz)


def _lang(p: Person, org: OrgDTO) -> str:
    return p.language or org.language or "zh"


async def ask(s: AsyncSession, row: DutyShift, person_id: int, *, org: OrgDTO, now: datetime) -> int:
    """The offer message (a due row of action OFFER fired). Returns messages queued."""
    ev = await s.get(DutyEvent, row.event_id)
    p = await s.get(Person, person_id)
    if ev is None or p is None or row.offered_to != person_id:
        return 0
    lang = _lang(p, org)
    owner = await s.get(Person, row.person_id)
    minutes = org.policy.duty.checkin_grace_minutes
    key = "duty.offer.ask" if person_id == row.person_id else "duty.offer.ask_other"
    partial = t("duty.offer.partial", lang) if rd.is_partial(rd.Shift(row.index, row.start, row.end, ()),
                                                               org.policy.duty) else ""
    text = t(key, lang, when=_span(row, org), partial=partial, minutes=minutes, owner=owner.name if owner else "")
    n = await to_person(s, p, text=text, now=now, buttons=accept_buttons(row.id, lang),
                        dedup_key=f"duty:offer:{row.id}:{person_id}:{len(row.declined or [])}",
                        notice="duty.offer")
    await _record(s, ev, row, K.DUTY_OFFERED, now=now, person=person_id)
    return int(n is not None)


async def accept(s: AsyncSession, *, shift_id: int, person: PersonDTO | None, org: OrgDTO, now: datetime) -> Result:
    """Accept: the one asked now, or the person still responsible, takes the shift; it counts as checked in."""
    row = await s.get(DutyShift, shift_id)
    ev = await s.get(DutyEvent, row.event_id) if row else None
    if row is None or ev is None or person is None:
        return fail("offer.gone")
    if ev.status != "running" or now >= row.end:
        return fail("offer.over")
    if row.checked_in_at is not None:
        return fail("checkin.already" if row.person_id == person.id else "offer.taken")
    # the one asked now, or the person still responsible (who may change their mind while nobody has taken it)
    if person.id not in (row.offered_to, row.person_id):
        return fail("offer.not_yours")
    owner = row.person_id
    if person.id != owner:
        problems = await _problems(s, ev, row, person.id, org=org, now=now)
        if problems:
            return fail("offer.cannot", error=problems[0].text(org.language))
        row.person_id = person.id
    row.offered_to, row.checked_in_at = None, now
    actor = await s.get(Person, person.id)
    await _record(s, ev, row, K.DUTY_OFFER_ACCEPTED, now=now, person=person.id, actor=actor,
                  **({"owner": await _tg(s, owner)} if owner != person.id else {}))
    if owner != person.id:
        await _tell_owner_and_office(s, row, owner, person.name, org=org, now=now)
        await add_due_many(s, _handover_rows(row, org=org, now=now))
    return Result("offer.accepted", {"span": _span(row, org)})


async def decline(s: AsyncSession, *, shift_id: int, person: PersonDTO | None, org: OrgDTO, now: datetime,
                  reason: str = "declined", round_: int | None = None) -> Result:
    """Can't (or, with `reason` no_answer, the grace ran out): the offer moves to the next person allowed."""
    row = await s.get(DutyShift, shift_id)
    ev = await s.get(DutyEvent, row.event_id) if row else None
    if row is None or ev is None or ev.status != "running" or now >= row.end:
        return fail("offer.over")
    if row.offered_to is None:
        return fail("offer.taken")
    who = row.offered_to
    if person is not None and person.id != who:
        return fail("offer.not_yours")
    if round_ is not None and round_ != len(row.declined or []):
        return fail("offer.moved")  # a timeout of an earlier round: already moved on
    row.declined = [*(row.declined or []), who]
    actor = await s.get(Person, person.id) if person is not None else None
    await _record(s, ev, row, K.DUTY_OFFER_DECLINED, now=now, person=who, actor=actor, reason=reason)
    nxt = await _next_person(s, ev, row, org=org, now=now)
    if nxt is None:  # the person on the roster stays responsible; the office arranges
        row.offered_to = None
        await _unfilled(s, ev, row, org=org, now=now)
        return Result("offer.declined_unfilled", {"span": _span(row, org)})
    mark_offered(row, nxt, now)
    await add_due_many(s, offer_due_rows(row, nxt, org=org, now=now))
    return Result("offer.declined", {"span": _span(row, org)})


async def _problems(s: AsyncSession, ev: DutyEvent, row: DutyShift, person_id: int, *, org: OrgDTO,
                    now: datetime) -> list[rd.RosterError]:
    roster, _ = await load_roster(s, ev, org)
    return rd.validate_swap(roster, row.index, person_id, unavailability=await unavailability_of(s, [person_id], now),
                            replacing=row.person_id)


async def _next_person(s: AsyncSession, ev: DutyEvent, row: DutyShift, *, org: OrgDTO, now: datetime) -> int | None:
    """The next person the swap rules allow on this shift, least loaded first; nobody who declined it."""
    roster, names = await load_roster(s, ev, org)
    pool = [rd.Person(p.id, p.name) for p in await people_with_roles(s, ("monitor",))
            if p.id not in (row.declined or [])]
    move = replacement(roster, row.index, row.person_id, pool, await unavailability_of(s, [p.id for p in pool], now))
    return move.taker


async def _unfilled(s: AsyncSession, ev: DutyEvent, row: DutyShift, *, org: OrgDTO, now: datetime) -> None:
    people = [await s.get(Person, pid) for pid in row.declined or []]
    owner = await s.get(Person, row.person_id)
    await _record(s, ev, row, K.DUTY_UNFILLED, now=now, person=None,
                  declined=[p.telegram_id for p in people if p is not None])
    await tell(s, await office_chats(s, org), "duty.offer.unfilled", now=now, dedup=f"duty:unfilled:{row.id}",
               when=_span(row, org), names=t("list.sep", org.language).join(p.name for p in people if p),
               owner=owner.name if owner else "-", notice="duty.offer.unfilled")


async def _tell_owner_and_office(s: AsyncSession, row: DutyShift, owner_id: int, taker: str, *, org: OrgDTO,
                                 now: datetime) -> None:
    owner = await s.get(Person, owner_id)
    chats = await office_chats(s, org)
    if owner is not None:
        await add_recipient(s, chats, owner, _lang(owner, org))
    await tell(s, chats, "duty.offer.taken_over", now=now, dedup=f"duty:taken:{row.id}:{row.person_id}",
               name=taker, owner=owner.name if owner else "-", when=_span(row, org),
               notice="duty.offer.taken_over")


def _handover_rows(row: DutyShift, *, org: OrgDTO, now: datetime) -> list[dict[str, Any]]:
    """The new person's handover prompt at the shift's end (the old person's rows no longer match the row)."""
    return [d for d in shift_due_rows(row, org=org, now=now, gen=f"offer{row.person_id}", takeover=True)
            if d["payload"]["action"] == "handover"]
