"""The duty roster's vocabulary: policy (`policy.duty`), people, unavailability windows, shifts, the roster,
reminders, the domain error and how a span is shown. Pure: no aiogram, no SQLAlchemy."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, ClassVar

from bot.i18n import t

SHIFT_HOURS = (4, 6, 8, 12)
MAX_REST_HOURS = 72
SEARCH_LIMIT = 200_000
# codes of RosterError that mean "the pool cannot satisfy the constraints"
INFEASIBLE = frozenset({"too_few_people", "nobody_available", "nobody_whole_shift", "too_few_available",
                        "window_short", "rotation_conflict", "rest_conflict", "search_limit"})


class RosterError(Exception):
    """A domain error; the text is `roster.err.<code>` in the catalogue, formatted with `params`."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {self.text('en')}")

    def text(self, lang: str = "zh") -> str:
        return t(f"roster.err.{self.code}", lang, **self.params)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


ALIGNMENTS = (1, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720)  # minutes dividing the day


@dataclass(frozen=True)
class RosterPolicy:
    """`policy.duty` in the org file."""

    name: ClassVar[str] = "duty"
    shift_hours: int = 6
    min_rest_hours: int = 8
    per_shift: int = 1
    reminder_before_minutes: int = 30
    checkin_grace_minutes: int = 10
    align_minutes: int = 60  # shifts start on round times: a multiple of this from midnight
    handover_window_minutes: int = 30  # a handover note may be written from this long before a shift's end…
    handover_late_minutes: int = 120  # …until this long after it

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if not _int(getattr(self, f.name)):
                raise ValueError(f"policy.{self.name}.{f.name} must be a whole number, got {getattr(self, f.name)!r}")
        grace = self.shift_hours * 60 if self.shift_hours in SHIFT_HOURS else 0
        rules = (("shift_hours", self.shift_hours in SHIFT_HOURS,
                  "must be 4, 6, 8 or 12 (whole hours between 4 and 12 that divide the 24-hour day)"),
                 ("min_rest_hours", 0 <= self.min_rest_hours <= MAX_REST_HOURS,
                  f"must be whole hours from 0 to {MAX_REST_HOURS}"),
                 ("per_shift", self.per_shift in (1, 2), "must be 1 or 2"),
                 ("reminder_before_minutes", 0 <= self.reminder_before_minutes <= 1440,
                  "must be whole minutes from 0 to 1440"),
                 ("checkin_grace_minutes", 0 <= self.checkin_grace_minutes < grace,
                  f"must be whole minutes from 0 to less than the shift ({grace})"),
                 ("align_minutes", self.align_minutes in ALIGNMENTS and self.align_minutes <= grace,
                  "must divide the hour or the day evenly and be at most the shift's length: one of "
                  f"{', '.join(str(a) for a in ALIGNMENTS if a <= max(grace, 1))}"),
                 ("handover_window_minutes", 0 <= self.handover_window_minutes < grace,
                  f"must be whole minutes from 0 to less than the shift ({grace})"),
                 ("handover_late_minutes", 0 <= self.handover_late_minutes <= 1440,
                  "must be whole minutes from 0 to 1440"))
        for key, ok, rule in rules:
            if not ok:
                raise ValueError(f"policy.{self.name}.{key} {rule}, got {getattr(self, key)!r}")

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> RosterPolicy:
        data = dict(data or {})
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = set(data) - set(known)
        if unknown:
            raise ValueError(f"policy.{cls.name}: unknown key(s) {sorted(unknown)}; known: {known}")
        return cls(**data)

    def to_mapping(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def cycle(self) -> int:
        """Shift positions between two shifts of one person: ceil((shift + rest) / shift)."""
        return -(-(self.shift_hours + self.min_rest_hours) // self.shift_hours)

    def min_people(self, n_shifts: int | None = None) -> int:
        """The counting bound: fewer people than this can never fill the roster."""
        c = self.cycle if n_shifts is None else min(self.cycle, n_shifts)
        return c * self.per_shift


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class Unavailability:
    person_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Shift:
    index: int
    start: datetime
    end: datetime
    people: tuple[int, ...]


@dataclass(frozen=True)
class Roster:
    shifts: tuple[Shift, ...]
    policy: RosterPolicy

    @property
    def start(self) -> datetime:
        return self.shifts[0].start

    @property
    def end(self) -> datetime:
        return self.shifts[-1].end

    def shifts_of(self, person_id: int) -> list[Shift]:
        return [s for s in self.shifts if person_id in s.people]


@dataclass(frozen=True)
class Reminder:
    at: datetime
    person_id: int
    shift_index: int
    kind: str  # "remind" (before the shift) | "checkin" (deadline to check in)


def when(a: datetime, b: datetime, tz: tzinfo | None = None) -> str:
    """'11-25 02:00–08:00' (or '11-25 20:00–11-26 02:00') in tz (default: a's zone)."""
    tz = tz or a.tzinfo
    a, b = a.astimezone(tz), b.astimezone(tz)
    if b.date() == a.date():
        return f"{a:%m-%d %H:%M}–{b:%H:%M}"
    if b.date() == a.date() + timedelta(days=1) and (b.hour, b.minute) == (0, 0):
        return f"{a:%m-%d %H:%M}–24:00"
    return f"{a:%m-%d %H:%M}–{b:%m-%d %H:%M}"


def _aware(v: Any, what: str) -> None:
    if not isinstance(v, datetime) or v.tzinfo is None or v.utcoffset() is None:
        raise RosterError("naive_time", what=what)
