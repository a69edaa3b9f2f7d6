"""The 24-hour duty roster (24小时网上舆情值班): pure shift generation, swaps and look-ups.

Guarantees of `generate_roster` (else RosterError naming the failed constraint, never a bad roster):
- Coverage: shifts tile [start, roster end) with no gap or overlap. Shifts start on round times
  (`align_minutes` from local midnight): when `start` is not one, a partial first shift runs to the first
  round time; then equal shifts. The span is ROUNDED UP to whole shifts (the last shift may end up to one
  shift after `end`). Whole shifts are computed in UTC, so each is exactly `shift_hours` long even across
  DST; they are shown in start's zone. A partial first shift is shorter, so the rest rule in positions
  (below) still keeps every gap ≥ min_rest_hours.
- Rest: a person's shifts are >= min_rest_hours apart (end to next start), i.e. at least
  `cycle = ceil((shift + rest) / shift)` positions apart. Counting bound: min(cycle, shifts) * per_shift.
- Unavailability: nobody is put on a shift that overlaps any part of one of their windows.
- per_shift 1 or 2 distinct people per shift.
- Balance, in shifts (= hours, shifts being equal): with no unavailability inside the roster,
  max - min <= 1 over the whole pool. Always: when someone has >= 2 shifts fewer than someone else,
  none of the heavier one's shifts can be handed to them (they are unavailable for it, already on
  it, or their own rest rule forbids it) — "available enough" means able to take such a shift.
Algorithm (deterministic): necessary checks (counting bound; each shift has per_shift free people;
each window of `cycle` shifts can be staffed by distinct people — a bipartite matching); at exactly
the bound the roster must rotate with period `cycle`, solved exactly as a matching; otherwise a
depth-first search whose first branch is the greedy choice (least loaded, then longest rested, then
pool order), with forward checking and a memo of failed states, so `rest_conflict` is a proof; then
a rebalancing pass moving shifts from the heaviest to people >= 2 lighter. The search gives up after
SEARCH_LIMIT steps (`search_limit`): seen only for 4-6 h shifts, 2 per shift, long rest and pools
within a person or two of the bound with heavy unavailability.

The roster is spread over modules named for what they hold: roster_model (policy, people, shifts, errors),
roster_solver (matching, search, rebalancing), roster_changes (swaps, look-ups, reminders) and
roster_reassign (a new person for a shift someone can no longer stand); this module generates and
re-exports the public names, so `from bot.domain.roster import …` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.roster_changes import (
    apply_swap,
    load_by_person,
    next_shift,
    reminders,
    shift_at,
    validate_swap,
)
from bot.domain.roster_model import (
    INFEASIBLE,
    MAX_REST_HOURS,
    SEARCH_LIMIT,
    SHIFT_HOURS,
    Person,
    Reminder,
    Roster,
    RosterError,
    RosterPolicy,
    Shift,
    Unavailability,
    _aware,
    when,
)
from bot.domain.roster_solver import _hole, _match, _matching, _rebalance, _search

__all__ = ["INFEASIBLE", "MAX_REST_HOURS", "SEARCH_LIMIT", "SHIFT_HOURS", "Person", "Reminder", "Roster",
           "RosterError", "RosterPolicy", "Shift", "Unavailability", "aligned", "apply_swap", "generate_roster",
           "is_partial", "load_by_person", "next_shift", "reminders", "shift_at", "shift_bounds", "validate_swap",
           "when"]



def aligned(at: datetime, minutes: int) -> datetime:
    """The first round time at or after `at` in its own zone: a multiple of `minutes` from local midnight."""
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    step = timedelta(minutes=minutes)
    return midnight + -((midnight - at) // step) * step


def shift_bounds(start: datetime, end: datetime, policy: RosterPolicy) -> list[datetime]:
    """Shift boundaries covering [start, end): a partial first shift up to the first round time (when `start`
    is not one, `policy.align_minutes`), then whole shifts on round times, the last ending at or after `end`.
    Whole shifts are counted in UTC, so each is exactly `shift_hours` long even across DST."""
    tz, length = start.tzinfo, timedelta(hours=policy.shift_hours)
    first = aligned(start, policy.align_minutes)
    head = [start] if first > start else []
    if first >= end and head:
        return [start, first]
    f_utc = first.astimezone(UTC)
    n = max(1, -((first - end) // length))
    return head + [(f_utc + i * length).astimezone(tz) for i in range(n + 1)]


def is_partial(shift: Shift, policy: RosterPolicy) -> bool:
    """A first shift shorter than the others: it runs from the duty's start to the first round time."""
    return shift.end - shift.start < timedelta(hours=policy.shift_hours)


def generate_roster(people: Sequence[Person], start: datetime, end: datetime,
                    policy: RosterPolicy | None = None, unavailability: Iterable[Unavailability] = (),
                    *, now: datetime) -> Roster:
    """Shifts over [start, end) rounded up to whole shifts; RosterError when it cannot be done."""
    policy = policy or RosterPolicy()
    for v, what in ((start, "start"), (end, "end"), (now, "now")):
        _aware(v, what)
    if end <= start:
        raise RosterError("empty_span", when=when(start, end))
    if not people:
        raise RosterError("no_people")
    pos: dict[int, int] = {}
    for i, p in enumerate(people):
        if p.id in pos:
            raise RosterError("duplicate_person", person=p.name, person_id=p.id)
        pos[p.id] = i
    tz = start.tzinfo
    bounds = shift_bounds(start, end, policy)
    n = len(bounds) - 1
    npeople, k, c = len(people), policy.per_shift, policy.cycle
    blocked: list[set[int]] = [set() for _ in people]
    wins: list[list[tuple[datetime, datetime]]] = [[] for _ in people]
    for u in unavailability:
        _aware(u.start, "unavailability")
        _aware(u.end, "unavailability")
        if u.person_id not in pos:
            raise RosterError("unknown_person", person_id=u.person_id)
        who = people[pos[u.person_id]].name
        if u.end <= u.start:
            raise RosterError("unavail_reversed", person=who, when=when(u.start, u.end, tz))
        if u.end <= now:
            raise RosterError("unavail_past", person=who, when=when(u.start, u.end, tz))
        blocked[pos[u.person_id]].update(i for i in range(n) if u.start < bounds[i + 1] and u.end > bounds[i])
        wins[pos[u.person_id]].append((u.start, u.end))

    def span(i: int, j: int) -> str:  # shifts i..j inclusive
        return when(bounds[i], bounds[j + 1], tz)

    need = policy.min_people(n)
    if npeople < need:
        raise RosterError("too_few_people", need=need, have=npeople, shift_hours=policy.shift_hours,
                          rest_hours=policy.min_rest_hours, per_shift=k)
    avail = [[p for p in range(npeople) if i not in blocked[p]] for i in range(n)]
    for i in range(n):
        if len(avail[i]) < k:
            j = i
            while j + 1 < n and len(avail[j + 1]) < k:
                j += 1
            have = min(len(a) for a in avail[i:j + 1])
            if have == 0:
                hole = _hole(wins, bounds[i], bounds[j + 1])
                if hole:
                    raise RosterError("nobody_available", when=when(*hole, tz), shifts=span(i, j))
                raise RosterError("nobody_whole_shift", when=span(i, j))
            raise RosterError("too_few_available", when=span(i, j), have=have, need=k)
    w = min(n, c)
    for i in range(n - w + 1):
        got = _matching(avail[i:i + w], k)
        if got < w * k:
            raise RosterError("window_short", when=span(i, i + w - 1), shifts=w, need=w * k, have=got,
                              rest_hours=policy.min_rest_hours)
    if npeople == c * k and n >= c:  # at the bound everyone must work every c-th shift
        rot = _match([[p for p in range(npeople) if not blocked[p] & set(range(r, n, c))] for r in range(c)], k)
        if len(rot) < c * k:
            raise RosterError("rotation_conflict", need=npeople, cycle=c, rest_hours=policy.min_rest_hours)
        assign: Any = [[p for p, slot in rot.items() if slot // k == i % c] for i in range(n)]
    else:
        assign = _search(avail, npeople, k, c)
    if assign is None:
        raise RosterError("search_limit", limit=SEARCH_LIMIT)
    if isinstance(assign, int):
        d = assign
        raise RosterError("rest_conflict", when=span(max(0, d - c + 1), min(n - 1, d + c - 1)),
                          rest_hours=policy.min_rest_hours)
    _rebalance(assign, blocked, npeople, c)
    shifts = tuple(Shift(i, bounds[i], bounds[i + 1], tuple(people[p].id for p in sorted(assign[i])))
                   for i in range(n))
    return Roster(shifts, policy)
