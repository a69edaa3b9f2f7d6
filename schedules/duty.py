"""Due rows of kind "duty" (shift reminders, Check in, check-in deadlines, handover prompts, the event's end)
and kind "patrol" (the two daily patrol reminders and the office's daily digest); `plan_patrols` adds the
patrol rows of today and tomorrow, idempotently (dedup keys `patrol:{day}:{slot}:{person}`, `patrol:{day}:digest`).
Call it from an APScheduler cron job and from `BotProcess.tick()`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.actions.duty import checkin_buttons, handover_input, patrol_buttons
from bot.channels.types import Buttons, InputRequest
from bot.clock import Clock
from bot.domain.patrol import SLOTS
from bot.i18n import t
from bot.services import duty as sv
from bot.services import duty_offers as offers
from bot.services.addresses import tag
from bot.services.clocks import add_due
from bot.services.duty_roster import DUTY, OFFER, TIMEOUT
from bot.services.org import load_org, people_with_roles
from bot.services.send import to_address, to_person
from models import Incident, Person
from models.duty import DutyEvent, DutyShift, Patrol
from schedules.sweeps import DueDTO, SweepContext, register_kind


async def _send(ctx: SweepContext, p: Person, key: str, dedup: str, buttons: Buttons | None = None,
                input: InputRequest | None = None, *, notice: str, **kw: object) -> None:  # noqa: A002
    lang = sv.lang_of(p, ctx.org)
    if await to_person(ctx.session, p, text=t(key, lang, **kw), buttons=buttons, input=input,
                       now=ctx.now, dedup_key=dedup, notice=notice) is not None:
        ctx.enqueued += 1


async def duty_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    item, s = items[0], ctx.session
    action, pay = item.payload.get("action"), item.payload
    ev = await s.get(DutyEvent, pay.get("event"))
    if ev is None or ev.status != "running":
        return "cancelled"
    inc = await s.get(Incident, ev.incident_id) if ev.incident_id else None
    if action == "end" or (inc is not None and inc.status == "closed"):
        await sv.stop_event(s, ev, org=ctx.org, now=ctx.now)
        ctx.enqueued += 1
        return None
    row = await s.get(DutyShift, pay.get("shift"))
    if row is not None and action in (OFFER, TIMEOUT):
        return await _offer(ctx, row, pay)
    if row is None or row.person_id != pay.get("person"):
        return "cancelled"  # swapped away
    p = await s.get(Person, row.person_id)
    when = sv.span(row.start, row.end, ctx.org)
    key = f"duty:msg:{item.id}"
    if action == "remind":
        await _send(ctx, p, "duty.remind", key, when=when, minutes=max(0, int((row.start - ctx.now).total_seconds() // 60)),
                    notice="duty.remind")
    elif action == "start":
        if row.checked_in_at is not None:
            return "cancelled"
        await _send(ctx, p, "duty.start", key, checkin_buttons(row.id, sv.lang_of(p, ctx.org)), when=when,
                    notice="duty.start")
    elif action == "checkin":
        if row.checked_in_at is not None:
            return "cancelled"
        await _missed(ctx, row, p, when, key)
    elif action == "handover":
        if row.handover_note or not await sv.neighbours(s, row, 1):
            return "cancelled"  # written already (in the last minutes, as people do), or nobody to hand to
        await _send(ctx, p, "duty.handover.ask", key, input=handover_input(sv.lang_of(p, ctx.org)), when=when,
                    notice="duty.handover.ask")
    return None


async def _offer(ctx: SweepContext, row: DutyShift, pay: dict) -> str | None:
    """A shift at short notice: ask the person it is offered to; or, their time up, offer it on."""
    if row.offered_to != pay.get("person") or row.checked_in_at is not None:
        return "cancelled"  # answered, or moved on to someone else
    if pay["action"] == OFFER:
        ctx.enqueued += await offers.ask(ctx.session, row, row.offered_to, org=ctx.org, now=ctx.now)
        return None
    r = await offers.decline(ctx.session, shift_id=row.id, person=None, org=ctx.org, now=ctx.now,
                             reason="no_answer", round_=pay.get("round"))
    ctx.enqueued += int(r.ok)
    return None if r.ok else "cancelled"


async def _missed(ctx: SweepContext, row: DutyShift, p: Person, when: str, key: str) -> None:
    """No check-in within the grace period: the office and the previous person are alerted; the previous
    person is asked to stay until someone checks in."""
    s = ctx.session
    prev = [await s.get(Person, r.person_id) for r in await sv.neighbours(s, row, -1)]
    names = "、".join(x.name for x in prev)
    # The first shift of an event has nobody to stay on: say so instead of naming "-".
    ctx.enqueued += await sv.tell(s, await sv.office_chats(s, ctx.org),
                                  "duty.missed.office" if prev else "duty.missed.office_first", now=ctx.now,
                                  dedup=key, name=p.name, when=when, prev=names, notice="duty.missed")
    for x in prev:
        await _send(ctx, x, "duty.missed.prev", f"{key}:{x.id}", name=p.name, when=when,
                    notice="duty.missed.prev")
    await _send(ctx, p, "duty.missed.self", f"{key}:self", checkin_buttons(row.id, sv.lang_of(p, ctx.org)), when=when,
                notice="duty.missed.self")


# ---------------------------------------------------------------- patrol

async def _patrol_row(s: AsyncSession, person_id: int, day: date, slot: str) -> Patrol:
    ins = postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert
    await s.execute(ins(Patrol).values(person_id=person_id, day=day, slot=slot)
                    .on_conflict_do_nothing(index_elements=["person_id", "day", "slot"]))
    return await s.scalar(select(Patrol).where(Patrol.person_id == person_id, Patrol.day == day, Patrol.slot == slot))


async def patrol_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    item, s, tz = items[0], ctx.session, ctx.org.tz
    pol = sv.patrol_policy(ctx.org)
    day = date.fromisoformat(item.payload["day"])
    if item.payload.get("action") == "digest":
        return await _digest(ctx, day)
    slot = item.payload["slot"]
    p = await s.get(Person, item.payload["person"])
    if p is None or not p.active or "monitor" not in (p.roles or []) or ctx.now > pol.slot_at(day, slot, tz) + pol.grace:
        return "cancelled"
    row = await _patrol_row(s, p.id, day, slot)
    if row.confirmed_at is not None:
        return "cancelled"
    await _send(ctx, p, f"patrol.remind.{slot}", f"patrol:msg:{row.id}", patrol_buttons(row.id, sv.lang_of(p, ctx.org)),
                day=f"{day:%m-%d}", notice="patrol.remind")
    return None


async def _digest(ctx: SweepContext, day: date) -> str | None:
    """One message to the office listing the day's patrols not confirmed within the grace period."""
    s, pol, tz = ctx.session, sv.patrol_policy(ctx.org), ctx.org.tz
    rows = (await s.execute(select(Patrol, Person.name).join(Person, Person.id == Patrol.person_id)
                            .where(Patrol.day == day).order_by(Patrol.slot.desc(), Person.id))).all()
    missed = [(r.slot, name) for r, name in rows if pol.missed(day, r.slot, tz, r.confirmed_at)]
    if not missed:
        return None
    chats = await sv.office_chats(s, ctx.org)
    for to, lang in chats.items():
        lines = [t("patrol.digest.line", lang, slot=t(f"patrol.slot.{slot}", lang), name=name) for slot, name in missed]
        if await to_address(s, to, text=t("patrol.digest", lang, day=f"{day:%Y-%m-%d}", n=len(missed),
                                          lines="\n".join(lines)), now=ctx.now,
                            dedup_key=f"patrol:digest:{day}:{tag(to)}", notice="patrol.digest") is not None:
            ctx.enqueued += 1
    return None


async def plan_patrols(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    """Today's and tomorrow's patrol reminders and digests (slots whose grace already ran out are skipped).
    Idempotent: returns how many due rows were added."""
    async with sessions() as s, s.begin():
        return await plan_patrols_in(s, clock.now())


async def plan_patrols_in(s: AsyncSession, now: datetime) -> int:
    """`plan_patrols` in the caller's transaction (the hourly cron occurrence, schedules/cron.py)."""
    added = 0
    org = await load_org(s)
    pol, tz = sv.patrol_policy(org), org.tz
    monitors = await people_with_roles(s, ("monitor",))
    today = now.astimezone(tz).date()
    for day in (today, today + timedelta(days=1)):
        for p in monitors:
            for slot in SLOTS:
                at = pol.slot_at(day, slot, tz)
                if at + pol.grace > now and await add_due(
                        s, kind=sv.PATROL, due=at, dedup_key=f"patrol:{day}:{slot}:{p.id}", now=now,
                        payload={"action": "remind", "day": day.isoformat(), "slot": slot, "person": p.id}):
                    added += 1
        if pol.digest_at(day, tz) > now and await add_due(
                s, kind=sv.PATROL, due=pol.digest_at(day, tz), dedup_key=f"patrol:{day}:digest", now=now,
                payload={"action": "digest", "day": day.isoformat()}):
            added += 1
    return added


register_kind(DUTY, duty_handler)
register_kind(sv.PATROL, patrol_handler)
