"""The outbox repository: enqueue (dedup), claiming with leases, the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.services.addresses import telegram
from bot.services.outbox import (
    claim_batch,
    enqueue,
    format_outbox_report,
    mark_in_flight,
    mark_sent,
    outbox_report,
)
from models import OutboxMessage
from tests.conftest import T0

LEASE = timedelta(seconds=30)


async def test_enqueue_dedup_key_is_a_no_op_the_second_time(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        first = await enqueue(s, to=telegram(1001), text="hello", now=T0, dedup_key="k1")
        again = await enqueue(s, to=telegram(1001), text="hello again", now=T0, dedup_key="k1")
        free1 = await enqueue(s, to=telegram(1001), text="no key", now=T0)
        free2 = await enqueue(s, to=telegram(1001), text="no key", now=T0)
    assert first and again is None and free1 and free2 and free1 != free2
    async with sessions() as s, s.begin():  # a later transaction too
        assert await enqueue(s, to=telegram(1001), text="x", now=T0, dedup_key="k1") is None
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 3
        row = await s.get(OutboxMessage, first)
        assert row.payload == {"text": "hello"} and row.status == "pending" and row.not_before == T0


async def test_enqueue_is_part_of_the_callers_transaction(sessions) -> None:  # noqa: ANN001
    async with sessions() as s:
        async with s.begin():
            await enqueue(s, to=telegram(1), text="rolled back", now=T0, dedup_key="rb")
            await s.rollback()
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_enqueue_rejects_bad_input(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        with pytest.raises(ValueError):
            await enqueue(s, to=telegram(1), text="", now=T0)
        with pytest.raises(ValueError):
            await enqueue(s, to=telegram(1), text="x", now=T0, method="sendPhoto")


async def test_claim_takes_due_rows_once(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        for i in range(5):
            await enqueue(s, to=telegram(i + 1), text=f"m{i}", now=T0)
        await enqueue(s, to=telegram(9), text="later", now=T0, not_before=T0 + timedelta(seconds=10))
    async with sessions() as s, s.begin():
        a = await claim_batch(s, instance="a", now=T0, limit=3, lease=LEASE)
    async with sessions() as s, s.begin():
        b = await claim_batch(s, instance="b", now=T0, limit=10, lease=LEASE)
    assert [i.text for i in a] == ["m0", "m1", "m2"] and [i.text for i in b] == ["m3", "m4"]
    async with sessions() as s, s.begin():
        assert await claim_batch(s, instance="c", now=T0 + timedelta(seconds=5), limit=10, lease=LEASE) == []
        later = await claim_batch(s, instance="c", now=T0 + timedelta(seconds=10), limit=10, lease=LEASE)
    assert [i.text for i in later] == ["later"]


async def test_expired_lease_is_reclaimed_and_flagged_only_if_it_was_in_flight(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        quiet = await enqueue(s, to=telegram(1), text="claimed, never attempted", now=T0)
        flying = await enqueue(s, to=telegram(2), text="in flight at the crash", now=T0)
    async with sessions() as s, s.begin():
        await claim_batch(s, instance="dead", now=T0, limit=10, lease=LEASE)
        await mark_in_flight(s, [flying], instance="dead")
    later = T0 + LEASE + timedelta(seconds=1)
    async with sessions() as s, s.begin():
        items = {i.id: i for i in await claim_batch(s, instance="next", now=later, limit=10, lease=LEASE)}
    assert set(items) == {quiet, flying}
    assert items[flying].possible_duplicate and items[flying].reclaimed
    assert not items[quiet].possible_duplicate and items[quiet].reclaimed
    async with sessions() as s, s.begin():
        await mark_sent(s, [quiet, flying], now=later, message_id=5)
        report = await outbox_report(s)
    assert report["sent"] == 2 and report["possible_duplicates"] == 1 and report["reclaimed"] == 2
    assert [r["id"] for r in report["duplicate_rows"]] == [flying]
    text = format_outbox_report(report)
    assert "Possible duplicates: 1" in text and f"#{flying}" in text
    assert "可能重复" in format_outbox_report(report, "zh")


async def test_report_counts_every_status(sessions) -> None:  # noqa: ANN001
    async with sessions() as s, s.begin():
        ids = [await enqueue(s, to=telegram(i), text=f"m{i}", now=T0) for i in range(1, 5)]
        await s.execute(update(OutboxMessage).where(OutboxMessage.id == ids[0])
                        .values(status="failed", last_error="Forbidden: bot was blocked by the user"))
        await s.execute(update(OutboxMessage).where(OutboxMessage.id == ids[1]).values(status="sent"))
    async with sessions() as s:
        report = await outbox_report(s)
    assert (report["pending"], report["sent"], report["failed"], report["sending"]) == (2, 1, 1, 0)
    assert "blocked" in format_outbox_report(report)
