"""Loading the records of one period for the statistics (bot/domain/stats.py computes them)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import stats as st
from bot.domain.identity import is_unlinked
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.interviews import outside_counts
from models import DutyShift, Incident, Patrol, Person, Report, ResponseClock, Task, Unit


def bounds(start: date, end: date, org: OrgDTO) -> tuple[datetime, datetime]:
    """[first day 00:00, the day after the last 00:00) in the organisation's zone."""
    return (datetime.combine(start, time(), tzinfo=org.tz),
            datetime.combine(end + timedelta(days=1), time(), tzinfo=org.tz))


def may_see_stats(person: PersonDTO | None) -> bool:
    """The office, leaders and admins (README: /stats)."""
    return person is not None and (person.has("office", "admin") or person.is_leader)


async def _people(s: AsyncSession) -> dict[int, st.Who]:
    rows = (await s.execute(select(Person.id, Person.telegram_id, Person.name, Unit.name)
                            .outerjoin(Unit, Unit.id == Person.unit_id))).all()
    return {pid: st.Who(name, unit or "", pid, None if is_unlinked(tg) else tg) for pid, tg, name, unit in rows}


async def _first_reporters(s: AsyncSession, lo: datetime, hi: datetime) -> dict[int, int]:
    """incident id → who filed its first report, for the incidents with a clock started in [lo, hi) (their
    deadlines count under that person's unit)."""
    out: dict[int, int] = {}
    timed = select(ResponseClock.incident_id).where(ResponseClock.started_at >= lo, ResponseClock.started_at < hi)
    rows = (await s.execute(select(Report.incident_id, Report.reporter_id)
                            .where(Report.incident_id.in_(timed))
                            .order_by(Report.incident_id, Report.created_at, Report.id))).all()
    for inc, pid in rows:
        out.setdefault(inc, pid)
    return out


async def load_stats(s: AsyncSession, start: date, end: date, *, org: OrgDTO, now: datetime) -> st.Stats:
    lo, hi = bounds(start, end, org)
    who = await _people(s)
    incidents = [st.IncidentRec(g, c) for g, c in (await s.execute(
        select(Incident.grade, Incident.category).where(Incident.created_at >= lo, Incident.created_at < hi))).all()]
    reports = [st.ReportRec(who.get(pid, st.Who("?")), disc, filed) for pid, disc, filed in (await s.execute(
        select(Report.reporter_id, Report.discovered_at, Report.created_at)
        .where(Report.created_at >= lo, Report.created_at < hi))).all()]
    clock_rows = (await s.execute(
        select(ResponseClock.incident_id, ResponseClock.responsible_id, Incident.in_charge_id,
               Incident.acknowledged_by, ResponseClock.status, ResponseClock.due_at)
        .join(Incident, Incident.id == ResponseClock.incident_id)
        .where(ResponseClock.started_at >= lo, ResponseClock.started_at < hi))).all()
    first = await _first_reporters(s, lo, hi)
    clocks = [st.ClockRec(who.get(resp or charge or acked or 0), status, due,
                          unit=who[first[inc]].unit if first.get(inc) in who else None)
              for inc, resp, charge, acked, status, due in clock_rows]
    patrol_pol = org.policy.patrol
    patrols = [st.PatrolRec(who.get(pid, st.Who("?")), not patrol_pol.missed(day, slot, org.tz, confirmed))
               for pid, day, slot, confirmed in (await s.execute(
                   select(Patrol.person_id, Patrol.day, Patrol.slot, Patrol.confirmed_at)
                   .where(Patrol.day >= start, Patrol.day <= end))).all()
               if patrol_pol.slot_at(day, slot, org.tz) + patrol_pol.grace <= now]
    grace = timedelta(minutes=org.policy.duty.checkin_grace_minutes)
    shifts = [st.ShiftRec(who.get(pid, st.Who("?")), checked is not None and checked <= begin + grace)
              for pid, begin, checked in (await s.execute(
                  select(DutyShift.person_id, DutyShift.start, DutyShift.checked_in_at)
                  .where(DutyShift.start >= lo, DutyShift.start < min(hi, now - grace)))).all()]
    task_rows = (await s.execute(select(Task.owner_id, Unit.name, Task.due_at, Task.status, Task.late)
                                 .outerjoin(Unit, Unit.id == Task.unit_id)
                                 .where(Task.due_at >= lo, Task.due_at < hi))).all()
    tasks = [st.TaskRec(who.get(pid, st.Who("?")), unit, due, status == "done", late)
             for pid, unit, due, status, late in task_rows]
    return st.compute(start, end, incidents=incidents, reports=reports, clocks=clocks, patrols=patrols,
                      shifts=shifts, cutoff=min(hi, now), tasks=tasks, outside=await outside_counts(s, lo, hi))
