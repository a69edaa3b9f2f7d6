"""The org file's `policy:` section: every configurable number, grouped by capability.

Each section is a frozen dataclass with the seed's defaults and `from_mapping` (which rejects
unknown keys); `Policy.to_mapping()` is what `onduty org export` shows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from bot.domain.bounds import DateWindow
from bot.domain.clocks import ClockPolicy
from bot.domain.disposal import OutsidePolicy
from bot.domain.grading_policy import GradingPolicy
from bot.domain.patrol import PatrolPolicy
from bot.domain.policy_section import Section
from bot.domain.release import ReleasePolicy
from bot.domain.roster import RosterPolicy
from bot.domain.routing import EscalationPolicy
from bot.domain.tasks import TasksPolicy
from bot.domain.working_group import WorkingGroupPolicy


@dataclass(frozen=True)
class InvitePolicy(Section):
    name: ClassVar[str] = "invites"
    ttl_hours: int = 72


@dataclass(frozen=True)
class OnboardingPolicy(Section):
    """Personal links (`onduty org links`) for people listed without a telegram_id."""

    name: ClassVar[str] = "onboarding"
    link_ttl_days: int = 7


@dataclass(frozen=True)
class ReportPolicy(Section):
    name: ClassVar[str] = "reports"
    future_tolerance_minutes: int = 5
    my_reports_limit: int = 10
    earliest_date: str = "2000-01-01"  # a report's or follow-up's time before this day is refused as a bad date

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> ReportPolicy:
        out = super().from_mapping({k: str(v) if k == "earliest_date" else v for k, v in (data or {}).items()})
        try:
            earliest = date.fromisoformat(out.earliest_date)
        except ValueError as e:
            raise ValueError(f"policy.reports.earliest_date: {out.earliest_date!r} is not a date (YYYY-MM-DD)") from e
        if earliest.year < 1900:
            raise ValueError(f"policy.reports.earliest_date: {out.earliest_date!r} is before 1900")
        return out

    def date_window(self) -> DateWindow:
        """The dates a report may name: from earliest_date to now + future_tolerance_minutes."""
        return DateWindow(date.fromisoformat(self.earliest_date), timedelta(minutes=self.future_tolerance_minutes))


@dataclass(frozen=True)
class CalendarPolicy(Section):
    """Admin overrides of the official calendar, e.g. when next year's schedule is published."""

    name: ClassVar[str] = "calendar"
    holidays: tuple[str, ...] = ()
    workdays: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> CalendarPolicy:
        data = dict(data or {})
        unknown = set(data) - {"holidays", "workdays", "years"}
        if unknown:
            raise ValueError(f"policy.calendar: unknown key(s) {sorted(unknown)}; known: holidays, workdays, years")
        out: dict[str, tuple] = {}
        for key in ("holidays", "workdays"):
            items = [str(d) for d in data.get(key) or []]
            for d in items:
                try:
                    date.fromisoformat(d)
                except ValueError as e:
                    raise ValueError(f"policy.calendar.{key}: {d!r} is not a date (YYYY-MM-DD)") from e
            out[key] = tuple(sorted(set(items)))
        out["years"] = tuple(sorted({int(y) for y in data.get("years") or []}))
        return cls(**out)

    def to_mapping(self) -> dict[str, Any]:
        return {"holidays": list(self.holidays), "workdays": list(self.workdays), "years": list(self.years)}


@dataclass(frozen=True)
class TrackingPolicy(Section):
    """Reminders to the incident's tracker (动态跟踪专人) while it is open."""

    name: ClassVar[str] = "tracking"
    reminder_every_hours: float = 4  # since the assignment or the tracker's last follow-up
    working_time_only: bool = True  # count only the organisation's working hours (nights, weekends, holidays skipped)

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> TrackingPolicy:
        if not isinstance((data or {}).get("working_time_only", True), bool):
            raise ValueError("policy.tracking.working_time_only must be true or false")
        return super().from_mapping(data)


CLOSURE_APPROVERS = ("leader", "supervising_leader", "main_leader", "leading_group")


@dataclass(frozen=True)
class ClosurePolicy(Section):
    """Who confirms the office's proposal to close, by grade: `leader` (anyone with a leader role) or one role."""

    name: ClassVar[str] = "closure"
    approver_general: str = "leader"
    approver_major: str = "main_leader"
    approver_especially_major: str = "main_leader"

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> ClosurePolicy:
        out = super().from_mapping(data)
        for f in dataclasses.fields(cls):
            if getattr(out, f.name) not in CLOSURE_APPROVERS:
                raise ValueError(f"policy.closure.{f.name} must be one of {', '.join(CLOSURE_APPROVERS)}, "
                                 f"got {getattr(out, f.name)!r}")
        return out

    def approver_for(self, grade: str | None) -> str:
        return getattr(self, f"approver_{grade}", self.approver_general) if grade else self.approver_general


@dataclass(frozen=True)
class ReviewPolicy(Section):
    """The review report: the organisation's own words never ranked among the hot words (its name, its units…)."""

    name: ClassVar[str] = "review"
    ignore_words: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> ReviewPolicy:
        data = dict(data or {})
        unknown = set(data) - {"ignore_words"}
        if unknown:
            raise ValueError(f"policy.review: unknown key(s) {sorted(unknown)}; known: ignore_words")
        words = data.get("ignore_words") or []
        if isinstance(words, str) or not isinstance(words, list | tuple):
            raise ValueError(f"policy.review.ignore_words must be a list of words, got {words!r}")
        for w in words:
            if not isinstance(w, str) or not w.strip():
                raise ValueError(f"policy.review.ignore_words: {w!r} is not a word")
        return cls(tuple(dict.fromkeys(w.strip() for w in words)))

    def to_mapping(self) -> dict[str, Any]:
        return {"ignore_words": list(self.ignore_words)}


SIGNER_ROLES = ("main_leader", "supervising_leader", "leading_group")


@dataclass(frozen=True)
class UnitsPolicy(Section):
    """Departments in the loop (docs/departments.md). By the source the office or a leader puts a department's
    handler in charge, so a handler may not take charge from their own card unless `handler_may_take`; the
    reply a department proposes is signed by the unit's main responsible person (主要负责人签署): `reply_signer`."""

    name: ClassVar[str] = "units"
    handler_may_take: bool = False
    reply_signer: str = "main_leader"

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> UnitsPolicy:
        out = super().from_mapping(data)
        if not isinstance(out.handler_may_take, bool):
            raise ValueError("policy.units.handler_may_take must be true or false")
        if out.reply_signer not in SIGNER_ROLES:
            raise ValueError(f"policy.units.reply_signer must be one of {', '.join(SIGNER_ROLES)}, "
                             f"got {out.reply_signer!r}")
        return out


def _sections() -> dict[str, Any]:
    return {s.name: s for s in (InvitePolicy, OnboardingPolicy, ReportPolicy, CalendarPolicy, ClockPolicy, GradingPolicy,
                                EscalationPolicy, RosterPolicy, ReleasePolicy, PatrolPolicy, TrackingPolicy,
                                ClosurePolicy, ReviewPolicy, UnitsPolicy, TasksPolicy,
                                WorkingGroupPolicy, OutsidePolicy)}


@dataclass(frozen=True)
class Policy:
    """All sections; a section missing from the org file has every default."""

    sections: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        sections = object.__getattribute__(self, "sections")
        if name in sections:
            return sections[name]
        known = _sections()
        if name in known:
            return known[name].from_mapping(None)
        raise AttributeError(name)

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> Policy:
        data = dict(data or {})
        known = _sections()
        unknown = set(data) - set(known)
        if unknown:
            raise ValueError(f"policy: unknown section(s) {sorted(unknown)}; known: {sorted(known)}")
        for name, value in data.items():
            if value is not None and not isinstance(value, dict):
                raise ValueError(f"policy.{name} must be a mapping")
        return cls({name: known[name].from_mapping(data.get(name)) for name in known})

    def to_mapping(self) -> dict[str, Any]:
        return {name: getattr(self, name).to_mapping() for name in _sections()}
