"""Media interviews under the leading group's authorisation and breaches (issue 23, item 2), through the real
dispatcher and the fake Bot API, on SQLite and PostgreSQL: a major incident's request passes the main leader's
review and the leading group's approval by two different people, and the spokesperson is told with the approved
release as talking points; a refusal tells the office; a breach is recorded with its evidence and counted in the
statistics, the export and the review; every bad input is answered in one sentence."""

from __future__ import annotations

from docx import Document
from sqlalchemy import select, update

from bot.demo.harness import BotProcess
from bot.domain import interview as dom
from bot.domain.menus import group_menu, private_menu
from bot.domain.orgfile import parse_org_file
from bot.domain.vocab import ROLES
from bot.review.docx_writer import write_review
from bot.services.audit import timeline_json
from bot.services.export import export_json
from bot.services.org import load_org
from bot.services.org_import import import_org
from bot.services.review import load_review
from bot.services.stats import load_stats
from bot.telegram.callbacks import IvwAction, IvwV1
from models import AuditLog, Breach, Incident, InterviewDecision, InterviewRequest, Person
from tests.bot.chat import Chat
from tests.bot.test_release import GROUP, MAIN, OFFICE, SUPERVISOR, _draft_and_submit, _incident, _press_data
from tests.conftest import EXAMPLE_ORG

SPOKES, OFFICE_GROUP, MONITOR = 6001, -1001000000001, 1001


async def with_spokesperson(running: BotProcess) -> None:
    text = EXAMPLE_ORG.read_text(encoding="utf-8").replace(
        "  - {telegram_id: 4001,", "  - {telegram_id: 6001, name: 周发言, roles: [发言人]}\n  - {telegram_id: 4001,")
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text))


def texts(api, chat: int) -> list[str]:  # noqa: ANN001
    return [m.get("text") or "" for m in api.chat_messages(chat)]


def cards(api, user: int) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(user) if "媒体采访申请" in m.get("text", "") and m.get("reply_markup")]


async def requests(running: BotProcess) -> list[InterviewRequest]:
    async with running.sessions() as s:
        return list((await s.scalars(select(InterviewRequest).order_by(InterviewRequest.id))).all())


def test_parsing() -> None:
    a = dom.parse_interview("YQ-2026-0001 市电视台 李记者 食堂 整改进展 发言人：周发言")
    assert (a.media, a.reporter, a.topic, a.speaker) == ("市电视台", "李记者", "食堂 整改进展", "周发言")
    assert dom.parse_interview("YQ-2026-0001 市电视台 李记者") == "usage"
    assert dom.parse_interview(None) == "usage"
    assert dom.parse_interview("YQ-1 " + "媒" * 201 + " 李 主题") == "too_long"
    b = dom.parse_breach("YQ-2026-0001 孙处长 擅自接受采访 weibo.com/x/1")
    assert (b.who, b.what, b.link) == ("孙处长", "擅自接受采访", "https://weibo.com/x/1")
    assert dom.parse_breach("YQ-2026-0001 孙处长 https://x.cn/1") == "usage"
    assert dom.may_request(("monitor",), person_id=5, incident_people={5})
    assert not dom.may_request(("monitor",), person_id=5, incident_people={6})
    assert len(IvwV1(action=IvwAction.REFUSE, request=2**31 - 1, stage="approval").pack().encode()) <= 64
    assert ROLES.parse("发言人") == "spokesperson" and ROLES.label("spokesperson", "zh") == "网上发言人"
    assert "interview" in private_menu(("spokesperson",)) and "breach" in group_menu(("office",))
    assert "breach" not in private_menu(("handler",))


async def test_a_major_interview_is_reviewed_and_approved_by_two_people_and_the_spokesperson_told(
        running: BotProcess, api) -> None:  # noqa: ANN001
    await with_spokesperson(running)
    number = await _incident(api, reposts=150)
    await _draft_and_submit(running, api, number, text="学校已对食堂进行全面整改")
    await Chat(api, MAIN).press("同意")
    await running.tick()
    await Chat(api, GROUP).press("同意")  # the release is approved: its text is the talking points
    office = Chat(api, OFFICE)
    r = await office.send(f"/interview {number} 市电视台 李记者 食堂整改进展")
    assert "已登记媒体采访申请 #1" in r[0] and "通知 1 人" in r[0], r
    await running.tick()
    assert any("王晓 登记了媒体采访申请 #1" in x for x in texts(api, OFFICE_GROUP))
    assert cards(api, MAIN) and not cards(api, GROUP)  # the main leader reviews first
    assert "✅ 授权" in Chat(api, MAIN).buttons() and "❌ 拒绝" in Chat(api, MAIN).buttons()
    assert any("转领导小组审定" in x for x in await Chat(api, MAIN).press("授权"))
    await running.tick()
    assert not cards(api, MAIN), "the reviewer was asked to approve his own review"  # his review card is cleared
    assert cards(api, GROUP) and cards(api, SUPERVISOR)
    # the reviewer forges the approval stage's button: refused, audited, nothing moves
    forged = IvwV1(action=IvwAction.APPROVE, request=1, stage="approval").pack()
    card = {**cards(api, GROUP)[-1], "chat": {"id": MAIN, "type": "private"},
            "reply_markup": {"inline_keyboard": [[{"text": "✅ 授权", "callback_data": forged}]]}}
    assert any("审核与审定须由不同的人" in x for x in await _press_data(api, MAIN, card, forged))
    assert (await requests(running))[0].status == "in_review"
    assert any("已授权采访申请 #1" in x for x in await Chat(api, GROUP).press("授权"))
    await running.tick()
    told = [x for x in texts(api, SPOKES) if "领导小组已授权您接受采访" in x]
    assert told and "市电视台" in told[-1] and "学校已对食堂进行全面整改" in told[-1] and "赵组员" in told[-1]
    assert any("已通知 周发言" in x for x in texts(api, OFFICE_GROUP))
    [row] = await requests(running)
    assert row.status == "authorised" and row.talking_points == "学校已对食堂进行全面整改"
    async with running.sessions() as s:
        spokes = await s.scalar(select(Person.id).where(Person.telegram_id == SPOKES))
        decisions = [(d.stage, d.decision) for d in (await s.scalars(select(InterviewDecision)
                                                                     .order_by(InterviewDecision.id))).all()]
        refusals = [a.payload for a in (await s.scalars(select(AuditLog).where(AuditLog.kind == "refusal"))).all()]
        inc = await s.scalar(select(Incident))
        timeline = await timeline_json(s, inc.id)
        exported = (await export_json(s))["incidents"][0]["interviews"]
    assert row.speaker_id == spokes and decisions == [("review", "approve"), ("approval", "approve")]
    assert {"action": "interview.decide", "reason": "reviewed", "request_id": 1, "stage": "approval"} in refusals
    said = "\n".join(e["sentence"]["zh"] for e in timeline)
    assert "登记媒体采访申请" in said and "授权接受采访" in said, said
    assert exported[0]["status"] == "authorised" and exported[0]["speaker"] == "周发言"
    assert [d["decider"] for d in exported[0]["decisions"]] == ["刘书记", "赵组员"]


async def test_a_general_interview_refused_tells_the_office_and_who_asked(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)
    async with running.sessions() as s, s.begin():  # 孙处长 is put in charge: one of the incident's people
        await s.execute(update(Incident).values(in_charge_id=select(Person.id).where(Person.telegram_id == 4001)
                                                .scalar_subquery()))
    r = await Chat(api, 4001).send(f"/interview {number} 省报 王记者 食堂问题")
    assert "已登记媒体采访申请 #1" in r[0], r
    await running.tick()
    assert any("孙处长 登记了媒体采访申请" in x for x in texts(api, OFFICE_GROUP))  # the office coordinates
    assert any("已拒绝采访申请 #1" in x for x in await Chat(api, SUPERVISOR).press("拒绝"))
    await running.tick()
    assert any("被 陈副校长 拒绝" in x for x in texts(api, OFFICE_GROUP))
    assert any("被 陈副校长 拒绝" in x for x in texts(api, 4001))
    assert not any("授权您接受采访" in x for x in texts(api, SPOKES))
    [row] = await requests(running)
    assert row.status == "refused"
    # the button pressed again after the decision: refused in one sentence
    card = next(m for m in api.chat_messages(SUPERVISOR) if "媒体采访申请 #1" in m.get("text", ""))
    data = IvwV1(action=IvwAction.APPROVE, request=1, stage="approval").pack()
    card = {**card, "reply_markup": {"inline_keyboard": [[{"text": "✅ 授权", "callback_data": data}]]}}
    assert any("已有决定" in x for x in await _press_data(api, SUPERVISOR, card, data))
    assert (await requests(running))[0].status == "refused"


async def test_nobody_may_authorise_the_leaders_own_request_and_the_office_is_told(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=10)  # general: only the supervising leader decides, and he asked
    r = await Chat(api, SUPERVISOR).send(f"/interview {number} 省报 王记者 食堂问题")
    assert "通知 0 人" in r[0] and "目前没有人可以授权" in r[0], r
    await running.tick()
    assert any("只有 0 人可以审批" in x for x in texts(api, OFFICE_GROUP))
    assert not cards(api, SUPERVISOR)


async def test_a_breach_is_recorded_with_evidence_and_counted(running: BotProcess, api, clock, tmp_path) -> None:  # noqa: ANN001
    number = await _incident(api, reposts=150)
    office = Chat(api, OFFICE)
    r = await office.send(f"/breach {number} 孙处长 擅自接受记者采访并透露处理结果 https://weibo.com/x/1")
    assert "已登记" in r[0] and "孙处长" in r[0] and "https://weibo.com/x/1" in r[0], r
    r = await office.photo(caption=f"/breach {number} 某教师 在朋友圈擅自发布内部通报")
    assert "附证据 1 件" in r[0], r
    await running.tick()
    assert sum("擅自对外透露" in x for x in texts(api, MAIN)) == 2  # the main leader told
    await office.send(f"/interview {number} 市电视台 李记者 整改进展")
    async with running.sessions() as s:
        rows = (await s.scalars(select(Breach).order_by(Breach.id))).all()
        org = await load_org(s)
        stats = await load_stats(s, clock.now().date(), clock.now().date(), org=org, now=clock.now())
        inc = await s.scalar(select(Incident))
        exported = (await export_json(s))["incidents"][0]["breaches"]
        data = await load_review(s, inc.number, org=org, lang="zh", now=clock.now())
    assert [b.who for b in rows] == ["孙处长", "某教师"] and rows[1].evidence[0]["sha256"]
    assert stats.outside == {"interviews": 1, "authorised": 0, "refused": 0, "breaches": 2}
    assert exported[0]["link"] == "https://weibo.com/x/1" and len(exported[1]["evidence"]) == 1
    r = await office.send("/stats")
    assert any("媒体采访申请 1 件" in x and "擅自对外透露 2 起" in x for x in r), r
    docx = write_review(data, tmp_path / "review.docx")
    body = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    cells = "\n".join(c.text for tb in Document(str(docx)).tables for row in tb.rows for c in row.cells)
    assert "对外沟通（媒体采访与擅自透露）" in body and "擅自对外透露 2 起" in body
    assert "擅自接受记者采访并透露处理结果" in cells and "市电视台 李记者" in cells


async def test_bad_input_is_one_sentence(running: BotProcess, api) -> None:  # noqa: ANN001
    await with_spokesperson(running)
    number = await _incident(api, reposts=10)
    office = Chat(api, OFFICE)
    assert any("周发言" in x and "网上发言人" in x for x in await office.send("/people"))
    assert "用法：/interview" in (await office.send("/interview"))[0]
    assert "用法：/interview" in (await office.send(f"/interview {number} 市电视台"))[0]
    assert "未找到事件 YQ-2026-9999" in (await office.send("/interview YQ-2026-9999 台 记者 主题"))[0]
    assert "找不到名为「无此人」" in (await office.send(f"/interview {number} 台 记者 主题 发言人：无此人"))[0]
    assert "只有舆情办公室、领导" in (await Chat(api, MONITOR).send(f"/interview {number} 台 记者 主题"))[0]
    en = Chat(api, 1003, language_code="en")
    assert "Only the office" in (await en.send(f"/interview {number} TV Li topic"))[0]
    assert "只有舆情办公室可以登记" in (await Chat(api, MONITOR).send(f"/breach {number} 某人 透露"))[0]
    assert "用法：/breach" in (await office.send(f"/breach {number} 某人"))[0]
    async with running.sessions() as s, s.begin():
        await s.execute(update(Incident).values(status="closed"))
    r = await office.send(f"/interview {number} 市电视台 李记者 主题")
    assert r == [f"事件 {number} 已结案，不能再登记媒体采访申请。"], r
    assert await requests(running) == []
    # a request naming who speaks: they are told instead of the spokesperson
    async with running.sessions() as s, s.begin():
        await s.execute(update(Incident).values(status="reported"))
    r = await office.send(f"/interview {number} 市电视台 李记者 主题 发言人：孙处长")
    assert "#1" in r[0]
    await running.tick()
    assert any("孙处长" in x for x in texts(api, SUPERVISOR) if "媒体采访申请" in x)
    await Chat(api, SUPERVISOR).press("授权")
    await running.tick()
    assert any("授权您接受采访" in x and "暂无经批准的口径" in x for x in texts(api, 4001))
    assert not any("授权您接受采访" in x for x in texts(api, SPOKES))


async def test_separate_stages_false_lets_the_reviewer_authorise_too(running: BotProcess, api) -> None:  # noqa: ANN001
    org = EXAMPLE_ORG.read_text(encoding="utf-8") + "  release:\n    separate_stages: false\n"
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(org))
    number = await _incident(api, reposts=150)
    await Chat(api, OFFICE).send(f"/interview {number} 市电视台 李记者 整改进展")
    await running.tick()
    await Chat(api, MAIN).press("授权")
    await running.tick()
    assert cards(api, MAIN), "with separate_stages false the reviewer is asked at the group stage too"
    assert any("已授权采访申请 #1" in x for x in await Chat(api, MAIN).press("授权"))
    assert (await requests(running))[0].status == "authorised"
