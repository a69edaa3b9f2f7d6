"""Closing and reopening through the dispatcher and the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.i18n import t
from bot.services.export import export_json
from models import AuditLog, ClosureProposal, DueItem, FollowUp, Incident, ResponseClock
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.tracking.test_tracking_chat import OFFICE, report, texts

SUMMARY = "原因：食堂管理疏漏\n传播：微博本地转发，两天后平息\n处置：当日说明情况并整改\n教训：加强食材检查"


async def test_close_with_a_summary_warns_then_a_leader_confirms(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    office = Chat(api, 2001)
    r = await office.send("/close YQ-2026-0001\n" + SUMMARY)
    assert "仍有未了事项" in r[0] and "仍在计时" in r[0]  # the clocks of a fresh incident run
    r = await office.press("仍然提交")
    assert any("待任一领导确认" in x for x in r)
    await running.tick()
    ask = [x for x in texts(api, 3001) if "申请结案" in x]
    assert ask and "食堂管理疏漏" in ask[0]
    assert any("需由任一领导" in x for x in await Chat(api, 1002).press("同意结案", api.chat_messages(3001)[-1]))
    r = await Chat(api, 3001).press("同意结案")
    assert any("已结案" in x for x in r)
    await running.tick()
    card = next(m for m in api.chat_messages(OFFICE) if "舆情事件 YQ-2026-0001" in (m.get("text") or ""))
    assert "已结案" in card["text"]
    assert [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row] == [t("review.button", "zh")]
    assert any("已确认结案" in x for x in texts(api, 2001) + texts(api, OFFICE))
    assert any("跟踪提醒停止" in x for x in texts(api, 1002))
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        clocks = (await s.scalars(select(ResponseClock))).all()
        pending = (await s.scalars(select(DueItem.kind).where(DueItem.status == "pending",
                                                         DueItem.incident_id == inc.id))).all()
        kinds = [a.kind for a in (await s.scalars(select(AuditLog).where(AuditLog.incident_id == inc.id))).all()]
    assert inc.status == "closed" and inc.closed_at and inc.close_summary["lessons"] == "加强食材检查"
    assert clocks and all(c.status == "stopped" and c.stop_reason == "closed" for c in clocks)
    assert not pending  # no nudges, no tracker reminder left
    assert "closure_proposed" in kinds and "closed" in kinds
    clock.advance(timedelta(days=2))
    await running.tick()
    assert not any("跟踪提醒：" in x for x in texts(api, 1002))
    async with running.sessions() as s:
        exported = (await export_json(s))["incidents"][0]
    assert exported["status"] == "closed" and exported["followups"] == []
    closure = exported["closure"]
    assert closure["summary"]["cause"] == "食堂管理疏漏" and closure["closed_by"]["name"] == "陈副校长"
    assert closure["tracker"]["telegram_id"] == 1002
    assert [p["status"] for p in closure["proposals"]] == ["confirmed"]
    assert closure["proposals"][0]["warnings"][0]["kind"] == "clocks"


async def test_the_dialog_asks_for_missing_parts(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    r = await office.send("/close YQ-2026-0001 原因：谣言")
    assert "还差 3 项" in r[0] and "传播" in r[0]
    r = await office.send("只在本地论坛", reply_to_message=api.last_message(2001))
    assert "处置" in r[0]
    r = await office.send("处置：发布说明\n教训：及早回应", reply_to_message=api.last_message(2001))
    assert "仍有未了事项" in r[0]
    r = await office.press("暂不结案")
    assert any("已放弃" in x for x in r)
    async with running.sessions() as s:
        assert not (await s.scalars(select(ClosureProposal))).all()


async def test_a_major_incident_needs_the_main_leader_and_refusal_needs_a_reason(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api, TEMPLATE)  # 150 reposts: major
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    r = await office.press("仍然提交")
    assert any("主要领导" in x and "刘书记" in x for x in r)
    await running.tick()
    assert not [x for x in texts(api, 3001) if "申请结案" in x]  # the supervising leader is not asked
    msg = next(m for m in api.chat_messages(3002) if "申请结案" in (m.get("text") or ""))
    r = await Chat(api, 3001).press("同意结案", msg)  # a replayed button
    assert any("需由主要领导" in x for x in r)
    async with running.sessions() as s:
        refusal = await s.scalar(select(AuditLog).where(AuditLog.kind == "refusal"))
    assert refusal.actor_telegram_id == 3001 and refusal.payload["reason"] == "not_approver"
    r = await Chat(api, 3002).press("不同意", msg)
    assert any("理由" in x for x in r)
    r = await Chat(api, 3002).send("舆情仍在发酵", reply_to_message=api.last_message(3002))
    assert "已退回" in r[0]
    await running.tick()
    assert any("不同意结案" in x and "舆情仍在发酵" in x for x in texts(api, OFFICE))
    r = await Chat(api, 3002).press("同意结案", msg)
    assert any("已处理" in x for x in r)
    async with running.sessions() as s:
        assert (await s.scalar(select(Incident))).status != "closed"


async def test_policy_lets_any_leader_close_a_major_incident(running: BotProcess, api) -> None:  # noqa: ANN001
    from bot.domain.orgfile import parse_org_file
    from bot.services.org_import import import_org
    from tests.conftest import EXAMPLE_ORG

    text = EXAMPLE_ORG.read_text(encoding="utf-8") + "  closure:\n    approver_major: leader\n"
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text))
    await report(running, api, TEMPLATE)
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    await office.press("仍然提交")
    await running.tick()
    msg = next(m for m in api.chat_messages(3001) if "申请结案" in (m.get("text") or ""))
    assert any("已结案" in x for x in await Chat(api, 3001).press("同意结案", msg))


async def test_bad_input_and_a_late_follow_up_offers_reopen(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    assert "只有舆情办公室" in (await Chat(api, 1001).send("/close YQ-2026-0001\n" + SUMMARY))[0]
    assert "未找到事件" in (await Chat(api, 2001).send("/close YQ-2026-0077\n" + SUMMARY))[0]
    assert "用法" in (await Chat(api, 2001).send("/close"))[0]
    await Chat(api, 2001).send("/track YQ-2026-0001 1002")
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    await office.press("仍然提交")
    await running.tick()
    await Chat(api, 3001).press("同意结案")
    assert "已结案" in (await Chat(api, 2001).send("/close YQ-2026-0001\n" + SUMMARY))[0]
    # a monitor's late follow-up: refused, kept, reopen offered; the monitor may only ask the office
    monitor = Chat(api, 1001)
    r = await monitor.send("/follow YQ-2026-0001 转发：999\n说明：又被大V转发")
    assert "已结案" in r[0] and "重新打开" in monitor.buttons()[0]
    assert "没有进行中的报送" in (await monitor.send("你好"))[0]  # the kept follow-up swallows nothing
    r = await monitor.press("重新打开")
    assert any("已转告" in x for x in r)
    await running.tick()
    assert any("又被大V转发" in x for x in texts(api, OFFICE))
    assert "理由" in (await Chat(api, 2001).send("/reopen YQ-2026-0001"))[0]
    assert "只有" in (await Chat(api, 1001).send("/reopen YQ-2026-0001 再次发酵"))[0]
    async with running.sessions() as s:  # the audit export shows what is held while closed
        held = (await export_json(s))["incidents"][0]["closure"]["held_followups"]
    assert [(h["status"], h["author"]["telegram_id"], h["followup_id"]) for h in held] == [("held", 1001, None)]
    assert "又被大V转发" in held[0]["text"]
    # the office's own late follow-up is recorded once the incident is reopened through the button
    r = await office.send("/follow YQ-2026-0001 转发：60")
    assert "已结案" in r[0]
    r = await office.press("重新打开")
    assert any("理由" in x for x in r)
    r = await office.send("大V转发，再次发酵", reply_to_message=api.last_message(2001))
    # both held follow-ups are recorded, the monitor's (sent first) too, although the office reopened
    assert "已重新打开" in r[0] and "不会重新计时" in r[0] and "已补记结案期间收到的 2 条跟进" in r[0]
    assert "第 2 条跟进" in r[1] and "转发 60" in r[1]
    async with running.sessions() as s:
        fus = (await s.scalars(select(FollowUp).order_by(FollowUp.id))).all()
    assert [(f.reposts, f.text) for f in fus] == [(999, "又被大V转发"), (60, "")]
    async with running.sessions() as s:
        held = (await export_json(s))["incidents"][0]["closure"]["held_followups"]
    assert [(h["status"], h["followup_id"]) for h in held] == [("recorded", fus[0].id), ("recorded", fus[1].id)]
    await running.tick()
    assert any("结案期间发送的跟进已补记" in x for x in texts(api, 1001))
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        due = await s.scalar(select(DueItem).where(DueItem.kind == "tracking", DueItem.status == "pending"))
        clocks = (await s.scalars(select(ResponseClock))).all()
    assert inc.status == "reopened" and inc.closed_at is None and due is not None
    # the clocks closing stopped stay stopped; the monitor's 999 reposts made it major, whose own clock starts
    assert all(c.status == "stopped" and c.stop_reason == "closed" for c in clocks if c.name != "report_upward")
    assert inc.grade == "major" and [c.status for c in clocks if c.name == "report_upward"] == ["running"]
    await running.tick()
    assert any("已重新打开" in x for x in texts(api, 1002))
