"""The working group (专门工作组, issue 23 item 4) through the dispatcher and the fake Bot API: a major incident
proposes it to the main leader, who edits and confirms it; the office and each member are told, a member outside
the office group gets the incident's card; the first meeting (碰头会) is proposed with Join / Can't and an agenda,
and the answers reach the office; /group on a general incident needs a reason; only the main leader confirms;
/invite YQ-… NAME sends a one-use link when the bot may make one."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.review.docx_writer import write_review
from bot.services.audit import timeline_json
from bot.services.org import load_org
from bot.services.org_import import import_org
from bot.services.review import load_review
from models import (
    AuditLog,
    GroupMeetingAnswer,
    Incident,
    IncidentCard,
    Person,
    WorkingGroup,
    WorkingGroupMember,
)
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG
from tests.tracking.test_tracking_chat import texts

OFFICE_GROUP = -1001000000001
OFFICE, SUPERVISOR, MAIN, MEMBER, HANDLER, MONITOR = 2001, 3001, 3002, 3003, 4001, 1002
GENERAL = TEMPLATE.replace("转发：150", "转发：20")


async def _report(running: BotProcess, api, template: str = TEMPLATE) -> str:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + template)
    replies = await chat.press("确认")
    await running.tick()
    return re.search(r"YQ-\d{4}-\d{4}", "\n".join(replies)).group(0)


async def _group(running: BotProcess) -> WorkingGroup | None:
    async with running.sessions() as s:
        return await s.scalar(select(WorkingGroup))


async def _members(running: BotProcess) -> dict[str, str]:
    async with running.sessions() as s:
        rows = (await s.execute(select(Person.name, WorkingGroupMember.role)
                                .join(Person, Person.id == WorkingGroupMember.person_id))).all()
    return dict(rows)


async def _kinds(running: BotProcess) -> list[str]:
    async with running.sessions() as s:
        return [k for (k,) in (await s.execute(select(AuditLog.kind).order_by(AuditLog.id))).all()]


def _proposals(api, chat: int) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(chat) if "专门工作组" in (m.get("text") or "") and m.get("reply_markup")]


async def test_a_major_incident_proposes_the_group_the_main_leader_edits_and_confirms_members_answer(  # noqa: ANN001
        running: BotProcess, api) -> None:
    number = await _report(running, api)
    [proposal] = _proposals(api, MAIN)
    assert "建议组建专门工作组" in proposal["text"]
    assert "主要领导：刘书记" in proposal["text"] and "领导小组：陈副校长、赵组员" in proposal["text"]
    assert "业务部门承办人：孙处长" in proposal["text"] and "舆情办公室：王晓" in proposal["text"]
    assert not _proposals(api, SUPERVISOR)  # the main leader's alone
    main = Chat(api, MAIN)
    assert main.buttons() == ["✅ 确认组建", "✏️ 调整成员"]
    # edit: a monitor joins, a leading-group member leaves, an unknown name is said
    r = await main.press("调整成员")
    assert "+姓名 加入" in r[-1]
    r = await main.send("+李强 -赵组员 +无此人")
    assert "加入 李强" in r[0] and "移出 赵组员" in r[0] and "找不到：无此人" in r[0]
    assert "主要领导指定：李强" in r[0] and "赵组员" not in r[0].split("移出 赵组员")[1]
    assert await _members(running) == {"刘书记": "main_leader", "陈副校长": "leading_group", "孙处长": "handler",
                                       "王晓": "office", "李强": "added"}
    r = await main.press("确认组建")
    assert "已确认组建" in r[0] and "2026-11-24 11:00" in r[0]
    group = await _group(running)
    assert group.status == "confirmed" and group.confirmed_at is not None
    # the first proposal's Confirm, pressed again, finds it done: one confirmation
    r = await main.press("确认组建", proposal)
    assert "已确认组建" in r[0]
    await running.tick()
    office = texts(api, OFFICE_GROUP)
    assert any("刘书记 已确认组建" in x and "主要领导指定：李强" in x and "/invite" in x for x in office)
    assert any("碰头会建议时间 2026-11-24 11:00" in x and "议程" in x for x in office)
    assert any("您已被列入" in x and "主要领导指定" in x for x in texts(api, MONITOR))
    assert not any("您已被列入" in x for x in texts(api, MEMBER))  # removed
    # the monitor outside the office group now has the incident's card, the office member reads the group's
    [card] = [m for m in api.chat_messages(MONITOR) if number in (m.get("text") or "") and "确认收到" in str(m)]
    async with running.sessions() as s:
        people = {p.name: p.id for p in (await s.scalars(select(Person))).all()}
        cards = {c.person_id for c in (await s.scalars(select(IncidentCard))).all()}
    assert people["李强"] in cards and people["王晓"] not in cards
    # the meeting: agenda from the card, Join / Can't to every member
    meeting = [m for m in api.chat_messages(HANDLER) if "碰头会" in (m.get("text") or "")][-1]
    assert "时间：2026-11-24 09:30" in meeting["text"] and "级别：重大" in meeting["text"]
    assert "向上级报告" in meeting["text"] and "待办处置步骤" in meeting["text"]
    r = await Chat(api, HANDLER).press("✅ 参加", meeting)
    assert "已记录：参加碰头会" in r[0]
    r = await Chat(api, MONITOR).press("无法参加")
    assert "无法参加" in r[0]
    await running.tick()
    assert any("参加：孙处长" in x and "无法参加：李强" in x for x in texts(api, OFFICE_GROUP))
    async with running.sessions() as s:
        answers = {(a.person_id, a.answer) for a in (await s.scalars(select(GroupMeetingAnswer))).all()}
    assert answers == {(people["孙处长"], "join"), (people["李强"], "cant")}
    kinds = await _kinds(running)
    assert [k for k in kinds if k.startswith(("group_", "meeting_"))] == [
        "group_proposed", "group_edited", "group_confirmed", "meeting_proposed", "meeting_answered", "meeting_answered"]
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        said = [r["sentence"]["zh"] for r in await timeline_json(s, inc.id)
                if r["kind"].startswith(("group_", "meeting_"))]
    assert "加入李强" in said[1] and "移出赵组员" in said[1]
    assert "无法参加 2026-11-24 11:00 的碰头会" in said[-1]
    assert card


async def test_the_review_shows_the_group_and_the_meeting_answers(running: BotProcess, api, clock,  # noqa: ANN001
                                                                  tmp_path) -> None:
    number = await _report(running, api)
    await Chat(api, MAIN).press("确认组建")
    await running.tick()
    await Chat(api, HANDLER).press("✅ 参加")
    async with running.sessions() as s:
        data = await load_review(s, number, org=await load_org(s), lang="zh", now=clock.now())
    from docx import Document

    doc = Document(str(write_review(data, tmp_path / "r.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "专门工作组" in text and "共 5 人" in text and "参加 1 人，无法参加 0 人，未回复 4 人" in text
    (table,) = [tb for tb in doc.tables if tb.rows[0].cells[0].text == "成员"]
    rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in table.rows[1:]}
    assert rows["孙处长"] == ("业务部门承办人", "参加") and rows["王晓"] == ("舆情办公室", "未回复")
    cells = "\n".join(c.text for tb in doc.tables for r in tb.rows for c in r.cells)
    assert "确认组建专门工作组" in cells and "提议工作组碰头会于 2026-11-24 11:00 召开" in cells  # key events


async def test_someone_else_s_confirm_is_refused_and_on_the_timeline(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    [proposal] = _proposals(api, MAIN)
    # a leader without the main leader's role: refused, nothing changes
    r = await Chat(api, SUPERVISOR).press("确认组建", proposal)
    assert "只有主要领导" in r[0]
    # the main leader who lost the role since: refused too
    async with running.sessions() as s, s.begin():
        await s.execute(update(Person).where(Person.telegram_id == MAIN).values(roles=["leading_group"]))
    r = await Chat(api, MAIN).press("确认组建", proposal)
    assert "只有主要领导" in r[0]
    r = await Chat(api, MAIN).press("调整成员", proposal)
    assert "只有主要领导" in r[0]
    assert (await _group(running)).status == "proposed"
    async with running.sessions() as s:
        refusals = (await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal"))).all()
        inc = await s.scalar(select(Incident))
        said = [r["sentence"]["zh"] for r in await timeline_json(s, inc.id) if r["kind"] == "refusal"]
    assert [r.payload["action"] for r in refusals] == ["group.confirm", "group.confirm", "group.edit"]
    assert all("不是主要领导" in x for x in said) and "确认组建工作组" in said[0]
    # a non-member's answer to a meeting is refused the same way
    async with running.sessions() as s, s.begin():
        await s.execute(update(Person).where(Person.telegram_id == MAIN).values(roles=["main_leader", "leading_group"]))
    await Chat(api, MAIN).press("确认组建", proposal)
    await running.tick()
    meeting = [m for m in api.chat_messages(HANDLER) if "碰头会" in (m.get("text") or "")][-1]
    r = await Chat(api, MONITOR).press("✅ 参加", meeting)
    assert "不是该工作组成员" in r[0]
    assert "not_member" in [a.payload.get("reason") for a in (await _refusals(running))]


async def _refusals(running: BotProcess) -> list[AuditLog]:
    async with running.sessions() as s:
        return list((await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal"))).all())


async def test_group_on_a_general_incident_needs_a_reason(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api, GENERAL)
    assert await _group(running) is None and not _proposals(api, MAIN)  # general: nothing by itself
    office = Chat(api, OFFICE)
    r = await office.send(f"/group {number}")
    assert r == [f"{number} 不是重大舆情，组建专门工作组须写明理由：/group {number} 理由。"]
    assert await _group(running) is None
    assert "只有舆情办公室或领导" in (await Chat(api, 1001).send(f"/group {number} 涉及多个部门"))[0]
    r = await office.send(f"/group {number} 涉及多个部门，需统一协调")
    assert r == [f"已将 {number} 的专门工作组建议发给主要领导确认。"]
    await running.tick()
    [proposal] = _proposals(api, MAIN)
    assert "理由：涉及多个部门，需统一协调" in proposal["text"] and "（一般）" in proposal["text"]
    assert (await _group(running)).reason == "涉及多个部门，需统一协调"
    # in English, and in the office group
    en = Chat(api, OFFICE, language_code="en")
    assert (await en.send("/group YQ-2026-0042"))[0] == "No incident YQ-2026-0042."
    await Chat(api, MAIN).press("确认组建")
    assert "already confirmed" in (await en.send(f"/group {number} again"))[0]


async def test_invite_link_without_and_with_the_right(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api)
    main = Chat(api, MAIN)
    await main.press("调整成员")
    await main.send("+李强")
    await main.press("确认组建")
    office = Chat(api, OFFICE)
    assert "没有名为“张敏”的成员" in (await office.send(f"/invite {number} 张敏"))[0]
    r = await office.send(f"/invite {number} 李强")
    assert r == ["机器人不是办公室群的管理员，或没有“邀请用户”权限，无法生成邀请链接。请在群设置中授予后重试。"]
    assert api.invite_links == [] and not api.violations
    api.set_admin(OFFICE_GROUP, api.bot_id)
    r = await office.send(f"/invite {number} 李强")
    assert r == ["已将一次性入群链接私发给 李强。"]
    [(chat, link)] = api.invite_links
    assert chat == OFFICE_GROUP and link["member_limit"] == 1 and link["name"] == number
    await running.tick()
    assert any(link["invite_link"] in x and "仅可使用一次" in x for x in texts(api, MONITOR))
    # typed in the office group too; a monitor may not; /invite ROLE stays the admin's onboarding invite
    in_group = Chat(api, OFFICE, chat_id=OFFICE_GROUP, chat_type="supergroup")
    assert "私发给 李强" in (await in_group.send(f"/invite {number} 李强"))[0]
    assert "只有舆情办公室可以发送入群邀请" in (await Chat(api, 1001).send(f"/invite {number} 李强"))[0]
    assert "t.me" in (await office.send("/invite monitor"))[0]
    assert "group_invited" in await _kinds(running)


async def test_the_policy_sets_the_meeting_time_and_whether_a_major_grade_proposes(running: BotProcess, api) -> None:  # noqa: ANN001
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")
                                           + "  working_group:\n    first_meeting_within_minutes: 30\n"))
    await _report(running, api)
    r = await Chat(api, MAIN).press("确认组建")
    assert "2026-11-24 10:30" in r[0]


async def test_a_major_grade_proposes_nothing_when_the_policy_says_so(running: BotProcess, api) -> None:  # noqa: ANN001
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")
                                           + "  working_group:\n    propose_on_major: false\n"))
    number = await _report(running, api)
    assert await _group(running) is None and not _proposals(api, MAIN)
    assert "已将" in (await Chat(api, OFFICE).send(f"/group {number}"))[0]  # a major one needs no reason


async def test_in_english_the_main_leader_confirms_and_a_member_cannot_join(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _report(running, api)
    main = Chat(api, MAIN, language_code="en")
    r = await main.press("调整成员")
    assert "reply to this message with +NAME to add" in r[-1]
    r = await main.send("+Wang Fang")
    assert "Changed: added Wang Fang" in r[0] and "added by the main leader: Wang Fang" in r[0]
    assert main.buttons() == ["✅ Confirm", "✏️ Edit"]
    r = await main.press("Confirm")
    assert f"The working group of {number} is confirmed (6 members); first meeting proposed for 2026-11-24 11:00" in r[0]
    await running.tick()
    en = Chat(api, 1003, language_code="en")  # Wang Fang writes in English (language: en in the org file)
    assert any("You are in the working group" in x for x in texts(api, 1003))
    meeting = [m for m in api.chat_messages(1003) if "First meeting" in (m.get("text") or "")][-1]
    assert "Agenda" in meeting["text"] and "Grade: major" in meeting["text"]
    r = await en.press("Can't", meeting)
    assert "Recorded: you can't join the meeting at 2026-11-24 11:00." in r[0]
    r = await en.press("Can't", meeting)
    assert "already recorded" in r[0]
    r = await Chat(api, 1001, language_code="en").send(f"/invite {number} Wang Fang")
    assert r == ["Only the office can send invite links."]


async def test_nobody_to_make_a_group_of_proposes_nothing(running: BotProcess, api) -> None:  # noqa: ANN001
    """An org where nobody holds a role a group is made of (only monitors and a supervising leader): a major
    incident records no group and tells no one of one; /group answers why in one sentence."""
    async with running.sessions() as s, s.begin():
        await s.execute(update(Person).where(Person.telegram_id != SUPERVISOR).values(roles=["monitor"]))
        await s.execute(update(Person).where(Person.telegram_id == SUPERVISOR).values(roles=["supervising_leader"]))
    number = await _report(running, api)
    assert await _group(running) is None and "group_proposed" not in await _kinds(running)
    r = await Chat(api, SUPERVISOR).send(f"/group {number}")
    assert r == [f"组织文件中没有可组成 {number} 专门工作组的人员（主要领导、领导小组、承办人、网上发言人、舆情办公室）。"]
    assert await _group(running) is None
