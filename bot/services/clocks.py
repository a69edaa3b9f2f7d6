"""The response clocks of an incident (docs/domain.md "Deadlines") and the due rows that nudge about them.

Rules live in bot/domain/clocks.py (`clocks_for`, `due_at`, `nudge_times`); this module keeps them
in the database: one `clocks` row per (incident, clock), one `due_items` row of kind "nudge" per
nudge point, fired by schedules/sweeps.py. `add_due` / `cancel_due` are the generic due-row helpers
later kinds (escalation, duty) use too.

Hour clocks (report_upward, publish) start at discovery; the others when the organisation learned
of the post (the report). A nudge point already past when a clock starts fires at once (not late).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.clocks import CLOCKS, ClockPolicy, clocks_for, due_at, nudge_times
from bot.domain.workcal import WorkCalendar
from bot.services.memo import new_incident
from models import DueItem, ResponseClock

FROM_DISCOVERY = frozenset({"report_upward", "publish"})


@dataclass(frozen=True)
class ClockDTO:
    id: int
    incident_id: int
    name: str
    started_at: datetime
    due_at: datetime
    status: str  # running | met | missed | stopped
    stopped_at: datetime | None
    stop_reason: str | None
    responsible_id: int | None
    left: timedelta | None  # time left at `now`, negative when overdue; None once the clock stopped

    @property
    def running(self) -> bool:
        return self.status == "running"

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left < timedelta(0)

    def to_json(self) -> dict[str, Any]:
        """For `onduty export` ("clocks")."""
        return {"name": self.name, "status": self.status, "started_at": self.started_at.isoformat(),
                "due_at": self.due_at.isoformat(),
                "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
                "stop_reason": self.stop_reason, "responsible_id": self.responsible_id}


def _dto(row: ResponseClock, now: datetime) -> ClockDTO:
    left = row.due_at - now if row.status == "running" else None
    return ClockDTO(id=row.id, incident_id=row.incident_id, name=row.name, started_at=row.started_at,
                    due_at=row.due_at, status=row.status, stopped_at=row.stopped_at, stop_reason=row.stop_reason,
                    responsible_id=row.responsible_id, left=left)


def clock_policy(policy: Any) -> ClockPolicy:
    """Accepts a ClockPolicy, a Policy (its `clocks` section) or None (defaults)."""
    if policy is None:
        return ClockPolicy()
    return policy if isinstance(policy, ClockPolicy) else policy.clocks


# ---------------------------------------------------------------- generic due rows

def due_values(*, kind: str, due: datetime, dedup_key: str, now: datetime, payload: dict[str, Any] | None = None,
               clock_id: int | None = None, incident_id: int | None = None) -> dict[str, Any]:
    """One due row's column values, for `add_due_many`."""
    return dict(kind=kind, due_at=due, status="pending", payload=dict(payload or {}), dedup_key=dedup_key,
                clock_id=clock_id, incident_id=incident_id, attempts=0, created_at=now, late=False)


async def add_due(s: AsyncSession, *, kind: str, due: datetime, dedup_key: str, now: datetime,
                  payload: dict[str, Any] | None = None, clock_id: int | None = None,
                  incident_id: int | None = None, reserved_for: str | None = None) -> int | None:
    """A due row in the caller's transaction; None (and nothing added) when `dedup_key` exists.
    `reserved_for`: the instance whose sweeper gets it first (schedules/sweeps.py `_claimable`)."""
    row = due_values(kind=kind, due=due, dedup_key=dedup_key, now=now, payload=payload, clock_id=clock_id,
                     incident_id=incident_id)
    row["claimed_by"] = reserved_for
    return (await s.execute(_insert_due(s), [row])).scalar_one_or_none()


_DUE = DueItem.__table__
_ADD_DUE = {name: ins(_DUE).on_conflict_do_nothing(index_elements=["dedup_key"])
            for name, ins in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))}
_ADD_DUE_RETURNING = {name: stmt.returning(_DUE.c.id) for name, stmt in _ADD_DUE.items()}


def _insert_due(s: AsyncSession, *, returning: bool = True) -> Any:
    """The INSERT … ON CONFLICT DO NOTHING (RETURNING id) of due rows, values given at execution: one
    statement, built once, for any number of rows, so it is compiled once and cached (a VALUES list built
    into the statement was compiled anew for every roster and every set of nudges)."""
    return (_ADD_DUE_RETURNING if returning else _ADD_DUE)[s.bind.dialect.name]


ADD_MANY_CHUNK = 500  # rows per executemany: a long roster goes in bounded batches


async def add_due_many(s: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Several due rows (from `due_values`) in one executemany per chunk: a duty roster schedules dozens at
    once, a new incident's clocks a dozen nudges. Existing dedup keys are skipped, as in `add_due`."""
    stmt = _insert_due(s, returning=False)
    for i in range(0, len(rows), ADD_MANY_CHUNK):
        await s.execute(stmt, rows[i:i + ADD_MANY_CHUNK])


async def cancel_due(s: AsyncSession, *, clock_id: int | None = None, incident_id: int | None = None,
                     kind: str | None = None, now: datetime) -> int:
    """Cancel pending due rows by clock and/or incident (and kind). Returns how many."""
    if clock_id is None and incident_id is None:
        raise ValueError("cancel_due needs a clock_id or an incident_id")
    cond = [DueItem.status == "pending"]
    if clock_id is not None:
        cond.append(DueItem.clock_id == clock_id)
    if incident_id is not None:
        cond.append(DueItem.incident_id == incident_id)
    if kind is not None:
        cond.append(DueItem.kind == kind)
    res = await s.execute(update(DueItem).where(*cond).values(status="cancelled", done_at=now))
    return res.rowcount or 0


def nudge_key(clock_id: int, due: datetime, point: str) -> str:
    """Dedup key of a nudge row: a new due time (regrade, extension) gets fresh keys."""
    return f"nudge:{clock_id}:{int(due.timestamp())}:{point}"


def point_label(fraction: float) -> str:
    return f"{fraction:g}"


async def _schedule_nudges(s: AsyncSession, clocks: list[ResponseClock], *, calendar: WorkCalendar,
                           policy: ClockPolicy, now: datetime) -> None:
    rows = []
    for row in clocks:
        for fraction, at in nudge_times(row.name, row.started_at, row.due_at, calendar=calendar,
                                        points=policy.nudge_points):
            point = point_label(fraction)
            payload = {"point": point, "point_at": at.isoformat(), "clock": row.name}
            rows.append(due_values(kind="nudge", due=max(at, now), dedup_key=nudge_key(row.id, row.due_at, point),
                                   now=now, payload=payload, clock_id=row.id, incident_id=row.incident_id))
    await add_due_many(s, rows)


# ---------------------------------------------------------------- clocks

async def _rows(s: AsyncSession, incident_id: int) -> dict[str, ResponseClock]:
    rows = (await s.scalars(select(ResponseClock).where(ResponseClock.incident_id == incident_id))).all()
    return {r.name: r for r in rows}


async def start_clocks(s: AsyncSession, *, incident_id: int, grade: str, category: str | None,
                       discovered_at: datetime, learned_at: datetime, calendar: WorkCalendar, policy: Any,
                       now: datetime, responsible_id: int | None = None) -> list[ClockDTO]:
    """Start the clocks that run for this grade and category, with their nudge rows. Idempotent:
    a clock the incident already has (any status) is left as it is. Returns all the incident's clocks."""
    cp = clock_policy(policy)
    noted = new_incident(s, incident_id)  # nobody else can see the incident yet: no race to settle
    new = noted is not None
    # a new incident's clocks are those this transaction started (noted); any other's are read
    existing = noted.setdefault("clocks", {}) if new else await _rows(s, incident_id)
    started: list[dict[str, Any]] = []
    for name in clocks_for(grade, category, policy=cp):
        if name in existing:
            continue
        start = discovered_at if name in FROM_DISCOVERY else learned_at
        due = due_at(name, start, grade=grade, calendar=calendar, policy=cp)
        if due is None:
            continue
        values = dict(incident_id=incident_id, name=name, started_at=start, due_at=due, status="running",
                      responsible_id=responsible_id)
        if new:
            started.append(values)
            continue
        row = ResponseClock(**values)
        try:
            async with s.begin_nested():
                s.add(row)
                await s.flush()
        except IntegrityError:  # started concurrently by someone else: theirs stands
            continue
        await _schedule_nudges(s, [row], calendar=calendar, policy=cp, now=now)
    if new:  # one INSERT for all of them (ORM bulk insert: one statement, not one a row), one for their nudges
        rows = (await s.scalars(insert(ResponseClock).returning(ResponseClock), started)).all() if started else []
        await _schedule_nudges(s, rows, calendar=calendar, policy=cp, now=now)
        existing.update((r.name, r) for r in rows)
        return _sorted_dtos(existing.values(), now)
    return await list_clocks(s, incident_id, now)


async def list_clocks(s: AsyncSession, incident_id: int, now: datetime) -> list[ClockDTO]:
    return _sorted_dtos((await _rows(s, incident_id)).values(), now)


def _sorted_dtos(rows: Iterable[ResponseClock], now: datetime) -> list[ClockDTO]:
    order = {name: i for i, name in enumerate(CLOCKS)}
    return [_dto(r, now) for r in sorted(rows, key=lambda r: (order.get(r.name, 99), r.id))]


async def stop_clock(s: AsyncSession, *, incident_id: int, name: str, reason: str | None,
                     now: datetime) -> ClockDTO | None:
    """The clock's duty was done: met when on time, missed when late; its pending nudges are cancelled.
    A clock already stopped is returned unchanged; None when the incident has no such clock."""
    row = (await _rows(s, incident_id)).get(name)
    if row is None:
        return None
    if row.status == "running":
        row.status = "met" if now <= row.due_at else "missed"
        row.stopped_at, row.stop_reason = now, reason
        await cancel_due(s, clock_id=row.id, now=now)
        await s.flush()
    return _dto(row, now)


async def cancel_clocks(s: AsyncSession, *, incident_id: int, reason: str | None, now: datetime,
                        names: list[str] | None = None) -> list[ClockDTO]:
    """Stop running clocks without judging them (incident dismissed or merged, clock no longer applies)."""
    out = []
    for row in (await _rows(s, incident_id)).values():
        if row.status == "running" and (names is None or row.name in names):
            row.status, row.stopped_at, row.stop_reason = "stopped", now, reason
            await cancel_due(s, clock_id=row.id, now=now)
            out.append(_dto(row, now))
    await s.flush()
    return out


async def resume_clocks(s: AsyncSession, *, incident_id: int, names: list[str], now: datetime) -> list[str]:
    """Clocks stopped because they no longer applied (stop reason "regraded") that apply again — an assessment
    changed the nature back — run again with their due times; their nudges still ahead are pending again (a
    nudge row's key names the clock and its due time, so new ones would be skipped as duplicates)."""
    resumed = []
    for row in (await _rows(s, incident_id)).values():
        if row.name in names and row.status == "stopped" and row.stop_reason == "regraded":
            row.status, row.stopped_at, row.stop_reason = "running", None, None
            await s.execute(update(DueItem).where(DueItem.clock_id == row.id, DueItem.status == "cancelled",
                                                  DueItem.due_at > now).values(status="pending", done_at=None))
            resumed.append(row.name)
    await s.flush()
    return resumed


async def set_responsible(s: AsyncSession, *, incident_id: int, person_id: int | None,
                          names: list[str] | None = None) -> int:
    """Who is nudged about the incident's running clocks (all of them, or `names`)."""
    cond = [ResponseClock.incident_id == incident_id, ResponseClock.status == "running"]
    if names is not None:
        cond.append(ResponseClock.name.in_(names))
    res = await s.execute(update(ResponseClock).where(*cond).values(responsible_id=person_id))
    return res.rowcount or 0


async def move_due(s: AsyncSession, *, incident_id: int, name: str, due: datetime, calendar: WorkCalendar,
                   policy: Any, now: datetime) -> ClockDTO | None:
    """Give a running clock a new due time (an approved extension, a regrade): the pending nudges are
    replaced by those of the new due time."""
    row = (await _rows(s, incident_id)).get(name)
    if row is None or row.status != "running":
        return _dto(row, now) if row else None
    if row.due_at != due:
        await cancel_due(s, clock_id=row.id, now=now)
        row.due_at = due
        await s.flush()
        await _schedule_nudges(s, [row], calendar=calendar, policy=clock_policy(policy), now=now)
    return _dto(row, now)


async def regrade_clocks(s: AsyncSession, *, incident_id: int, grade: str, category: str | None,
                         discovered_at: datetime, learned_at: datetime, calendar: WorkCalendar, policy: Any,
                         now: datetime, responsible_id: int | None = None) -> list[ClockDTO]:
    """After a change of grade or category: running clocks get the new due times, clocks that no
    longer apply are stopped (reason "regraded"), missing ones start."""
    cp = clock_policy(policy)
    wanted = clocks_for(grade, category, policy=cp)
    for row in (await _rows(s, incident_id)).values():
        if row.status != "running":
            continue
        due = due_at(row.name, row.started_at, grade=grade, calendar=calendar, policy=cp) if row.name in wanted \
            else None
        if due is None:
            await cancel_clocks(s, incident_id=incident_id, reason="regraded", now=now, names=[row.name])
        else:
            await move_due(s, incident_id=incident_id, name=row.name, due=due, calendar=calendar, policy=cp, now=now)
    return await start_clocks(s, incident_id=incident_id, grade=grade, category=category,
                              discovered_at=discovered_at, learned_at=learned_at, calendar=calendar, policy=cp,
                              now=now, responsible_id=responsible_id)
