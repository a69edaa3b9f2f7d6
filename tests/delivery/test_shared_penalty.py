"""Issue 18, item 2, across instances: a 429 one instance receives for a chat holds back every instance's
messages to that chat — the outbox sender's and a handler's replies — until its retry_after has passed. Two
senders, each with its own bot, gate and limiter (as two processes have), on one database (SQLite and, in CI,
PostgreSQL); the fake Telegram records any call made inside a retry_after window it gave."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import create_bot
from bot.clock import VirtualClock
from bot.fakeapi import FakeBotAPI
from bot.services import outbox
from models import OutboxMessage
from tests.delivery.conftest import TOKEN
from tests.delivery.test_sender import put, rows, sender

USER = 1001
WINDOW = 3


async def test_a_429_seen_by_one_instance_holds_the_chat_for_every_instance(org, api: FakeBotAPI, bot,  # noqa: ANN001
                                                                           clock: VirtualClock) -> None:
    other_bot = create_bot(TOKEN, api.base_url)
    try:
        a, b = sender(bot, org, clock, instance="a"), sender(other_bot, org, clock, instance="b")
        # 3 s, not 1: Telegram's window is real time, and a loaded CI machine can spend a second on one run_once
        api.inject("sendMessage", "429", times=1, retry_after=WINDOW, chat_id=USER)
        await put(org, USER, "一", now=clock.now())
        assert await a.run_once() == 0  # refused for now: the row waits for the window's end
        assert list(api.retry_windows()) == [str(USER)]

        # Meanwhile the other instance has more for that chat: a notification, and a handler's reply
        await put(org, USER, "二", now=clock.now())
        async with org() as s, s.begin():
            reply, ours = await outbox.insert_reply(s, chat_id=USER, method="sendMessage", payload={"text": "三"},
                                                    now=clock.now(), claimer="b:reply", lease=timedelta(seconds=60))
        assert not ours  # the reply queues behind the refused row instead of being sent at once
        assert await b.run_once() == 0
        assert api.sent("sendMessage", USER) == [] and not api.window_violations()  # nothing tried inside

        left = api.retry_windows().get(str(USER), 0.0)
        await asyncio.sleep(left + 0.05)  # the window passes (Telegram's time is real)
        clock.advance(timedelta(seconds=WINDOW + 0.05))
        assert await b.run_once() == 3
        assert [c.text for c in api.sent("sendMessage", USER)] == ["一", "二", "三"]  # once each, in order
        assert {r.status for r in await rows(org) if isinstance(r, OutboxMessage)} == {"sent"}
        assert not api.window_violations(), api.window_violations()
    finally:
        await other_bot.session.close()
