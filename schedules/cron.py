"""Cron-style jobs that run once per occurrence across all instances (issue 7).

APScheduler 3 cannot share a job store between processes, so it is only the timer: at every interval
boundary each instance's scheduler calls `plan_occurrence`, which inserts one due row of kind "cron"
with the occurrence key `cron:{job}:{occurrence}` as its dedup key (ON CONFLICT DO NOTHING). Only one
such row can exist; the sweeper claims it once (bot/services/claims.claim_rows) and runs the job in
the row's transaction. An instance that dies mid-job leaves the row claimed; another takes it over
when the lease expires. The occurrence is the start of the interval (epoch-aligned), so instances
whose timers fire a little apart agree on it. A job must be idempotent in what it plans (the patrol
planner is: dedup keys per person, day and slot), because a row taken over after a crash reruns it.

Jobs: "patrols" (hourly; PATROL_PLAN_SECONDS) plans the patrol reminders and the daily digest, which
are themselves due rows with their own keys (schedules/duty.py) and so go out once as well.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.ops.dbfault import FAULTS, backoff
from bot.ops.health import LIVE_WITHIN
from bot.ops.metrics import CRON_RUNS
from bot.services.clocks import add_due
from models import Instance
from schedules.duty import plan_patrols_in
from schedules.sweeps import DueDTO, SweepContext, register_kind

log = logging.getLogger("onduty.cron")
WHERE = "cron"  # the loop's name in /healthz while it waits out a storage fault
CRON = "cron"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CronJob:
    name: str
    every: timedelta
    fn: Callable[[SweepContext], Awaitable[Any]]


JOBS: dict[str, CronJob] = {}


def register_cron(name: str, every: timedelta, fn: Callable[[SweepContext], Awaitable[Any]]) -> None:
    JOBS[name] = CronJob(name, every, fn)


def occurrence(now: datetime, every: timedelta) -> datetime:
    """The start of the interval `now` falls in (intervals aligned on 2000-01-01 UTC)."""
    return EPOCH + ((now - EPOCH) // every) * every


def occurrence_key(job: str, at: datetime) -> str:
    return f"cron:{job}:{at.astimezone(UTC).isoformat()}"


async def plan_occurrence(s: AsyncSession, job: str, every: timedelta, now: datetime,
                          turn: str | None = None) -> int | None:
    """The occurrence's due row, unless another instance added it already (then None). With `turn`, the row
    is reserved for that instance's sweeper for a moment (schedules/sweeps.py RESERVED_FOR): otherwise another
    instance's regular tick could claim it first, and one busy instance would run every occurrence."""
    at = occurrence(now, every)
    return await add_due(s, kind=CRON, due=at, dedup_key=occurrence_key(job, at), now=now,
                         payload={"job": job, "occurrence": at.isoformat()}, reserved_for=turn)


async def preferred_instance(s: AsyncSession, job: str, every: timedelta, now: datetime) -> str | None:
    """The live instance whose turn this occurrence is: round robin over the live instances (sorted ids),
    so scheduled work is shared out rather than always won by the instance whose sweeper ticks first."""
    live = list(await s.scalars(select(Instance.id).where(Instance.seen_at >= now - LIVE_WITHIN)
                                .order_by(Instance.id)))
    if not live:
        return None
    return live[((occurrence(now, every) - EPOCH) // every) % len(live)]


async def cron_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    item = items[0]
    job = JOBS.get(str(item.payload.get("job")))
    if job is None:
        log.warning("cron row %s names an unknown job %r; cancelled", item.id, item.payload.get("job"))
        return "cancelled"
    result = await job.fn(ctx)
    CRON_RUNS.labels(job.name).inc()
    log.info("cron %s, occurrence %s: %s", job.name, item.payload.get("occurrence"), result)
    return None


def install(scheduler: Any, sessions: async_sessionmaker[AsyncSession], clock: Clock, *,
            every: dict[str, timedelta] | None = None, wake: Callable[[], Any] | None = None,
            instance: str | None = None) -> list[Any]:
    """One APScheduler interval job per cron job, firing at the epoch-aligned boundaries and once at
    start; `every` overrides a job's interval (settings). `wake` is called after planning (the sweeper).
    With `instance` (its id in the heartbeat table), whoever plans the occurrence first reserves it for the
    instance whose turn it is (schedules/sweeps.py RESERVED_FOR), and that instance wakes its own sweeper to
    claim it; after the reservation anyone may, so an occurrence whose instance died still runs."""
    from apscheduler.triggers.interval import IntervalTrigger

    jobs = []
    for job in JOBS.values():
        interval = (every or {}).get(job.name, job.every)

        async def plan(name: str = job.name, interval: timedelta = interval) -> None:
            # A storage fault (disk full, server gone) would otherwise lose the occurrence until the next
            # boundary: try again, backing off, for at most half the interval.
            give_up = time.monotonic() + interval.total_seconds() / 2
            wait = 0.0
            while True:
                try:
                    turn = None
                    if instance is not None:
                        async with sessions() as s:
                            turn = await preferred_instance(s, name, interval, clock.now())
                    async with sessions() as s, s.begin():
                        added = await plan_occurrence(s, name, interval, clock.now(), turn=turn)
                except Exception as e:
                    if FAULTS.failed(WHERE, e) is None or time.monotonic() > give_up:
                        raise
                    wait = backoff(wait)
                    await asyncio.sleep(wait)
                    continue
                FAULTS.recovered(WHERE)
                break
            if wake is not None and (added is not None or turn == instance):
                wake()

        # Aligned boundaries in every instance (start_date), plus one run now: a date job, since an
        # interval job's own first run would shift all its later runs off the boundaries.
        now = datetime.now(UTC)
        jobs.append(scheduler.add_job(
            plan, IntervalTrigger(seconds=interval.total_seconds(), start_date=occurrence(now, interval) + interval,
                                  timezone=UTC),
            id=f"onduty.cron.{job.name}", misfire_grace_time=None, coalesce=True, max_instances=1,
            replace_existing=True))
        jobs.append(scheduler.add_job(plan, "date", run_date=now, id=f"onduty.cron.{job.name}.start",
                                      misfire_grace_time=None, replace_existing=True))
    return jobs


async def _patrols(ctx: SweepContext) -> int:
    return await plan_patrols_in(ctx.session, ctx.now)


register_kind(CRON, cron_handler)
register_cron("patrols", timedelta(hours=1), _patrols)
