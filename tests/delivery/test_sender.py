"""The outbox sender against the fake Bot API: faults, limits, coalescing, the office told."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.channels.types import Button
from bot.clock import SystemClock
from bot.delivery import OutboxSender
from bot.fakeapi import FakeBotAPI
from bot.services.addresses import telegram
from bot.services.outbox import enqueue, outbox_report
from bot.telegram.channel import TelegramChannel
from models import OutboxMessage
from tests.conftest import T0
from tests.delivery.conftest import OFFICE_CHAT, TOKEN

USER = 1001  # 张敏, a monitor in the example organisation


def sender(bot, sessions, clock, **kw) -> OutboxSender:  # noqa: ANN001
    kw = {"instance": "test", "backoff_base": 2.0, **kw}
    return OutboxSender(TelegramChannel(bot, request_timeout=kw.pop("request_timeout", 1.0)), sessions, clock, **kw)


async def put(sessions, chat_id: int, text: str, now=T0, **kw) -> int:  # noqa: ANN001
    async with sessions() as s, s.begin():
        return await enqueue(s, to=telegram(chat_id), text=text, now=now, **kw)


async def rows(sessions) -> list[OutboxMessage]:  # noqa: ANN001
    async with sessions() as s:
        return list((await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_delivers_and_stores_the_message_id(org, api: FakeBotAPI, bot, clock) -> None:  # noqa: ANN001
    rid = await put(org, USER, "你好", buttons=[[Button("OK", "ok")]])
    assert await sender(bot, org, clock).run_once() == 1
    [call] = api.sent("sendMessage", USER)
    assert call.text == "你好" and call.params["reply_markup"] == {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    [row] = await rows(org)
    assert (row.id, row.status, row.telegram_message_id, row.attempts) == (rid, "sent", call.result["message_id"], 1)
    assert row.sent_at == T0 and not row.possible_duplicate
    assert await sender(bot, org, clock).run_once() == 0 and len(api.sent()) == 1
    assert not api.violations


async def test_an_over_long_text_goes_out_whole_in_several_messages_keyboard_last(org, api: FakeBotAPI, bot,  # noqa: ANN001
                                                                                   clock) -> None:
    # e.g. a leader's 4000-character refusal reason quoted in the office's notice: Telegram would refuse
    # one message of 5000 characters, and the notice would be lost
    lines = [f"第{i:03d}行：" + "理由" * 30 for i in range(80)]
    text = "\n".join(lines)
    assert len(text) > 4096
    kb = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    rid = await put(org, USER, text, buttons=[[Button("OK", "ok")]], dedup_key="refusal:1")
    assert await put(org, USER, text, buttons=[[Button("OK", "ok")]], dedup_key="refusal:1") is None  # queued once
    assert await sender(bot, org, clock).run_once() == 2
    calls = api.sent("sendMessage", USER)
    assert len(calls) == 2 and all(len(c.text) <= 4096 for c in calls)
    assert "\n".join(c.text for c in calls) == text  # nothing lost, in order
    assert "reply_markup" not in calls[0].params and calls[1].params["reply_markup"] == kb
    assert [r.id for r in await rows(org)][-1] == rid
    # an edit cannot be split: it keeps what fits
    await put(org, USER, text, method="editMessageText", payload={"message_id": calls[1].result["message_id"]})
    assert await sender(bot, org, clock).run_once() == 1
    [edit] = api.calls_to("editMessageText")
    assert edit.ok and len(edit.text) == 4096 and edit.text.endswith("…") and text.startswith(edit.text[:-1])
    assert not api.violations


async def test_429_waits_retry_after_and_delivers_once(org, api: FakeBotAPI, bot, clock) -> None:  # noqa: ANN001
    await put(org, USER, "after a 429")
    api.inject("sendMessage", "429", retry_after=1)
    out = sender(bot, org, clock)
    assert await out.run_once() == 0
    [row] = await rows(org)
    assert row.status == "pending" and row.not_before == T0 + timedelta(seconds=1) and not row.possible_duplicate
    assert await out.run_once() == 0  # not before retry_after
    clock.advance(timedelta(seconds=1))
    assert await out.run_once() == 1
    assert len(api.sent("sendMessage", USER)) == 1 and len(api.refused("sendMessage")) == 1
    [row] = await rows(org)
    assert row.status == "sent" and not row.possible_duplicate


async def test_502_is_retried_with_backoff_and_delivered_once(org, api: FakeBotAPI, bot, clock) -> None:  # noqa: ANN001
    await put(org, USER, "after 502s")
    api.inject("sendMessage", "502", times=2)
    out = sender(bot, org, clock)
    assert await out.run_once() == 0
    [row] = await rows(org)
    assert row.not_before == T0 + timedelta(seconds=2) and "Bad Gateway" in row.last_error
    clock.advance(timedelta(seconds=2))
    assert await out.run_once() == 0
    [row] = await rows(org)
    assert row.not_before == clock.now() + timedelta(seconds=4)  # exponential
    clock.advance(timedelta(seconds=4))
    assert await out.run_once() == 1
    [row] = await rows(org)
    assert row.status == "sent" and row.attempts == 3 and not row.possible_duplicate
    assert len(api.sent("sendMessage", USER)) == 1
    async with org() as s:
        assert (await outbox_report(s))["possible_duplicates"] == 0


async def test_timeout_is_in_flight_retried_and_counted_as_possible_duplicate(org, api: FakeBotAPI, bot,  # noqa: ANN001
                                                                              clock) -> None:
    await put(org, USER, "slow network")
    api.inject("sendMessage", "timeout", delay=2)
    out = sender(bot, org, clock, request_timeout=0.5)
    assert await out.run_once() == 0
    [row] = await rows(org)
    assert row.status == "pending" and row.possible_duplicate and "timeout" in row.last_error.lower()
    clock.advance(timedelta(seconds=2))
    assert await out.run_once() == 1
    [row] = await rows(org)
    assert row.status == "sent" and row.possible_duplicate
    assert len(api.sent("sendMessage", USER)) == 2  # Telegram had taken the first one: a real duplicate
    async with org() as s:
        report = await outbox_report(s)
    assert report["possible_duplicates"] == 1 and report["duplicate_rows"][0]["id"] == row.id


async def test_a_person_who_blocked_the_bot_is_waited_for_not_failed_and_the_office_is_told_once(  # noqa: ANN001
        org, api: FakeBotAPI, bot, clock) -> None:
    """Issue 17: a 403 from a person of the organisation is not a failure — the row waits for them."""
    await put(org, USER, "you blocked me")
    await put(org, 3001, "a leader is fine")
    api.inject("sendMessage", "blocked", chat_id=USER)
    out = sender(bot, org, clock)
    await out.run_once()
    by_chat = {r.chat_id: r for r in await rows(org)}
    assert by_chat[USER].status == "pending" and "blocked" in by_chat[USER].last_error
    assert by_chat[3001].status == "sent"
    [notice] = api.sent("sendMessage", OFFICE_CHAT)
    assert "张敏" in notice.text and "屏蔽" in notice.text and "Error" not in notice.text
    await put(org, USER, "another one while blocked")
    clock.advance(timedelta(hours=1))
    await out.run_once()
    assert len(api.calls_to("sendMessage")) == 3  # nothing more sent into the 403, and one notice only
    async with org() as s, s.begin():
        assert (await outbox_report(s))["held"] == 2
        from bot.services.reachability import person_opened
        from models import Person
        me = await s.scalar(select(Person).where(Person.telegram_id == USER))
        opened = await person_opened(s, me.id, USER, now=clock.now(), lang="zh")
    assert opened is not None and opened.released == 2
    await out.run_once()
    assert [m.text for m in api.sent("sendMessage", USER)][-2:] == ["you blocked me", "another one while blocked"]
    assert "已打开本助手" in api.sent("sendMessage", OFFICE_CHAT)[-1].text


async def test_a_stranger_who_refuses_fails_for_good_and_the_office_is_told_in_words(  # noqa: ANN001
        org, api: FakeBotAPI, bot, clock) -> None:
    await put(org, 777777, "to nobody we know")
    api.inject("sendMessage", "blocked", chat_id=777777)
    await sender(bot, org, clock).run_once()
    row = next(r for r in await rows(org) if r.chat_id == 777777)
    assert row.status == "failed"
    [notice] = api.sent("sendMessage", OFFICE_CHAT)
    assert "屏蔽" in notice.text and "Forbidden" not in notice.text and "#" not in notice.text


async def test_failure_of_an_office_message_is_not_reported_to_the_office(org, api: FakeBotAPI, bot,  # noqa: ANN001
                                                                          clock) -> None:
    await put(org, OFFICE_CHAT, "to the office")
    api.inject("sendMessage", "chat_not_found")
    await sender(bot, org, clock).run_once()
    [row] = await rows(org)
    assert row.status == "failed" and "chat not found" in row.last_error
    assert len(api.calls_to("sendMessage")) == 1


async def test_group_nudges_of_one_minute_go_out_as_one_message(org, api: FakeBotAPI, bot, clock) -> None:  # noqa: ANN001
    for i in range(3):
        await put(org, OFFICE_CHAT, f"nudge {i}", coalesce_key="nudge", now=T0 + timedelta(seconds=10 * i))
    await put(org, OFFICE_CHAT, "not a nudge")
    await put(org, OFFICE_CHAT, "next minute", coalesce_key="nudge", now=T0 + timedelta(minutes=1))
    clock.advance(timedelta(minutes=1))
    out = sender(bot, org, clock)
    assert await out.run_once() == 5
    texts = [c.text for c in api.sent("sendMessage", OFFICE_CHAT)]
    assert texts == ["nudge 0\n\nnudge 1\n\nnudge 2", "not a nudge", "next minute"]
    nudges = (await rows(org))[:3]
    assert {r.telegram_message_id for r in nudges} == {nudges[0].telegram_message_id}
    assert [r.merged_into for r in nudges] == [None, nudges[0].id, nudges[0].id]
    assert all(r.status == "sent" for r in await rows(org))


async def test_throughput_respects_telegrams_limits() -> None:
    """60 private chats, two chats with several messages each and a group: no 429 from a strict API."""
    from bot.app import create_bot
    from bot.db import create_engine, session_factory
    from models.migrate import upgrade

    async with FakeBotAPI(enforce_limits=True) as api:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            engine = create_engine(f"sqlite+aiosqlite:///{tmp}/t.db")
            await upgrade(engine)
            sessions = session_factory(engine)
            clock = SystemClock()
            now = clock.now()
            expected = 0
            async with sessions() as s, s.begin():
                for chat in range(1, 61):
                    await enqueue(s, to=telegram(100 + chat), text=f"hello {chat}", now=now)
                    expected += 1
                for n in range(4):
                    for chat in (7, 8):
                        await enqueue(s, to=telegram(chat), text=f"burst {n}", now=now)
                        expected += 1
                for n in range(4):
                    await enqueue(s, to=telegram(-500), text=f"group {n}", now=now)
                    expected += 1
            bot = create_bot(TOKEN, api.base_url)
            out = OutboxSender(TelegramChannel(bot, request_timeout=5), sessions, clock, instance="bench")
            loop = asyncio.get_running_loop()
            t0, sent = loop.time(), 0
            while sent < expected and loop.time() - t0 < 60:
                sent += await out.run_once()
                await asyncio.sleep(0.05)
            await bot.session.close()
            await engine.dispose()
        assert sent == expected and api.rate_limited == 0 and not api.refused()
        assert len(api.sent()) == expected
        [texts] = [[c.text for c in api.sent(chat_id=7)]]
        assert texts == [f"burst {n}" for n in range(4)]  # a chat's order is kept
