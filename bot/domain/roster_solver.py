"""The roster generator's search machinery: common unavailability holes, bipartite matching (Kuhn),
the depth-first search with forward checking and a memo of failed states, and the rebalancing pass.
Positions are shift indices; people are indices into the pool."""

from __future__ import annotations

import bisect
from datetime import datetime
from itertools import combinations
from typing import Any

from bot.domain.roster_model import SEARCH_LIMIT


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
