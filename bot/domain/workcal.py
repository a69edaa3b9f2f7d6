"""The working-day calendar: official Chinese public holidays and make-up working days (调休),
plus the organisation's working hours and its own overrides.

Working days come from the `holidays` package (`holidays.China`, the State Council's yearly
notices; `weekend_workdays` holds the make-up Saturdays/Sundays). A year the package has no
official notice for yet (see `official_data_years()`) falls back to its estimate — weekdays
minus the statutory holidays, moved off weekends — and every answer touching such a year
leaves a warning on the calendar (`warnings`, `warnings_for(date)`), never an error.

Overrides: `extra_holidays` / `extra_workdays` apply on top of any year. A year listed in
`override_years` is taken as fully described by the overrides (copy the official notice:
its 放假 dates into extra_holidays, its 上班 weekend dates into extra_workdays): its base is
plain Monday–Friday, and it no longer warns.

All datetimes in and out are timezone-aware; results are in the calendar's zone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from holidays.countries.china import ChinaStaticHolidays

log = logging.getLogger(__name__)

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_WORK_HOURS = "08:30-17:30"
_MAX_SCAN_DAYS = 3700  # ~10 years without a single working day means a broken override set


class CalendarError(ValueError):
    """A domain error with an i18n key and parameters (texts in bot/i18n/clocks.py).

    str(error) is the English text; `render(lang)` gives the user's language.
    """

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(self.render("en"))

    @property
    def key(self) -> str:
        return f"clock.error.{self.code}"

    def render(self, lang: str = "zh") -> str:
        try:
            from bot.i18n import t

            return t(self.key, lang, **self.params)
        except Exception:  # an error message must never fail
            return f"{self.code} {self.params}"


@dataclass(frozen=True)
class CalendarWarning:
    """A notice that an answer rests on an estimate (i18n key `clock.warning.<code>`)."""

    code: str
    year: int

    @property
    def key(self) -> str:
        return f"clock.warning.{self.code}"

    def render(self, lang: str = "zh") -> str:
        try:
            from bot.i18n import t

            return t(self.key, lang, year=self.year)
        except Exception:
            return f"{self.code} {self.year}"

    def __str__(self) -> str:
        return self.render("en")


# ---------------------------------------------------------------- working hours

_HOURS_RE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*(?:-|–|—|~|～|至|到|to)\s*(\d{1,2})[:：](\d{2})\s*$")


@dataclass(frozen=True)
class WorkHours:
    start: time = time(8, 30)
    end: time = time(17, 30)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise CalendarError("work_hours_order", text=self.text())

    @classmethod
    def parse(cls, text: str) -> WorkHours:
        """'08:30-17:30' (also '8:30 – 17:30', '08:30~17:30', '08:30至17:30')."""
        m = _HOURS_RE.match(text or "") if isinstance(text, str) else None
        if not m:
            raise CalendarError("work_hours_format", text=text)
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise CalendarError("work_hours_format", text=text)
        end = time(23, 59, 59, 999999) if h2 == 24 else time(h2, m2)
        if end <= time(h1, m1):
            raise CalendarError("work_hours_order", text=text)
        return cls(time(h1, m1), end)

    def text(self) -> str:
        end = "24:00" if self.end == time(23, 59, 59, 999999) else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"

    def __str__(self) -> str:
        return self.text()


# ---------------------------------------------------------------- official data


def official_data_years() -> range:
    """Years with the State Council's published schedule in the installed `holidays` package."""
    years = ChinaStaticHolidays.special_public_holidays
    return range(min(years), max(years) + 1)


@lru_cache(maxsize=64)
def _package_workdays(year: int) -> frozenset[date]:
    """Working days of `year` per the package (official or estimated)."""
    cal = holidays.China(years=range(year - 1, year + 2))
    d, out = date(year, 1, 1), set()
    while d.year == year:
        if cal.is_working_day(d):
            out.add(d)
        d += timedelta(days=1)
    return frozenset(out)


def _as_tz(tz: tzinfo | str | None) -> tzinfo:
    if tz is None:
        return ZoneInfo(DEFAULT_TZ)
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _dates(values: Iterable[date | str]) -> frozenset[date]:
    out = set()
    for v in values:
        if isinstance(v, datetime):
            v = v.date()
        elif isinstance(v, str):
            try:
                v = date.fromisoformat(v.strip())
            except ValueError:
                raise CalendarError("bad_date", text=v) from None
        elif not isinstance(v, date):
            raise CalendarError("bad_date", text=repr(v))
        out.add(v)
    return frozenset(out)


# ---------------------------------------------------------------- the calendar


@dataclass(eq=False)
class WorkCalendar:
    tz: tzinfo | str | None = None
    hours: WorkHours = field(default_factory=WorkHours)
    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    override_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.tz = _as_tz(self.tz)
        if isinstance(self.hours, str):
            self.hours = WorkHours.parse(self.hours)
        self.extra_holidays = _dates(self.extra_holidays)
        self.extra_workdays = _dates(self.extra_workdays)
        self.override_years = frozenset(int(y) for y in self.override_years)
        both = self.extra_holidays & self.extra_workdays
        if both:
            raise CalendarError("override_conflict", dates=", ".join(d.isoformat() for d in sorted(both)))
        self._official = official_data_years()
        self._years: dict[int, frozenset[date]] = {}
        self._warned: dict[int, CalendarWarning] = {}

    @classmethod
    def from_config(cls, tz: tzinfo | str | None = None, work_hours: str | None = None,
                    overrides: dict[str, Any] | None = None) -> WorkCalendar:
        """Build from org-file values: overrides = {holidays: [..], workdays: [..], years: [..]}."""
        overrides = dict(overrides or {})
        unknown = set(overrides) - {"holidays", "workdays", "years"}
        if unknown:
            raise CalendarError("override_keys", keys=", ".join(sorted(unknown)))
        return cls(
            tz=tz,
            hours=WorkHours.parse(work_hours) if work_hours else WorkHours(),
            extra_holidays=_dates(overrides.get("holidays") or ()),
            extra_workdays=_dates(overrides.get("workdays") or ()),
            override_years=frozenset(overrides.get("years") or ()),
        )

    # -- days

    def _workdays(self, year: int) -> frozenset[date]:
        days = self._years.get(year)
        if days is None:
            if year in self.override_years:
                base = {date.fromordinal(o) for o in range(date(year, 1, 1).toordinal(),
                                                          date(year + 1, 1, 1).toordinal())}
                base = {d for d in base if d.weekday() < 5}
            else:
                base = set(_package_workdays(year))
            base |= {d for d in self.extra_workdays if d.year == year}
            base -= self.extra_holidays
            days = self._years[year] = frozenset(base)
        return days

    def is_official(self, year: int) -> bool:
        return year in self._official or year in self.override_years

    def warnings_for(self, day: date | datetime) -> list[CalendarWarning]:
        """Warnings for a date (empty when it rests on official data or a full override)."""
        if isinstance(day, datetime):
            day = self.local(day).date()
        if self.is_official(day.year):
            return []
        w = self._warned.get(day.year)
        if w is None:
            w = self._warned[day.year] = CalendarWarning("unofficial_year", day.year)
            log.warning("working calendar: no official schedule for %s; using an estimate", day.year)
        return [w]

    @property
    def warnings(self) -> list[CalendarWarning]:
        """Every warning produced so far by this calendar's answers."""
        return [self._warned[y] for y in sorted(self._warned)]

    def is_workday(self, day: date | datetime) -> bool:
        if isinstance(day, datetime):
            day = self.local(day).date()
        self.warnings_for(day)
        return day in self._workdays(day.year)

    def next_workday(self, day: date, *, include: bool = False) -> date:
        d = day if include else day + timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(d):
                return d
            d += timedelta(days=1)
        raise CalendarError("no_workdays", start=day.isoformat())

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: a's own day does not count; negative when b < a."""
        if b < a:
            return -self.workdays_between(b, a)
        n, d = 0, a + timedelta(days=1)
        while d <= b:
            n += self.is_workday(d)
            d += timedelta(days=1)
        return n

    # -- times

    def local(self, dt: datetime) -> datetime:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise CalendarError("naive_datetime", value=dt.isoformat())
        return dt.astimezone(self.tz)

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.hours.start, tzinfo=self.tz)

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.hours.end, tzinfo=self.tz)

    def is_working_time(self, dt: datetime) -> bool:
        """Working day and opening <= dt < closing."""
        dt = self.local(dt)
        return self.is_workday(dt.date()) and self.opening(dt.date()) <= dt < self.closing(dt.date())

    def add_working_time(self, start: datetime, delta: timedelta) -> datetime:
        """The instant `delta` of working time after `start`; non-working time is skipped and a
        start outside working hours counts from the next opening. May end exactly at a closing."""
        if delta < timedelta(0):
            raise CalendarError("negative_duration", value=str(delta))
        cur = self.local(start)
        day, remaining = cur.date(), delta
        for _ in range(_MAX_SCAN_DAYS + int(delta / timedelta(days=1)) * 4):
            if self.is_workday(day):
                begin, end = max(cur, self.opening(day)), self.closing(day)
                if begin <= end:
                    if remaining <= end - begin:
                        return begin + remaining
                    remaining -= end - begin
            day += timedelta(days=1)
        raise CalendarError("no_workdays", start=cur.date().isoformat())

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in [a, b]; negative when b is before a."""
        a, b = self.local(a), self.local(b)
        if b < a:
            return -self.working_time_between(b, a)
        total, day = timedelta(0), a.date()
        while day <= b.date():
            if self.is_workday(day):
                lo, hi = max(a, self.opening(day)), min(b, self.closing(day))
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def close_of_nth_workday_after(self, start: datetime, n: int) -> datetime:
        """Closing time of the nth working day after start's day (start's own day does not count)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise CalendarError("bad_workday_count", value=n)
        d = self.local(start).date()
        for _ in range(n):
            d = self.next_workday(d)
        return self.closing(d)

    def close_of_day_or_next(self, start: datetime) -> datetime:
        """Closing time of start's day when it is a working day and start is before closing,
        else the closing time of the next working day."""
        cur = self.local(start)
        if self.is_workday(cur.date()) and cur < self.closing(cur.date()):
            return self.closing(cur.date())
        return self.closing(self.next_workday(cur.date()))


def known_zone(name: str) -> str:
    """`name` if it is an IANA time zone, else ValueError with one readable line (config and org file)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown time zone {name!r}") from e
    return name
