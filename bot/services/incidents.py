"""Looking incidents up for people: by number, or the one they most likely mean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.clocks import ClockDTO, list_clocks, stop_clock
from bot.services.dto import OrgDTO, PersonDTO
from models import Incident, Report


@dataclass(frozen=True)
class IncidentClocks:
    number: str
    grade: str | None
    status: str
    clocks: list[ClockDTO]


async def find_incident(s: AsyncSession, *, number: str | None, person: PersonDTO) -> Incident | None:
    """By number; without one, the person's latest report — or, for the office and leaders, the latest incident."""
    if number:
        return await s.scalar(select(Incident).where(Incident.number == number.strip().upper()))
    q = select(Incident).order_by(Incident.id.desc()).limit(1)
    if not (person.has("office") or person.is_leader):
        q = q.join(Report, Report.incident_id == Incident.id).where(Report.reporter_id == person.id)
    return await s.scalar(q)


async def incident_clocks(s: AsyncSession, *, number: str | None, person: PersonDTO,
                          now: datetime) -> IncidentClocks | None:
    inc = await find_incident(s, number=number, person=person)
    if inc is None:
        return None
    return IncidentClocks(inc.number, inc.grade, inc.status, await list_clocks(s, inc.id, now))


async def record_done(s: AsyncSession, *, number: str, name: str, reason: str, now: datetime) -> ClockDTO | None:
    """Stop the incident's clock `name` (met or missed); None when there is no such incident or clock."""
    inc = await s.scalar(select(Incident).where(Incident.number == number.strip().upper()))
    if inc is None:
        return None
    stopped = await stop_clock(s, incident_id=inc.id, name=name, reason=reason, now=now)
    if stopped is not None:
        await audit.append(s, incident_id=inc.id, kind="clock_stopped", now=now,
                           payload={"clock": name, "status": stopped.status, "reason": reason})
    return stopped


async def extend_formal_reply(s: AsyncSession, *, number: str, days: int, reason: str, person: PersonDTO,
                              org: OrgDTO, now: datetime) -> ClockDTO | None:
    """A leader extends the formal reply to `days` working days in total (≤ policy.clocks.extension_max,
    with a reason; ClockError otherwise). None when there is no such incident or running formal_reply clock."""
    from bot.domain.clocks import validate_extension
    from bot.services.calendar import calendar_for
    from bot.services.clocks import move_due

    inc = await s.scalar(select(Incident).where(Incident.number == number.strip().upper()))
    clock = next((c for c in await list_clocks(s, inc.id, now) if c.name == "formal_reply"), None) if inc else None
    if inc is None or clock is None or not clock.running:
        return None
    cal = calendar_for(org)
    requested = cal.close_of_nth_workday_after(clock.started_at, days)
    due = validate_extension(clock.started_at, requested, reason, calendar=cal, policy=org.policy.clocks)
    moved = await move_due(s, incident_id=inc.id, name="formal_reply", due=due, calendar=cal, policy=org.policy,
                           now=now)
    await audit.append(s, incident_id=inc.id, kind="clock_extended", actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"clock": "formal_reply", "working_days": days, "due": due.isoformat(),
                                "reason": reason.strip()})
    return moved
