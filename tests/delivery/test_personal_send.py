"""A personal message goes where the delivery rule says (bot/services/send.py on bot/services/addresses.py): a
person only on another channel gets it there, an unreachable preferred channel falls back to a reachable one,
and with nobody reachable the message waits and the office is told once."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.channels.types import Address
from bot.delivery import OutboxSender
from bot.domain.identity import REACHABLE, UNKNOWN, UNREACHABLE, placeholder_id
from bot.i18n import t
from bot.services import outbox, send
from models import OutboxMessage, Person, PersonIdentity
from tests.conftest import T0
from tests.delivery.conftest import OFFICE_CHAT
from tests.delivery.recording_channel import TEST, RecordingChannel


async def _person(s, name: str, *, preferred: str = "telegram", telegram_id: int | None = None,  # noqa: ANN001
                  **channels: tuple[str | None, str]) -> Person:
    """A person of the organisation and their identities: channel=(external_id, state)."""
    p = Person(telegram_id=telegram_id or placeholder_id(), name=name, roles=["leader"], language="zh",
               preferred_channel=preferred)
    s.add(p)
    await s.flush()
    for channel, (external, state) in channels.items():
        s.add(PersonIdentity(person_id=p.id, channel=channel, external_id=external, reachable=state, since=T0))
    await s.flush()
    return p


def _sender(channel: RecordingChannel, sessions, clock) -> OutboxSender:  # noqa: ANN001
    return OutboxSender({TEST: channel}, sessions, clock, instance="test", backoff_base=2.0)


async def test_a_person_only_on_the_test_channel_gets_a_personal_notice_there(org, clock) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        p = await _person(s, "测试甲", preferred=TEST, test=("7000101", UNKNOWN))
        rid = await send.to_person(s, p, text="只在测试渠道", now=T0, dedup_key="t:only-test")
        row = await s.get(OutboxMessage, rid)
        assert (row.channel, row.chat_id) == (TEST, 7000101)
    ch = RecordingChannel()
    assert await _sender(ch, org, clock).run_once() == 1
    [sent] = ch.sent
    assert sent.address == Address(TEST, "7000101") and sent.card.text == "只在测试渠道"


async def test_an_unreachable_preferred_channel_falls_back_to_a_reachable_identity(org, clock) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        p = await _person(s, "测试乙", telegram_id=7000102, telegram=("7000102", UNREACHABLE),
                          test=("7000103", REACHABLE))
        rid = await send.to_person(s, p.id, text="改走测试渠道", now=T0)
        row = await s.get(OutboxMessage, rid)
        assert (row.channel, row.chat_id) == (TEST, 7000103)
    ch = RecordingChannel()
    assert await _sender(ch, org, clock).run_once() == 1
    assert ch.sent[0].address == Address(TEST, "7000103") and ch.texts() == ["改走测试渠道"]


async def test_nobody_reachable_the_message_waits_and_the_office_is_told_once(org) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        p = await _person(s, "测试丙", telegram=(None, UNREACHABLE))
        first = await send.to_person(s, p, text="等他关联", now=T0, dedup_key="t:waits:1")
        second = await send.to_person(s, p, text="还在等", now=T0, dedup_key="t:waits:2")
        rows = [await s.get(OutboxMessage, i) for i in (first, second)]
        assert {(r.channel, r.chat_id) for r in rows} == {("telegram", p.telegram_id)}  # his placeholder
        held = await s.scalar(select(func.count()).where(OutboxMessage.id.in_((first, second)),
                                                         outbox.held_clause()))
        assert held == 2
        told = (await s.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key.like(f"reach:{p.id}:%")))).all()
        assert [(r.chat_id, r.payload["text"]) for r in told] == [
            (OFFICE_CHAT, t("reach.office.not_linked", "zh", name="测试丙"))]


async def test_a_conversation_id_that_is_not_a_number_is_stored_and_delivered(org, clock) -> None:  # noqa: ANN001
    """outbox.conv is text: another messenger's ids (here "u-42") are addresses like Telegram's, and an edit of
    a message the outbox sent points at that row until the channel has named the message."""
    ch = RecordingChannel()
    async with org() as s, s.begin():
        p = await _person(s, "测试丁", preferred=TEST, test=("u-42", UNKNOWN))
        first = await send.to_person(s, p, text="第一条", now=T0, dedup_key="t:u42")
        edit = await outbox.enqueue(s, to=Address(TEST, "u-42"), text="第一条（已改）", now=T0,
                                    method="editMessageText", edits=first)
    assert first is not None and edit is not None
    assert await _sender(ch, org, clock).run_once() == 2
    [sent] = ch.sent
    assert (sent.address, sent.card.text) == (Address(TEST, "u-42"), "第一条")
    [(address, ref, card)] = ch.edited
    assert (address, ref, card.text) == (Address(TEST, "u-42"), sent.ref, "第一条（已改）")
    async with org() as s:
        rows = {r.id: r for r in (await s.scalars(select(OutboxMessage))).all()}
    assert (rows[first].channel, rows[first].conv, rows[first].kind, rows[first].ref) == (
        TEST, "u-42", "send", sent.ref.ref)
    assert (rows[edit].kind, rows[edit].edits, rows[edit].ref, rows[edit].status) == (
        "edit", first, sent.ref.ref, "sent")
    assert rows[first].chat_id is None  # no Telegram integer view of another channel's id
