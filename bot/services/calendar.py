"""The organisation's working calendar: official Chinese calendar + its hours + admin overrides."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clocks import CLOCKS, due_at, parse_start
from bot.domain.vocab import GRADES
from bot.domain.workcal import WorkCalendar
from bot.services.dto import OrgDTO


def calendar_for(org: OrgDTO) -> WorkCalendar:
    return WorkCalendar.from_config(org.timezone, org.work_hours, org.policy.calendar.to_mapping())


@dataclass(frozen=True)
class DueAnswer:
    due: str  # ISO 8601 with the organisation's offset
    notes: list[str]  # assumed zone, calendar warnings


def due_answer(org: OrgDTO, clock: str, start: str, grade: str) -> DueAnswer:
    """`onduty due CLOCK START --grade G`; ValueError with one readable line on bad input."""
    if clock not in CLOCKS:
        raise ValueError(f"unknown clock {clock!r}; valid: {', '.join(CLOCKS)}")
    slug = GRADES.parse(grade)
    if slug is None:
        raise ValueError(f"unknown grade {grade!r}; valid: {', '.join(GRADES.slugs)}")
    cal = calendar_for(org)
    begin, assumed = parse_start(start, org.tz)  # ClockError is a ValueError
    due = due_at(clock, begin, grade=slug, calendar=cal, policy=org.policy.clocks)
    if due is None:
        raise ValueError(f"clock {clock} does not run for a {slug} incident (policy.clocks sets no limit)")
    notes = [f"note: {start} has no UTC offset; read in the organisation's zone {org.timezone}"] if assumed else []
    notes += [f"warning: {w.render('en')}" for w in cal.warnings]
    return DueAnswer(due.astimezone(org.tz).isoformat(), notes)
