"""Benchmark of the duty roster: 7 days x 4 shifts/day (6 h) x 200 monitors, random unavailability.

Run: python bench/roster_gen.py   (fixed seed; prints median generation time, shifts, reminder rows)
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.roster import Person, RosterPolicy, Unavailability, generate_roster, load_by_person, reminders

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2024, 11, 25, 0, 0, tzinfo=TZ)
DAYS, MONITORS, RUNS, SEED = 7, 200, 7, 20241125


def workload(seed: int = SEED) -> tuple[list[Person], list[Unavailability]]:
    rng = random.Random(seed)
    people = [Person(i, f"监测员{i:03d}") for i in range(1, MONITORS + 1)]
    unav = []
    for p in people:  # 0-3 windows of 2-36 h each, anywhere in the week
        for _ in range(rng.randint(0, 3)):
            a = rng.randint(0, DAYS * 24 - 1)
            unav.append(Unavailability(p.id, START + timedelta(hours=a),
                                       START + timedelta(hours=a + rng.randint(2, 36))))
    return people, unav


def main() -> None:
    people, unav = workload()
    for per_shift in (1, 2):
        policy = RosterPolicy(shift_hours=6, per_shift=per_shift)
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            roster = generate_roster(people, START, START + timedelta(days=DAYS), policy, unav, now=START)
            times.append(time.perf_counter() - t0)
        loads = load_by_person(roster, people).values()
        rows = len(reminders(roster))
        assert rows == len(roster.shifts) * per_shift * 2
        print(f"per_shift={per_shift}: {MONITORS} monitors, {len(unav)} unavailability windows, "
              f"{len(roster.shifts)} shifts; generation median {statistics.median(times) * 1000:.1f} ms "
              f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {RUNS} runs); "
              f"reminder rows {rows} (shifts x per_shift x 2: pre-shift reminder + check-in); "
              f"load min {min(loads)} max {max(loads)}")


if __name__ == "__main__":
    main()
