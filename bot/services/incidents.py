"""Looking incidents up for people: by number, or the one they most likely mean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.clocks import validate_extension
from bot.domain.grading import GradeResult, GradingError, can_override
from bot.domain.vocab import GRADES
from bot.services import audit
from bot.services.calendar import calendar_for
from bot.services.clocks import ClockDTO, list_clocks, move_due, stop_clock
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import refresh_cards, set_grade
from bot.services.numbers import require_incident
from models import Incident, Report


@dataclass(frozen=True)
class IncidentClocks:
    number: str
    grade: str | None
    status: str
    clocks: list[ClockDTO]


async def find_incident(s: AsyncSession, *, number: str | None, person: PersonDTO,
                        year: int | None = None) -> Incident | None:
    """By number (as typed: `yq-2026-1`, `1`…; NoSuchIncident when it names none or several); without one, the
    person's latest report — or, for the office and leaders, the latest incident (None when there is none)."""
    if number and number.strip():
        return await require_incident(s, number, year=year)
    q = select(Incident).order_by(Incident.id.desc()).limit(1)
    if not (person.has("office") or person.is_leader):
        q = q.join(Report, Report.incident_id == Incident.id).where(Report.reporter_id == person.id)
    return await s.scalar(q)


async def incident_clocks(s: AsyncSession, *, number: str | None, person: PersonDTO, now: datetime,
                          year: int | None = None) -> IncidentClocks | None:
    inc = await find_incident(s, number=number, person=person, year=year)
    if inc is None:
        return None
    return IncidentClocks(inc.number, inc.grade, inc.status, await list_clocks(s, inc.id, now))


@dataclass(frozen=True)
class ClockChange:
    number: str  # the incident's number as stored (YQ-2026-0001), whatever was typed
    clock: ClockDTO | None  # None: the incident has no such clock (or, for an extension, none running)


async def record_done(s: AsyncSession, *, number: str, name: str, reason: str, now: datetime,
                      year: int | None = None, org: OrgDTO | None = None) -> ClockChange:
    """Stop the incident's clock `name` (met or missed). NoSuchIncident when the number names none or several.
    With `org`, the cards follow (their next deadline moves on)."""
    inc = await require_incident(s, number, year=year)
    stopped = await stop_clock(s, incident_id=inc.id, name=name, reason=reason, now=now)
    if stopped is not None:
        await audit.append(s, incident_id=inc.id, kind="clock_stopped", now=now,
                           payload={"clock": name, "status": stopped.status, "reason": reason})
        if org is not None:
            await _refresh(s, inc, org, now)
    return ClockChange(inc.number, stopped)


async def _refresh(s: AsyncSession, inc: Incident, org: OrgDTO, now: datetime) -> None:
    await refresh_cards(s, inc, org=org, now=now)


async def extend_formal_reply(s: AsyncSession, *, number: str, days: int, reason: str, person: PersonDTO,
                              org: OrgDTO, now: datetime, year: int | None = None) -> ClockChange:
    """A leader extends the formal reply to `days` working days in total (≤ policy.clocks.extension_max,
    with a reason; ClockError otherwise). NoSuchIncident when the number names none or several; the change's
    clock is None when the incident has no running formal_reply clock."""
    inc = await require_incident(s, number, year=year)
    clock = next((c for c in await list_clocks(s, inc.id, now) if c.name == "formal_reply"), None)
    if clock is None or not clock.running:
        return ClockChange(inc.number, None)
    cal = calendar_for(org)
    requested = cal.close_of_nth_workday_after(clock.started_at, days)
    due = validate_extension(clock.started_at, requested, reason, calendar=cal, policy=org.policy.clocks)
    moved = await move_due(s, incident_id=inc.id, name="formal_reply", due=due, calendar=cal, policy=org.policy,
                           now=now)
    await audit.append(s, incident_id=inc.id, kind="clock_extended", actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"clock": "formal_reply", "working_days": days, "due": due.isoformat(),
                                "reason": reason.strip()})
    await _refresh(s, inc, org, now)
    return ClockChange(inc.number, moved)


@dataclass(frozen=True)
class GradeChange:
    number: str
    grade: str
    result: GradeResult | None  # None: the incident already had this grade and nothing was done


async def grade_by_number(s: AsyncSession, *, number: str, grade: str, reason: str, person: PersonDTO,
                          org: OrgDTO, now: datetime, year: int | None = None) -> GradeChange:
    """/grade: the office's or a leader's grade, with a reason (escalation.set_grade). The grade the incident
    already has changes nothing — no audit row, no card edit, no clock touched — so a repeated /grade cannot
    flood every recipient with identical edits. NoSuchIncident or GradingError when it cannot be done."""
    inc = await require_incident(s, number, year=year)
    # the refusals set_grade would give come first: "unchanged" must not tell someone without the right
    # anything beyond what a refusal tells them
    if grade not in GRADES:
        raise GradingError("unknown_grade", grade=grade)
    if not can_override(person.roles):
        raise GradingError("not_authorised")
    if inc.grade == grade:
        return GradeChange(inc.number, grade, None)
    result = await set_grade(s, number=inc.number, grade=grade, reason=reason, person=person, org=org, now=now)
    return GradeChange(inc.number, grade, result)
