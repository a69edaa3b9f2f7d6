"""The durable inbox: updates are recorded (by channel and update_id, once) before anything is done with them.

Each channel numbers its own events (Telegram: update_id), so the same number on two channels is two rows.
Every function takes the channel, Telegram unless said."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.identity import TELEGRAM
from models import InboxUpdate

MAX_ATTEMPTS = 3
INT64 = (-(2**63), 2**63 - 1)  # every id Telegram sends fits; the database columns are 64-bit
MAX_DEPTH = 64  # an update nests a few levels (a reply's quoted message, its entities): deeper is not Telegram

# Every update runs these: built once as Core statements (building and ORM-compiling them anew cost
# three times their execution on SQLite). Values are given at execution.
_T = InboxUpdate.__table__
_RECORD = {name: ins(_T).on_conflict_do_nothing(index_elements=["channel", "update_id"])
           for name, ins in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}
_CLAIM = (update(_T).where(_T.c.channel == bindparam("ch"), _T.c.update_id == bindparam("uid"),
                          _T.c.status == "received")
          .values(status="done", done_at=bindparam("now")))


_LONG_NUMBER = re.compile(r"\d{19}")  # 2**63 has 19 digits: anything shorter is within 64 bits


def _plainly_fine(payload: dict) -> bool:
    """The common case in a few calls (every update passes here): serialised by the C encoder, no run of 19
    digits, no NaN, few brackets. Otherwise (a long number in a text, say) the walk below decides."""
    try:
        dumped = json.dumps(payload, allow_nan=False, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return False
    return _LONG_NUMBER.search(dumped) is None and dumped.count("{") + dumped.count("[") <= MAX_DEPTH


def refuse_reason(payload: object) -> str | None:
    """Why an update cannot be taken at all (None: it can): not a JSON object, `update_id` missing, not an
    integer, negative or beyond 64 bits, any integer in it beyond 64 bits (or a number not finite) — which no real update has, and
    which would fail as an OverflowError at every attempt to write an id (a retry could never succeed)."""
    if not isinstance(payload, dict):
        return "not a JSON object"
    uid = payload.get("update_id")
    if type(uid) is not int:
        return "update_id missing or not an integer"
    if not 0 <= uid <= INT64[1]:
        return "update_id out of range"
    if _plainly_fine(payload):
        return None
    stack: list[tuple[object, int]] = [(payload, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "nested too deeply"
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
        elif type(value) is int and not INT64[0] <= value <= INT64[1]:
            return "an integer beyond 64 bits"
        elif isinstance(value, float) and not math.isfinite(value):
            return "a number that is not finite"  # NaN or infinity: not JSON, PostgreSQL refuses it
    return None


async def record(s: AsyncSession, updates: list[dict[str, Any]], *, now: datetime,
                 channel: str = TELEGRAM) -> None:
    """Insert each update unless its (channel, update_id) is already there (a redelivery): one statement."""
    if not updates:
        return
    rows = [{"channel": channel, "update_id": u["update_id"], "payload": u, "status": "received", "attempts": 0,
             "received_at": now} for u in updates]
    await s.execute(_RECORD[s.bind.dialect.name], rows)


async def pending(s: AsyncSession, *, limit: int = 500, channel: str = TELEGRAM) -> list[tuple[int, dict[str, Any]]]:
    rows = await s.execute(select(InboxUpdate.update_id, InboxUpdate.payload)
                           .where(InboxUpdate.channel == channel, InboxUpdate.status == "received")
                           .order_by(InboxUpdate.update_id).limit(limit))
    return [(r[0], r[1]) for r in rows]


async def claim_done(s: AsyncSession, update_id: int, *, now: datetime, channel: str = TELEGRAM) -> bool:
    """Mark done inside the update's own transaction; False when it was done already (skip it)."""
    return (await s.execute(_CLAIM, {"ch": channel, "uid": update_id, "now": now})).rowcount == 1


async def note_failure(s: AsyncSession, update_id: int, *, error: str, channel: str = TELEGRAM) -> str:
    """After a handler failed (its transaction rolled back): count the attempt; give up after MAX_ATTEMPTS."""
    row = await s.get(InboxUpdate, (channel, update_id))
    if row is None or row.status != "received":
        return row.status if row else "missing"
    row.attempts += 1
    row.error = error[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    return row.status


async def status_of(s: AsyncSession, update_id: int, *, channel: str = TELEGRAM) -> str | None:
    return await s.scalar(select(InboxUpdate.status)
                          .where(InboxUpdate.channel == channel, InboxUpdate.update_id == update_id))
