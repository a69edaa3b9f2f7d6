"""A new person for a shift someone can no longer stand (declared unavailability on a running duty).

The swap rules decide who may take it (`validate_swap`: not already on it, not unavailable, rest kept);
among those the balance decides: the least loaded first, then the one rested longest around it, then
pool order — the generator's own greedy order. When nobody may, the error counts why, per reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.roster_changes import apply_swap, load_by_person, validate_swap
from bot.domain.roster_model import Person, Roster, RosterError, Unavailability


@dataclass(frozen=True)
class Move:
    shift_index: int
    leaving: int
    taker: int | None  # None: nobody can take it
    error: RosterError | None = None


@dataclass(frozen=True)
class Reassignment:
    roster: Roster
    moves: tuple[Move, ...]  # future shifts, given to someone else or uncovered
    running: tuple[int, ...]  # shift indices under way: the office decides


def _rest_around(roster: Roster, index: int, pid: int) -> float:
    """Hours between shift `index` and pid's nearest other shift (infinite when they have none)."""
    shift = roster.shifts[index]
    gaps = [max(s.start - shift.end, shift.start - s.end) / timedelta(hours=1)
            for s in roster.shifts_of(pid) if s.index != index]
    return min(gaps, default=float("inf"))


def replacement(roster: Roster, index: int, leaving: int, pool: Sequence[Person],
                unavailability: Iterable[Unavailability] = ()) -> Move:
    """Who takes `leaving`'s place on shift `index`; Move.taker None with the reason when nobody can."""
    unav = list(unavailability)
    loads = load_by_person(roster, pool)
    ok: list[Person] = []
    counts = {"swap_unavailable": 0, "swap_rest": 0, "already_on_shift": 0}
    for p in pool:
        if p.id == leaving:
            continue
        problems = validate_swap(roster, index, p, unavailability=unav, replacing=leaving)
        if not problems:
            ok.append(p)
        else:  # the first problem names the reason; unavailability first, as validate_swap orders them
            counts[problems[0].code] = counts.get(problems[0].code, 0) + 1
    if ok:
        order = {p.id: i for i, p in enumerate(pool)}
        best = min(ok, key=lambda p: (loads.get(p.id, 0), -_rest_around(roster, index, p.id), order[p.id]))
        return Move(index, leaving, best.id)
    err = RosterError("no_replacement", total=len(pool) - (1 if any(p.id == leaving for p in pool) else 0),
                      unavailable=counts["swap_unavailable"], rest=counts["swap_rest"],
                      on_shift=counts["already_on_shift"], rest_hours=roster.policy.min_rest_hours)
    return Move(index, leaving, None, err)


def reassign(roster: Roster, person_id: int, windows: Iterable[tuple[datetime, datetime]], pool: Sequence[Person],
             unavailability: Iterable[Unavailability] = (), *, now: datetime) -> Reassignment:
    """Every shift of person_id overlapping a window: a future one goes to a replacement (one at a time,
    so each choice sees the loads and rest of the previous ones); one under way is left for the office."""
    wins = list(windows)
    unav = list(unavailability)
    moves: list[Move] = []
    running: list[int] = []
    for shift in roster.shifts_of(person_id):
        if shift.end <= now or not any(a < shift.end and b > shift.start for a, b in wins):
            continue
        if shift.start <= now:
            running.append(shift.index)
            continue
        move = replacement(roster, shift.index, person_id, pool, unav)
        if move.taker is not None:
            roster = apply_swap(roster, shift.index, move.taker, unavailability=unav, replacing=person_id)
        moves.append(move)
    return Reassignment(roster, tuple(moves), tuple(running))
