"""The due-row sweeper: fires `due_items` whose time has come, through a handler per kind.

Claim pattern as the outbox's (one UPDATE … RETURNING, SKIP LOCKED on PostgreSQL, a lease): a row
whose worker died is taken over after its lease. A handler runs in one transaction with marking its
rows done, so the messages it enqueues (bot/services/outbox.py) and "done" commit together; a rerun
after a crash finds the same outbox dedup keys and adds nothing.

Kind "nudge" (deadline reminders): several rows of one clock fired together (after downtime) become
one message per recipient — the newest point, marked late. At 100% the clock is overdue and a
further row follows every `policy.clocks.overdue_escalation_minutes` until the clock stops, each
also told to the next leader level (supervising leader → main leader → leading group).

APScheduler 3 is only the wake-up timer (`install`); the truth is in the table.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.types import Address
from bot.clock import Clock
from bot.domain.routing import CHAIN
from bot.domain.workcal import WorkCalendar
from bot.i18n import t
from bot.ops.dbfault import FAULTS, backoff, storage_fault
from bot.ops.logs import bind_incident
from bot.ops.metrics import DUE_FIRED, ESCALATIONS, NUDGES_LATE
from bot.render import fmt_duration
from bot.services import room
from bot.services.addresses import tag
from bot.services.calendar import calendar_for
from bot.services.claims import claim_rows
from bot.services.clocks import add_due, nudge_key
from bot.services.dto import OrgDTO
from bot.services.org import load_org, people_with_roles
from bot.services.send import add_recipient, to_address
from models import DueItem, Incident, Person, ResponseClock

log = logging.getLogger("onduty.sweeps")
WHERE = "sweeper"  # the loop's name in /healthz while it waits out a storage fault


@dataclass(frozen=True)
class DueDTO:
    id: int
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    dedup_key: str
    clock_id: int | None
    incident_id: int | None
    attempts: int


@dataclass
class SweepContext:
    """What a handler gets: the transaction, the time, the organisation."""

    session: AsyncSession
    now: datetime
    org: OrgDTO
    calendar: WorkCalendar
    grace: timedelta
    enqueued: int = 0  # handlers add the outbox rows they wrote (the sender is woken when > 0)

    def is_late(self, item: DueDTO) -> bool:
        return self.now - item.due_at > self.grace


Handler = Callable[[SweepContext, list[DueDTO]], Awaitable[str | None]]  # → None/"done" or "cancelled"


@dataclass(frozen=True)
class KindHandler:
    fn: Handler
    group_by: Callable[[DueDTO], Hashable] = field(default=lambda item: item.id)


HANDLERS: dict[str, KindHandler] = {}


def register_kind(kind: str, fn: Handler, *, group_by: Callable[[DueDTO], Hashable] | None = None) -> None:
    """Handle due rows of `kind`. Rows of one sweep with the same `group_by` key (default: each row
    alone) are given to `fn` together. `fn` returns None/"done", or "cancelled" (nothing to do)."""
    HANDLERS[kind] = KindHandler(fn, group_by or (lambda item: item.id))


# ---------------------------------------------------------------- claiming

RESERVED_FOR = timedelta(seconds=2)  # how long a pending row planned for one instance (`claimed_by`) waits for it


def _claimable(now: datetime, instance: str):  # noqa: ANN202
    """Due and free; a pending row that names an instance in `claimed_by` (a cron occurrence planned for the
    instance whose turn it is, schedules/cron.py) is left to it for RESERVED_FOR, then to anyone."""
    d = DueItem
    free = or_(d.claimed_by.is_(None), d.claimed_by == instance, d.due_at <= now - RESERVED_FOR)
    return or_(and_(d.status == "pending", d.due_at <= now, free), and_(d.status == "claimed", d.claimed_until < now))


async def claim_due(s: AsyncSession, *, instance: str, now: datetime, limit: int, lease: timedelta,
                    kinds: list[str] | None = None) -> list[DueDTO]:
    d = DueItem
    cond = [_claimable(now, instance)] + ([d.kind.in_(kinds)] if kinds is not None else [])
    rows = await claim_rows(s, d, where=cond, order_by=[d.due_at, d.id], limit=limit,
                            values=dict(status="claimed", claimed_by=instance, claimed_until=now + lease),
                            returning=[d.id, d.kind, d.due_at, d.payload, d.dedup_key, d.clock_id, d.incident_id,
                                       d.attempts])
    return sorted((DueDTO(id=r.id, kind=r.kind, due_at=r.due_at, payload=dict(r.payload or {}),
                          dedup_key=r.dedup_key, clock_id=r.clock_id, incident_id=r.incident_id,
                          attempts=r.attempts) for r in rows), key=lambda i: (i.due_at, i.id))


async def _finish(s: AsyncSession, items: list[DueDTO], *, status: str, instance: str, ctx: SweepContext) -> bool:
    """Mark the rows done/cancelled if still ours; False when another worker took them over."""
    n = 0
    for late in (True, False):
        ids = [i.id for i in items if ctx.is_late(i) == late]
        if ids:
            res = await s.execute(update(DueItem).where(DueItem.id.in_(ids), DueItem.claimed_by == instance,
                                                        DueItem.status == "claimed")
                                  .values(status=status, done_at=ctx.now, late=late and status == "done",
                                          claimed_until=None)
                                  .execution_options(synchronize_session=False))
            n += res.rowcount or 0
    return n == len(items)


class _TakenOver(Exception):
    pass


class _StorageFault(Exception):
    """The database could not take the sweep's writes (bot/ops/dbfault.py): stop this pass, wait, retry."""


class DueSweeper:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, *, instance: str | None = None,
                 notify: Callable[[], Any] | None = None, lease: timedelta = timedelta(minutes=2),
                 batch: int = 200, grace: timedelta | None = None, default_tz: str = "Asia/Shanghai",
                 handlers: dict[str, KindHandler] | None = None) -> None:
        self.sessions, self.clock = sessions, clock
        self.instance = instance or f"sweeper-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.notify, self.lease, self.batch, self.grace = notify, lease, batch, grace
        self.default_tz = default_tz
        self.handlers = HANDLERS if handlers is None else handlers
        self._wait = 0.0  # the back-off after a storage fault (seconds; 0: none)
        self._resume_at = 0.0  # time.monotonic() before which ticks are skipped
        self._orphans = False  # rows this sweeper claimed before a fault: to be given back, not left to the lease

    async def run_once(self) -> int:
        """Fire every due row whose time has come; returns how many rows were finished. A storage fault
        (disk full, read-only, locked, server gone) ends the pass: the process goes on, later ticks try again
        after a back-off, and the rows it had claimed are given back then, rather than after their lease."""
        if time.monotonic() < self._resume_at:
            return 0
        try:
            if self._orphans:
                await self._give_back()
            total = await self._sweep()
        except Exception as e:
            if isinstance(e, _StorageFault):
                e = e.__cause__ or e
            if FAULTS.failed(WHERE, e) is None:
                raise
            self._wait = backoff(self._wait)
            self._resume_at = time.monotonic() + self._wait
            self._orphans = True
            return 0
        if self._wait:
            self._wait = 0.0
            FAULTS.recovered(WHERE)
        return total

    async def _give_back(self) -> None:
        async with self.sessions() as s, s.begin():
            await s.execute(update(DueItem).where(DueItem.status == "claimed", DueItem.claimed_by == self.instance)
                            .values(claimed_until=self.clock.now()).execution_options(synchronize_session=False))
        self._orphans = False

    async def _sweep(self) -> int:
        total = 0
        while True:
            now = self.clock.now()
            async with self.sessions() as s, s.begin():
                items = await claim_due(s, instance=self.instance, now=now, limit=self.batch, lease=self.lease,
                                        kinds=list(self.handlers))
            if not items:
                return total
            groups: dict[tuple[str, Hashable], list[DueDTO]] = defaultdict(list)
            for item in items:
                groups[(item.kind, self.handlers[item.kind].group_by(item))].append(item)
            enqueued = 0
            for (kind, _), group in groups.items():
                done, sent = await self._run_group(kind, group, now)
                total += done
                enqueued += sent
            if enqueued and self.notify is not None:
                self.notify()
            if len(items) < self.batch:
                return total

    async def _run_group(self, kind: str, group: list[DueDTO], now: datetime) -> tuple[int, int]:
        incident_id = group[0].incident_id
        number = None
        if incident_id is not None:
            async with self.sessions() as s:
                number = await s.scalar(select(Incident.number).where(Incident.id == incident_id))
        with bind_incident(number):
            try:
                async with self.sessions() as s, s.begin():
                    org = await load_org(s, self.default_tz)
                    grace = timedelta(seconds=org.policy.clocks.late_grace_seconds) if self.grace is None \
                        else self.grace
                    ctx = SweepContext(session=s, now=now, org=org, calendar=calendar_for(org), grace=grace)
                    outcome = await self.handlers[kind].fn(ctx, group)
                    status = "cancelled" if outcome == "cancelled" else "done"
                    if not await _finish(s, group, status=status, instance=self.instance, ctx=ctx):
                        raise _TakenOver
                if status == "done":
                    _count(kind, group, ctx)
                return len(group), ctx.enqueued
            except _TakenOver:
                log.warning("due rows %s were taken over by another worker; left to it", [i.id for i in group])
            except Exception as e:
                if storage_fault(e) is not None:  # not the rows' fault: no attempt counted (that write fails too)
                    raise _StorageFault from e
                log.exception("due rows %s (%s) failed; retried after the lease", [i.id for i in group], kind)
                async with self.sessions() as s, s.begin():
                    await s.execute(update(DueItem).where(DueItem.id.in_([i.id for i in group]))
                                    .values(attempts=DueItem.attempts + 1)
                                    .execution_options(synchronize_session=False))
        return 0, 0


def _count(kind: str, group: list[DueDTO], ctx: SweepContext) -> None:
    """Metrics of fired rows: per kind and lateness; late nudges; escalation steps and overdue nudges."""
    for item in group:
        late = ctx.is_late(item)
        DUE_FIRED.labels(kind, "late" if late else "on_time").inc()
        if kind == "nudge" and late:
            NUDGES_LATE.inc()
        if kind == "escalation":
            ESCALATIONS.labels("escalation").inc()
        elif kind == "nudge" and str(item.payload.get("point", "")).startswith("overdue:"):
            ESCALATIONS.labels("overdue").inc()


# ---------------------------------------------------------------- kind "nudge"

def _fmt_time(dt: datetime, org: OrgDTO) -> str:
    local = dt.astimezone(org.tz)
    off = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} (UTC{off[:3]}:{off[3:]})"


def _point_order(item: DueDTO) -> tuple:
    point = str(item.payload.get("point", ""))
    if point.startswith("overdue:"):
        return (2, int(point.split(":", 1)[1]), item.due_at)
    try:
        return (1, float(point), item.due_at)
    except ValueError:
        return (0, 0, item.due_at)


def render_nudge(*, lang: str, point: str, number: str, clock: ResponseClock, now: datetime, org: OrgDTO,
                 late: bool, responsible: str | None, level: str | None = None) -> str:
    kw: dict[str, Any] = dict(late=t("nudge.late", lang) if late else "", number=number,
                              clock=t(f"clock.name.{clock.name}", lang), due=_fmt_time(clock.due_at, org),
                              left=fmt_duration(clock.due_at - now, lang), over=fmt_duration(now - clock.due_at, lang))
    overdue_by = now - clock.due_at
    if point.startswith("overdue:"):
        text = t("nudge.overdue", lang, n=int(point.split(":", 1)[1]), level=level or "-", **kw)
    elif float(point) >= 1:
        text = t("nudge.due_passed" if overdue_by > timedelta(minutes=1) else "nudge.due_now", lang, **kw)
    elif overdue_by > timedelta(0):
        text = t("nudge.reminder_passed", lang, **kw)
    else:
        text = t("nudge.reminder", lang, percent=round(float(point) * 100), **kw)
    if responsible:
        text += "\n" + t("nudge.responsible", lang, name=responsible)
    return text


async def nudge_handler(ctx: SweepContext, items: list[DueDTO]) -> str | None:
    s, org, now = ctx.session, ctx.org, ctx.now
    clock = await s.get(ResponseClock, items[0].clock_id) if items[0].clock_id else None
    if clock is None or clock.status != "running":
        return "cancelled"
    newest = max(items, key=_point_order)
    point = str(newest.payload.get("point", "1"))
    late = any(ctx.is_late(i) for i in items)
    incident = await s.get(Incident, clock.incident_id)
    number = incident.number if incident else f"#{clock.incident_id}"
    responsible = await s.get(Person, clock.responsible_id) if clock.responsible_id else None

    recipients: dict[Address, str] = {}  # address → language
    if responsible is not None and responsible.active:
        await add_recipient(s, recipients, responsible, responsible.language or org.language)
    office = await room.office_address(s, clock.incident_id)  # the incident's topic of the office group, if any
    if office is not None:
        recipients.setdefault(office, org.language)
    else:
        for p in await people_with_roles(s, ("office",)):
            await add_recipient(s, recipients, p, p.language or org.language)
    level_roles: tuple[str, ...] = ()
    if point.startswith("overdue:"):
        level_roles = CHAIN[min(int(point.split(":", 1)[1]), len(CHAIN)) - 1]
        for p in await people_with_roles(s, level_roles):
            await add_recipient(s, recipients, p, p.language or org.language)

    for to, lang in recipients.items():
        level = ("、" if lang == "zh" else ", ").join(t(f"nudge.role.{r}", lang) for r in level_roles)
        text = render_nudge(lang=lang, point=point, number=number, clock=clock, now=now, org=org, late=late,
                            responsible=responsible.name if responsible else None, level=level)
        if await to_address(s, to, text=text, now=now, dedup_key=f"nudge:{newest.id}:{tag(to)}",
                            coalesce_key="nudge" if to == office else None,
                            notice="clock.nudge") is not None:  # the group's coalesce
            ctx.enqueued += 1

    if point.startswith("overdue:") or float(point) >= 1:
        await _schedule_overdue(ctx, clock, point)
    return None


async def _schedule_overdue(ctx: SweepContext, clock: ResponseClock, point: str) -> None:
    """The next overdue escalation: due + k·interval, the first such instant after now (k ≥ the next step)."""
    interval = timedelta(minutes=ctx.org.policy.clocks.overdue_escalation_minutes)
    step = int(point.split(":", 1)[1]) if point.startswith("overdue:") else 0
    k = max(step + 1, int((ctx.now - clock.due_at) / interval) + 1)
    due = clock.due_at + k * interval
    await add_due(ctx.session, kind="nudge", due=due, dedup_key=nudge_key(clock.id, clock.due_at, f"overdue:{k}"),
                  now=ctx.now, payload={"point": f"overdue:{k}", "point_at": due.isoformat(), "clock": clock.name},
                  clock_id=clock.id, incident_id=clock.incident_id)


register_kind("nudge", nudge_handler, group_by=lambda item: ("clock", item.clock_id))


# ---------------------------------------------------------------- APScheduler (wake-up timer only)

def install(scheduler: Any, sweeper: DueSweeper, sender: Any = None, *, every_seconds: float = 1) -> list[Any]:
    """Interval jobs on an AsyncIOScheduler: the sweeper (and the sender's run_once, when given).
    A missed run is just run late (misfire_grace_time=None), runs never pile up (coalesce, max_instances=1)."""
    from apscheduler.triggers.interval import IntervalTrigger

    jobs = []
    for name, fn in (("sweep", sweeper.run_once), ("outbox", sender.run_once if sender is not None else None)):
        if fn is None:
            continue
        jobs.append(scheduler.add_job(
            fn, IntervalTrigger(seconds=every_seconds, timezone=UTC), id=f"onduty.{name}", name=f"onduty {name}",
            misfire_grace_time=None, coalesce=True, max_instances=1, replace_existing=True,
            next_run_time=datetime.now(UTC)))
    return jobs
