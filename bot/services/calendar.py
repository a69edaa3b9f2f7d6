"""The organisation's working calendar: official Chinese calendar + its hours + admin overrides."""

from __future__ import annotations

from bot.domain.workcal import WorkCalendar
from bot.services.dto import OrgDTO


def calendar_for(org: OrgDTO) -> WorkCalendar:
    return WorkCalendar.from_config(org.timezone, org.work_hours, org.policy.calendar.to_mapping())
