"""24-hour duty for a major event: start/stop, check-in and patrol presses. Handover notes:
bot/services/duty_handover.py; swaps: bot/services/duty_swaps.py.

The roster is stored as `duty_shifts` rows with a due row per reminder (bot/services/duty_roster.py), so
a swap cancels the old person's pending rows and adds the new person's. Every check happens here,
at the moment of the action; buttons carry only ids.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain import roster as rd
from bot.domain.patrol import PatrolPolicy
from bot.domain.vocab import GRADES
from bot.i18n import t
from bot.render import fmt_duration
from bot.services import audit
from bot.services.clocks import add_due_many, due_values, list_clocks
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.duty_roster import (
    DUTY,
    load_roster,
    mark_offered,
    shift_due_rows,
    shift_rows,
    short_notice,
    unavailability_of,
)
from bot.services.notify import Result, fail, incident_by_number, office_chats, tell
from bot.services.org import people_with_roles
from bot.services.send import add_recipient
from models import DueItem, Incident, Person
from models.duty import DutyEvent, DutyShift, Patrol, SwapOffer

PATROL = "patrol"
MAJOR = ("major", "especially_major")


def patrol_policy(org: OrgDTO) -> PatrolPolicy:
    return getattr(org.policy, "patrol", None) or PatrolPolicy()


def span(a: datetime, b: datetime, org: OrgDTO) -> str:
    return rd.when(a, b, org.tz)


def lang_of(p: Person | PersonDTO, org: OrgDTO) -> str:
    return p.language or org.language


# ---------------------------------------------------------------- the stored roster

async def running_events(s: AsyncSession, incident_id: int | None = None) -> list[DutyEvent]:
    cond = [DutyEvent.status == "running"] + ([DutyEvent.incident_id == incident_id] if incident_id else [])
    return list((await s.scalars(select(DutyEvent).where(*cond).order_by(DutyEvent.id))).all())


async def latest_event(s: AsyncSession) -> DutyEvent | None:
    evs = await running_events(s)
    return evs[-1] if evs else await s.scalar(select(DutyEvent).order_by(DutyEvent.id.desc()).limit(1))


async def schedule_shift(s: AsyncSession, row: DutyShift, *, org: OrgDTO, now: datetime, gen: int | str = 0,
                         takeover: bool = False) -> None:
    await add_due_many(s, shift_due_rows(row, org=org, now=now, gen=gen, takeover=takeover))


async def cancel_rows(s: AsyncSession, prefix: str, now: datetime) -> int:
    res = await s.execute(update(DueItem).where(DueItem.status == "pending", DueItem.dedup_key.like(f"{prefix}%"))
                          .values(status="cancelled", done_at=now).execution_options(synchronize_session=False))
    return res.rowcount or 0


# ---------------------------------------------------------------- start / stop

async def start_duty(s: AsyncSession, *, incident: Incident | None, by: int | None, org: OrgDTO,
                     now: datetime) -> Result:
    """A new 24-hour duty over `policy.patrol.duty_span_hours` from now (to the minute)."""
    if incident is not None and await running_events(s, incident.id):
        return fail("start.already", number=incident.number)
    pool = [rd.Person(p.id, p.name) for p in await people_with_roles(s, ("monitor",))]
    start = now.astimezone(org.tz).replace(second=0, microsecond=0)
    try:
        roster = rd.generate_roster(pool, start, start + timedelta(hours=patrol_policy(org).duty_span_hours),
                                    org.policy.duty, await unavailability_of(s, [p.id for p in pool], now), now=now)
    except rd.RosterError as e:
        return fail("start.roster", error=e.text(org.language))
    ev = DutyEvent(incident_id=incident.id if incident else None, started_at=now, ends_at=roster.end,
                   status="running", started_by=by)
    s.add(ev)
    await s.flush()
    rows = [DutyShift(event_id=ev.id, index=sh.index, start=sh.start, end=sh.end, person_id=pid)
            for sh in roster.shifts for pid in sh.people]
    s.add_all(rows)
    await s.flush()  # one batched INSERT … RETURNING for the ids the due rows name
    for row in rows:  # the first shift (and one starting within the warning): asked, not imposed
        if short_notice(row, org=org, now=now):
            mark_offered(row, row.person_id, now)
    dues = [d for row in rows for d in shift_due_rows(row, org=org, now=now)]
    dues.append(due_values(kind=DUTY, due=roster.end, dedup_key=f"duty:{ev.id}:end", now=now,
                           payload={"action": "end", "event": ev.id}))
    await add_due_many(s, dues)
    number = incident.number if incident else "-"
    await tell(s, await office_chats(s, org), "duty.started", now=now, dedup=f"duty:{ev.id}:started",
               number=number, span=span(roster.start, roster.end, org), shifts=len(roster.shifts),
               notice="duty.started")
    return Result("start.done", {"number": number, "span": span(roster.start, roster.end, org), "event": ev.id})


async def start_duty_for_incident(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> Result | None:
    """Called when an incident is first graded (and on a regrade): major and above start a duty once. While a
    duty already runs, the incident joins it: the duty is the organisation's (the same people stand it, the
    handover lists every open incident), and a second roster would put each monitor on two at once."""
    if inc.grade not in MAJOR:
        return None
    running = await running_events(s)
    if any(ev.incident_id == inc.id for ev in running):
        return None
    if running:
        return await _join(s, running[-1], inc, org=org, now=now)
    r = await start_duty(s, incident=inc, by=None, org=org, now=now)
    if not r.ok:
        await tell(s, await office_chats(s, org), "duty.start.failed", now=now, dedup=f"duty:fail:{inc.id}",
                   number=inc.number, error=r.info.get("error", ""), notice="duty.start_failed")
    return r


async def _join(s: AsyncSession, ev: DutyEvent, inc: Incident, *, org: OrgDTO, now: datetime) -> Result:
    lead = await s.get(Incident, ev.incident_id) if ev.incident_id else None
    info = {"number": inc.number, "lead": lead.number if lead else "-", "span": span(now, ev.ends_at, org)}
    if not any(r.kind == "duty_joined" and r.payload.get("event") == ev.id for r in await audit.timeline(s, inc.id)):
        await audit.append(s, incident_id=inc.id, kind=K.DUTY_JOINED, now=now,
                           payload={"event": ev.id, "lead": info["lead"]})
    await tell(s, await office_chats(s, org), "duty.joined", now=now, dedup=f"duty:{ev.id}:joined:{inc.id}", **info,
               notice="duty.joined")
    return Result("start.joined", info)


def _may_command(person: PersonDTO | None) -> bool:
    return person is not None and (person.has("office") or person.is_leader)


async def _incident(s: AsyncSession, number: str) -> Incident | None:
    return await incident_by_number(s, number)  # typed loosely: yq-2026-1, 1 (bot/services/numbers.py)


async def start_by_command(s: AsyncSession, *, number: str, person: PersonDTO | None, org: OrgDTO,
                           now: datetime) -> Result:
    if not _may_command(person):
        return fail("refused")
    inc = await _incident(s, number)
    if inc is None:
        return fail("unknown_incident", number=number)
    others = [ev for ev in await running_events(s) if ev.incident_id != inc.id]
    if others and not await running_events(s, inc.id):
        return await _join(s, others[-1], inc, org=org, now=now)  # one duty at a time, as when graded
    return await start_duty(s, incident=inc, by=person.id, org=org, now=now)


async def stop_event(s: AsyncSession, ev: DutyEvent, *, org: OrgDTO, now: datetime) -> None:
    ev.status, ev.stopped_at = "stopped", now
    await cancel_rows(s, f"duty:{ev.id}:", now)
    await s.execute(update(SwapOffer).where(SwapOffer.status.in_(("open", "taken")),
                                            SwapOffer.shift_id.in_(select(DutyShift.id)
                                                                   .where(DutyShift.event_id == ev.id)))
                    .values(status="cancelled").execution_options(synchronize_session=False))
    inc = await s.get(Incident, ev.incident_id) if ev.incident_id else None
    later = {r.person_id for r in await shift_rows(s, ev.id) if r.end > now}
    chats = await office_chats(s, org)
    for p in (await s.scalars(select(Person).where(Person.id.in_(later)))).all():
        await add_recipient(s, chats, p, lang_of(p, org))
    await tell(s, chats, "duty.stopped", now=now, dedup=f"duty:{ev.id}:stopped", number=inc.number if inc else "-",
               notice="duty.stopped")


async def stop_duty_for_incident(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> int:
    """Called when the incident closes: its running duty stops, unless another major incident is still open,
    which then carries the duty on (the roster and its reminders stay as they are). Returns how many stopped."""
    stopped = 0
    for ev in await running_events(s, inc.id):
        heir = await s.scalar(select(Incident).where(Incident.id != inc.id, Incident.status != "closed",
                                                     Incident.grade.in_(MAJOR)).order_by(Incident.id.desc()).limit(1))
        if heir is None:
            await stop_event(s, ev, org=org, now=now)
            stopped += 1
            continue
        ev.incident_id = heir.id
        await audit.append(s, incident_id=heir.id, kind=K.DUTY_HANDED, now=now,
                           payload={"event": ev.id, "from": inc.number})
        await tell(s, await office_chats(s, org), "duty.handed", now=now, dedup=f"duty:{ev.id}:handed:{inc.id}",
                   closed=inc.number, number=heir.number, span=span(now, ev.ends_at, org), notice="duty.handed")
    return stopped


async def stop_by_command(s: AsyncSession, *, number: str, person: PersonDTO | None, org: OrgDTO, now: datetime,
                          confirmed: bool = False) -> Result:
    """Stops the incident's duty; while a shift is under way the caller must confirm first."""
    if not _may_command(person):
        return fail("refused")
    inc = await _incident(s, number)
    evs = await running_events(s, inc.id) if inc else []
    if not evs:
        return fail("stop.none", number=number.strip().upper())
    ev = evs[0]
    if not confirmed and any(r.start <= now < r.end for r in await shift_rows(s, ev.id)):
        return Result("stop.confirm", {"number": inc.number, "event": ev.id}, ok=False)
    await stop_event(s, ev, org=org, now=now)
    return Result("stop.done", {"number": inc.number})


async def stop_confirmed(s: AsyncSession, *, event_id: int, person: PersonDTO | None, org: OrgDTO,
                         now: datetime) -> Result:
    ev = await s.get(DutyEvent, event_id)
    if not _may_command(person):
        return fail("refused")
    if ev is None or ev.status != "running":
        return fail("stop.already")
    inc = await s.get(Incident, ev.incident_id) if ev.incident_id else None
    await stop_event(s, ev, org=org, now=now)
    return Result("stop.done", {"number": inc.number if inc else "-"})


# ---------------------------------------------------------------- shift life

async def neighbours(s: AsyncSession, row: DutyShift, delta: int) -> list[DutyShift]:
    return list((await s.scalars(select(DutyShift).where(DutyShift.event_id == row.event_id,
                                                         DutyShift.index == row.index + delta))).all())


async def check_in(s: AsyncSession, *, shift_id: int, person: PersonDTO | None, org: OrgDTO,
                   now: datetime) -> Result:
    row = await s.get(DutyShift, shift_id)
    ev = await s.get(DutyEvent, row.event_id) if row else None
    if row is None or ev is None or person is None or row.person_id != person.id:
        return fail("checkin.not_yours")
    if ev.status != "running" or now >= row.end:
        return fail("checkin.over")
    if now < row.start - timedelta(minutes=org.policy.duty.reminder_before_minutes):
        return fail("checkin.early")
    if row.checked_in_at is not None:
        return fail("checkin.already")
    row.checked_in_at = now
    if now > row.start + timedelta(minutes=org.policy.duty.checkin_grace_minutes):  # the alert went out
        chats = await office_chats(s, org)
        for prev in await neighbours(s, row, -1):
            p = await s.get(Person, prev.person_id)
            await add_recipient(s, chats, p, lang_of(p, org))
        await tell(s, chats, "duty.checkin.relieved", now=now, dedup=f"duty:relieved:{row.id}", name=person.name,
                   span=span(row.start, row.end, org), notice="duty.relieved")
    return Result("checkin.done", {"span": span(row.start, row.end, org)})


async def open_incidents_text(s: AsyncSession, lang: str, org: OrgDTO, now: datetime) -> str:
    """The open incidents and their running clocks, for a handover."""
    lines = []
    for inc in (await s.scalars(select(Incident).where(Incident.status != "closed").order_by(Incident.id))).all():
        clocks = [c for c in await list_clocks(s, inc.id, now) if c.running]
        parts = [t("duty.handover.clock", lang, clock=t(f"clock.name.{c.name}", lang),
                   due=f"{c.due_at.astimezone(org.tz):%m-%d %H:%M}",
                   left=fmt_duration(c.left, lang) if not c.overdue else t("duty.handover.overdue", lang,
                                                                         over=fmt_duration(-c.left, lang)))
                 for c in clocks]
        grade = GRADES.label(inc.grade, lang) if inc.grade in GRADES else t("due.ungraded", lang)
        lines.append(t("duty.handover.incident", lang, number=inc.number, grade=grade,
                       clocks=t("list.sep_clause", lang).join(parts) if parts else t("duty.handover.no_clocks", lang)))
    return "\n".join(lines) if lines else t("duty.handover.no_incidents", lang)


def _who(sh: rd.Shift | None, names: dict[int, str], org: OrgDTO) -> str:
    return f"{'、'.join(names.get(p, str(p)) for p in sh.people)}（{span(sh.start, sh.end, org)}）" if sh else "-"


async def now_and_next(s: AsyncSession, org: OrgDTO, now: datetime) -> Result:
    """For /duty: per running event, who is on duty now and next."""
    lines = []
    for ev in await running_events(s):
        roster, names = await load_roster(s, ev, org)
        inc = await s.get(Incident, ev.incident_id) if ev.incident_id else None
        lines.append((inc.number if inc else "-", _who(rd.shift_at(roster, now), names, org),
                      _who(rd.next_shift(roster, now), names, org)))
    return Result("now", {"lines": lines}) if lines else fail("none")


async def confirm_patrol(s: AsyncSession, *, patrol_id: int, person: PersonDTO | None, now: datetime) -> Result:
    row = await s.get(Patrol, patrol_id)
    if row is None or person is None or row.person_id != person.id:
        return fail("patrol.not_yours")
    if row.confirmed_at is not None:
        return fail("patrol.already")
    row.confirmed_at = now
    return Result("patrol.done")
