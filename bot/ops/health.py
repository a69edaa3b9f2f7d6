"""/healthz: is this instance able to do its job? The database answers and takes writes (no loop of this
process is waiting out a storage fault: bot/ops/dbfault.py), and the shared queues are not falling behind
(the outbox backlog and the oldest due-but-unfired nudge)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.types import TELEGRAM
from bot.ops.dbfault import FAULTS, storage_fault
from bot.services.outbox import held_clause
from models import DueItem, InboxUpdate, Instance, OutboxMessage

LIVE_WITHIN = timedelta(seconds=20)  # an instance not seen for this long is counted dead (heartbeat: 5 s)


def _age(now: datetime, since: datetime | None) -> float:
    return round(max((now - since).total_seconds(), 0.0), 3) if since is not None else 0.0


async def _figures(s: AsyncSession, now: datetime) -> dict[str, Any]:
    await s.execute(text("SELECT 1"))
    o, d = OutboxMessage, DueItem
    due_out = o.status.in_(("pending", "sending")) & (o.not_before <= now) & ~held_clause()
    backlog, oldest_out = (await s.execute(select(func.count(), func.min(o.not_before)).where(due_out))).one()
    oldest_nudge = await s.scalar(select(func.min(d.due_at)).where(
        d.kind == "nudge", d.status.in_(("pending", "claimed")), d.due_at <= now))
    due_backlog = await s.scalar(select(func.count()).where(d.status.in_(("pending", "claimed")), d.due_at <= now))
    # a group gets 20 messages a minute: what waits there (not yet due included) is how late the office is
    oldest_group = await s.scalar(select(func.min(o.created_at)).where(
        o.channel == TELEGRAM, o.conv.startswith("-"), o.status.in_(("pending", "sending")), ~held_clause()))
    inbox = await s.scalar(select(func.count()).where(InboxUpdate.status == "received"))
    live = await s.scalar(select(func.count()).where(Instance.seen_at >= now - LIVE_WITHIN))
    return {"database": "ok", "outbox_backlog": backlog or 0, "outbox_oldest_pending_seconds": _age(now, oldest_out),
            "oldest_pending_nudge_seconds": _age(now, oldest_nudge), "due_backlog": due_backlog or 0,
            "group_oldest_waiting_seconds": _age(now, oldest_group), "inbox_pending": inbox or 0,
            "instances_live": live or 0}


class LinkWatch(Protocol):
    """A channel's own view of its link (Telegram: bot/telegram/link.py, bot/telegram/webhook_watch.py)."""

    def report(self, now: datetime, max_lag: float) -> tuple[dict[str, Any], list[str]]: ...


async def health_report(sessions: async_sessionmaker[AsyncSession], now: datetime, *, instance: str,
                        max_lag: float, db_timeout: float = 5.0,
                        links: Sequence[LinkWatch] = ()) -> tuple[bool, dict[str, Any]]:
    """(healthy, report). Unhealthy: the database does not answer within `db_timeout`, the oldest due
    nudge or outbox row has waited longer than `max_lag` seconds (the workers are not keeping up), one of the
    channels' `links` reports a problem (Telegram: it has not answered for longer than that or refused the
    token; it calls another webhook URL or cannot deliver to ours), or a loop of this process met
    a storage fault (disk full, read-only, locked, server gone) and has not got past it yet: reads may
    still work on a full disk, so the query above alone would not tell."""
    report: dict[str, Any] = {"instance": instance, "time": now.isoformat()}
    link_problems: list[str] = []
    for watch in links:
        fields, problems = watch.report(now, max_lag)
        report.update(fields)
        link_problems += problems
    try:
        async with asyncio.timeout(db_timeout):
            async with sessions() as s:
                report.update(await _figures(s, now))
    except Exception as e:  # noqa: BLE001 - any failure to reach the database is the answer itself
        report.update(database=f"error: {type(e).__name__}: {e}"[:300])
        report["status"] = "unhealthy"
        reason = storage_fault(e) or "unreachable"
        report["problems"] = [f"database {reason}", *FAULTS.problems(), *link_problems]
        report["database_faults"] = FAULTS.detail()
        return False, report
    faults = FAULTS.problems()
    if faults:
        report["database"] = "; ".join(faults)
        report["database_faults"] = FAULTS.detail()
    problems = [*faults]
    problems += [f"{key} {report[key]:.0f} s > {max_lag:.0f} s" for key in
                 ("oldest_pending_nudge_seconds", "outbox_oldest_pending_seconds") if report[key] > max_lag]
    problems += link_problems
    report["status"] = "unhealthy" if problems else "ok"
    report["problems"] = problems
    return not problems, report
