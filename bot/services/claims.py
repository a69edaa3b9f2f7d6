"""The one way work rows are claimed by a worker: outbox messages (bot/services/outbox.py) and due rows of
every kind — nudges, escalation steps, duty and patrol reminders, cron occurrences (schedules/sweeps.py).

One statement for both databases: UPDATE … WHERE id IN (SELECT … LIMIT n) … RETURNING. On PostgreSQL the
inner select is taken FOR UPDATE SKIP LOCKED in a MATERIALIZED CTE, so several instances claim disjoint
rows without waiting on each other. SQLite has one writer at a time (BEGIN IMMEDIATE, bot/db.py), which
makes the same statement safe there; one instance per SQLite file is the documented limit, because a
second process would also need the file (no network) and gains nothing.

A claim is a lease: `claimed_by` and `claimed_until`. The caller's `where` says which rows are free —
typically pending and due, or claimed with an expired lease — so a dead worker's rows are taken over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CTE, Select, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession


def pick_for_claim(s: AsyncSession, inner: Select) -> CTE:
    """The rows to claim, chosen once: on PostgreSQL a MATERIALIZED CTE, so the LIMIT … SKIP LOCKED
    select cannot be re-run per outer row (as a plain IN (subquery) may be, claiming more than the limit)."""
    if s.bind.dialect.name == "postgresql":
        return inner.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
    return inner.cte("picked")


async def claim_rows(s: AsyncSession, model: Any, *, where: Sequence[Any], order_by: Sequence[Any], limit: int,
                     values: dict[str, Any], returning: Sequence[Any]) -> list[Row]:
    """Claim up to `limit` rows of `model` matching `where` (in `order_by` order): set `values` on them
    and return `returning`. `where` is repeated on the UPDATE so a row changed meanwhile is not taken."""
    inner = select(model.id).where(*where).order_by(*order_by).limit(limit)
    stmt = (update(model).where(model.id.in_(select(pick_for_claim(s, inner).c.id)), *where)
            .values(**values).returning(*returning).execution_options(synchronize_session=False))
    return list((await s.execute(stmt)).all())
