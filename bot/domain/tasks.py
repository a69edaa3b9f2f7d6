"""Tasks (督办): the rules a task follows, pure — its due time as typed, the default due time, the reminder
points and when it counts as overdue; `policy.tasks` holds the numbers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from bot.domain.policy_section import Section
from bot.domain.report_parse import parse_when
from bot.domain.workcal import WorkCalendar

STATUSES = ("open", "accepted", "done", "help")
OPEN = frozenset({"open", "accepted", "help"})  # not done yet


@dataclass(frozen=True)
class TasksPolicy(Section):
    """Tasks given on an incident: the due time when none is typed (close of the Nth working day after
    today), reminders to the owner at fractions of the time allowed (like the clocks' nudges) and whether
    an overdue task goes to the unit's head."""

    name: ClassVar[str] = "tasks"
    default_due_working_days: int = 1
    reminder_points: tuple[float, ...] = (0.5, 0.8)
    escalate_to_head: bool = True

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> TasksPolicy:
        data = dict(data or {})
        points = data.pop("reminder_points", cls.reminder_points)
        if isinstance(points, str) or not isinstance(points, list | tuple) or not all(
                isinstance(p, int | float) and not isinstance(p, bool) and 0 < p < 1 for p in points):
            raise ValueError(f"policy.tasks.reminder_points must be a list of fractions between 0 and 1, got {points!r}")
        if not isinstance(data.get("escalate_to_head", True), bool):
            raise ValueError("policy.tasks.escalate_to_head must be true or false")
        days = data.get("default_due_working_days", 1)
        if isinstance(days, bool) or not isinstance(days, int):
            raise ValueError(f"policy.tasks.default_due_working_days must be a whole number, got {days!r}")
        out = super().from_mapping(data)
        return cls(out.default_due_working_days, tuple(sorted(set(float(p) for p in points))), out.escalate_to_head)

    def to_mapping(self) -> dict[str, Any]:
        return {"default_due_working_days": self.default_due_working_days,
                "reminder_points": list(self.reminder_points), "escalate_to_head": self.escalate_to_head}


# "2h", "2小时", "1.5 hours", "30分钟", "3天", "in 2 hours", "2小时内", "2小时后": from now
_IN_RE = re.compile(r"^(?:in\s*)?(?P<n>\d+(?:\.\d+)?)\s*(?:个)?\s*(?P<unit>分钟|分|mins?|minutes?|m|小时|钟头|h|hrs?|hours?|"
                    r"天|d|days?)\s*(?:内|后|以内|之内|later)?$")


def parse_due(text: str, *, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The due time a person typed: a span from now (2h, 2小时, 30分钟, 3天) or a time as reports write it
    (明天17:00, 12-05 17:00, 2026-12-05 17:00, 17:00 = today). None when it is neither."""
    raw = unicodedata.normalize("NFKC", text or "").strip().casefold()
    if not raw:
        return None
    if m := _IN_RE.match(raw):
        n, unit = float(m["n"]), m["unit"]
        delta = (timedelta(days=n) if unit[0] in "天d" else
                 timedelta(hours=n) if unit[0] in "小钟h" else timedelta(minutes=n))
        if delta <= timedelta(0) or delta > timedelta(days=3650):
            return None
        return (now + delta).replace(microsecond=0)
    return parse_when(raw, now, tz)


def split_due(words: list[str], *, now: datetime, tz: ZoneInfo) -> tuple[list[str], datetime | None]:
    """`WHAT [DUE]`: the due time is the last word or the last two (明天 17:00, 2026-12-05 17:00) when they
    read as one; the rest is the task. A task of one word that reads as a time stays the task."""
    for n in (2, 1):
        if len(words) > n:
            due = parse_due(" ".join(words[-n:]), now=now, tz=tz)
            if due is not None:
                return words[:-n], due
    return words, None


def default_due(now: datetime, *, calendar: WorkCalendar, policy: TasksPolicy) -> datetime:
    """Close of the Nth working day after today (policy.tasks.default_due_working_days)."""
    return calendar.close_of_nth_workday_after(now, policy.default_due_working_days)


def reminder_times(created: datetime, due: datetime, policy: TasksPolicy) -> list[tuple[float, datetime]]:
    """(fraction, instant) of each reminder before the due time, on the wall clock."""
    return [(p, created + (due - created) * p) for p in policy.reminder_points]


def is_overdue(status: str, due: datetime, now: datetime) -> bool:
    """Not done and past its due time."""
    return status in OPEN and now > due


def done_late(due: datetime, done: datetime) -> bool:
    return done > due
