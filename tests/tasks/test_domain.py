"""The pure rules of tasks: due times as typed, the default due time, reminder points, policy.tasks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.policy import Policy
from bot.domain.tasks import default_due, done_late, is_overdue, parse_due, reminder_times, split_due
from bot.domain.workcal import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # a Tuesday
CAL = WorkCalendar.from_config(TZ, "08:30-17:30")


@pytest.mark.parametrize(("typed", "due"), [
    ("2h", "2026-11-24 12:00"), ("2小时", "2026-11-24 12:00"), ("30分钟", "2026-11-24 10:30"),
    ("3天", "2026-11-27 10:00"), ("in 2 hours", "2026-11-24 12:00"), ("明天17:00", "2026-11-25 17:00"),
    ("明天 下午5点", "2026-11-25 17:00"), ("12-05 17:00", "2026-12-05 17:00"), ("2026-12-05 17:00", "2026-12-05 17:00"),
    ("9:00", "2026-11-24 09:00"),  # today's 9:00, in the past: the service refuses it, it is not moved
])
def test_due_times_as_typed(typed: str, due: str) -> None:
    assert parse_due(typed, now=NOW, tz=TZ).strftime("%Y-%m-%d %H:%M") == due


@pytest.mark.parametrize("typed", ["", "核实", "abc", "0h", "后勤处"])
def test_what_is_no_time(typed: str) -> None:
    assert parse_due(typed, now=NOW, tz=TZ) is None


def test_the_due_time_is_the_last_word_or_two() -> None:
    what, due = split_due("核实 食堂 情况 明天 17:00".split(), now=NOW, tz=TZ)
    assert what == ["核实", "食堂", "情况"] and due.hour == 17
    what, due = split_due("核实情况 2h".split(), now=NOW, tz=TZ)
    assert what == ["核实情况"] and due.hour == 12
    assert split_due(["17:00"], now=NOW, tz=TZ) == (["17:00"], None)  # a task of one word is the task
    assert split_due(["核实情况"], now=NOW, tz=TZ) == (["核实情况"], None)


def test_default_due_is_the_close_of_the_next_working_day_and_policy_changes_it() -> None:
    assert default_due(NOW, calendar=CAL, policy=Policy.from_mapping(None).tasks).strftime("%m-%d %H:%M") == "11-25 17:30"
    three = Policy.from_mapping({"tasks": {"default_due_working_days": 3}}).tasks
    # Tuesday + 3 working days = Friday
    assert default_due(NOW, calendar=CAL, policy=three).strftime("%m-%d %H:%M") == "11-27 17:30"


def test_reminder_points_follow_the_policy() -> None:
    due = datetime(2026, 11, 24, 20, 0, tzinfo=TZ)
    assert [at.hour for _, at in reminder_times(NOW, due, Policy.from_mapping(None).tasks)] == [15, 18]
    one = Policy.from_mapping({"tasks": {"reminder_points": [0.1]}}).tasks
    assert [at.hour for _, at in reminder_times(NOW, due, one)] == [11]


@pytest.mark.parametrize("bad", [{"reminder_points": [1.5]}, {"reminder_points": "0.5"}, {"escalate_to_head": "yes"},
                                 {"default_due_working_days": 0}, {"default_due_working_days": 1.5}, {"every": 1}])
def test_bad_policy_is_refused(bad: dict) -> None:
    with pytest.raises(ValueError, match="policy.tasks"):
        Policy.from_mapping({"tasks": bad})


def test_overdue_and_late() -> None:
    due = datetime(2026, 11, 24, 12, 0, tzinfo=TZ)
    assert is_overdue("open", due, NOW.replace(hour=13)) and is_overdue("help", due, NOW.replace(hour=13))
    assert not is_overdue("done", due, NOW.replace(hour=13)) and not is_overdue("open", due, NOW)
    assert done_late(due, NOW.replace(hour=13)) and not done_late(due, NOW)
