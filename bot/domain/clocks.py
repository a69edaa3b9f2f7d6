"""The response clocks (响应保障, docs/domain.md "Deadlines"): when each one is due, which ones run
for an incident, when to nudge, and how far a formal reply may be extended.

Hour clocks (report_upward, publish) count wall-clock time from discovery. Working clocks
(first_response, formal_reply, extension_max, inquiry_same_day) count on the WorkCalendar:
non-working time and holidays are skipped (非工作时间顺延, 遇节假日顺延).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from bot.domain.workcal import CalendarError, WorkCalendar

CLOCKS: tuple[str, ...] = (
    "report_upward", "publish", "first_response", "formal_reply", "extension_max", "inquiry_same_day",
)
WORKING_CLOCKS = frozenset({"first_response", "formal_reply", "extension_max", "inquiry_same_day"})
GRADES: tuple[str, ...] = ("general", "major", "especially_major")


class ClockError(CalendarError):
    """Errors of the clocks; code → i18n key `clock.error.<code>`."""


@dataclass(frozen=True)
class ClockPolicy:
    """The clocks' numbers; each field is a key under `policy: clocks:` in the org file."""

    name: ClassVar[str] = "clocks"

    report_upward_general_hours: float | None = None
    report_upward_major_hours: float = 4
    report_upward_especially_major_hours: float = 2
    publish_hours: float = 24
    first_response_working_hours: float = 3
    formal_reply_working_days: int = 5
    extension_max_working_days: int = 10
    nudge_points: tuple[float, ...] = (0.5, 0.8, 1.0)
    overdue_escalation_minutes: float = 60
    late_grace_seconds: float = 60  # a nudge sent later than this after its instant is marked late

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _check(f.name, getattr(self, f.name))
        object.__setattr__(self, "nudge_points", tuple(sorted(set(self.nudge_points))))
        if self.extension_max_working_days < self.formal_reply_working_days:
            raise ClockError("policy_extension_short", key="extension_max_working_days",
                             value=self.extension_max_working_days, minimum=self.formal_reply_working_days)

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> ClockPolicy:
        """Defaults overridden by `data`; unknown keys and bad values raise ClockError (a ValueError)."""
        data = dict(data or {})
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = set(data) - set(known)
        if unknown:
            raise ClockError("policy_unknown_key", keys=", ".join(sorted(map(str, unknown))),
                             known=", ".join(known))
        if "nudge_points" in data:
            pts = data["nudge_points"]
            if not isinstance(pts, list | tuple):
                raise ClockError("policy_bad_value", key="nudge_points", value=pts)
            data["nudge_points"] = tuple(pts)
        return cls(**data)

    def to_mapping(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["nudge_points"] = list(self.nudge_points)
        return out

    def report_upward_hours(self, grade: str) -> float | None:
        _check_grade(grade)
        return getattr(self, f"report_upward_{grade}_hours")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _check(key: str, v: Any) -> None:
    if key == "report_upward_general_hours" and v is None:
        return
    if key == "nudge_points":
        if not isinstance(v, tuple) or not v or not all(_is_number(p) and 0 < p <= 1 for p in v):
            raise ClockError("policy_bad_points", key=key, value=v)
        return
    if key.endswith("_days"):
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise ClockError("policy_bad_days", key=key, value=v)
        return
    if not _is_number(v) or v <= 0:
        raise ClockError("policy_bad_value", key=key, value=v)


def _check_clock(clock: str) -> None:
    if clock not in CLOCKS:
        raise ClockError("unknown_clock", clock=clock, known=", ".join(CLOCKS))


def _check_grade(grade: str) -> None:
    if grade not in GRADES:
        raise ClockError("unknown_grade", grade=grade, known=", ".join(GRADES))


def is_working_clock(clock: str) -> bool:
    _check_clock(clock)
    return clock in WORKING_CLOCKS


def clocks_for(grade: str, category: str | None = None, *, policy: ClockPolicy | None = None) -> list[str]:
    """The clocks that run for an incident of this grade and category (分类处置)."""
    _check_grade(grade)
    policy = policy or ClockPolicy()
    out = []
    if policy.report_upward_hours(grade) is not None:
        out.append("report_upward")
    out += ["publish", "first_response", "formal_reply"]
    if category == "inquiry":
        out.append("inquiry_same_day")
    return out


def due_at(clock: str, start: datetime, *, grade: str, calendar: WorkCalendar,
           policy: ClockPolicy | None = None) -> datetime | None:
    """When `clock` started at `start` is due, in the calendar's zone; None when it does not run
    for `grade` (report_upward for general without report_upward_general_hours)."""
    _check_clock(clock)
    _check_grade(grade)
    policy = policy or ClockPolicy()
    start = calendar.local(start)
    if clock == "report_upward":
        hours = policy.report_upward_hours(grade)
        return None if hours is None else start + timedelta(hours=hours)
    if clock == "publish":
        return start + timedelta(hours=policy.publish_hours)
    if clock == "first_response":
        return calendar.add_working_time(start, timedelta(hours=policy.first_response_working_hours))
    if clock == "formal_reply":
        return calendar.close_of_nth_workday_after(start, policy.formal_reply_working_days)
    if clock == "extension_max":
        return calendar.close_of_nth_workday_after(start, policy.extension_max_working_days)
    return calendar.close_of_day_or_next(start)  # inquiry_same_day


def nudge_times(clock: str, start: datetime, due: datetime, *, calendar: WorkCalendar,
                points: tuple[float, ...] | list[float] = (0.5, 0.8, 1.0)) -> list[tuple[float, datetime]]:
    """(fraction, instant) for each nudge point of the allowed time — working time for working
    clocks, wall time for hour clocks. The point 1.0 is exactly `due`."""
    _check("nudge_points", tuple(points))
    start, due = calendar.local(start), calendar.local(due)
    out = []
    if is_working_clock(clock):
        total = calendar.working_time_between(start, due)
        for p in sorted(set(points)):
            out.append((p, due if p == 1 else min(due, calendar.add_working_time(start, total * p))))
    else:
        for p in sorted(set(points)):
            out.append((p, due if p == 1 else start + (due - start) * p))
    return out


def parse_start(text: str, tz: tzinfo | str) -> tuple[datetime, bool]:
    """ISO 8601 ('2026-09-30T10:00+08:00', '2026-09-30 10:00', '...Z', '2026-09-30').
    Returns (aware datetime, assumed_zone): without an offset the org zone `tz` is assumed."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    raw = (text or "").strip() if isinstance(text, str) else ""
    try:
        dt = datetime.fromisoformat(raw)
    except ValueError:
        raise ClockError("bad_start", text=text) from None
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=zone), True
    return dt, False


def validate_extension(start: datetime, requested_due: datetime, reason: str | None, *,
                       calendar: WorkCalendar, policy: ClockPolicy | None = None) -> datetime:
    """Check an extension of the formal reply: a stated reason, later than the normal formal-reply
    due time and not beyond extension_max (close of the 10th working day after the start's day).
    Returns requested_due in the calendar's zone."""
    policy = policy or ClockPolicy()
    if not (reason or "").strip():
        raise ClockError("extension_no_reason")
    requested = calendar.local(requested_due)
    normal = due_at("formal_reply", start, grade="general", calendar=calendar, policy=policy)
    limit = due_at("extension_max", start, grade="general", calendar=calendar, policy=policy)
    if requested <= normal:
        raise ClockError("extension_not_later", requested=_fmt(requested), due=_fmt(normal))
    if requested > limit:
        raise ClockError("extension_beyond_limit", requested=_fmt(requested), limit=_fmt(limit),
                         days=policy.extension_max_working_days)
    return requested


def _fmt(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")
