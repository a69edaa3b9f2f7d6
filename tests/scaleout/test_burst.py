"""Done when of issue 7: three `onduty run --webhook` instances on one PostgreSQL database survive the loss
of one during a burst with zero losses and no duplicate beyond the counted in-flight ones.

1,000 due rows (kind "message": one row, one message) and 300 outbox notifications fall due within 20 s;
Telegram (the fake, enforcing a 100/s bot-wide limit, answering sendMessage after 0.2 s) also delivers a user message every 0.25 s through the
round-robin proxy. Once half the messages are out, the instance that is sending is SIGKILLed. The fake
API's call log is the witness: every message delivered, a message twice only if it was in flight in the
killed process, and exactly as many possible duplicates and reclaimed rows as `onduty outbox` reports.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, select

from bot.channels.types import TELEGRAM, Address
from bot.db import create_engine, session_factory
from bot.fakeapi import FakeBotAPI
from bot.fakeapi.spec import RateLimits
from bot.services.outbox import enqueue
from models import DueItem, InboxUpdate, OutboxMessage
from schedules.messages import schedule_message
from tests.conftest import live_org
from tests.process import BotSubprocess, cli
from tests.scaleout.cluster import Cluster

N_DUE, N_OUT, SPREAD = 1000, 300, 20.0
CHAT0, USER0 = 700_000, 900_000
LEASE = 15
ENV = {"SEND_RATE_PER_SECOND": "80", "OUTBOX_LEASE_SECONDS": str(LEASE), "DUE_LEASE_SECONDS": str(LEASE),
       "INBOX_RETRY_SECONDS": "4"}
COUNTS = re.compile(r"Possible duplicates: (\d+) \(expired leases taken over: (\d+)\)")


def ours(text: str) -> bool:
    return text.startswith(("due ", "out "))


async def seed(sessions, start: datetime) -> None:  # noqa: ANN001
    now = datetime.now(UTC)
    async with sessions() as s, s.begin():
        for i in range(N_DUE):
            await schedule_message(s, to=Address(TELEGRAM, str(CHAT0 + i)), text=f"due {i:04d}", now=now, dedup_key=f"test:due:{i}",
                                   due=start + timedelta(seconds=SPREAD * i / N_DUE))
        for j in range(N_OUT):
            await enqueue(s, to=Address(TELEGRAM, str(CHAT0 + N_DUE + j)), text=f"out {j:04d}", now=now,
                          not_before=start + timedelta(seconds=SPREAD * j / N_OUT))


async def test_three_instances_lose_nothing_when_one_is_killed_mid_burst(pg_url: str, tmp_path: Path) -> None:
    api = FakeBotAPI(enforce_limits=True, limits=RateLimits(global_per_second=100))

    @web.middleware
    async def latency(request: web.Request, handler):  # noqa: ANN001, ANN202
        """Telegram's answer takes a while to come back: the message is taken at once, the bot hears of
        it 0.2 s later — so a kill finds messages in flight that Telegram already has."""
        response = await handler(request)
        if request.path.endswith("/sendMessage"):
            await asyncio.sleep(0.2)
        return response

    api.app.middlewares.append(latency)
    await api.start()
    cluster = Cluster(tmp_path, api, pg_url, 3, **ENV)
    engine = create_engine(pg_url)
    sessions = session_factory(engine)
    pusher: asyncio.Task | None = None
    try:
        env = BotSubprocess(tmp_path, api.base_url, pg_url).env  # for the CLI
        await cli("org", "import", str(live_org(tmp_path)), env=env, cwd=tmp_path)
        await cluster.start()
        # Rows fall due once every instance has seen the others' heartbeat (5 s) and sends a third of the rate.
        await seed(sessions, datetime.now(UTC) + timedelta(seconds=6))
        pushed: list[int] = []
        stop_pushing = asyncio.Event()

        async def push_updates() -> None:  # until a few seconds after the kill (the proxy passes them on)
            for k in range(400):
                if stop_pushing.is_set():
                    return
                pushed.append(api.user_message(USER0 + k, "/help"))
                await asyncio.sleep(0.25)

        pusher = asyncio.create_task(push_updates())

        def sent_texts() -> list[str]:
            return [c.params.get("text", "") for c in api.sent("sendMessage") if ours(c.params.get("text", ""))]

        # Half-way: kill the instance that holds messages claimed right now.
        victim = None
        hostname = socket.gethostname()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 90
        while victim is None:
            assert loop.time() < deadline, f"the burst did not get half-way: {len(sent_texts())}\n{cluster.logs()}"
            if len(sent_texts()) >= (N_DUE + N_OUT) // 2:
                async with sessions() as s:
                    holders = set(await s.scalars(select(OutboxMessage.claimed_by).where(
                        OutboxMessage.status == "sending", OutboxMessage.in_flight.is_(True))))
                for i, bot in enumerate(cluster.bots):
                    if f"{hostname}-{bot.proc.pid}" in holders:
                        victim = i
                        break
            await asyncio.sleep(0.02)
        killed_at = len(sent_texts())
        bot = cluster.bots[victim]
        vid = f"{hostname}-{bot.proc.pid}"
        bot.kill()
        async with sessions() as s:  # the dead process writes nothing more: this is what it held
            o, d = OutboxMessage, DueItem
            # its sender's rows and its handlers' replies (written claimed, in flight, by "<instance>:reply")
            held = {r.id: r.in_flight for r in (await s.execute(select(o.id, o.in_flight).where(
                o.status == "sending", o.claimed_by.in_((vid, f"{vid}:reply"))))).all()}
            held_due = set(await s.scalars(select(d.id).where(d.status == "claimed", d.claimed_by == vid)))
        in_flight = {i for i, f in held.items() if f}
        assert in_flight, "the killed instance had no message in flight: the kill proved nothing"
        assert (N_DUE + N_OUT) * 0.3 < killed_at < (N_DUE + N_OUT) * 0.9

        loop.call_later(3, stop_pushing.set)
        # The survivors take over after the lease; wait for everything to be out.
        deadline = loop.time() + 120
        while True:
            async with sessions() as s:
                left = await s.scalar(select(func.count()).where(OutboxMessage.status != "sent"))
                due_left = await s.scalar(select(func.count()).where(DueItem.kind == "message",
                                                                     DueItem.status != "done"))
            if not left and not due_left and pusher.done():
                break
            assert loop.time() < deadline, f"not finished: {left} messages, {due_left} due rows\n{cluster.logs()}"
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # nothing more should arrive

        # The witness: the fake API's log.
        delivered = Counter(sent_texts())
        expected = {f"due {i:04d}" for i in range(N_DUE)} | {f"out {j:04d}" for j in range(N_OUT)}
        assert set(delivered) == expected, f"lost: {sorted(expected - set(delivered))[:20]}"
        twice = {text for text, n in delivered.items() if n > 1}
        assert max(delivered.values()) <= 2
        async with sessions() as s:
            rows = {str(r.payload["text"]): r for r in (await s.scalars(select(OutboxMessage))).all()
                    if ours(str(r.payload.get("text", "")))}
            flagged = set(await s.scalars(select(OutboxMessage.id).where(OutboxMessage.possible_duplicate)))
            assert await s.scalar(select(func.count()).where(DueItem.id.in_(held_due),
                                                             DueItem.claimed_by == vid)) == 0
        assert len(rows) == N_DUE + N_OUT
        assert {rows[text].id for text in twice} <= in_flight, "a duplicate that was not in flight at the kill"
        assert flagged == in_flight, (flagged, in_flight)
        assert all(rows_by_id.reclaims == (1 if rows_by_id.id in held else 0) for rows_by_id in rows.values())

        report = await cli("outbox", env=env, cwd=tmp_path)
        m = COUNTS.search(report)
        assert m, report
        assert (int(m.group(1)), int(m.group(2))) == (len(in_flight), len(held)), report

        print(f"killed at {killed_at} sent; it held {len(held)} messages ({len(in_flight)} in flight) and "
              f"{len(held_due)} due rows; delivered twice: {len(twice)}; updates {len(pushed)}, "
              f"passed on by the proxy: {cluster.proxy.passed_on}")
        # Telegram's bot-wide limit held with three senders (each took a third of it).
        assert api.rate_limited == 0
        # Every update got into the inbox and was processed exactly once, and its reply (durable: an outbox row
        # of the update's transaction) arrived — twice only if the victim had it in flight when it died.
        replies = Counter(c.chat_id for c in api.sent("sendMessage") if USER0 <= (c.chat_id or 0) < USER0 + 400)
        async with sessions() as s:
            statuses = Counter(await s.scalars(select(InboxUpdate.status).where(InboxUpdate.update_id.in_(pushed))))
            doubled = set(await s.scalars(select(OutboxMessage.id).where(
                OutboxMessage.chat_id.in_([chat for chat, n in replies.items() if n > 1])))) if replies else set()
        assert len(pushed) > 40 and statuses == {"done": len(pushed)}, statuses
        assert len(replies) == len(pushed) and max(replies.values()) <= 2, (len(pushed), replies)
        assert doubled <= in_flight, "a reply twice that was not in flight at the kill"
        assert not api.violations, api.violations
    finally:
        if pusher is not None:
            pusher.cancel()
        await cluster.stop()
        await engine.dispose()
        await api.stop()
