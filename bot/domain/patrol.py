"""Routine patrol (日常巡查) policy and times: a morning and an evening reminder to every monitor, every day.

`policy.patrol` in the org file: `morning`, `evening` (HH:MM, the organisation's zone), `grace_minutes`
(a patrol not confirmed by then goes into the office's daily digest, sent at evening + grace),
`duty_span_hours` (how long an automatically started 24-hour duty lasts) and `swap_approval`
(whether the office approves shift swaps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import ClassVar

from bot.domain.policy_section import Section

SLOTS = ("morning", "evening")


def parse_hhmm(value: str) -> time:
    """'09:00' → time(9, 0); ValueError otherwise."""
    try:
        hh, mm = str(value).split(":")
        return time(int(hh), int(mm))
    except (ValueError, TypeError) as e:
        raise ValueError(f"{value!r} is not a time of day (HH:MM)") from e


@dataclass(frozen=True)
class PatrolPolicy(Section):
    name: ClassVar[str] = "patrol"
    morning: str = "09:00"
    evening: str = "20:00"
    grace_minutes: int = 60
    duty_span_hours: int = 72
    swap_approval: bool = True

    def __post_init__(self) -> None:
        for key in SLOTS:
            try:
                parse_hhmm(getattr(self, key))
            except ValueError as e:
                raise ValueError(f"policy.patrol.{key}: {e}") from e
        if parse_hhmm(self.morning) >= parse_hhmm(self.evening):
            raise ValueError("policy.patrol: morning must come before evening")
        if not isinstance(self.swap_approval, bool):
            raise ValueError(f"policy.patrol.swap_approval must be true or false, got {self.swap_approval!r}")

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.grace_minutes)

    def slot_at(self, day: date, slot: str, tz: tzinfo) -> datetime:
        """When the reminder of `slot` on `day` is due (aware, in tz)."""
        return datetime.combine(day, parse_hhmm(getattr(self, slot)), tzinfo=tz)

    def digest_at(self, day: date, tz: tzinfo) -> datetime:
        """The daily digest of unconfirmed patrols: the later slot plus the grace period."""
        return self.slot_at(day, "evening", tz) + self.grace

    def missed(self, day: date, slot: str, tz: tzinfo, confirmed_at: datetime | None) -> bool:
        """Not confirmed within the grace period."""
        return confirmed_at is None or confirmed_at > self.slot_at(day, slot, tz) + self.grace
