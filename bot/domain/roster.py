"""The 24-hour duty roster (24小时网上舆情值班): pure shift generation, swaps and look-ups.

Guarantees of `generate_roster` (else RosterError naming the failed constraint, never a bad roster):
- Coverage: equal shifts tile [start, roster end) with no gap or overlap. The span is ROUNDED UP to
  whole shifts (the last shift may end up to one shift after `end`). Shifts are computed in UTC, so
  each is exactly `shift_hours` long even across DST; they are shown in start's zone.
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
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import combinations
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


@dataclass(frozen=True)
class RosterPolicy:
    """`policy.duty` in the org file."""

    name: ClassVar[str] = "duty"
    shift_hours: int = 6
    min_rest_hours: int = 8
    per_shift: int = 1
    reminder_before_minutes: int = 30
    checkin_grace_minutes: int = 10

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
                  f"must be whole minutes from 0 to less than the shift ({grace})"))
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
    length = timedelta(hours=policy.shift_hours)
    n = -((start - end) // length)
    s_utc = start.astimezone(UTC)
    bounds = [(s_utc + i * length).astimezone(tz) for i in range(n + 1)]
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
        lo, hi = max(0, (u.start - start) // length), min(n, -((start - u.end) // length))
        blocked[pos[u.person_id]].update(range(lo, hi))
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


def _hole(wins: list[list[tuple[datetime, datetime]]], a: datetime, b: datetime
          ) -> tuple[datetime, datetime] | None:
    """The first stretch of [a, b) in which every person is unavailable (None when there is none)."""
    common = [(a, b)]
    for mine in wins:
        out = []
        for x, y in sorted(mine):
            for c0, c1 in common:
                lo, hi = max(x, c0), min(y, c1)
                if lo < hi:
                    out.append((lo, hi))
        out.sort()
        common = []
        for x, y in out:  # merge
            if common and x <= common[-1][1]:
                common[-1] = (common[-1][0], max(common[-1][1], y))
            else:
                common.append((x, y))
    return common[0] if common else None


def _matching(window: list[list[int]], k: int) -> int:
    """Maximum number of slots (k per shift) that distinct people can fill."""
    if all(len(a) >= len(window) * k for a in window):
        return len(window) * k  # Hall's condition holds trivially
    return len(_match(window, k))


def _match(window: list[list[int]], k: int) -> dict[int, int]:
    """A maximum matching person -> slot (slot // k is the position in window); Kuhn's algorithm."""
    slots = [i for i in range(len(window)) for _ in range(k)]
    owner: dict[int, int] = {}

    def augment(slot: int, seen: set[int]) -> bool:
        for p in window[slots[slot]]:  # a free person first (keeps pool order), then re-route
            if p not in owner:
                owner[p] = slot
                return True
        for p in window[slots[slot]]:
            if p not in seen:
                seen.add(p)
                if augment(owner[p], seen):
                    owner[p] = slot
                    return True
        return False

    for slot in range(len(slots)):
        augment(slot, set())
    return owner


def _search(avail: list[list[int]], npeople: int, k: int, c: int) -> list[list[int]] | int | None:
    """Assignment per shift; or the deepest shift index reached when infeasible; None over budget."""
    n = len(avail)
    assign: list[list[int] | None] = [None] * n
    load, last = [0] * npeople, [-n - c] * npeople
    saved: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    failed: set[tuple] = set()
    stack: list[tuple[Any, tuple]] = []
    i, entering, steps, deepest = 0, True, 0, 0

    while i < n:
        if entering:
            key = (i, *(tuple(sorted(a or ())) for a in assign[max(0, i - c + 1):i]))
            if key in failed:
                it: Any = iter(())
            else:
                recent = {p for a in assign[max(0, i - c + 1):i] for p in a or ()}
                cands = sorted((p for p in avail[i] if p not in recent), key=lambda p: (load[p], last[p], p))
                it = combinations(cands, k)
            stack.append((it, key))
            deepest = max(deepest, i)
        it, key = stack[-1]
        if assign[i] is not None:  # undo the previous choice for shift i
            for p, prev in saved[i]:
                load[p] -= 1
                last[p] = prev
            saved[i], assign[i] = [], None
        combo = next(it, None)
        if combo is None:
            failed.add(key)
            stack.pop()
            i, entering = i - 1, False
            if i < 0:
                return deepest
            continue
        steps += 1
        if steps > SEARCH_LIMIT:
            return None
        for p in combo:
            saved[i].append((p, last[p]))
            load[p] += 1
            last[p] = i
        assign[i] = list(combo)
        # forward check: the next c-1 shifts must still be staffable by distinct rested people
        ahead = [[p for p in avail[j] if j - last[p] >= c] for j in range(i + 1, min(n, i + c))]
        if _matching(ahead, k) == len(ahead) * k:
            i, entering = i + 1, True
        else:
            entering = False
    return assign  # type: ignore[return-value]


def _rebalance(assign: list[list[int]], blocked: list[set[int]], npeople: int, c: int) -> None:
    """Move shifts from a person to someone two or more shifts lighter who can take them."""
    mine: list[list[int]] = [[] for _ in range(npeople)]
    for i, ps in enumerate(assign):
        for p in ps:
            mine[p].append(i)
    while True:
        moved = False
        for q in sorted(range(npeople), key=lambda p: (-len(mine[p]), p)):
            top = len(mine[q])
            takers = sorted((p for p in range(npeople) if len(mine[p]) <= top - 2),
                            key=lambda p: (len(mine[p]), p))
            if not takers:
                break  # loads only go down from here
            for s in mine[q]:
                for p in takers:
                    if p in assign[s] or s in blocked[p] or any(abs(j - s) < c for j in mine[p]):
                        continue
                    assign[s][assign[s].index(q)] = p
                    mine[q].remove(s)
                    bisect.insort(mine[p], s)
                    moved = True
                    break
                if moved:
                    break
            if moved:
                break
        if not moved:
            return


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
