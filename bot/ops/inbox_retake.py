"""Webhook mode with several instances: an instance that answered 200 (the update is committed to the
inbox) and then died leaves the row "received". The survivors take such rows once they are older than
INBOX_RETRY_SECONDS. Processing is safe against a slow but live owner: the update's transaction starts by
marking the row done (`inbox.claim_done`, a row lock on PostgreSQL), so the second one skips it."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from bot.ops.dbfault import FAULTS
from bot.ops.metrics import INBOX_RETAKEN
from bot.telegram.polling import InboxProcessor
from models import InboxUpdate

log = logging.getLogger("onduty.inbox")


async def retake_stale(processor: InboxProcessor, older_than: timedelta, *, limit: int = 200) -> int:
    now = processor.clock.now()
    try:
        async with processor.sessions() as s:
            rows = (await s.execute(select(InboxUpdate.update_id, InboxUpdate.payload)
                                    .where(InboxUpdate.status == "received", InboxUpdate.received_at < now - older_than)
                                    .order_by(InboxUpdate.update_id).limit(limit))).all()
    except Exception as e:
        if FAULTS.failed(processor.WHERE, e) is None:
            raise
        return 0  # the database is away: the next round tries again
    if rows:
        log.warning("taking %d update(s) received %s ago or more and not processed yet: %s", len(rows), older_than,
                    [r[0] for r in rows][:20])
        INBOX_RETAKEN.inc(len(rows))
        await processor.process_many([(r[0], r[1]) for r in rows])
    return len(rows)
