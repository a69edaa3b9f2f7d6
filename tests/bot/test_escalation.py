"""Routing, dual reporting, acknowledgement and escalation, through the dispatcher and the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.crashpoints import FAULT_ENV, reset_faults
from bot.demo.harness import BotProcess
from models import AuditLog, DueItem, Incident, ResponseClock
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

OFFICE, UPPER = -1001000000001, -1001000000002
LEADERS = (3001, 3002, 3003)


def cards_to(api, chat: int) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(chat) if "YQ-2026-0001" in (m.get("text") or "")]


async def _report_major(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("确认")
    await running.tick()


async def test_a_major_report_reaches_every_recipient_with_its_rules(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report_major(running, api)
    for chat in (*LEADERS, OFFICE, UPPER):
        cards = cards_to(api, chat)
        assert cards and "微博转发 150 ≥ 100" in cards[0]["text"], chat
    assert "双重报告" in cards_to(api, UPPER)[0]["text"]
    assert not cards_to(api, 1002)  # other monitors
    # the handler of the unit involved (后勤管理处) gets it too (issue 22); the receipt button only, by default
    [handler_card] = cards_to(api, 4001)
    assert "责任单位：后勤管理处" in handler_card["text"]
    assert [b["text"] for row in handler_card["reply_markup"]["inline_keyboard"] for b in row] == ["✅ 收到"]


async def test_nobody_acknowledges_so_the_chain_escalates_on_schedule(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await _report_major(running, api)
    clock.advance(timedelta(minutes=14))
    await running.tick()
    assert not any("请确认" in (c.params.get("text") or "") for c in api.calls)
    clock.advance(timedelta(minutes=1))
    await running.tick()
    reminded = [c for c in api.calls if "请确认" in (c.params.get("text") or "")]
    assert [c.params["chat_id"] for c in reminded] == [3002]  # the main leader leads a major incident
    clock.advance(timedelta(minutes=15))
    await running.tick()
    assert any("逐级上报" in (c.params.get("text") or "") and c.params["chat_id"] == 3003 for c in api.calls)


async def test_acknowledgement_stops_escalation_and_edits_every_card(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await _report_major(running, api)
    leader = Chat(api, 3002)
    replies = await leader.press("收到", cards_to(api, 3002)[0])
    assert any("已确认" in r for r in replies)
    await running.tick()
    for chat in (*LEADERS, OFFICE):
        assert "刘书记 已于" in cards_to(api, chat)[0]["text"], chat
    clock.advance(timedelta(hours=2))
    await running.tick()
    assert not any("请确认" in (c.params.get("text") or "") for c in api.calls)


async def test_forged_press_is_refused_and_audited(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report_major(running, api)
    monitor = Chat(api, 1001)
    replies = await monitor.press("收到", cards_to(api, 3002)[0])  # replaying the main leader's button
    assert any("无权" in r for r in replies)
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        refusals = (await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal"))).all()
    assert inc.acknowledged_at is None
    assert refusals and refusals[0].actor_telegram_id == 1001


async def test_upper_office_receipt_stops_the_report_upward_clock(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report_major(running, api)
    outsider = Chat(api, 6001)
    replies = await outsider.press("上级已收到", cards_to(api, UPPER)[0])
    assert any("已登记上级收到" in r for r in replies)
    async with running.sessions() as s:
        clock_row = await s.scalar(select(ResponseClock).where(ResponseClock.name == "report_upward"))
    assert clock_row.status == "met"
    await running.tick()
    card = cards_to(api, UPPER)[0]
    assert "上级舆情办已于" in card["text"]
    assert not (card.get("reply_markup") or {}).get("inline_keyboard")  # the receipt button is gone


async def test_disposal_checklist_steps_and_leader_only_referral(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE.replace("类别：询问", "类别：造谣"))
    await chat.press("确认")
    await running.tick()
    # the office group's card carries the checklist: one message for the incident, not two
    about = [m for m in api.chat_messages(OFFICE) if "YQ-2026-0001" in (m.get("text") or "")
             and "24小时值班" not in (m.get("text") or "")]
    assert len(about) == 1 and "处置清单" in about[0]["text"] and "☐ 1. 澄清事实" in about[0]["text"]
    checklist = about[0]
    office = Chat(api, 2001)
    assert any("需由领导" in r for r in await office.press("移交公安", checklist))
    assert any("已登记" in r for r in await office.press("澄清事实", checklist))
    await running.tick()  # the card, edited through the outbox, shows the step done and still its own buttons
    card = api.message(OFFICE, checklist["message_id"])
    assert "☑ 1. 澄清事实" in card["text"] and "🔔 舆情事件 YQ-2026-0001" in card["text"]
    assert any("我来负责" in b["text"] for row in card["reply_markup"]["inline_keyboard"]
               for b in row)
    assert any("无权" in r or "只有" in r for r in await Chat(api, 1002).press("查明", checklist))
    assert any("已登记" in r for r in await Chat(api, 3002).press("移交公安", checklist))
    await running.tick()
    referral = [m for m in api.chat_messages(5001) if "YQ-2026-0001" in (m.get("text") or "")]
    assert len(referral) == 1  # the police contact got the upward report once
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
    assert inc.progressed_at is not None


async def test_grade_override_needs_office_or_leader_and_a_reason(running: BotProcess, api) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE.replace("转发：150", "转发：20"))
    await chat.press("确认")
    await running.tick()
    assert not cards_to(api, 3002)  # general: the main leader is not told
    assert "只有" in (await Chat(api, 1002).send("/grade YQ-2026-0001 重大 因为"))[0]
    assert "理由" in (await Chat(api, 2001).send("/grade YQ-2026-0001 重大"))[0]
    replies = await Chat(api, 2001).send("/grade YQ-2026-0001 重大 涉及省级媒体即将报道")
    assert "涉及省级媒体即将报道" in replies[0]
    await running.tick()
    assert cards_to(api, 3002)  # now the main leader has a card
    async with running.sessions() as s:
        names = {c.name for c in (await s.scalars(select(ResponseClock))).all()}
    assert "report_upward" in names


async def test_a_failure_after_filing_keeps_the_report_and_retries_the_rest(running: BotProcess, api,  # noqa: ANN001
                                                                           monkeypatch) -> None:  # noqa: ANN001
    """A bug or an outage in grading/notifying must not cost the monitor the report: it is filed with its number,
    the office is told at once, and the rest is retried until it works."""
    reset_faults()
    monkeypatch.setenv(FAULT_ENV, "notify_incident")  # the first notification of an incident fails
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    replies = await chat.press("确认")
    assert any("YQ-2026-0001" in r and "正在自动重试" in r for r in replies), replies
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        assert inc.number == "YQ-2026-0001" and inc.grade is None  # nothing half done
        assert not (await s.scalars(select(ResponseClock))).all()
    await running.tick()  # the retry: this time it works
    office = [m.get("text") or "" for m in api.chat_messages(OFFICE)]
    assert any("YQ-2026-0001 已报送，但定级、计时和通知未能完成" in x for x in office)
    assert any("YQ-2026-0001 的定级、计时和通知已补做完成" in x and "重大" in x for x in office)
    for leader in LEADERS:
        assert cards_to(api, leader) and "微博转发 150 ≥ 100" in cards_to(api, leader)[0]["text"]
    async with running.sessions() as s:
        assert (await s.scalar(select(Incident))).grade == "major"
        assert len((await s.scalars(select(ResponseClock))).all()) >= 3
    await running.tick()
    assert sum("补做完成" in (m.get("text") or "") for m in api.chat_messages(OFFICE)) == 1  # once


async def test_graded_by_hand_while_its_grading_is_retried_it_still_reaches_everyone(
        running: BotProcess, api, monkeypatch) -> None:  # noqa: ANN001
    """The office grades an incident whose automatic grading failed before the retry has worked: the upper
    office, the office group and the leaders still get their cards, and the escalation plan runs."""
    reset_faults()
    monkeypatch.setenv(FAULT_ENV, "notify_incident")
    chat = Chat(api, 1001)
    await chat.send("/report\n" + TEMPLATE)
    await chat.press("确认")
    monkeypatch.delenv(FAULT_ENV)
    reset_faults()
    replies = await Chat(api, 2001).send("/grade YQ-2026-0001 重大 微博转发已过百")
    assert "微博转发已过百" in replies[0]
    await running.tick()  # the retry finds it graded and stands down; the cards go out
    for who in (*LEADERS, OFFICE, UPPER):
        assert cards_to(api, who), who
    assert "双重报告" in cards_to(api, UPPER)[0]["text"]
    office = [m.get("text") or "" for m in api.chat_messages(OFFICE)]
    assert not any("补做完成" in x for x in office)  # nothing was left for the retry to do
    async with running.sessions() as s:
        kinds = [a.kind for a in (await s.scalars(select(AuditLog).order_by(AuditLog.id))).all()]
        escalation = (await s.scalars(select(DueItem).where(DueItem.kind == "escalation"))).all()
    assert kinds.count("notified") == 1 and escalation
