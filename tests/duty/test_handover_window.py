"""Handover notes when people write them (issue 20, part 4), through the real dispatcher and the fake Bot API on
the virtual clock: the window from `policy.duty.handover_window_minutes` before a shift's end to
`policy.duty.handover_late_minutes` after it (both edges included), what /handover says outside it, a reply to
the bot's handover prompt taken as the note (a reply to another bot message is not), and the policy override.

The duty is written into the database directly (two shifts, 张敏 14:00–20:00 then 李强 20:00–02:00), so these
tests do not depend on how a roster is generated or a first shift offered."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.channels.types import TELEGRAM, MessageRef
from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.clocks import add_due
from bot.services.duty_handover import prompt_shift
from bot.services.org_import import import_org
from bot.telegram.refs import address_of
from models import Person
from models.duty import DutyEvent, DutyShift
from tests.bot.chat import Chat
from tests.conftest import EXAMPLE_ORG, T0

START = T0.replace(hour=14)  # 张敏's shift: 11-24 14:00–20:00; 李强 takes over at 20:00
END = START + timedelta(hours=6)
NOT_YET = "您的班次 11-24 14:00–20:00，交班记录可在 19:30 至 22:00 之间填写。"
CLOSED = ("您的班次 11-24 14:00–20:00 的交班记录只能在 19:30 至 22:00 之间填写，现已截止；"
          "如有情况请直接告知下一班或舆情办。")
SAVED = "班次 11-24 14:00–20:00 的交班记录已保存，已转交下一班（1 人）。"


async def _duty(proc: BotProcess, *, prompt: bool = False) -> tuple[int, int]:
    """A running duty of two shifts; with `prompt`, the due row that sends 张敏 the handover prompt at 20:00
    (as the roster's own rows do: schedules/duty.py). Returns the two shift row ids."""
    async with proc.sessions() as s, s.begin():
        ids = {p.telegram_id: p.id for p in (await s.scalars(select(Person))).all()}
        ev = DutyEvent(incident_id=None, started_at=T0, ends_at=END + timedelta(hours=6), status="running")
        s.add(ev)
        await s.flush()
        first = DutyShift(event_id=ev.id, index=0, start=START, end=END, person_id=ids[1001])
        second = DutyShift(event_id=ev.id, index=1, start=END, end=END + timedelta(hours=6), person_id=ids[1002])
        s.add_all([first, second])
        await s.flush()
        if prompt:
            await add_due(s, kind="duty", due=END, dedup_key=f"duty:{ev.id}:{first.id}:{ids[1001]}:0:handover",
                          now=T0, payload={"action": "handover", "event": ev.id, "shift": first.id,
                                           "person": ids[1001]})
        return first.id, second.id


async def _note(proc: BotProcess, shift_id: int) -> str | None:
    async with proc.sessions() as s:
        return (await s.get(DutyShift, shift_id)).handover_note


def _at(clock, hh: int, mm: int) -> None:  # noqa: ANN001
    clock.advance(T0.replace(hour=0, minute=0) + timedelta(hours=hh, minutes=mm) - clock.now())


async def _policy(proc: BotProcess, **duty: int) -> None:
    """The example organisation with `policy.duty` keys set (imported before the first update: the
    dispatcher reads the organisation afresh then)."""
    lines = "".join(f"    {k}: {v}\n" for k, v in duty.items())
    text = EXAMPLE_ORG.read_text(encoding="utf-8").replace("policy:\n", f"policy:\n  duty:\n{lines}", 1)
    async with proc.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text))


@pytest.mark.parametrize(("hh", "mm", "taken"), [
    (19, 29, False),  # a minute before the window opens
    (19, 30, True),   # the opening minute
    (19, 55, True),   # the last minutes of the shift, when people write it
    (20, 0, True),    # the end
    (22, 0, True),    # the late limit
    (22, 1, False),   # after it
], ids=["before-open", "opening-minute", "last-minutes", "at-the-end", "late-limit", "after-late-limit"])
async def test_handover_window_edges(running: BotProcess, api, clock, hh: int, mm: int, taken: bool) -> None:  # noqa: ANN001
    first, _ = await _duty(running)
    _at(clock, hh, mm)
    replies = await Chat(api, 1001).send("/handover 官微已发布情况说明；待办：17:00 前跟进调查组通报")
    if taken:
        assert replies == [SAVED]
        assert await _note(running, first) == "官微已发布情况说明；待办：17:00 前跟进调查组通报"
        await running.tick()
        delivered = [m["text"] for m in api.chat_messages(1002) if "交班记录（张敏" in (m.get("text") or "")]
        assert len(delivered) == 1 and "官微已发布情况说明" in delivered[0]
    else:
        assert replies == [NOT_YET if (hh, mm) < (20, 0) else CLOSED]
        assert await _note(running, first) is None


async def test_outside_the_window_says_when_and_bare_handover_says_how(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await _duty(running)
    me = Chat(api, 1001)
    assert await me.send("/handover 太早了") == [NOT_YET]  # 10:00: the shift has not even begun
    _at(clock, 16, 0)
    assert await me.send("/handover") == [NOT_YET]  # during the shift, before the window
    _at(clock, 19, 40)
    usage = await me.send("/handover")
    assert len(usage) == 1 and "/handover" in usage[0] and "22:00" in usage[0] and "14:00–20:00" in usage[0]
    assert await me.send("/handover 第一份") == [SAVED]
    assert await me.send("/handover 第二份") == ["您已写过班次 11-24 14:00–20:00 的交班记录。"]
    # someone not on the roster
    assert await Chat(api, 1003, language_code="en").send("/handover note") == [
        "You have no shift on the roster to hand over."]


async def test_a_reply_to_the_prompt_is_the_note_and_a_reply_to_anything_else_is_not(
        running: BotProcess, api, clock) -> None:  # noqa: ANN001
    first, _ = await _duty(running, prompt=True)
    me = Chat(api, 1001)
    early = await me.send("/handover 太早了")  # a bot message that is not the prompt
    assert early == [NOT_YET]
    _at(clock, 20, 0)
    await running.tick()
    ask = next(m for m in api.chat_messages(1001) if "请回复本消息写交班记录" in (m.get("text") or ""))
    other = next(m for m in api.chat_messages(1001) if m.get("text") == NOT_YET)

    async with running.sessions() as s:  # the outbox knows which bot message asked about which shift
        assert await prompt_shift(s, address_of(1001), MessageRef(TELEGRAM, str(ask["message_id"]))) == first
        assert await prompt_shift(s, address_of(1001), MessageRef(TELEGRAM, str(other["message_id"]))) is None
        assert await prompt_shift(s, address_of(1002), MessageRef(TELEGRAM, str(ask["message_id"]))) is None

    _at(clock, 20, 20)
    answered = await me.send("舆情平稳，继续关注评论区", reply_to_message=other)
    assert not any("交班记录已保存" in r for r in answered)
    assert await _note(running, first) is None

    replies = await me.send("14:00 学校官微已发布情况说明；待办：跟进调查组通报", reply_to_message=ask)
    assert replies == [SAVED]
    assert await _note(running, first) == "14:00 学校官微已发布情况说明；待办：跟进调查组通报"
    await running.tick()
    assert any("跟进调查组通报" in (m.get("text") or "") for m in api.chat_messages(1002))
    again = await me.send("补充一句", reply_to_message=ask)
    assert again == ["您已写过班次 11-24 14:00–20:00 的交班记录。"]


async def test_a_reply_to_the_prompt_after_the_late_limit_says_it_closed(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    first, _ = await _duty(running, prompt=True)
    _at(clock, 20, 0)
    await running.tick()
    ask = next(m for m in api.chat_messages(1001) if "请回复本消息写交班记录" in (m.get("text") or ""))
    _at(clock, 22, 1)
    assert await Chat(api, 1001).send("迟到的交班记录", reply_to_message=ask) == [CLOSED]
    assert await _note(running, first) is None


async def test_the_window_follows_the_policy(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await _policy(running, handover_window_minutes=60, handover_late_minutes=0)
    first, _ = await _duty(running)
    me = Chat(api, 1001)
    _at(clock, 18, 59)
    assert await me.send("/handover x") == ["您的班次 11-24 14:00–20:00，交班记录可在 19:00 至 20:00 之间填写。"]
    _at(clock, 19, 0)  # refused under the default (30 minutes), taken under this policy
    assert await me.send("/handover 一小时前写好") == [SAVED]
    assert await _note(running, first) == "一小时前写好"


async def test_the_late_limit_follows_the_policy(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await _policy(running, handover_late_minutes=0)
    first, _ = await _duty(running)
    _at(clock, 20, 1)  # taken under the default (120 minutes), refused under this policy
    assert await Chat(api, 1001).send("/handover x") == [
        "您的班次 11-24 14:00–20:00 的交班记录只能在 19:30 至 20:00 之间填写，现已截止；如有情况请直接告知下一班或舆情办。"]
    assert await _note(running, first) is None


def test_window_bounds_are_inclusive_minutes() -> None:
    """The same edges as pure arithmetic, for any shift length the policy allows."""
    from types import SimpleNamespace

    from bot.domain.roster_model import RosterPolicy
    from bot.services.duty_handover import window

    for hours in (4, 6, 8, 12):
        pol = RosterPolicy(shift_hours=hours, handover_window_minutes=45, handover_late_minutes=90)
        row = SimpleNamespace(end=datetime(2026, 11, 24, 20, tzinfo=T0.tzinfo))
        opens, closes = window(row, SimpleNamespace(policy=SimpleNamespace(duty=pol)))
        assert (row.end - opens, closes - row.end) == (timedelta(minutes=45), timedelta(minutes=90))
