"""The authoritative release: drafting, the approval pipeline per grade, refusals, publication — through the
real dispatcher and the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from docx import Document
from sqlalchemy import func, select, update

from bot.demo.harness import BotProcess
from bot.domain import release as rel
from bot.domain.orgfile import parse_org_file
from bot.fakeapi.updates import callback_update
from bot.services import releases
from bot.services.org import get_person, load_org
from bot.services.org_import import import_org
from bot.services.review import write_review_file
from bot.telegram.callbacks import RelAction, RelV1
from models import AuditLog, Incident, Person, ResponseClock
from models.release import ReleaseDecision, ReleaseDraft, ReleaseOutlet
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG

OFFICE, SUPERVISOR, MAIN, GROUP, MONITOR = 2001, 3001, 3002, 3003, 1001


async def _incident(api, reposts: int) -> str:  # noqa: ANN001
    chat = Chat(api, 1002)
    await chat.send("/report\n" + TEMPLATE.replace("转发：150", f"转发：{reposts}"))
    replies = await chat.press("确认")
    return re.search(r"YQ-\d{4}-\d{4}", "\n".join(replies)).group(0)


def _card(api, user: int, *contains: str) -> dict:  # noqa: ANN001
    """The latest message in `user`'s chat with buttons whose text contains all of `contains`."""
    for msg in reversed(api.chat_messages(user)):
        if msg.get("reply_markup") and all(c in msg.get("text", "") for c in contains):
            return msg
    raise AssertionError(f"no card {contains} for {user}")


async def _draft_and_submit(running: BotProcess, api, number: str, text: str = "关于食堂异物的情况说明") -> list[str]:  # noqa: ANN001
    office = Chat(api, OFFICE)
    assert any("第 1 版" in r or "版已保存" in r for r in await office.send(f"/release {number} {text}"))
    replies = await office.press("提交审批")
    await running.tick()
    return replies


async def _drafts(running: BotProcess) -> list[ReleaseDraft]:
    async with running.sessions() as s:
        return list((await s.scalars(select(ReleaseDraft).order_by(ReleaseDraft.id))).all())


async def _refusals(running: BotProcess, actor: int) -> list[AuditLog]:
    async with running.sessions() as s:
        return list((await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal",
                                                            AuditLog.actor_telegram_id == actor))).all())


async def _press_data(api, user: int, message: dict, data: str) -> list[str]:  # noqa: ANN001
    chat = Chat(api, user)
    chat._seen = len(api.calls)
    await api.wait_confirmed(api.push_update(callback_update(user, message, data)), timeout=20)
    return chat._replies()


# ---------------------------------------------------------------- pure rules

def test_pipeline_policy_and_text_rules() -> None:
    assert [s.name for s in rel.pipeline("general")] == ["approval"]
    assert [s.name for s in rel.pipeline(None)] == ["approval"]
    review, approval = rel.pipeline("especially_major", rel.ReleasePolicy.from_mapping({"group_approval": "quorum"}))
    assert review.roles == ("main_leader",) and approval.needed == 2
    assert rel.pipeline("major")[1].needed == 1
    assert rel.refusal(approval, roles=("leading_group",), person_id=1, drafter_id=1) == "own_draft"
    assert rel.refusal(approval, roles=("monitor",), person_id=1, drafter_id=2) == "not_allowed"
    assert rel.refusal(None, roles=("leading_group",), person_id=1, drafter_id=2) == "outdated"
    assert rel.validate_text("  ", 10) == "empty" and rel.validate_text("x" * 11, 10) == "too_long"
    with pytest.raises(ValueError, match="group_approval"):
        rel.ReleasePolicy.from_mapping({"group_approval": "all"})
    with pytest.raises(ValueError, match="quorum"):
        rel.ReleasePolicy.from_mapping({"quorum": 0})
    assert len(RelV1(action=RelAction.CHANGES, draft=2**31 - 1, stage="approval").pack().encode()) <= 64


# ---------------------------------------------------------------- flows through the bot

async def test_general_release_approved_by_the_supervising_leader(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    replies = await _draft_and_submit(running, api, number)
    assert any("已通知 1 人" in r for r in replies), replies
    leader = Chat(api, SUPERVISOR)
    assert "✅ 同意" in leader.buttons()
    replies = await leader.press("同意")
    assert any("已批准" in r for r in replies), replies
    [d] = await _drafts(running)
    assert d.status == "approved"
    await running.tick()
    assert any("/publish" in m.get("text", "") for m in api.chat_messages(OFFICE))
    replies = await Chat(api, OFFICE).send(f"/publish {number} 学校官方微博 https://weibo.com/school/1")
    assert any("已登记发布" in r for r in replies), replies


async def test_major_release_changes_then_group_approves_v2_and_publishing_stops_the_clock(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=150)
    office, main, member = Chat(api, OFFICE), Chat(api, MAIN), Chat(api, GROUP)
    assert any("正文" in r for r in await office.send(f"/release {number}"))
    assert any("第 1 版" in r for r in await office.send("第一稿：情况说明"))
    await office.press("提交审批")
    await running.tick()
    assert any("请回复" in r for r in await main.press("退回修改"))
    assert any("已转给起草人" in r for r in await main.send("请补充处理结果"))
    await running.tick()
    note = api.chat_messages(OFFICE)[-1]
    assert "请补充处理结果" in note["text"]
    replies = await office.send("第二稿：情况说明及处理结果", reply_to_message=note)
    assert any("第 2 版" in r for r in replies), replies
    await office.press("提交审批")
    await running.tick()
    v1_card = _card(api, MAIN, "第 1 版")
    assert any("过时" in r for r in await main.press("同意", message=v1_card))  # an outdated version's button
    assert any("转领导小组" in r for r in await main.press("同意", message=_card(api, MAIN, "第 2 版")))
    await running.tick()
    assert any("已批准" in r for r in await member.press("同意"))
    v1, v2 = await _drafts(running)
    assert (v1.status, v2.status, v2.version) == ("superseded", "approved", 2)
    replies = await office.send(f"/publish {number} 官方微博 https://weibo.com/school/2")
    assert any("已登记发布" in r and "时限" in r for r in replies), replies
    async with running.sessions() as s:
        clock = await s.scalar(select(ResponseClock).where(ResponseClock.name == "publish"))
        kinds = [k for (k,) in (await s.execute(select(AuditLog.kind).order_by(AuditLog.id))).all()]
    assert clock.status == "met" and clock.stopped_at is not None
    assert kinds.count("draft_version") >= 4 and "approval" in kinds and "publication" in kinds
    _, v2 = await _drafts(running)
    assert v2.status == "published" and [(o.outlet, o.link) for o in await _outlets(running)] == [
        ("weibo", "https://weibo.com/school/2")]


async def _outlets(running: BotProcess) -> list[ReleaseOutlet]:
    async with running.sessions() as s:
        return list((await s.scalars(select(ReleaseOutlet).order_by(ReleaseOutlet.id))).all())


async def _approved_general(running: BotProcess, api) -> str:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    await _draft_and_submit(running, api, number)
    assert any("已批准" in r for r in await Chat(api, SUPERVISOR).press("同意"))
    await running.tick()
    return number


async def test_several_outlets_per_release_the_clock_stops_at_the_first(running: BotProcess, api, clock,  # noqa: ANN001
                                                                        tmp_path) -> None:  # noqa: ANN001
    number = await _approved_general(running, api)
    office = Chat(api, OFFICE)
    replies = await office.send(f"/publish {number} 官方微博 https://weibo.com/school/7")
    assert any("已登记发布" in r and "官方微博 https://weibo.com/school/7" in r for r in replies), replies
    async with running.sessions() as s:
        first = await s.scalar(select(ResponseClock).where(ResponseClock.name == "publish"))
    assert first.status == "met"
    clock.advance(timedelta(hours=30))  # past the 24 hours: a later outlet does not make the clock missed
    replies = await office.send(f"/publish {number} 官网 school.edu.cn/news/7")
    assert any("已登记发布" in r and "官网 https://school.edu.cn/news/7" in r and "以首次发布为准" in r
               for r in replies), replies
    # the same outlet again, in other words (微博 is 官方微博): refused, one sentence, nothing recorded
    replies = await office.send(f"/publish {number} 微博 https://weibo.com/school/8")
    assert replies == [f"{number} 第 1 版已在官方微博登记过发布，不再重复登记。"]
    # a press release needs its link by default
    replies = await office.send(f"/publish {number} 新闻通稿")
    assert replies == [f"在新闻通稿发布须附链接，请发送 /publish {number} 新闻通稿 链接。"]
    # invited media under a name of its own, in English
    en = Chat(api, OFFICE, language_code="en")
    replies = await en.send(f"/publish {number} City Daily https://daily.example.cn/7")
    assert any("Publication recorded" in r and "City Daily https://daily.example.cn/7" in r for r in replies)
    replies = await en.send(f"/publish {number} City  Daily https://daily.example.cn/8")  # spacing aside, the same
    assert replies == [f"{number} version 1 was already recorded as published on City Daily; not recorded twice."]
    async with running.sessions() as s:
        after = await s.scalar(select(ResponseClock).where(ResponseClock.name == "publish"))
        pubs = [r.payload for r in await s.scalars(select(AuditLog).where(AuditLog.kind == "publication")
                                                   .order_by(AuditLog.id))]
        refusals = [r.payload["reason"] for r in await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal"))]
    assert (after.status, after.stopped_at) == ("met", first.stopped_at)
    assert [(p["outlet"], p["first"], p["clock"]) for p in pubs] == [
        ("weibo", True, "met"), ("website", False, None), ("City Daily", False, None)]
    assert "outlet_already" in refusals
    assert [(o.outlet, o.link) for o in await _outlets(running)] == [
        ("weibo", "https://weibo.com/school/7"), ("website", "https://school.edu.cn/news/7"),
        ("City Daily", "https://daily.example.cn/7")]
    [d] = await _drafts(running)
    assert d.status == "published" and d.published_at == first.stopped_at
    # the office group heard each one: the first as published, the later ones as also published
    await running.tick()
    notes = [m["text"] for m in api.chat_messages(-1001000000001) if number in m.get("text", "") and "📢" in m["text"]]
    assert any("已发布（官方微博）" in n for n in notes) and any("又在官网发布" in n for n in notes)
    # the timeline tells each publication
    timeline = "\n".join(await office.send(f"/timeline {number}"))
    assert "在官方微博发布第 1 版发布稿" in timeline and "又在官网发布第 1 版发布稿" in timeline, timeline
    # the review DOCX lists every outlet with its link; the export every outlet of the version
    async with running.sessions() as s:
        org = await load_org(s)
        path = await write_review_file(s, number, tmp_path / "review.docx", org=org, lang="zh", now=clock.now())
        inc = await s.scalar(select(Incident).where(Incident.number == number))
        exported = await releases.releases_json(s, inc.id)
    paras = [p.text for p in Document(str(path)).paragraphs if p.text.startswith("发布渠道：")]
    assert [p.split("（")[0] for p in paras] == ["发布渠道：官方微博，链接：https://weibo.com/school/7",
                                                "发布渠道：官网，链接：https://school.edu.cn/news/7",
                                                "发布渠道：City Daily，链接：https://daily.example.cn/7"]
    assert [(o["outlet"], o["link"]) for o in exported[0]["outlets"]] == [
        ("weibo", "https://weibo.com/school/7"), ("website", "https://school.edu.cn/news/7"),
        ("City Daily", "https://daily.example.cn/7")]


async def test_an_outlet_the_policy_allows_goes_without_a_link(running: BotProcess, api) -> None:  # noqa: ANN001
    text = EXAMPLE_ORG.read_text(encoding="utf-8") + "  release:\n    link_optional: [press_release]\n"
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text))
    number = await _approved_general(running, api)
    office = Chat(api, OFFICE)
    replies = await office.send(f"/publish {number} 新闻通稿")
    assert any("已登记发布" in r and "新闻通稿 无链接" in r for r in replies), replies
    replies = await office.send(f"/publish {number} 官方微博")  # still needs one
    assert replies == [f"在官方微博发布须附链接，请发送 /publish {number} 官方微博 链接。"]
    assert [(o.outlet, o.link) for o in await _outlets(running)] == [("press_release", None)]


async def test_forged_replayed_and_tampered_callbacks_are_refused_and_audited(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    await _draft_and_submit(running, api, number)
    card = _card(api, SUPERVISOR, number)
    replies = await Chat(api, MONITOR).press("同意", message=card)  # a monitor presses a leader's button
    assert any("无权" in r for r in replies), replies
    assert [r.payload["reason"] for r in await _refusals(running, MONITOR)] == ["not_allowed"]
    [d] = await _drafts(running)
    forged = RelV1(action=RelAction.APPROVE, draft=d.id + 999, stage="approval").pack()
    assert any("无效" in r for r in await _press_data(api, SUPERVISOR, card, forged))
    assert any("无效" in r for r in await _press_data(api, SUPERVISOR, card, "relV1:boom:x:"))
    async with running.sessions() as s, s.begin():  # the role is taken away mid-incident
        await s.execute(update(Person).where(Person.telegram_id == SUPERVISOR).values(roles=["leading_group"]))
    assert any("无权" in r for r in await Chat(api, SUPERVISOR).press("同意", message=card))
    async with running.sessions() as s, s.begin():
        await s.execute(update(Person).where(Person.telegram_id == SUPERVISOR).values(roles=["supervising_leader"]))
    assert any("已批准" in r for r in await Chat(api, SUPERVISOR).press("同意", message=card))
    assert any("已有决定" in r for r in await _press_data(api, SUPERVISOR, card, card["reply_markup"]
                                                        ["inline_keyboard"][0][0]["callback_data"]))  # replayed
    reasons = [r.payload["reason"] for r in await _refusals(running, SUPERVISOR)]
    assert reasons == ["not_on_card", "not_on_card", "not_allowed", "already_decided"]  # the press guard's
    async with running.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ReleaseDecision)) == 1


async def test_drafter_cannot_approve_own_draft_and_text_limits(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    async with running.sessions() as s, s.begin():
        await s.execute(update(Person).where(Person.telegram_id == SUPERVISOR)
                        .values(roles=["supervising_leader", "office"]))
    leader = Chat(api, SUPERVISOR)
    assert any("过长" in r for r in await leader.send(f"/release {number} " + "字" * 3001))
    assert any("只有舆情办公室" in r for r in await Chat(api, MONITOR).send(f"/release {number} 文本"))
    await leader.send(f"/release {number} 自己起草的稿件")
    replies = await leader.press("提交审批")
    assert any("没有可审批的人员" in r for r in replies), replies
    [d] = await _drafts(running)
    data = RelV1(action=RelAction.APPROVE, draft=d.id, stage="approval").pack()
    # The drafter is never sent an approval card; should one offer him the button all the same (he was an
    # approver of an earlier version), the handler still refuses his own draft.
    card = {**api.chat_messages(SUPERVISOR)[-1], "reply_markup": {"inline_keyboard": [[
        {"text": "同意", "callback_data": data}]]}}
    replies = await _press_data(api, SUPERVISOR, card, data)
    assert any("不能审批自己" in r for r in replies), replies
    assert [r.payload["reason"] for r in await _refusals(running, SUPERVISOR)] == ["own_draft"]


async def test_unapproved_release_cannot_be_published_even_by_the_admin(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    office = Chat(api, OFFICE)  # office and admin
    assert any("还没有发布稿" in r for r in await office.send(f"/publish {number} 微博 https://weibo.com/x"))
    await office.send(f"/release {number} 稿件")
    assert any("未经批准" in r for r in await office.send(f"/publish {number} 微博 https://weibo.com/x"))
    await office.press("提交审批")
    assert any("未经批准" in r for r in await office.send(f"/publish {number} 微博 https://weibo.com/x"))
    assert any("只有舆情办公室" in r for r in await Chat(api, SUPERVISOR).send(f"/publish {number} 微博 https://x.cn"))
    assert any("用法" in r for r in await office.send(f"/publish {number} 微博 ftp://x"))
    [d] = await _drafts(running)
    assert d.status == "in_review" and d.published_at is None
    async with running.sessions() as s:
        clock = await s.scalar(select(ResponseClock).where(ResponseClock.name == "publish"))
    assert clock.status == "running"


async def _set_quorum(running: BotProcess) -> None:
    org = EXAMPLE_ORG.read_text(encoding="utf-8") + "  release:\n    group_approval: quorum\n    quorum: 2\n"
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(org))


@pytest.mark.parametrize("quorum", [False, True])
async def test_two_concurrent_approvals_make_one_decision(running: BotProcess, api, quorum: bool) -> None:  # noqa: ANN001
    """`any`: exactly one of two simultaneous approvals wins. Quorum 2: both count, neither is lost."""
    if quorum:
        await _set_quorum(running)
    number = await _incident(api, reposts=150)
    await _draft_and_submit(running, api, number)
    await Chat(api, MAIN).press("同意")  # review done; the leading group decides, any one member
    [d] = await _drafts(running)

    async def approve(tg: int) -> releases.Result:
        async with running.sessions() as s, s.begin():
            org, person = await load_org(s), await get_person(s, tg)
            return await releases.decide(s, draft_id=d.id, stage="approval", person=person, decision="approve",
                                         comment=None, org=org, now=running.clock.now())

    results = await asyncio.gather(approve(SUPERVISOR), approve(GROUP))
    expected = ["approved", "counted"] if quorum else ["already_decided", "approved"]
    assert sorted(r.code for r in results) == expected, results
    async with running.sessions() as s:
        n = await s.scalar(select(func.count()).select_from(ReleaseDecision).where(ReleaseDecision.stage == "approval"))
        status = await s.scalar(select(ReleaseDraft.status))
    assert n == (2 if quorum else 1) and status == "approved"


async def test_quorum_of_two_needs_two_group_members(running: BotProcess, api) -> None:  # noqa: ANN001
    await _set_quorum(running)
    number = await _incident(api, reposts=150)
    await _draft_and_submit(running, api, number)
    await Chat(api, MAIN).press("同意")
    await running.tick()
    assert any("1/2" in r for r in await Chat(api, SUPERVISOR).press("同意"))
    [d] = await _drafts(running)
    assert d.status == "in_review"
    assert any("已批准" in r for r in await Chat(api, GROUP).press("同意"))
    [d] = await _drafts(running)
    assert d.status == "approved"


async def test_reject_asks_a_reason_that_reaches_the_drafter_and_a_report_dialog_is_left_alone(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    await _draft_and_submit(running, api, number)
    leader = Chat(api, SUPERVISOR)
    assert any("驳回" in r and "理由" in r for r in await leader.press("驳回"))
    await leader.send("/report")  # a report dialog opened meanwhile keeps its own answers
    replies = await leader.send("今天 08:15")
    assert not any("已驳回" in r for r in replies), replies
    prompt = next(m for m in reversed(api.chat_messages(SUPERVISOR)) if "驳回" in m.get("text", ""))
    assert any("已驳回" in r for r in await leader.send("与事实不符", reply_to_message=prompt))
    [d] = await _drafts(running)
    assert d.status == "rejected"
    await running.tick()
    assert "与事实不符" in api.chat_messages(OFFICE)[-1]["text"]
    assert any("未经批准" in r for r in await Chat(api, OFFICE).send(f"/publish {number} 微博 https://weibo.com/x"))
