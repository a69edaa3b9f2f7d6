"""The sender through the Channel port: a recording test channel (delivers, retries after RETRY_AFTER, fails on
PERMANENT, the idempotency window) and the Telegram adapter's classification of aiogram's errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage
from sqlalchemy import select, update

from bot.channels.types import Address, Button, Card, ErrorKind, InputRequest
from bot.delivery import OutboxSender
from bot.services.addresses import telegram
from bot.services.outbox import enqueue
from bot.telegram.channel import TelegramChannel, UnknownOperation, render
from models import OutboxMessage
from tests.conftest import T0
from tests.delivery.recording_channel import TEST, RecordingChannel

CONV = 7_000_001  # nobody of the example organisation: only the test channel knows this address


def sender(channel: RecordingChannel, sessions, clock) -> OutboxSender:  # noqa: ANN001
    return OutboxSender({TEST: channel}, sessions, clock, instance="test", backoff_base=2.0)


async def put(sessions, text: str, conv: int = CONV, **kw) -> int:  # noqa: ANN001
    async with sessions() as s, s.begin():
        rid = await enqueue(s, to=telegram(conv), text=text, now=T0, **kw)
        await s.execute(update(OutboxMessage).where(OutboxMessage.id == rid).values(channel=TEST))
        return rid


async def row(sessions, rid: int) -> OutboxMessage:  # noqa: ANN001
    async with sessions() as s:
        return await s.get(OutboxMessage, rid)


async def test_delivers_a_card_and_edits_it(org, clock) -> None:  # noqa: ANN001
    ch = RecordingChannel()
    rid = await put(org, "卡片", buttons=[[Button("收到", "incV1:ack:1")]])
    assert await sender(ch, org, clock).run_once() == 1
    [sent] = ch.sent
    assert sent.address == Address(TEST, str(CONV)) and sent.idem_key == f"outbox:{rid}"
    assert sent.card.text == "卡片" and sent.card.buttons == [[Button("收到", "incV1:ack:1")]]
    r = await row(org, rid)
    assert (r.status, r.telegram_message_id, r.possible_duplicate) == ("sent", int(sent.ref.ref), False)
    await put(org, "卡片（已收到）", method="editMessageText", payload={"message_id": r.telegram_message_id})
    assert await sender(ch, org, clock).run_once() == 1
    [(address, ref, card)] = ch.edited
    assert ref == sent.ref and card.text == "卡片（已收到）" and not card.buttons


async def test_retry_after_waits_then_delivers_once(org, clock) -> None:  # noqa: ANN001
    ch = RecordingChannel()
    ch.fail(ErrorKind.RETRY_AFTER, retry_after=3)
    rid = await put(org, "稍后")
    out = sender(ch, org, clock)
    assert await out.run_once() == 0
    r = await row(org, rid)
    assert r.status == "pending" and r.not_before == T0 + timedelta(seconds=3) and not r.possible_duplicate
    assert await out.run_once() == 0 and ch.sent == []
    clock.advance(timedelta(seconds=3))
    assert await out.run_once() == 1 and ch.texts() == ["稍后"]
    assert not (await row(org, rid)).possible_duplicate


async def test_permanent_fails_and_the_office_is_told(org, clock) -> None:  # noqa: ANN001
    ch = RecordingChannel()
    ch.fail(ErrorKind.PERMANENT)
    rid = await put(org, "发不出去")
    await sender(ch, org, clock).run_once()
    r = await row(org, rid)
    assert r.status == "failed" and "permanent" in r.last_error and ch.texts(str(CONV)) == []
    async with org() as s:
        notices = (await s.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key.like(f"outbox:failed:{rid}:%"))
                                  )).all()
    assert notices  # the office hears of it, as for Telegram


@pytest.mark.parametrize("kind", [ErrorKind.ERROR_RESPONSE, ErrorKind.UNREACHABLE, ErrorKind.UNKNOWN])
async def test_other_kinds(org, clock, kind: ErrorKind) -> None:  # noqa: ANN001
    ch = RecordingChannel()
    ch.fail(kind)
    rid = await put(org, "x")
    await sender(ch, org, clock).run_once()
    r = await row(org, rid)
    if kind is ErrorKind.UNREACHABLE:  # reachability is kept for Telegram's people and groups only: it fails
        assert r.status == "failed"
        return
    assert r.status == "pending" and r.not_before == T0 + timedelta(seconds=2)
    assert r.possible_duplicate == (kind is ErrorKind.UNKNOWN)  # an error response was not taken


async def test_a_quick_retry_after_no_response_is_no_possible_duplicate_on_an_idempotent_channel(org, clock) -> None:  # noqa: ANN001
    ch = RecordingChannel(idempotent_window_s=600)
    ch.fail(ErrorKind.NO_RESPONSE, taken=True)  # it arrived; the answer did not
    rid = await put(org, "幂等")
    out = sender(ch, org, clock)
    assert await out.run_once() == 0
    r = await row(org, rid)
    assert r.status == "pending" and not r.possible_duplicate and ch.calls == 1
    clock.advance(timedelta(seconds=2))
    assert await out.run_once() == 1
    r = await row(org, rid)
    assert r.status == "sent" and not r.possible_duplicate
    assert ch.calls == 2 and ch.texts() == ["幂等"]  # the same key: delivered once


async def test_without_a_window_the_same_retry_is_a_possible_duplicate(org, clock) -> None:  # noqa: ANN001
    """Telegram's case (window 0): a retry after no answer may show the message twice, and says so."""
    assert TelegramChannel(None).limits.idempotent_window_s == 0
    ch = RecordingChannel()
    ch.fail(ErrorKind.NO_RESPONSE, taken=True)
    rid = await put(org, "可能重复")
    out = sender(ch, org, clock)
    await out.run_once()
    assert (await row(org, rid)).possible_duplicate
    clock.advance(timedelta(seconds=2))
    assert await out.run_once() == 1
    assert (await row(org, rid)).possible_duplicate and ch.texts() == ["可能重复", "可能重复"]


async def test_a_retry_past_the_window_is_a_possible_duplicate(org, clock) -> None:  # noqa: ANN001
    ch = RecordingChannel(idempotent_window_s=60)
    ch.fail(ErrorKind.NO_RESPONSE, taken=True)
    rid = await put(org, "窗口外")
    out = sender(ch, org, clock)
    await out.run_once()
    assert not (await row(org, rid)).possible_duplicate  # the retry is due within the window
    clock.advance(timedelta(minutes=5))  # ... but the sender comes back only after it
    assert await out.run_once() == 1
    assert (await row(org, rid)).possible_duplicate


async def test_a_channel_operation_goes_to_perform(org, clock) -> None:  # noqa: ANN001
    ch = RecordingChannel()
    async with org() as s, s.begin():
        rid = await enqueue(s, to=telegram(CONV), method="setMyCommands", now=T0,
                            payload={"commands": [{"command": "help", "description": "帮助"}], "scope": {}})
        await s.execute(update(OutboxMessage).where(OutboxMessage.id == rid).values(channel=TEST))
    assert await sender(ch, org, clock).run_once() == 1
    [(method, address, body)] = ch.performed
    assert method == "setMyCommands" and address.conv == str(CONV) and body["commands"][0]["command"] == "help"


# ---------------------------------------------------------------- the Telegram adapter
def test_telegram_classifies_aiogram_errors() -> None:
    ch, m = TelegramChannel(None), SendMessage(chat_id=1, text="x")
    cases = {
        TelegramRetryAfter(m, "Too Many Requests", retry_after=7): ErrorKind.RETRY_AFTER,
        TelegramForbiddenError(m, "Forbidden: bot was blocked by the user"): ErrorKind.UNREACHABLE,
        TelegramBadRequest(m, "Bad Request: chat not found"): ErrorKind.PERMANENT,
        TelegramNotFound(m, "Not Found"): ErrorKind.PERMANENT,
        TelegramEntityTooLarge(m, "Request Entity Too Large"): ErrorKind.PERMANENT,
        UnknownOperation("sendPoll"): ErrorKind.PERMANENT,
        TelegramNetworkError(m, "Request timeout error"): ErrorKind.NO_RESPONSE,
        TimeoutError(): ErrorKind.NO_RESPONSE,
        TelegramServerError(m, "Bad Gateway"): ErrorKind.ERROR_RESPONSE,
        RuntimeError("a bug"): ErrorKind.UNKNOWN,
    }
    for error, kind in cases.items():
        assert ch.classify(error).kind is kind, error
    assert ch.classify(TelegramRetryAfter(m, "", retry_after=7)).retry_after == 7
    migrated = ch.classify(TelegramMigrateToChat(m, "", migrate_to_chat_id=-1002))
    assert migrated.migrate_to == "-1002"
    assert ch.is_group(Address("telegram", "-1002")) and not ch.is_group(Address("telegram", "1001"))


def test_telegram_renders_buttons_input_and_the_legacy_markup() -> None:
    p = render(Card("t", [[Button("收到", "incV1:ack:1")]], extra={"parse_mode": "HTML"}))
    assert p["text"] == "t" and p["parse_mode"] == "HTML"
    assert p["reply_markup"].model_dump(exclude_none=True) == {
        "inline_keyboard": [[{"text": "收到", "callback_data": "incV1:ack:1"}]]}
    p = render(Card("t", input=InputRequest("写" * 80)))
    assert p["reply_markup"].force_reply and p["reply_markup"].input_field_placeholder == "写" * 64
    legacy = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    p = render(Card("t", extra={"reply_markup": legacy}))
    assert p["reply_markup"].model_dump(exclude_none=True) == legacy
