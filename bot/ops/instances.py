"""The instances heartbeat (table `instances`) and the share of Telegram's bot-wide sending limit.

Telegram limits a bot as a whole (about 30 messages per second), not a process: N live instances each
send at most SEND_RATE_PER_SECOND / N. The count comes from the heartbeat, so when one instance dies
the others take its share after LIVE_WITHIN.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ops.dbfault import FAULTS
from bot.ops.health import LIVE_WITHIN
from models import Instance

log = logging.getLogger("onduty.instances")
BEAT_SECONDS = 5.0
WHERE = "heartbeat"  # the loop's name in /healthz while it waits out a storage fault


async def beat(s: AsyncSession, *, instance: str, mode: str, now: datetime) -> int:
    """Record that `instance` is alive; returns how many instances are live (itself included)."""
    ins = postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert
    await s.execute(ins(Instance).values(id=instance, mode=mode, started_at=now, seen_at=now)
                    .on_conflict_do_update(index_elements=["id"], set_={"seen_at": now}))
    # Rows of processes dead for a day are only clutter.
    await s.execute(delete(Instance).where(Instance.seen_at < now - 4320 * LIVE_WITHIN))
    return await s.scalar(select(func.count()).where(Instance.seen_at >= now - LIVE_WITHIN)) or 1


async def leave(s: AsyncSession, instance: str) -> None:
    await s.execute(delete(Instance).where(Instance.id == instance))


async def heartbeat_forever(sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime], *,
                            instance: str, mode: str, on_count: Callable[[int], None],
                            stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            async with sessions() as s, s.begin():
                on_count(await beat(s, instance=instance, mode=mode, now=now()))
            FAULTS.recovered(WHERE)
        except Exception as e:  # noqa: BLE001 - a missed beat is retried; the database may be restarting
            if FAULTS.failed(WHERE, e) is None:  # a storage fault is logged once, and shown on /healthz
                log.warning("heartbeat failed", exc_info=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), BEAT_SECONDS)
