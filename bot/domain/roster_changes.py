"""Changes to a generated roster and look-ups in it: swaps (validated against rest and unavailability),
the shift at an instant, the next shift, loads and the reminders of every person-shift."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.domain.roster_model import (
    Person,
    Reminder,
    Roster,
    RosterError,
    RosterPolicy,
    Shift,
    Unavailability,
    when,
)


def validate_swap(roster: Roster, shift_index: int, new_person: Person | int,
                  policy: RosterPolicy | None = None, *, unavailability: Iterable[Unavailability] = (),
                  replacing: int | None = None) -> list[RosterError]:
    """Problems with putting new_person on shift `shift_index` in place of `replacing` (needed when
    the shift has two people); empty when the swap is fine. Errors are returned, not raised."""
    policy = policy or roster.policy
    pid, who = (new_person.id, new_person.name) if isinstance(new_person, Person) else (new_person, str(new_person))
    if not 0 <= shift_index < len(roster.shifts):
        return [RosterError("bad_shift", index=shift_index, count=len(roster.shifts))]
    shift = roster.shifts[shift_index]
    tz = roster.start.tzinfo
    here = when(shift.start, shift.end, tz)
    if pid in shift.people:
        return [RosterError("already_on_shift", person=who, when=here)]
    if replacing is None:
        if len(shift.people) != 1:
            return [RosterError("need_replacing", when=here)]
    elif replacing not in shift.people:
        return [RosterError("not_on_shift", person_id=replacing, when=here)]
    problems = [RosterError("swap_unavailable", person=who, when=when(u.start, u.end, tz), shift=here)
                for u in unavailability
                if u.person_id == pid and u.start < shift.end and u.end > shift.start]
    rest = timedelta(hours=policy.min_rest_hours)
    for s in roster.shifts_of(pid):
        gap = max(s.start - shift.end, shift.start - s.end)
        if gap < rest:
            problems.append(RosterError("swap_rest", person=who, when=when(s.start, s.end, tz), shift=here,
                                        rest_hours=f"{gap / timedelta(hours=1):g}",
                                        min_rest_hours=policy.min_rest_hours))
    return problems


def apply_swap(roster: Roster, shift_index: int, new_person: Person | int, policy: RosterPolicy | None = None,
               *, unavailability: Iterable[Unavailability] = (), replacing: int | None = None) -> Roster:
    """The roster with the swap done; raises the first problem `validate_swap` finds."""
    problems = validate_swap(roster, shift_index, new_person, policy,
                             unavailability=unavailability, replacing=replacing)
    if problems:
        raise problems[0]
    pid = new_person.id if isinstance(new_person, Person) else new_person
    shift = roster.shifts[shift_index]
    old = shift.people[0] if replacing is None else replacing
    people = tuple(pid if p == old else p for p in shift.people)
    shifts = list(roster.shifts)
    shifts[shift_index] = dataclasses.replace(shift, people=people)
    return dataclasses.replace(roster, shifts=tuple(shifts))


def shift_at(roster: Roster, instant: datetime) -> Shift | None:
    """The shift covering instant (start inclusive, end exclusive); None outside the roster."""
    i = bisect.bisect_right([s.start for s in roster.shifts], instant) - 1
    if i >= 0 and instant < roster.shifts[i].end:
        return roster.shifts[i]
    return None


def next_shift(roster: Roster, instant: datetime, person_id: int | None = None) -> Shift | None:
    """The first shift starting strictly after instant (of person_id, if given); None if none."""
    i = bisect.bisect_right([s.start for s in roster.shifts], instant)
    for s in roster.shifts[i:]:
        if person_id is None or person_id in s.people:
            return s
    return None


def load_by_person(roster: Roster, people: Iterable[Person | int] = ()) -> dict[int, int]:
    """Number of shifts per person id (hours = shifts × shift_hours); `people` adds zero entries."""
    loads = {p.id if isinstance(p, Person) else p: 0 for p in people}
    for s in roster.shifts:
        for p in s.people:
            loads[p] = loads.get(p, 0) + 1
    return loads


def reminders(roster: Roster) -> list[Reminder]:
    """Per person-shift: a reminder before the shift and the check-in deadline after its start."""
    pol = roster.policy
    before, grace = timedelta(minutes=pol.reminder_before_minutes), timedelta(minutes=pol.checkin_grace_minutes)
    out = []
    for s in roster.shifts:
        for p in s.people:
            out.append(Reminder(s.start - before, p, s.index, "remind"))
            out.append(Reminder(s.start + grace, p, s.index, "checkin"))
    return out
