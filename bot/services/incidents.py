"""Looking incidents up for people: by number, or the one they most likely mean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.clocks import ClockDTO, list_clocks, stop_clock
from bot.services.dto import PersonDTO
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
