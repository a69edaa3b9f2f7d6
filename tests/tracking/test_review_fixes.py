"""Findings of the tracking/closure review, each through the dispatcher and the fake Bot API (or two real
database sessions for the races)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.demo.harness import BotProcess
from bot.domain.closure import MAX_PART
from bot.services import closure
from bot.services.org import get_person, load_org
from models import AuditLog, ClosureProposal, FollowUp, Incident
from tests.bot.chat import Chat
from tests.tracking.test_closure_chat import SUMMARY
from tests.tracking.test_tracking_chat import GENERAL, OFFICE, report, texts


async def test_a_waiting_follow_up_question_does_not_take_the_answer_to_the_close_question(running: BotProcess,
                                                                                            api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    await office.send("/follow YQ-2026-0001")
    follow_q = api.last_message(2001)
    r = await office.send("/close YQ-2026-0001 原因：谣言")
    assert "还差 3 项" in r[0]
    r = await office.send("只在本地论坛", reply_to_message=api.last_message(2001))
    assert "处置" in r[0] and "还差 2 项" in r[0]
    # a plain message answers the question asked last (the closing dialog), not the older follow-up question
    r = await office.send("发布情况说明")
    assert "教训" in r[0]
    async with running.sessions() as s:
        assert not (await s.scalars(select(FollowUp))).all()
    # a reply to the follow-up question still answers that one
    r = await office.send("转发：30", reply_to_message=follow_q)
    assert "第 1 条跟进" in r[0]
    r = await office.send("及早回应", reply_to_message=api.chat_messages(2001)[-3])  # the 教训 question
    assert "仍有未了事项" in r[0]


async def test_a_reply_to_some_other_bot_message_answers_no_pending_question(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    await office.send("/track YQ-2026-0001")
    unrelated = api.last_message(2001)
    await office.send("/follow YQ-2026-0001")
    r = await office.send("转发：30", reply_to_message=unrelated)
    assert not any("跟进" in x for x in r)
    async with running.sessions() as s:
        assert not (await s.scalars(select(FollowUp))).all()


async def test_a_long_proposal_reaches_the_leader_in_pieces_with_its_buttons(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001")
    for ch in "甲乙丙丁":
        r = await office.send(ch * MAX_PART, reply_to_message=api.last_message(2001))
    assert "仍有未了事项" in r[0]
    await office.press("仍然提交")
    await running.tick()
    got = api.chat_messages(3001)
    assert all(len(m.get("text") or "") <= 4096 for m in got)
    body = "".join(m.get("text") or "" for m in got)
    assert all(ch * MAX_PART in body for ch in "甲乙丙丁") and "仍在计时" in body
    r = await Chat(api, 3001).press("同意结案")
    assert any("已结案" in x for x in r)


async def test_a_too_long_part_is_refused_and_the_others_are_kept(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001 原因：谣言")
    r = await office.send("传" * (MAX_PART + 1), reply_to_message=api.last_message(2001))
    assert "“传播”过长" in r[0] and f"最多 {MAX_PART} 字" in r[0]
    assert "还差 3 项" in r[1] and "传播" in r[1]
    r = await office.send(f"传播：本地\n处置：{'处' * (MAX_PART + 5)}", reply_to_message=api.last_message(2001))
    assert "“处置”过长" in r[0] and "还差 2 项" in r[1]
    r = await office.send("处置：说明\n教训：及早回应", reply_to_message=api.last_message(2001))
    await office.press("仍然提交")
    async with running.sessions() as s:
        prop = await s.scalar(select(ClosureProposal))
    assert prop.summary == {"cause": "谣言", "spread": "本地", "handling": "说明", "lessons": "及早回应"}


async def test_late_follow_ups_are_all_recorded_whoever_reopens(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    await office.press("仍然提交")
    await running.tick()
    await Chat(api, 3001).press("同意结案")
    monitor = Chat(api, 1002)
    assert "已结案" in (await monitor.send("/follow YQ-2026-0001 转发：40 说明：第一次"))[0]
    assert "已结案" in (await monitor.send("/follow YQ-2026-0001 说明：第二次"))[0]
    r = await Chat(api, 3001).send("/reopen YQ-2026-0001 又起波澜")  # a leader, by command, not the author
    assert "已补记结案期间收到的 2 条跟进" in r[0]
    async with running.sessions() as s:
        fus = (await s.scalars(select(FollowUp).order_by(FollowUp.id))).all()
    assert [(f.reposts, f.text) for f in fus] == [(40, "第一次"), (None, "第二次")]
    await running.tick()
    assert sum("结案期间发送的跟进已补记" in x for x in texts(api, 1002)) == 2


async def test_only_registered_people_concerned_see_the_tracker(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    r = await Chat(api, 9999).send("/track YQ-2026-0001")
    assert "只有" in r[0] and "李强" not in r[0]
    assert "李强" not in (await Chat(api, 1003).send("/track YQ-2026-0001"))[0]  # a monitor not concerned
    assert "李强" in (await Chat(api, 1001).send("/track YQ-2026-0001"))[0]  # the reporter
    assert "李强" in (await Chat(api, 3003).send("/track YQ-2026-0001"))[0]  # a leader
    assert "李强" in (await Chat(api, 1002).send("/track YQ-2026-0001"))[0]  # the tracker


async def test_an_old_submit_button_does_not_submit_another_incidents_proposal(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    await report(running, api, GENERAL.replace("学校东门", "图书馆").replace("abc", "xyz").replace("异物", "停电"))
    office = Chat(api, 2001)
    async with running.sessions() as s:
        numbers = (await s.scalars(select(Incident.number).order_by(Incident.id))).all()
    assert len(numbers) == 2
    await office.send(f"/close {numbers[0]}\n" + SUMMARY)
    old = api.last_message(2001)
    await office.send(f"/close {numbers[1]}\n" + SUMMARY)
    r = await office.press("仍然提交", old)
    assert any("已过期" in x for x in r)
    async with running.sessions() as s:
        assert not (await s.scalars(select(ClosureProposal))).all()


async def test_a_regrade_withdraws_a_proposal_sent_to_the_wrong_approvers(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)  # general: any leader confirms
    office = Chat(api, 2001)
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    await office.press("仍然提交")
    await running.tick()
    ask = next(m for m in api.chat_messages(3001) if "申请结案" in (m.get("text") or ""))
    await Chat(api, 1002).send("/follow YQ-2026-0001 转发：999")  # now major: the main leader confirms
    await running.tick()
    assert any("已撤回" in x for x in texts(api, OFFICE))
    r = await Chat(api, 3001).press("同意结案", ask)
    assert any("已处理或已被新的申请取代" in x for x in r)
    async with running.sessions() as s:
        assert (await s.scalar(select(ClosureProposal.status))) == "superseded"
        assert (await s.scalar(select(Incident.status))) != "closed"
        assert not await s.scalar(select(AuditLog.id).where(AuditLog.kind == "refusal"))
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    await office.press("仍然提交")
    await running.tick()
    assert any("申请结案" in x for x in texts(api, 3002))


async def test_concurrent_proposals_leave_one_pending_and_close_once(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    summary = {"cause": "a", "spread": "b", "handling": "c", "lessons": "d"}

    async def propose() -> closure.Result:
        async with running.sessions() as s, s.begin():
            org, me = await load_org(s), await get_person(s, 2001)
            return await closure.propose(s, number="YQ-2026-0001", person=me, chat_id=2001, summary=summary,
                                         confirmed=True, org=org, now=running.clock.now())

    results = await asyncio.gather(propose(), propose())
    assert [r.code for r in results] == ["proposed", "proposed"]
    async with running.sessions() as s:
        statuses = sorted((await s.scalars(select(ClosureProposal.status))).all())
    assert statuses == ["pending", "superseded"]

    # two pending proposals (as a race before this fix left them), confirmed at once by two leaders
    async with running.sessions() as s, s.begin():
        await s.execute(ClosureProposal.__table__.update().values(status="pending"))
        ids = (await s.scalars(select(ClosureProposal.id).order_by(ClosureProposal.id))).all()

    async def confirm(pid: int, leader: int) -> closure.Result:
        async with running.sessions() as s, s.begin():
            org, me = await load_org(s), await get_person(s, leader)
            return await closure.decide(s, proposal_id=pid, person=me, confirm=True, reason="", org=org,
                                        now=running.clock.now())

    results = await asyncio.gather(confirm(ids[0], 3001), confirm(ids[1], 3002))
    assert "confirmed" in [r.code for r in results] and sum(r.ok for r in results) == 1
    async with running.sessions() as s:
        closed = await s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.kind == "closed"))
    assert closed == 1


def test_lists_inside_english_sentences_use_commas() -> None:
    from bot.domain.followup import FollowUpInput
    from bot.services.tracking import brief

    items = [{"kind": "clocks", "names": ["publish", "first_response"]}]
    assert "、" not in closure.render_warnings(items, "en") and ", " in closure.render_warnings(items, "en")
    assert "、" in closure.render_warnings(items, "zh")
    line = brief(FollowUpInput(platforms=["weibo", "douyin"], regions=["Beijing", "Shanghai"]), "en")
    assert "、" not in line and "Beijing, Shanghai" in line
