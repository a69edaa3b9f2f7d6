"""The working-day calendar: official 2026 schedule (holidays package), overrides, hours."""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.workcal import CalendarError, WorkCalendar, WorkHours, official_data_years

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(TZ)


# ------------------------------------------------------------------ the official 2026 schedule
# 国办发明电〔2025〕7号 as the holidays package has it: days off and make-up working weekends.

OFF_2026 = [
    date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3),                      # 元旦
    *(date(2026, 2, d) for d in range(15, 24)),                                # 春节 Feb 15-23
    date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6),                      # 清明
    *(date(2026, 5, d) for d in range(1, 6)),                                  # 劳动节 May 1-5
    date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21),                   # 端午
    date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27),                   # 中秋
    *(date(2026, 10, d) for d in range(1, 8)),                                 # 国庆 Oct 1-7
]
MAKEUP_2026 = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
               date(2026, 9, 20), date(2026, 10, 10)]


def test_official_years_include_2026():
    years = official_data_years()
    assert 2026 in years and 2001 in years


@pytest.mark.parametrize("day", OFF_2026)
def test_2026_days_off(cal, day):
    assert not cal.is_workday(day)


@pytest.mark.parametrize("day", MAKEUP_2026)
def test_2026_makeup_weekends_are_workdays(cal, day):
    assert day.weekday() >= 5 and cal.is_workday(day)


def test_2026_whole_year_matches_weekday_rule_plus_schedule(cal):
    d = date(2026, 1, 1)
    while d.year == 2026:
        expected = (d.weekday() < 5 or d in MAKEUP_2026) and d not in OFF_2026
        assert cal.is_workday(d) == expected, d
        d += timedelta(days=1)
    assert cal.warnings == []


# ------------------------------------------------------------------ nth working day (table)

NTH = [
    # start (10:00), n, due date (17:30) — explanation
    ((2026, 9, 30), 5, (2026, 10, 13)),   # 国庆 Oct 1-7 off; Oct 10 (Sat) works: 8, 9, 10, 12, 13
    ((2026, 9, 30), 3, (2026, 10, 10)),   # lands on the make-up Saturday
    ((2026, 9, 18), 1, (2026, 9, 20)),    # Sun Sep 20 is a make-up workday
    ((2026, 9, 24), 5, (2026, 10, 9)),    # 中秋 Sep 25-27, then 国庆: 28, 29, 30, Oct 8, 9
    ((2026, 2, 12), 2, (2026, 2, 14)),    # 春节: Sat Feb 14 works
    ((2026, 2, 12), 5, (2026, 2, 26)),    # 13, 14, [15-23 off], 24, 25, 26
    ((2026, 2, 26), 2, (2026, 2, 28)),    # Sat Feb 28 works
    ((2026, 4, 30), 5, (2026, 5, 11)),    # 劳动节 May 1-5; Sat May 9 works: 6, 7, 8, 9, 11
    ((2025, 12, 31), 1, (2026, 1, 4)),    # 元旦 Jan 1-3; Sun Jan 4 works
    ((2026, 10, 3), 1, (2026, 10, 8)),    # start on a holiday: its day does not count
]


@pytest.mark.parametrize(("start", "n", "due"), NTH)
def test_close_of_nth_workday_after(cal, start, n, due):
    assert cal.close_of_nth_workday_after(at(*start, 10), n) == at(*due, 17, 30)


def test_close_of_day_or_next(cal):
    assert cal.close_of_day_or_next(at(2026, 9, 30, 7)) == at(2026, 9, 30, 17, 30)
    assert cal.close_of_day_or_next(at(2026, 9, 30, 17, 29)) == at(2026, 9, 30, 17, 30)
    assert cal.close_of_day_or_next(at(2026, 9, 30, 17, 30)) == at(2026, 10, 8, 17, 30)
    assert cal.close_of_day_or_next(at(2026, 2, 14, 12)) == at(2026, 2, 14, 17, 30)   # make-up Sat
    assert cal.close_of_day_or_next(at(2026, 3, 14, 12)) == at(2026, 3, 16, 17, 30)   # plain Sat


# ------------------------------------------------------------------ working time

ADD = [
    # start, hours, result
    ((2026, 3, 13, 16, 30), 3, (2026, 3, 16, 10, 30)),   # Friday evening → Monday
    ((2026, 3, 10, 20, 0), 3, (2026, 3, 11, 11, 30)),    # after hours: counts from next opening
    ((2026, 3, 14, 9, 0), 3, (2026, 3, 16, 11, 30)),     # Saturday
    ((2026, 2, 13, 16, 30), 3, (2026, 2, 14, 10, 30)),   # into the make-up Saturday
    ((2026, 9, 30, 16, 0), 3, (2026, 10, 8, 10, 0)),     # across National Day
    ((2026, 3, 16, 14, 30), 3, (2026, 3, 16, 17, 30)),   # ends exactly at closing
    ((2026, 3, 16, 6, 0), 0, (2026, 3, 16, 8, 30)),      # zero from before opening
]


@pytest.mark.parametrize(("start", "hours", "end"), ADD)
def test_add_working_time(cal, start, hours, end):
    assert cal.add_working_time(at(*start), timedelta(hours=hours)) == at(*end)


def test_working_time_between(cal):
    assert cal.working_time_between(at(2026, 3, 13, 16, 30), at(2026, 3, 16, 10, 30)) == timedelta(hours=3)
    assert cal.working_time_between(at(2026, 9, 30, 0), at(2026, 10, 9, 0)) == timedelta(hours=18)  # Sep 30 + Oct 8
    assert cal.working_time_between(at(2026, 3, 16, 10), at(2026, 3, 16, 9)) == -timedelta(hours=1)


def test_is_working_time(cal):
    assert cal.is_working_time(at(2026, 3, 16, 8, 30))
    assert not cal.is_working_time(at(2026, 3, 16, 17, 30))
    assert not cal.is_working_time(at(2026, 10, 5, 10))
    assert cal.is_working_time(at(2026, 10, 10, 10))


def test_aware_in_and_out(cal):
    due = cal.add_working_time(datetime(2026, 3, 16, 1, 0, tzinfo=UTC), timedelta(hours=1))  # 09:00 CST
    assert due == at(2026, 3, 16, 10) and due.utcoffset() == timedelta(hours=8)
    with pytest.raises(CalendarError):
        cal.is_working_time(datetime(2026, 3, 16, 10))
    with pytest.raises(ValueError):
        cal.add_working_time(at(2026, 3, 16, 10), timedelta(hours=-1))


def test_custom_hours_and_zone():
    c = WorkCalendar("Asia/Shanghai", hours=WorkHours.parse("09:00-12:00"))
    assert c.add_working_time(at(2026, 3, 16, 11), timedelta(hours=2)) == at(2026, 3, 17, 10)
    assert WorkCalendar().tz.key == "Asia/Shanghai"


# ------------------------------------------------------------------ working hours strings


@pytest.mark.parametrize(("text", "start", "end"), [
    ("08:30-17:30", time(8, 30), time(17, 30)),
    ("8:30-17:30", time(8, 30), time(17, 30)),
    ("08:30 – 17:30", time(8, 30), time(17, 30)),
    ("09:00~18:00", time(9), time(18)),
    ("08:30至17:30", time(8, 30), time(17, 30)),
])
def test_work_hours_parse(text, start, end):
    wh = WorkHours.parse(text)
    assert (wh.start, wh.end) == (start, end)


@pytest.mark.parametrize("text", ["", "abc", "8-17", "08:30", "25:00-26:00", "08:60-17:00",
                                  "17:30-08:30", "08:30-08:30", "08:30-17:30-18:00", None])
def test_work_hours_bad(text):
    with pytest.raises(ValueError) as e:
        WorkHours.parse(text)
    assert "08:30-17:30" in str(e.value) or "after the start" in str(e.value)


def test_work_hours_default():
    assert WorkHours().text() == "08:30-17:30"
    assert str(WorkHours.parse("00:00-24:00")) == "00:00-24:00"


# ------------------------------------------------------------------ 2027 and overrides

# A stand-in for a 2027 schedule (NOT the official one): Jan 1 off, Sat Jan 2 a make-up workday.
OVERRIDE_2027 = {"holidays": ["2027-01-01"], "workdays": ["2027-01-02"], "years": [2027]}


@pytest.fixture
def cal_2027() -> WorkCalendar:
    return WorkCalendar.from_config("Asia/Shanghai", "08:30-17:30", OVERRIDE_2027)


def _need_2027_unofficial():
    if 2027 in official_data_years():
        pytest.skip("the holidays package now has the official 2027 schedule")


def test_2026_to_2027_without_override_warns(cal):
    _need_2027_unofficial()
    c = WorkCalendar(TZ)
    assert c.warnings_for(date(2026, 12, 30)) == []
    # Dec 31 (1), Jan 1 holiday per the package estimate, Jan 4-7 (2-5)
    assert c.close_of_nth_workday_after(at(2026, 12, 30, 10), 5) == at(2027, 1, 7, 17, 30)
    assert [w.code for w in c.warnings] == ["unofficial_year"]
    assert c.warnings[0].year == 2027
    assert "2027" in str(c.warnings[0]) and "2027" in c.warnings[0].render("zh")
    assert [w.code for w in c.warnings_for(date(2027, 3, 1))] == ["unofficial_year"]


def test_2026_to_2027_with_override(cal_2027):
    # Dec 31 (1), Jan 1 off, Sat Jan 2 works (2), Jan 4, 5, 6 (3-5)
    assert cal_2027.close_of_nth_workday_after(at(2026, 12, 30, 10), 5) == at(2027, 1, 6, 17, 30)
    assert cal_2027.warnings == []
    assert cal_2027.warnings_for(date(2027, 6, 1)) == []
    # an override year is plain Mon-Fri plus the listed dates: the package's estimate is not used
    assert cal_2027.is_workday(date(2027, 2, 8))


def test_extra_dates_without_year_still_warn():
    _need_2027_unofficial()
    c = WorkCalendar(TZ, extra_holidays=frozenset({date(2027, 1, 4)}))
    assert not c.is_workday(date(2027, 1, 4))
    assert [w.code for w in c.warnings] == ["unofficial_year"]


def test_overrides_on_official_year():
    c = WorkCalendar(TZ, extra_holidays=frozenset({date(2026, 3, 16)}),
                     extra_workdays=frozenset({date(2026, 3, 14)}))
    assert not c.is_workday(date(2026, 3, 16)) and c.is_workday(date(2026, 3, 14))
    assert c.close_of_nth_workday_after(at(2026, 3, 13, 10), 2) == at(2026, 3, 17, 17, 30)


def test_override_errors():
    with pytest.raises(ValueError):
        WorkCalendar(TZ, extra_holidays=frozenset({date(2026, 3, 16)}),
                     extra_workdays=frozenset({date(2026, 3, 16)}))
    with pytest.raises(ValueError):
        WorkCalendar.from_config(TZ, None, {"holiday": ["2027-01-01"]})
    with pytest.raises(ValueError):
        WorkCalendar.from_config(TZ, None, {"holidays": ["2027-13-01"]})


def test_far_future_never_crashes():
    c = WorkCalendar(TZ)
    due = c.close_of_nth_workday_after(at(2040, 9, 30, 10), 5)
    assert c.is_workday(due.date()) and c.warnings


def test_fast_enough(cal):
    t0 = timer.perf_counter()
    for i in range(10_000):
        s = at(2026, 1, 1) + timedelta(minutes=53 * i)
        cal.add_working_time(s, timedelta(hours=3))
        cal.close_of_nth_workday_after(s, 5)
    assert timer.perf_counter() - t0 < 5


# ------------------------------------------------------------------ properties

BASE = at(2025, 1, 1)
starts = st.integers(0, 2 * 365 * 24 * 60 - 1).map(lambda m: BASE + timedelta(minutes=m))
durations = st.integers(0, 80 * 60).map(lambda m: timedelta(minutes=m))
PROP = settings(max_examples=150, deadline=None)


@PROP
@given(starts, st.integers(1, 30))
def test_nth_workday_counts_back(start, n):
    c = WorkCalendar(TZ)
    due = c.close_of_nth_workday_after(start, n)
    assert c.workdays_between(start.date(), due.date()) == n
    assert c.is_workday(due.date()) and due.timetz() == time(17, 30, tzinfo=TZ)


@PROP
@given(starts, durations)
def test_add_lands_in_working_hours(start, delta):
    c = WorkCalendar(TZ)
    end = c.add_working_time(start, delta)
    assert end >= start
    assert c.is_workday(end.date())
    assert c.opening(end.date()) <= end <= c.closing(end.date())
    assert c.working_time_between(start, end) == delta


@PROP
@given(starts, starts, durations, st.integers(1, 12))
def test_monotonic(a, b, delta, n):
    a, b = min(a, b), max(a, b)
    c = WorkCalendar(TZ)
    assert c.add_working_time(a, delta) <= c.add_working_time(b, delta)
    assert c.close_of_nth_workday_after(a, n) <= c.close_of_nth_workday_after(b, n)
    assert c.close_of_day_or_next(a) <= c.close_of_day_or_next(b)


@PROP
@given(starts, starts)
def test_add_between_roundtrip(a, b):
    c = WorkCalendar(TZ)
    a, b = min(a, b), max(a, b)
    if not c.is_working_time(b):
        b = c.add_working_time(b, timedelta(0))  # the next opening
    back = c.add_working_time(a, c.working_time_between(a, b))
    if b > c.opening(b.date()):
        assert back == b
    else:  # b at an opening: the previous closing is the same instant of working time
        assert back <= b and c.working_time_between(back, b) == timedelta(0)
