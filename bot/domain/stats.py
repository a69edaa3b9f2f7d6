"""Statistics for accountability (奖惩保障): pure computation over plain records of one period.

The rules (docs/how-it-works.md, "Statistics"):
* incidents: those created in the period, by grade and by category;
* reports filed: reports created in the period, per person and per unit; the median time
  from discovery (发现时间) to the report being filed;
* clocks: those started in the period. *met* = done in time; *missed* = done late, or still running
  past its due time at the end of the period (or now, when earlier). A clock stopped without being
  done (closure, regrade) counts neither way. A clock counts for its responsible person, else the
  person in charge of the incident, else the person who acknowledged it, else "unassigned";
* patrols: the morning/evening patrol reminders of days in the period; compliant = confirmed within the
  patrol grace (policy.patrol.grace_minutes);
* check-ins: 24-hour duty shifts that started in the period (and before now); compliant = checked in by
  start + policy.duty.checkin_grace_minutes;
* outside communication: media interview requests registered in the period (of them authorised and refused)
  and breaches (unauthorised interviews or disclosures, 擅自向外界透露) recorded in it — organisation-wide counts;
* tasks (督办): those due in the period; *on time* = done by the due time; *late* = done late, or not done
  by the due time when it is before the end of the period (or now). A task counts for its owner and under
  the unit it was given to, else the owner's unit.

Per unit, the figures of an incident count under **the unit of the report** (the chart and the table say so): a report under
its reporter's unit, a deadline under the unit of whoever filed the incident's first report — not under
the leader answerable for it, who often belongs to no unit (everything would then read "no unit" while
the units that reported had no bar). Patrols and check-ins are a person's own duty: under their unit.
"""

from __future__ import annotations

import calendar
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.domain.bounds import EARLIEST_DATE

OUTSIDE = ("interviews", "authorised", "refused", "breaches")  # the outside communication's counts
UNASSIGNED = "\x00unassigned"  # person and unit of a clock nobody could be held to (never a real name)


class PeriodError(ValueError):
    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
        if m:
            try:
                return date(*map(int, m.groups()))
            except ValueError:
                pass
        raise PeriodError("bad_date", text=text.strip()) from None


def _sane(d: date, text: str, today: date) -> date:
    """Year 1 or 9999 would overflow as soon as the day becomes a time in the organisation's zone: a period
    from EARLIEST_DATE to a year ahead is all statistics can mean."""
    if not EARLIEST_DATE <= d <= today + timedelta(days=366):
        raise PeriodError("bad_date", text=text.strip())
    return d


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_period(args: list[str], today: date) -> tuple[date, date]:
    """(first day, last day) inclusive: no argument → this month; `2026-11` → that month; `D` → that day;
    `D1 D2` → D1 to D2. PeriodError(bad_date | end_before_start | too_many)."""
    if len(args) > 2:
        raise PeriodError("too_many")
    if not args:
        return month_span(today.year, today.month)
    if len(args) == 1:
        m = _MONTH.match(args[0].strip())
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise PeriodError("bad_date", text=args[0].strip())
            span = month_span(year, month)
            _sane(span[0], args[0], today)
            return span
        d = _sane(_day(args[0]), args[0], today)
        return d, d
    start, end = _sane(_day(args[0]), args[0], today), _sane(_day(args[1]), args[1], today)
    if end < start:
        raise PeriodError("end_before_start", start=start.isoformat(), end=end.isoformat())
    return start, end


# ---------------------------------------------------------------- records (the service fills them)


@dataclass(frozen=True)
class Who:
    """A person as the statistics count them: one row per `person_id` (two people may share a name, even in
    one unit); name, unit and Telegram id are for display."""

    name: str
    unit: str = ""
    person_id: int | None = None
    telegram_id: int | None = None


@dataclass(frozen=True)
class IncidentRec:
    grade: str | None
    category: str | None


@dataclass(frozen=True)
class ReportRec:
    who: Who  # the reporter: the report counts under their unit
    discovered_at: datetime
    filed_at: datetime


@dataclass(frozen=True)
class ClockRec:
    who: Who | None
    status: str  # met | missed | running | stopped
    due_at: datetime
    unit: str | None = None  # the unit of the incident's first reporter: the unit row it counts under


@dataclass(frozen=True)
class TaskRec:
    who: Who  # the owner
    unit: str | None  # the unit it was given to (None: the owner's own)
    due_at: datetime
    done: bool
    late: bool


@dataclass(frozen=True)
class PatrolRec:
    who: Who
    compliant: bool


@dataclass(frozen=True)
class ShiftRec:
    who: Who
    compliant: bool


@dataclass
class Row:
    """One person's or one unit's figures."""

    name: str
    unit: str = ""
    telegram_id: int | None = None  # person rows: tells apart two people of the same name
    reports: int = 0
    delays: list[float] = field(default_factory=list)  # minutes from discovery to report
    clocks_met: int = 0
    clocks_missed: int = 0
    patrols_done: int = 0
    patrols: int = 0
    checkins_done: int = 0
    checkins: int = 0
    tasks_on_time: int = 0
    tasks_late: int = 0

    @property
    def median_minutes(self) -> float | None:
        return statistics.median(self.delays) if self.delays else None

    @staticmethod
    def rate(done: int, total: int) -> float | None:
        return done / total if total else None

    @property
    def clock_rate(self) -> float | None:
        return self.rate(self.clocks_met, self.clocks_met + self.clocks_missed)

    @property
    def patrol_rate(self) -> float | None:
        return self.rate(self.patrols_done, self.patrols)

    @property
    def checkin_rate(self) -> float | None:
        return self.rate(self.checkins_done, self.checkins)

    @property
    def empty(self) -> bool:
        return not (self.reports or self.clocks_met or self.clocks_missed or self.patrols or self.checkins
                    or self.tasks_on_time or self.tasks_late)


@dataclass
class Stats:
    start: date
    end: date
    by_grade: Counter[str]
    by_category: Counter[str]
    units: list[Row]
    people: list[Row]
    total: Row
    outside: dict[str, int] = field(default_factory=dict)  # interviews, authorised, refused, breaches

    @property
    def incidents(self) -> int:
        return sum(self.by_grade.values())

    @property
    def empty(self) -> bool:
        return not self.incidents and self.total.empty and not any(self.outside.values())


def compute(start: date, end: date, *, incidents: list[IncidentRec], reports: list[ReportRec],
            clocks: list[ClockRec], patrols: list[PatrolRec], shifts: list[ShiftRec], cutoff: datetime,
            tasks: list[TaskRec] | None = None, outside: dict[str, int] | None = None) -> Stats:
    """`cutoff` is the end of the period or now, whichever is earlier (a running clock due before it is missed)."""
    people: dict[object, Row] = {}
    units: dict[str, Row] = {}
    total = Row("")

    def rows(who: Who | None, unit: str | None = None) -> list[Row]:
        """The person's row, the unit row (`unit` when given, else the person's own) and the total."""
        who = who or Who(UNASSIGNED, UNASSIGNED)
        key = ("id", who.person_id) if who.person_id is not None else ("name", who.name, who.unit)
        p = people.setdefault(key, Row(who.name, who.unit, who.telegram_id))
        name = who.unit if unit is None else unit
        u = units.setdefault(name, Row(name))
        return [p, u, total]

    for r in reports:
        minutes = max(0.0, (r.filed_at - r.discovered_at) / timedelta(minutes=1))
        for row in rows(r.who):
            row.reports += 1
            row.delays.append(minutes)
    for c in clocks:
        met = c.status == "met"
        missed = c.status == "missed" or (c.status == "running" and c.due_at < cutoff)
        if not (met or missed):
            continue
        for row in rows(c.who, c.unit):
            row.clocks_met += met
            row.clocks_missed += missed
    for p in patrols:
        for row in rows(p.who):
            row.patrols += 1
            row.patrols_done += p.compliant
    for sh in shifts:
        for row in rows(sh.who):
            row.checkins += 1
            row.checkins_done += sh.compliant
    for tk in tasks or ():
        late = tk.late or (not tk.done and tk.due_at < cutoff)
        if not (late or tk.done):
            continue  # not done, not due yet: counts neither way
        for row in rows(tk.who, tk.unit):
            row.tasks_on_time += not late
            row.tasks_late += late
    return Stats(start, end, Counter(i.grade or "" for i in incidents), Counter(i.category or "" for i in incidents),
                 sorted(units.values(), key=lambda r: (r.name == UNASSIGNED, r.name == "", r.name)),
                 sorted(people.values(), key=lambda r: (r.name == UNASSIGNED, r.unit == "", r.unit, r.name,
                                                        r.telegram_id or 0)), total,
                 {k: (outside or {}).get(k, 0) for k in OUTSIDE})
