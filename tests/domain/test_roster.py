"""The duty roster: property tests of the guarantees, tables of errors, swaps and look-ups."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.roster import (
    INFEASIBLE,
    Person,
    Roster,
    RosterError,
    RosterPolicy,
    Unavailability,
    apply_swap,
    generate_roster,
    load_by_person,
    next_shift,
    reminders,
    shift_at,
    validate_swap,
)
from bot.i18n import CATALOG, t

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2024, 11, 25, 0, 0, tzinfo=TZ)
H = timedelta(hours=1)


def pool(n: int) -> list[Person]:
    return [Person(i + 1, f"p{i + 1}") for i in range(n)]


def gen(n_people: int, hours: float, unav=(), now=T0, **pol) -> Roster:
    return generate_roster(pool(n_people), T0, T0 + hours * H, RosterPolicy(**pol), unav, now=now)


def check(r: Roster, people, unav, start, end, pol: RosterPolicy) -> None:
    """Every guarantee of generate_roster, checked on the result."""
    length = pol.shift_hours * H
    sh = r.shifts
    # coverage: tiles [start, roster end), rounded up to whole shifts
    assert sh[0].start == start and sh[-1].end >= end and sh[-1].end - end < length
    for i, s in enumerate(sh):
        assert s.index == i and s.end - s.start == length
        assert i == 0 or sh[i - 1].end == s.start
        assert len(s.people) == pol.per_shift == len(set(s.people))
        assert set(s.people) <= {p.id for p in people}
    # rest and unavailability
    rest = pol.min_rest_hours * H
    for p in people:
        mine = r.shifts_of(p.id)
        for a, b in itertools.pairwise(mine):
            assert b.start - a.end >= rest, (p, a, b)
        for u in unav:
            if u.person_id == p.id:
                assert not any(u.start < s.end and u.end > s.start for s in mine), (u, mine)
    # balance
    loads = load_by_person(r, people)
    if not any(u.start < r.end and u.end > r.start for u in unav):
        assert max(loads.values()) - min(loads.values()) <= 1
    blocked = {(u.person_id, s.index) for u in unav for s in sh if u.start < s.end and u.end > s.start}
    for q, p in itertools.permutations(loads, 2):
        if loads[q] >= loads[p] + 2:
            for s in r.shifts_of(q):
                can = (p not in s.people and (p, s.index) not in blocked
                       and all(abs(o.index - s.index) >= pol.cycle for o in r.shifts_of(p)))
                assert not can, f"shift {s.index} of {q} (load {loads[q]}) could go to {p} ({loads[p]})"


@st.composite
def problems(draw, max_people=30, max_hours=7 * 24, max_windows=12):
    n = draw(st.integers(1, max_people))
    hours = draw(st.integers(1, max_hours))
    pol = RosterPolicy(shift_hours=draw(st.sampled_from([4, 6, 8, 12])),
                       min_rest_hours=draw(st.sampled_from([0, 4, 8, 12, 16, 24])),
                       per_shift=draw(st.sampled_from([1, 2])))
    unav = [Unavailability(draw(st.integers(1, n)), T0 + a * H, T0 + (a + d) * H)
            for a, d in draw(st.lists(st.tuples(st.integers(-12, hours + 12), st.integers(1, 48)),
                                      max_size=max_windows))]
    return pool(n), T0, T0 + hours * H, pol, unav


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_roster_meets_every_guarantee_or_names_the_failed_constraint(prob):
    people, start, end, pol, unav = prob
    try:
        r = generate_roster(people, start, end, pol, unav, now=start - 24 * H)
    except RosterError as e:
        n = -((start - end) // (pol.shift_hours * H))
        assert e.code in INFEASIBLE, e
        # the search is exact but bounded; it may give up only in the hard zone just above the bound
        assert e.code != "search_limit" or len(people) <= pol.min_people(n) + pol.per_shift, e
        if not unav:
            assert len(people) < pol.min_people(n), e
        assert e.text("zh") and e.text("en")
        return
    check(r, people, unav, start, end, pol)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 60), st.integers(1, 7 * 24), st.sampled_from([4, 6, 8, 12]),
       st.sampled_from([0, 8, 16]), st.sampled_from([1, 2]))
def test_enough_people_and_no_unavailability_never_fails(extra, hours, shift, rest, k):
    pol = RosterPolicy(shift_hours=shift, min_rest_hours=rest, per_shift=k)
    people = pool(pol.min_people() + extra)
    r = generate_roster(people, T0, T0 + hours * H, pol, now=T0)
    check(r, people, [], T0, T0 + hours * H, pol)


def _brute_feasible(n_people, n_shifts, k, c, blocked) -> bool:
    def rec(i, hist):
        if i == n_shifts:
            return True
        recent = set().union(*hist[-(c - 1):]) if c > 1 and hist else set()
        free = [p for p in range(n_people) if (p, i) not in blocked and p not in recent]
        return any(rec(i + 1, [*hist, set(combo)]) for combo in itertools.combinations(free, k))
    return rec(0, [])


@settings(max_examples=300, deadline=None)
@given(problems(max_people=5, max_hours=30, max_windows=6))
def test_infeasible_only_when_truly_infeasible(prob):
    people, start, end, pol, unav = prob
    n = -((start - end) // (pol.shift_hours * H))
    ids = [p.id for p in people]
    blocked = {(ids.index(u.person_id), i) for u in unav for i in range(n)
               if u.start < start + (i + 1) * pol.shift_hours * H and u.end > start + i * pol.shift_hours * H}
    feasible = _brute_feasible(len(people), n, pol.per_shift, pol.cycle, blocked)
    try:
        r = generate_roster(people, start, end, pol, unav, now=start - 24 * H)
    except RosterError as e:
        assert not feasible, f"declared infeasible ({e}) but a roster exists"
        return
    assert feasible
    check(r, people, unav, start, end, pol)


# --- error messages ---------------------------------------------------------------------------

@pytest.mark.parametrize(("kw", "code", "en", "zh"), [
    (dict(n_people=2, hours=48), "too_few_people",
     "need at least 3 people for 6-hour shifts with 8 h rest and 1 per shift; you have 2 — add people or "
     "use longer shifts", "至少需要 3 人；现有 2 人"),
    (dict(n_people=5, hours=48, per_shift=2), "too_few_people", "need at least 6 people", "至少需要 6 人"),
    (dict(n_people=1, hours=48, shift_hours=12, min_rest_hours=0), None, None, None),
    (dict(n_people=1, hours=5), None, None, None),  # one shift: one person is enough
    (dict(n_people=2, hours=12, shift_hours=4, min_rest_hours=8), "too_few_people", "need at least 3", "3 人"),
    (dict(n_people=3, hours=48, unav=[Unavailability(i, T0 + 2 * H, T0 + 8 * H) for i in (1, 2, 3)]),
     "nobody_available", "no one is available 11-25 02:00–08:00 (needed for the 11-25 00:00–12:00 shifts)",
     "11-25 02:00–08:00 没有任何人可以值班"),
    (dict(n_people=3, hours=48, unav=[Unavailability(1, T0 + 1 * H, T0 + 2 * H),
                                      Unavailability(2, T0 + 3 * H, T0 + 4 * H),
                                      Unavailability(3, T0 + 5 * H, T0 + 6 * H)]),
     "nobody_whole_shift", "no one is free for a whole shift 11-25 00:00–06:00", "没有人能值完整一班"),
    (dict(n_people=6, hours=24, per_shift=2,
          unav=[Unavailability(i, T0 + 13 * H, T0 + 17 * H) for i in (1, 2, 3, 4, 5)]),
     "too_few_available", "11-25 12:00–18:00 needs 2 people per shift but only 1 are available",
     "只有 1 人有空"),
    (dict(n_people=4, hours=36, unav=[Unavailability(i, T0 + 12 * H, T0 + 30 * H) for i in (1, 2)]),
     "window_short", "11-25 12:00–11-26 06:00: with 8 h rest these 3 shifts need 3 different people, but only 2",
     "需要 3 名不同人员"),
    (dict(n_people=3, hours=48, unav=[Unavailability(1, T0 - 5 * H, T0 - 2 * H)], now=T0), "unavail_past",
     "p1's unavailability window is entirely in the past (11-24 19:00–22:00)", "已完全过去"),
    (dict(n_people=3, hours=48, unav=[Unavailability(2, T0 + 5 * H, T0 + 2 * H)]), "unavail_reversed",
     "p2's unavailability window is reversed", "颠倒"),
    (dict(n_people=3, hours=48, unav=[Unavailability(9, T0 + 1 * H, T0 + 2 * H)]), "unknown_person",
     "not in the pool (id 9)", "编号 9"),
    (dict(n_people=0, hours=48), "no_people", "no one to put on duty", "没有可排班的人员"),
    (dict(n_people=3, hours=0), "empty_span", "the duty span is empty", "值班时段为空"),
])
def test_error_messages(kw, code, en, zh):
    kw = dict(kw)
    args = (kw.pop("n_people"), kw.pop("hours"), kw.pop("unav", ()), kw.pop("now", T0))
    if code is None:
        gen(*args, **kw)
        return
    with pytest.raises(RosterError) as ei:
        gen(*args, **kw)
    assert ei.value.code == code
    assert en in ei.value.text("en"), ei.value.text("en")
    assert zh in ei.value.text("zh"), ei.value.text("zh")
    assert str(ei.value).startswith(code)


def test_rest_conflict_found_by_search():
    # 3 people, 6 h shifts, 8 h rest: the roster must rotate p_a, p_b, p_c. Only p3 can take shift 6,
    # so p3 has shifts 0, 3, 6; p2 cannot take 1 or 5, so p1 has 1 and 4... and p2 has 2 and 5. Every
    # single shift and every window of 3 shifts can be staffed, but the whole cannot.
    blocked = [(1, 6), (2, 1), (2, 5), (2, 6), (3, 4)]
    unav = [Unavailability(p, T0 + 6 * i * H, T0 + 6 * (i + 1) * H) for p, i in blocked]
    with pytest.raises(RosterError) as ei:
        gen(3, 42, unav)
    assert ei.value.code == "rotation_conflict"
    assert ei.value.text("en") == ("with exactly 3 people (the minimum for 8 h rest) everyone must work one shift "
                                   "in every 3, and the declared unavailability does not fit such a rotation — add "
                                   "people or use longer shifts")
    # 4 people: only p4 can take shift 1, so shifts 2, 3, 4 fall to p2/p3 (p1 is away) — every single
    # shift and window of 3 can be staffed, but not all 5: the search has to prove it
    blocked = [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (3, 1), (4, 4)]
    unav = [Unavailability(p, T0 + 6 * i * H, T0 + 6 * (i + 1) * H) for p, i in blocked]
    with pytest.raises(RosterError) as ei:
        gen(4, 30, unav)
    assert ei.value.code == "rest_conflict", ei.value
    assert ei.value.text("en").startswith("around 11-25 00:00–11-26 06:00 the 8 h rest rule and the declared "
                                          "unavailability cannot both be met")
    assert "至少休息 8 小时" in ei.value.text("zh")


def test_naive_times_rejected():
    with pytest.raises(RosterError) as ei:
        generate_roster(pool(3), datetime(2024, 1, 1), datetime(2024, 1, 2), now=T0)
    assert ei.value.code == "naive_time" and "start" in ei.value.text("en")


def test_duplicate_people_rejected():
    with pytest.raises(RosterError) as ei:
        generate_roster([Person(1, "a"), Person(1, "b")], T0, T0 + H, now=T0)
    assert ei.value.code == "duplicate_person"


# --- coverage details -------------------------------------------------------------------------

def test_span_rounded_up_to_whole_shifts_and_round_robin():
    r = gen(3, 20, shift_hours=6)  # 20 h -> 4 shifts, ends at 24:00
    assert [s.start.hour for s in r.shifts] == [0, 6, 12, 18] and r.end == T0 + 24 * H
    assert [s.people for s in r.shifts] == [(1,), (2,), (3,), (1,)]


def test_shifts_keep_their_length_across_dst():
    ny = ZoneInfo("America/New_York")
    start = datetime(2024, 11, 2, 18, 0, tzinfo=ny)  # DST ends 2024-11-03 02:00
    r = generate_roster(pool(4), start, start + 24 * H, RosterPolicy(), now=start)
    for s in r.shifts:
        assert s.end.astimezone(UTC) - s.start.astimezone(UTC) == 6 * H
    assert [s.start.hour for s in r.shifts] == [18, 0, 5, 11]


def test_unavailability_partially_past_is_fine_and_respected():
    unav = [Unavailability(1, T0 - 5 * H, T0 + H)]
    r = gen(3, 24, unav)
    assert 1 not in r.shifts[0].people


# --- swaps ------------------------------------------------------------------------------------

def _roster() -> Roster:
    return gen(6, 48)  # round robin: p1 on shifts 0 and 6, p2 on 1 and 7, p3..p6 on 2..5


@pytest.mark.parametrize(("idx", "person", "kw", "codes", "en"), [
    (1, 3, {}, ["swap_rest"], "p3 also has the 11-25 12:00–18:00 shift: only 0 h rest"),
    (1, 1, {}, ["swap_rest"], "only 0 h rest before/after 11-25 06:00–12:00, less than the required 8 h"),
    (2, 5, {}, ["swap_rest"], "p5 also has the 11-26 00:00–06:00 shift: only 6 h rest"),
    (2, 6, {}, [], None),
    (0, 1, {}, ["already_on_shift"], "already on the 11-25 00:00–06:00 shift"),
    (9, 1, {}, ["bad_shift"], "there is no shift 9 (the roster has 8)"),
    (1, 4, {"replacing": 3}, ["not_on_shift"], "(id 3) is not on the 11-25 06:00–12:00 shift"),
    (2, 6, {"unavailability": [Unavailability(6, T0 + 14 * H, T0 + 15 * H)]}, ["swap_unavailable"],
     "p6 is unavailable 11-25 14:00–15:00, which overlaps the 11-25 12:00–18:00 shift"),
    (5, 1, {"unavailability": [Unavailability(1, T0 + 30 * H, T0 + 31 * H)]}, ["swap_unavailable", "swap_rest"],
     "p1 is unavailable 11-26 06:00–07:00"),
])
def test_validate_swap(idx, person, kw, codes, en):
    r = _roster()
    who = Person(person, f"p{person}")
    got = validate_swap(r, idx, who, r.policy, **kw)
    assert [e.code for e in got] == codes
    if en:
        assert en in got[0].text("en"), got[0].text("en")
        assert got[0].text("zh")


def test_swap_rest_uses_given_policy_and_two_person_shifts_need_replacing():
    r = _roster()
    assert validate_swap(r, 1, Person(3, "p3"), RosterPolicy(min_rest_hours=0)) == []
    r2 = gen(8, 24, per_shift=2)
    assert [s.people for s in r2.shifts] == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert [e.code for e in validate_swap(r2, 3, 1, r2.policy)] == ["need_replacing"]
    assert apply_swap(r2, 3, 1, replacing=7).shifts[3].people == (1, 8)


def test_apply_swap():
    r = _roster()
    r2 = apply_swap(r, 2, Person(6, "p6"))
    assert r2.shifts[2].people == (6,) and r.shifts[2].people == (3,)
    with pytest.raises(RosterError) as ei:
        apply_swap(r, 1, 3)
    assert ei.value.code == "swap_rest"


# --- look-ups ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("offset_h", "at", "nxt"), [
    (-1, None, 0), (0, 0, 1), (5.99, 0, 1), (6, 1, 2), (47.5, 7, None), (48, None, None), (100, None, None),
])
def test_shift_at_and_next_shift(offset_h, at, nxt):
    r = _roster()
    instant = T0 + offset_h * H
    got = shift_at(r, instant)
    assert (got.index if got else None) == at
    n = next_shift(r, instant)
    assert (n.index if n else None) == nxt


def test_next_shift_of_person_and_load_and_reminders():
    r = _roster()
    assert next_shift(r, T0, person_id=1).index == 6
    assert next_shift(r, T0 + 36 * H, person_id=1) is None
    assert load_by_person(r, [Person(9, "x")]) == {9: 0, 1: 2, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1}
    rem = reminders(r)
    assert len(rem) == len(r.shifts) * 2
    assert rem[0].at == T0 - 30 * timedelta(minutes=1) and rem[0].kind == "remind"
    assert rem[1].at == T0 + 10 * timedelta(minutes=1) and rem[1].kind == "checkin"


# --- policy -----------------------------------------------------------------------------------

def test_policy_defaults_and_round_trip():
    p = RosterPolicy.from_mapping(None)
    assert p.to_mapping() == {"shift_hours": 6, "min_rest_hours": 8, "per_shift": 1,
                              "reminder_before_minutes": 30, "checkin_grace_minutes": 10, "align_minutes": 60,
                              "handover_window_minutes": 30, "handover_late_minutes": 120}
    assert RosterPolicy.from_mapping(p.to_mapping()) == p
    assert p.cycle == 3 and p.min_people() == 3
    assert RosterPolicy(shift_hours=12, min_rest_hours=12, per_shift=2).min_people() == 4


@pytest.mark.parametrize(("data", "msg"), [
    ({"shift_hour": 6}, "unknown key(s) ['shift_hour']"),
    ({"align_minutes": 7}, "must divide the hour or the day evenly"),
    ({"handover_window_minutes": 360}, "must be whole minutes from 0 to less than the shift"),
    ({"shift_hours": 5}, "must be 4, 6, 8 or 12"),
    ({"shift_hours": 24}, "must be 4, 6, 8 or 12"),
    ({"shift_hours": 3}, "divide the 24-hour day"),
    ({"shift_hours": "6"}, "shift_hours must be a whole number, got '6'"),
    ({"min_rest_hours": 1.5}, "min_rest_hours must be a whole number"),
    ({"min_rest_hours": -1}, "min_rest_hours must be whole hours from 0"),
    ({"min_rest_hours": True}, "min_rest_hours"),
    ({"per_shift": 3}, "per_shift must be 1 or 2"),
    ({"reminder_before_minutes": -5}, "reminder_before_minutes"),
    ({"checkin_grace_minutes": 240, "shift_hours": 4}, "less than the shift (240)"),
])
def test_policy_rejects_bad_values(data, msg):
    with pytest.raises(ValueError) as ei:
        RosterPolicy.from_mapping(data)
    assert msg in str(ei.value)


def test_policy_accepts_zero_rest_and_valid_lengths():
    for h in (4, 6, 8, 12):
        assert RosterPolicy.from_mapping({"shift_hours": h, "min_rest_hours": 0}).shift_hours == h


def test_every_roster_text_has_both_languages():
    keys = [k for k in CATALOG if k.startswith("roster.")]
    assert keys
    for k in keys:
        assert set(CATALOG[k]) == {"zh", "en"}
    assert "排班" in t("roster.err.no_people")
