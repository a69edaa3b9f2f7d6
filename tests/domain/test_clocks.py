"""The response clocks: due times, which clocks run, nudges, policy, start parsing, extensions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.clocks import (
    CLOCKS,
    ClockError,
    ClockPolicy,
    clocks_for,
    due_at,
    is_working_clock,
    nudge_times,
    parse_start,
    validate_extension,
)
from bot.domain.workcal import WorkCalendar
from bot.i18n import CATALOG, t

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar(TZ)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def due(clock: str, start: datetime, grade: str = "major", policy: ClockPolicy | None = None):
    return due_at(clock, start, grade=grade, calendar=CAL, policy=policy)


# ------------------------------------------------------------------ due times (table)

DUE = [
    # clock, grade, start, due — why
    ("formal_reply", "major", at(2026, 9, 30, 10), at(2026, 10, 13, 17, 30)),   # 国庆 + Oct 10 (Sat) works
    ("formal_reply", "general", at(2026, 2, 12, 10), at(2026, 2, 26, 17, 30)),  # 春节 + Feb 14 (Sat) works
    ("formal_reply", "general", at(2026, 4, 30, 10), at(2026, 5, 11, 17, 30)),  # 劳动节 + May 9 (Sat) works
    ("formal_reply", "general", at(2026, 9, 24, 10), at(2026, 10, 9, 17, 30)),  # 中秋 then 国庆
    ("extension_max", "general", at(2026, 9, 30, 10), at(2026, 10, 20, 17, 30)),
    ("first_response", "major", at(2026, 3, 13, 16, 30), at(2026, 3, 16, 10, 30)),  # Fri evening → Mon
    ("first_response", "major", at(2026, 3, 10, 20), at(2026, 3, 11, 11, 30)),      # weekday evening
    ("first_response", "general", at(2026, 9, 30, 16), at(2026, 10, 8, 10)),        # over National Day
    ("first_response", "general", at(2026, 2, 13, 16, 30), at(2026, 2, 14, 10, 30)),  # make-up Saturday
    ("publish", "major", at(2026, 9, 30, 10), at(2026, 10, 1, 10)),             # wall clock, holiday or not
    ("publish", "general", at(2026, 3, 13, 20), at(2026, 3, 14, 20)),
    ("report_upward", "major", at(2026, 10, 3, 22), at(2026, 10, 4, 2)),        # 4 h wall clock
    ("report_upward", "especially_major", at(2026, 10, 3, 22), at(2026, 10, 4, 0)),  # 2 h
    ("report_upward", "general", at(2026, 10, 3, 22), None),                    # not unless set
    ("inquiry_same_day", "general", at(2026, 3, 11, 10), at(2026, 3, 11, 17, 30)),
    ("inquiry_same_day", "general", at(2026, 3, 11, 18), at(2026, 3, 12, 17, 30)),  # after hours
    ("inquiry_same_day", "general", at(2026, 3, 13, 18), at(2026, 3, 16, 17, 30)),  # Friday after hours
    ("inquiry_same_day", "general", at(2026, 3, 11, 7), at(2026, 3, 11, 17, 30)),   # before opening
    ("inquiry_same_day", "general", at(2026, 9, 30, 18), at(2026, 10, 8, 17, 30)),  # before National Day
    ("inquiry_same_day", "general", at(2026, 2, 14, 12), at(2026, 2, 14, 17, 30)),  # make-up Saturday
]


@pytest.mark.parametrize(("clock", "grade", "start", "expected"), DUE)
def test_due_at(clock, grade, start, expected):
    assert due(clock, start, grade) == expected


def test_due_is_in_calendar_zone():
    d = due("formal_reply", datetime(2026, 9, 30, 2, tzinfo=UTC))  # 10:00 in Shanghai
    assert d == at(2026, 10, 13, 17, 30) and d.isoformat() == "2026-10-13T17:30:00+08:00"


def test_report_upward_general_when_policy_sets_it():
    p = ClockPolicy.from_mapping({"report_upward_general_hours": 6})
    assert due("report_upward", at(2026, 3, 11, 10), "general", p) == at(2026, 3, 11, 16)


def test_policy_override_changes_due_time():
    p = ClockPolicy.from_mapping({"first_response_working_hours": 2})
    assert due("first_response", at(2026, 3, 13, 16, 30), policy=p) == at(2026, 3, 16, 9, 30)
    p = ClockPolicy.from_mapping({"formal_reply_working_days": 3, "publish_hours": 12})
    assert due("formal_reply", at(2026, 9, 30, 10), policy=p) == at(2026, 10, 10, 17, 30)
    assert due("publish", at(2026, 9, 30, 10), policy=p) == at(2026, 9, 30, 22)


@pytest.mark.parametrize(("bad", "kw"), [
    ("nope", {}),
    ("formal_reply", {"grade": "huge"}),
])
def test_bad_clock_or_grade(bad, kw):
    with pytest.raises(ClockError) as e:
        due_at(bad, at(2026, 3, 11), grade=kw.get("grade", "major"), calendar=CAL)
    assert e.value.code in {"unknown_clock", "unknown_grade"}
    assert isinstance(e.value, ValueError)
    assert e.value.render("zh") != e.value.render("en")


# ------------------------------------------------------------------ which clocks run


def test_clocks_for():
    assert clocks_for("major", "hype") == ["report_upward", "publish", "first_response", "formal_reply"]
    assert clocks_for("especially_major", "inquiry") == [
        "report_upward", "publish", "first_response", "formal_reply", "inquiry_same_day"]
    assert clocks_for("general", None) == ["publish", "first_response", "formal_reply"]
    assert clocks_for("general", "inquiry") == ["publish", "first_response", "formal_reply", "inquiry_same_day"]
    p = ClockPolicy(report_upward_general_hours=8)
    assert clocks_for("general", "hype", policy=p)[0] == "report_upward"
    with pytest.raises(ClockError):
        clocks_for("big", None)


def test_is_working_clock():
    assert [c for c in CLOCKS if is_working_clock(c)] == [
        "first_response", "formal_reply", "extension_max", "inquiry_same_day"]
    with pytest.raises(ClockError):
        is_working_clock("lunch")


# ------------------------------------------------------------------ nudges


def test_nudges_first_response_in_working_time():
    start = at(2026, 3, 13, 16, 30)   # Friday; 1 h left today, the rest Monday
    d = due("first_response", start)
    got = nudge_times("first_response", start, d, calendar=CAL, points=(0.5, 0.8, 1.0))
    assert got == [
        (0.5, at(2026, 3, 16, 9)),       # 1.5 working hours
        (0.8, at(2026, 3, 16, 9, 54)),   # 2 h 24 min
        (1.0, at(2026, 3, 16, 10, 30)),
    ]


def test_nudges_publish_in_wall_time():
    start = at(2026, 9, 30, 10)
    got = nudge_times("publish", start, due("publish", start), calendar=CAL)
    assert got == [(0.5, at(2026, 9, 30, 22)), (0.8, at(2026, 10, 1, 5, 12)), (1.0, at(2026, 10, 1, 10))]


def test_nudges_formal_reply_skip_holidays():
    start = at(2026, 9, 30, 10)       # 7.5 h on Sep 30, then 9 h a day from Oct 8
    got = dict(nudge_times("formal_reply", start, due("formal_reply", start), calendar=CAL))
    assert got[1.0] == at(2026, 10, 13, 17, 30)
    assert CAL.is_working_time(got[0.5]) and got[0.5] == at(2026, 10, 10, 9, 15)  # 26.25 of 52.5 h


def test_nudge_points_rejected():
    with pytest.raises(ClockError):
        nudge_times("publish", at(2026, 3, 11), at(2026, 3, 12), calendar=CAL, points=(0, 1))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 365 * 24 * 4).map(lambda q: at(2026, 1, 1) + timedelta(minutes=15 * q)),
       st.sampled_from(["first_response", "formal_reply", "inquiry_same_day", "publish"]))
def test_nudges_ordered_and_end_at_due(start, clock):
    d = due(clock, start)
    got = nudge_times(clock, start, d, calendar=CAL)
    times = [w for _, w in got]
    assert times == sorted(times) and times[-1] == d and times[0] >= start


# ------------------------------------------------------------------ policy


def test_policy_defaults_and_roundtrip():
    p = ClockPolicy()
    m = p.to_mapping()
    assert m == {
        "report_upward_general_hours": None, "report_upward_major_hours": 4,
        "report_upward_especially_major_hours": 2, "publish_hours": 24,
        "first_response_working_hours": 3, "formal_reply_working_days": 5,
        "extension_max_working_days": 10, "nudge_points": [0.5, 0.8, 1.0],
        "overdue_escalation_minutes": 60, "late_grace_seconds": 60,
    }
    assert ClockPolicy.from_mapping(m) == p
    assert ClockPolicy.from_mapping(None) == p


@pytest.mark.parametrize("data", [
    {"first_response_hours": 2},                # unknown key
    {"publish_hours": 0},
    {"publish_hours": "24"},
    {"publish_hours": True},
    {"formal_reply_working_days": 2.5},
    {"extension_max_working_days": 4},          # shorter than the formal reply
    {"nudge_points": [0.5, 1.5]},
    {"nudge_points": []},
    {"nudge_points": "0.5"},
    {"overdue_escalation_minutes": -5},
    {"report_upward_general_hours": 0},
])
def test_policy_rejects(data):
    with pytest.raises(ValueError):
        ClockPolicy.from_mapping(data)


# ------------------------------------------------------------------ start parsing


def test_parse_start():
    dt, assumed = parse_start("2026-09-30T10:00+08:00", TZ)
    assert dt == at(2026, 9, 30, 10) and not assumed
    dt, assumed = parse_start("2026-09-30T10:00", "Asia/Shanghai")
    assert dt == at(2026, 9, 30, 10) and assumed and dt.utcoffset() == timedelta(hours=8)
    dt, assumed = parse_start("2026-09-30 02:00Z", TZ)
    assert dt == at(2026, 9, 30, 10) and not assumed
    with pytest.raises(ClockError) as e:
        parse_start("yesterday", TZ)
    assert e.value.code == "bad_start"


# ------------------------------------------------------------------ extensions


def test_extension_within_limit():
    start = at(2026, 9, 30, 10)
    ok = validate_extension(start, at(2026, 10, 20, 17, 30), "需要调查取证", calendar=CAL)
    assert ok == at(2026, 10, 20, 17, 30)


@pytest.mark.parametrize(("requested", "reason", "code"), [
    (at(2026, 10, 21, 9), "需要调查", "extension_beyond_limit"),      # past the 10th working day
    (at(2026, 10, 16, 17, 30), "", "extension_no_reason"),
    (at(2026, 10, 16, 17, 30), "   ", "extension_no_reason"),
    (at(2026, 10, 16, 17, 30), None, "extension_no_reason"),
    (at(2026, 10, 12, 17, 30), "需要调查", "extension_not_later"),     # before the normal due time
])
def test_extension_rejected(requested, reason, code):
    with pytest.raises(ClockError) as e:
        validate_extension(at(2026, 9, 30, 10), requested, reason, calendar=CAL)
    assert e.value.code == code
    assert e.value.render("zh") and e.value.render("en")


# ------------------------------------------------------------------ texts


def test_every_error_code_has_texts():
    keys = [k for k in CATALOG if k.startswith("clock.")]
    assert all(set(CATALOG[k]) == {"zh", "en"} for k in keys)
    for c in CLOCKS:
        assert t(f"clock.name.{c}", "zh") and t(f"clock.name.{c}", "en")
