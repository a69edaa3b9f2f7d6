"""Shifts on round times (policy.duty.align_minutes): for any start instant the boundaries after the first
are round, whole shifts are equal, a partial first shift is shorter than a whole one, and the rest and balance
rules of the generator still hold."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.roster import Person, RosterPolicy, aligned, generate_roster, is_partial, shift_bounds

TZ = ZoneInfo("Asia/Shanghai")
BASE = datetime(2026, 12, 3, 0, 0, tzinfo=TZ)
POLICIES = [RosterPolicy(shift_hours=h, min_rest_hours=r, align_minutes=a)
            for h, r, a in ((6, 8, 60), (4, 8, 30), (8, 12, 120), (12, 12, 60), (6, 0, 15), (6, 8, 360))]


def test_a_duty_filed_at_14_02_has_a_partial_first_shift_until_15_00() -> None:
    start = BASE.replace(hour=14, minute=2)
    roster = generate_roster([Person(i, f"p{i}") for i in range(1, 5)], start, start + timedelta(hours=72),
                             RosterPolicy(), now=start)
    first, second, third = roster.shifts[:3]
    assert (first.start, first.end) == (start, BASE.replace(hour=15)) and is_partial(first, roster.policy)
    assert (second.start.hour, second.end.hour, third.start.hour) == (15, 21, 21)
    assert not is_partial(second, roster.policy)
    assert roster.end >= start + timedelta(hours=72)


def test_a_start_on_a_round_time_has_no_partial_shift() -> None:
    start = BASE.replace(hour=15)
    assert shift_bounds(start, start + timedelta(hours=12), RosterPolicy())[:2] == [start, start + timedelta(hours=6)]
    assert aligned(start, 60) == start and aligned(start + timedelta(seconds=1), 60) == BASE.replace(hour=16)


def test_the_alignment_is_configurable_and_checked() -> None:
    start = BASE.replace(hour=14, minute=2)
    assert shift_bounds(start, start + timedelta(hours=24), RosterPolicy(align_minutes=360))[1] == BASE.replace(hour=18)
    with pytest.raises(ValueError, match="align_minutes"):
        RosterPolicy(shift_hours=4, align_minutes=360)


@settings(max_examples=200, deadline=None)
@given(minute=st.integers(0, 3 * 24 * 60 - 1), second=st.integers(0, 59), span=st.integers(1, 96),
       policy=st.sampled_from(POLICIES))
def test_boundaries_are_round_for_any_start(minute: int, second: int, span: int, policy: RosterPolicy) -> None:
    start = BASE + timedelta(minutes=minute, seconds=second)
    end = start + timedelta(hours=span)
    b = shift_bounds(start, end, policy)
    length = timedelta(hours=policy.shift_hours)
    assert b[0] == start and b[-1] >= end and all(x < y for x, y in zip(b, b[1:], strict=False))
    whole = b if aligned(start, policy.align_minutes) == start else b[1:]  # after the partial first shift
    for x in b[1:]:
        local = x.astimezone(TZ)
        assert (local.hour * 60 + local.minute) % policy.align_minutes == 0 and local.second == 0, (start, x)
    assert all(y - x == length for x, y in zip(whole, whole[1:], strict=False))
    assert b[1] - b[0] <= length
    assert b[-1] - end < length


@settings(max_examples=60, deadline=None)
@given(minute=st.integers(0, 24 * 60 - 1), people=st.integers(3, 7), policy=st.sampled_from(POLICIES[:4]))
def test_rest_and_balance_hold_with_a_partial_first_shift(minute: int, people: int, policy: RosterPolicy) -> None:
    start = BASE + timedelta(minutes=minute)
    pool = [Person(i, f"p{i}") for i in range(1, people + max(0, policy.min_people() - people) + 1)]
    roster = generate_roster(pool, start, start + timedelta(hours=48), policy, now=start)
    rest = timedelta(hours=policy.min_rest_hours)
    for p in pool:
        mine = roster.shifts_of(p.id)
        assert all(b.start - a.end >= rest for a, b in zip(mine, mine[1:], strict=False)), (p, mine)
    loads = [len(roster.shifts_of(p.id)) for p in pool]
    assert max(loads) - min(loads) <= 1
