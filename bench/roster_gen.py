"""Benchmark of the duty roster: 7 days x 4 shifts/day (6 h) x 200 monitors, random unavailability.

Run: python bench/roster_gen.py   (fixed seed)
Prints, for one and two people per shift:
- the pure generator: median generation time, shifts, load spread;
- the real thing on a SQLite file: 200 monitors with the same windows declared (the `unavailability` table),
  `start_duty` over 7 days as a major incident starts it, its time and the number of pending reminder rows
  (due rows of kind "duty": per person-shift a reminder, the Check in button, the check-in deadline and the
  handover prompt, plus the event's end) it creates; then one monitor declares a window over their shift
  a day ahead on the running duty: the reassignment's time and the pending rows after it.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bot.db import create_engine, session_factory  # noqa: E402
from bot.domain.orgfile import parse_org_file  # noqa: E402
from bot.domain.roster import Person, RosterPolicy, Unavailability, generate_roster, load_by_person  # noqa: E402
from bot.domain.unavailability import Window  # noqa: E402
from bot.services import duty as sv  # noqa: E402
from bot.services.org import load_org  # noqa: E402
from bot.services.org_import import import_org  # noqa: E402
from bot.services.unavailability import apply_to_running, store  # noqa: E402
from models import DueItem  # noqa: E402
from models import Person as PersonRow  # noqa: E402
from models.duty import DutyShift  # noqa: E402
from models.migrate import upgrade  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 25, 0, 0, tzinfo=TZ)
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


def pure(people: list[Person], unav: list[Unavailability], per_shift: int) -> None:
    policy = RosterPolicy(shift_hours=6, per_shift=per_shift)
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        roster = generate_roster(people, START, START + timedelta(days=DAYS), policy, unav, now=START)
        times.append(time.perf_counter() - t0)
    loads = load_by_person(roster, people).values()
    print(f"generator, per_shift={per_shift}: {MONITORS} monitors, {len(unav)} unavailability windows, "
          f"{len(roster.shifts)} shifts; median {statistics.median(times) * 1000:.1f} ms "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {RUNS} runs); "
          f"load min {min(loads)} max {max(loads)}")


def org_yaml(per_shift: int) -> str:
    people = "\n".join(f"  - {{telegram_id: {100000 + i}, name: 监测员{i:03d}, roles: [monitor]}}"
                       for i in range(1, MONITORS + 1))
    return (f"organization: {{name: 基准, timezone: Asia/Shanghai}}\npeople:\n{people}\n"
            f"  - {{telegram_id: 2001, name: 舆情办, roles: [office]}}\n"
            f"policy: {{duty: {{per_shift: {per_shift}}}, patrol: {{duty_span_hours: {DAYS * 24}}}}}\n")


async def pending(s) -> int:  # noqa: ANN001
    return await s.scalar(select(func.count()).select_from(DueItem)
                          .where(DueItem.kind == sv.DUTY, DueItem.status == "pending"))


async def with_database(unav: list[Unavailability], per_shift: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await upgrade(engine)
        sessions = session_factory(engine)
        async with sessions() as s, s.begin():
            await import_org(s, parse_org_file(org_yaml(per_shift)), now=START)
            ids = {int(p.name[3:]): p.id for p in (await s.scalars(select(PersonRow))).all() if p.name.startswith("监测员")}
            for u in unav:
                await store(s, person_id=ids[u.person_id], window=Window(u.start, u.end), source="chat", by=None, now=START)
        gc.collect()
        gc.freeze()  # as `onduty run` does after start-up (bot/runtime.py): no full collection of the imports here
        async with sessions() as s, s.begin():
            org = await load_org(s)
            t0 = time.perf_counter()
            r = await sv.start_duty(s, incident=None, by=None, org=org, now=START)
            took = time.perf_counter() - t0
            assert r.ok, r
        async with sessions() as s:
            rows = await pending(s)
            shifts = await s.scalar(select(func.count()).select_from(DutyShift))
            # a monitor's shift at least a day ahead
            mine = (await s.execute(select(DutyShift.person_id, DutyShift.start, DutyShift.end)
                                    .where(DutyShift.start > START + timedelta(days=1)).order_by(DutyShift.start))).all()
        print(f"start_duty on SQLite, per_shift={per_shift}: {shifts} person-shifts over {DAYS} days in "
              f"{took * 1000:.0f} ms; pending reminder rows {rows} "
              f"(4 per person-shift, less the reminders of the shift starting now, + 1 for the end)")
        pid, a, b = mine[0]  # (with 200 monitors nobody has two shifts in a week)
        async with sessions() as s, s.begin():
            org = await load_org(s)
            person = await s.get(PersonRow, pid)
            row, _ = await store(s, person_id=pid, window=Window(a, b), source="chat", by=None, now=START)
            t0 = time.perf_counter()
            out = await apply_to_running(s, person=person, start=row.start, end=row.end, org=org, now=START)
            took = time.perf_counter() - t0
        async with sessions() as s:
            after = await pending(s)
        print(f"  a declaration over one monitor's shift on the running duty: {out['moved']} reassigned, "
              f"{out['uncovered']} uncovered in {took * 1000:.0f} ms; pending reminder rows {after} "
              f"(the old person's cancelled, the new person's added)")
        await engine.dispose()


def main() -> None:
    people, unav = workload()
    for per_shift in (1, 2):
        pure(people, unav, per_shift)
        asyncio.run(with_database(unav, per_shift))


if __name__ == "__main__":
    main()
