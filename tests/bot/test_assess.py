"""The leaders' assessment (issue 22 item 4) through the dispatcher and the fake Bot API: /assess and the card's
button; the checklist and the clocks follow a change of nature, a large effect grades again, a racing second
assessment is refused and both are on the timeline, zh and en. SQLite always; PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

from sqlalchemy import select

from bot.demo.harness import BotProcess
from models import Assessment, AuditLog, DueItem, Incident, ResponseClock
from tests.bot.chat import Chat
from tests.bot.test_escalation import OFFICE, cards_to
from tests.bot.test_report_flow import TEMPLATE

NUMBER = "YQ-2026-0001"


async def _report(running: BotProcess, api, template: str = TEMPLATE) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + template)
    await chat.press("确认")
    await running.tick()


async def _clocks(running: BotProcess) -> dict[str, str]:
    async with running.sessions() as s:
        return {c.name: c.status for c in (await s.scalars(select(ResponseClock))).all()}


async def _kinds(running: BotProcess, kind: str) -> list[dict]:
    async with running.sessions() as s:
        return [r.payload for r in (await s.scalars(select(AuditLog).where(AuditLog.kind == kind)
                                                    .order_by(AuditLog.id))).all()]


async def test_office_assesses_inquiry_as_hype_and_the_checklist_and_clocks_follow(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    assert (await _clocks(running))["inquiry_same_day"] == "running"
    office = Chat(api, 2001)
    card = cards_to(api, OFFICE)[0]
    assert "答复内容经领导审定" in str(card["reply_markup"]) and "研判" in str(card["reply_markup"])
    await Chat(api, 2001, chat_id=OFFICE, chat_type="supergroup").press("答复内容经领导审定", card)  # a step done
    replies = await office.send(f"/assess {NUMBER} 炒作 回应 有组织转发，非正常询问")
    assert "已记录对 YQ-2026-0001 的研判" in replies[0] and "性质由「询问/置疑/诉求」改为「恶意传播/炒作」" in replies[0]
    assert "不再适用、已停止：询问类当日答复" in replies[0]
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        row = await s.scalar(select(Assessment))
    assert inc.category == "hype"
    assert (row.category_before, row.category_after, row.decision, row.based_on) == ("inquiry", "hype", "respond", 0)
    assert row.reason == "有组织转发，非正常询问" and row.actor_name
    assert (await _clocks(running))["inquiry_same_day"] == "stopped"
    await running.tick()
    card = cards_to(api, OFFICE)[0]
    buttons = str(card["reply_markup"])
    assert "公布事实真相" in buttons and "答复内容经领导审定" not in buttons  # the hype checklist
    # back to an inquiry: the step done before is still done, the same-day clock runs again with its nudges
    back = await office.send(f"/assess {NUMBER} 询问 回应 核实后确为询问")
    assert "开始计时：询问类当日答复" in back[0]
    assert (await _clocks(running))["inquiry_same_day"] == "running"
    async with running.sessions() as s:
        same_day = await s.scalar(select(ResponseClock).where(ResponseClock.name == "inquiry_same_day"))
        nudges = (await s.scalars(select(DueItem).where(DueItem.clock_id == same_day.id))).all()
    assert same_day.stopped_at is None and any(n.status == "pending" for n in nudges)
    await running.tick()
    assert "☑ 答复内容经领导审定" in str(cards_to(api, OFFICE)[0]["reply_markup"])
    (first, second) = await _kinds(running, "assessed")
    assert (first["category_before"], first["category"], first["decision"]) == ("inquiry", "hype", "respond")
    assert second["version"] == 2
    timeline = await office.send(f"/timeline {NUMBER}")
    assert any("研判：性质由询问/置疑/诉求改为恶意传播/炒作，应对决定：回应，理由：有组织转发" in r for r in timeline)


async def test_a_large_effect_grades_again_as_grade_does(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api, TEMPLATE.replace("转发：150", "转发：10"))
    async with running.sessions() as s:
        assert (await s.scalar(select(Incident))).grade == "general"
    replies = await Chat(api, 3001).send(f"/assess {NUMBER} 重大影响 全面处置 校内外广泛关注")
    assert "对形象影响重大" in replies[0] and "级别由「一般」调整为「重大」" in replies[0]
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
    assert inc.grade == "major" and any(r["code"] == "image_impact_large" for r in inc.grade_rules)
    assert "report_upward" in await _clocks(running)  # the major grade's clock started
    regraded = await _kinds(running, "regraded")
    assert regraded[-1]["reason"] == "校内外广泛关注" and regraded[-1]["previous"] == "general"


async def test_a_monitor_is_refused_and_it_is_audited(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    replies = await Chat(api, 1001).send(f"/assess {NUMBER} 炒作 回应 我觉得是炒作")
    assert replies == ["只有舆情办公室和领导可以研判事件。"]
    async with running.sessions() as s:
        assert (await s.scalar(select(Incident))).category == "inquiry"
        assert await s.scalar(select(Assessment)) is None
    (refused,) = await _kinds(running, "assessment_refused")
    assert refused["why"] == "not_allowed" and refused["reason"] == "我觉得是炒作"


async def test_usage_and_english(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    office = Chat(api, 2001)
    assert (await office.send(f"/assess {NUMBER} 炒作"))[0].startswith("用法：/assess")
    en = Chat(api, 2001, language_code="en")
    assert (await en.send("/assess"))[0].startswith("Usage: /assess")
    replies = await en.send(f"/assess {NUMBER} hype large respond organised reposting")
    assert replies[0].startswith("✅ Assessment of YQ-2026-0001 recorded: nature hype, large effect on the image, "
                                 "decision: respond.")
    assert (await Chat(api, 1003, language_code="en").send(f"/assess {NUMBER} hype watch x")) == [
        "Only the office and the leaders can assess an incident."]


async def test_a_closed_incident_is_refused(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    async with running.sessions() as s, s.begin():
        (await s.scalar(select(Incident))).status = "closed"
    replies = await Chat(api, 3002).send(f"/assess {NUMBER} 炒作 回应 理由")
    assert replies == ["YQ-2026-0001 已结案，不能再研判；如需研判请先 /reopen。"]
    assert (await _kinds(running, "assessment_refused"))[0]["why"] == "closed"


async def _guided(chat: Chat, api, nature: str, effect: str, decision: str) -> None:  # noqa: ANN001
    await chat.press("研判", cards_to(api, chat.user_id)[0])
    await chat.press(nature)
    await chat.press(effect)
    await chat.press(decision)


async def test_the_button_guides_and_a_racing_second_assessment_is_refused(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    first, second = Chat(api, 3001), Chat(api, 3002)
    await _guided(first, api, "恶意传播/炒作", "不重大", "回应")
    await _guided(second, api, "捏造/歪曲/诽谤/违法", "影响重大", "全面处置")  # both started on version 0
    won = await first.send("有组织转发")
    assert "已记录对 YQ-2026-0001 的研判：性质 恶意传播/炒作，未认定重大影响，应对决定：回应。" in won[0]
    lost = await second.send("涉嫌造谣")
    assert lost == ["未记录：陈副校长刚刚已对 YQ-2026-0001 作出研判。请查看最新卡片后重新研判，您的理由已记入时间线。"]
    async with running.sessions() as s:
        assert (await s.scalar(select(Incident))).category == "hype"
        assert len((await s.scalars(select(Assessment))).all()) == 1
    assert [a["reason"] for a in await _kinds(running, "assessed")] == ["有组织转发"]
    (refused,) = await _kinds(running, "assessment_refused")
    assert refused["why"] == "stale" and refused["reason"] == "涉嫌造谣" and refused["category"] == "fabrication"
    timeline = await Chat(api, 2001).send(f"/timeline {NUMBER}")
    assert any("试图研判，未记录（他人已先作出研判），所提：捏造/歪曲/诽谤/违法、对形象影响重大、全面处置，理由：涉嫌造谣" in r
               for r in timeline)


async def test_the_button_in_english_and_cancel(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    leader = Chat(api, 3003, language_code="en")
    await leader.press("研判", cards_to(api, 3003)[0])  # the card is in the organisation's language
    replies = await leader.press("Cancel")
    assert replies == [] or all("Error" not in r for r in replies)
    assert "Assessment cancelled" in api.chat_messages(3003)[-1]["text"]
    async with running.sessions() as s:
        assert await s.scalar(select(Assessment)) is None


async def test_export_and_review_contain_the_assessments(running: BotProcess, api, clock, tmp_path) -> None:  # noqa: ANN001
    from docx import Document

    from bot.services.export import export_json
    from bot.services.org import load_org
    from bot.services.review import write_review_file

    await _report(running, api)
    await Chat(api, 2001).send(f"/assess {NUMBER} 炒作 重大影响 回应 有组织转发")
    async with running.sessions() as s:
        exported = await export_json(s, number=NUMBER, now=clock.now())
        (a,) = exported["incidents"][0]["assessments"]
        assert (a["category_before"], a["category"], a["large_effect"], a["decision"], a["reason"], a["actor"]) == (
            "inquiry", "hype", True, "respond", "有组织转发", "王晓")
        org = await load_org(s)
        out = await write_review_file(s, NUMBER, tmp_path / "r.docx", org=org, lang="zh", now=clock.now())
        out_en = await write_review_file(s, NUMBER, tmp_path / "r-en.docx", org=org, lang="en", now=clock.now())
    doc = Document(str(out))
    assert "领导研判" in [p.text for p in doc.paragraphs]
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    assert any("研判：性质由询问/置疑/诉求改为恶意传播/炒作，对形象影响重大，应对决定：回应" in c for c in cells)
    doc_en = Document(str(out_en))
    assert "The leaders' assessments" in [p.text for p in doc_en.paragraphs]
    assert any("assessed the incident: nature changed from inquiry to hype, large effect on the image, decision: respond"
               in c.text for table in doc_en.tables for row in table.rows for c in row.cells)


async def test_the_button_in_the_office_group_takes_the_reason_as_a_reply(running: BotProcess, api) -> None:  # noqa: ANN001
    await _report(running, api)
    office = Chat(api, 2001, chat_id=OFFICE, chat_type="supergroup")
    await office.press("研判", cards_to(api, OFFICE)[0])
    await office.press("保持不变")
    await office.press("影响重大")
    await office.press("仅关注")
    assert await office.send("先观察") == []  # privacy mode: a plain group message is not for the bot
    question = api.chat_messages(OFFICE)[-1]
    replies = await office.send("   ", reply_to_message=question)
    assert replies == ["请写明研判理由。"]  # the question stays open
    replies = await office.send("仅个别账号转发，先观察", reply_to_message=question)
    assert "性质 询问/置疑/诉求，对形象影响重大，应对决定：仅关注。" in replies[0]
    async with running.sessions() as s:
        row = await s.scalar(select(Assessment))
    assert (row.category_before, row.category_after, row.large_effect, row.decision) == (
        "inquiry", "inquiry", True, "watch")
