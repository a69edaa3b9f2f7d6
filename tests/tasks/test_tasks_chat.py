"""Tasks (督办) through the dispatcher and the fake Bot API: given to a unit, reminded, overdue and escalated to
the unit's head once, done with a note and evidence; the picker; every bad input refused in one sentence."""

from __future__ import annotations

from datetime import timedelta

from docx import Document
from sqlalchemy import select, update

from bot.demo.harness import BotProcess
from bot.review.docx_writer import write_review
from bot.services.audit import timeline_json
from bot.services.export import export_json
from bot.services.org import load_org
from bot.services.reachability import UNREACHABLE, set_person_state
from bot.services.review import load_review
from models import AuditLog, DueItem, Incident, Person, Task, Unit
from tests.bot.chat import Chat
from tests.tracking.test_tracking_chat import report, texts

OFFICE_ID, HEAD, MONITOR, EN_MONITOR, LEADER = 2001, 4001, 1001, 1003, 3001


async def set_head(running: BotProcess, unit: str, telegram_id: int | None, aliases: list[str] | None = None) -> None:
    async with running.sessions() as s, s.begin():
        head = await s.scalar(select(Person.id).where(Person.telegram_id == telegram_id)) if telegram_id else None
        await s.execute(update(Unit).where(Unit.name == unit).values(head_id=head, aliases=aliases or []))


async def the_task(running: BotProcess) -> Task:
    async with running.sessions() as s:
        return await s.scalar(select(Task).order_by(Task.id.desc()).limit(1))


async def test_a_unit_task_overdue_goes_to_its_head_once_then_done_with_evidence(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    await set_head(running, "后勤管理处", HEAD, ["后勤处"])
    office = Chat(api, OFFICE_ID)
    r = await office.send("/task YQ-2026-0001 后勤处 核实食堂情况并回复 2h")
    assert "后勤管理处（承办人 孙处长）" in r[0] and "#1" in r[0] and "2026-11-24 12:00" in r[0]
    await running.tick()
    owner = Chat(api, HEAD)
    assert any("督办任务 #1" in x and "核实食堂情况并回复" in x for x in texts(api, HEAD))
    assert set(owner.buttons()) == {"✅ 接收", "☑️ 已完成", "🆘 需要协助"}
    assert "已接收任务 #1" in (await owner.press("接收"))[0]
    clock.advance(timedelta(hours=1))  # half the time: a reminder
    await running.tick()
    assert sum("任务提醒 #1" in x for x in texts(api, HEAD)) == 1
    clock.advance(timedelta(hours=1, minutes=1))  # past the due time: escalated to the head
    await running.tick()
    await running.tick()
    clock.advance(timedelta(hours=1))
    await running.tick()
    assert sum("督办逾期" in x for x in texts(api, HEAD)) == 1  # told once
    assert sum("已逾期" in x for x in texts(api, OFFICE_ID)) == 1  # the assigner too
    task = await the_task(running)
    assert task.late and task.escalated_at is not None and task.status == "accepted"
    r = await owner.press("已完成")
    assert "请回复本消息" in r[0]
    r = await owner.photo(caption="已与食堂核实，情况属实，已整改")
    assert "任务 #1（YQ-2026-0001）已记为完成，附证据 1 份（逾期完成）" in r[0]
    await running.tick()
    assert any("孙处长 已完成任务 #1" in x and "已整改" in x for x in texts(api, OFFICE_ID))
    task = await the_task(running)
    assert task.status == "done" and task.note == "已与食堂核实，情况属实，已整改" and task.late
    assert len(task.evidence) == 1 and task.evidence[0]["sha256"]
    async with running.sessions() as s:
        pending = (await s.scalars(select(DueItem).where(DueItem.kind == "task", DueItem.status == "pending"))).all()
        kinds = [a.kind for a in (await s.scalars(select(AuditLog).order_by(AuditLog.id))).all()]
        exported = (await export_json(s))["incidents"][0]["tasks"]
        inc = await s.scalar(select(Incident))
        timeline = await timeline_json(s, inc.id)
    assert pending == []
    assert [k for k in kinds if k.startswith("task_")] == [
        "task_assigned", "task_accepted", "task_reminded", "task_overdue", "task_done"]
    assert exported[0]["owner"] == "孙处长" and exported[0]["unit"] == "后勤管理处"
    assert exported[0]["late"] is True and len(exported[0]["evidence"]) == 1 and exported[0]["status"] == "done"
    assert exported[0]["assigned_by"] == "王晓" and exported[0]["evidence"][0]["sha256"] == task.evidence[0]["sha256"]
    assert exported[0]["note"] == "已与食堂核实，情况属实，已整改" and exported[0]["escalated_at"]
    said = [r["sentence"]["zh"] for r in timeline if r["kind"].startswith("task_")]
    assert "向后勤管理处（孙处长）交办任务：核实食堂情况并回复" in said[0]
    assert "逾期未完成" in said[3] and "已报孙处长" in said[3]
    assert "完成任务：核实食堂情况并回复（逾期）" in said[4] and "附证据 1 件" in said[4]
    stats = "\n".join(await office.send("/stats 2026-11"))
    assert any(line.startswith("后勤管理处") and "督办 按时 0/逾期 1" in line for line in stats.splitlines())
    assert any(line.startswith("孙处长") and "督办 按时 0/逾期 1" in line for line in stats.splitlines())


async def test_the_review_shows_the_tasks_their_outcome_and_lateness(running: BotProcess, api, clock, tmp_path) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, OFFICE_ID)
    await office.send("/task YQ-2026-0001 后勤管理处 核实食堂情况 1h")
    await office.send("/task YQ-2026-0001 李强 跟踪微博评论 3h")
    clock.advance(timedelta(hours=2))
    await running.tick()
    owner = Chat(api, 1002)
    await owner.press("已完成")
    await owner.send("评论已趋于平稳")
    async with running.sessions() as s:
        org = await load_org(s)
        data = await load_review(s, "YQ-2026-0001", org=org, lang="zh", now=clock.now())
    doc = Document(str(write_review(data, tmp_path / "r.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "督办任务" in text and "共交办任务 2 项，已完成 1 项，逾期 1 项。" in text
    (tasks,) = [tb for tb in doc.tables if tb.rows[0].cells[0].text == "任务"]
    rows = [[c.text for c in r.cells] for r in tasks.rows[1:]]
    assert rows[0][0] == "核实食堂情况" and rows[0][1] == "孙处长（后勤管理处）" and rows[0][4] == "待接收（已逾期）"
    assert rows[1][0] == "跟踪微博评论" and rows[1][1] == "李强" and rows[1][4] == "已完成\n评论已趋于平稳"


async def test_a_unit_without_a_head_goes_to_its_handler_and_overdue_to_the_office(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    r = await Chat(api, LEADER).send("/task YQ-2026-0001 后勤管理处 联系发帖人 30分钟")
    assert "孙处长" in r[0]
    clock.advance(timedelta(minutes=31))
    await running.tick()
    assert any("督办逾期（无单位负责人）" in x for x in texts(api, -1001000000001))
    assert any("已逾期" in x and "已报单位负责人" in x for x in texts(api, HEAD))


async def test_bad_inputs_each_one_sentence_and_nothing_kept(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, OFFICE_ID)
    assert "用法" in (await office.send("/task"))[0]
    assert "找不到名为「无名单位」的单位或人员" in (await office.send("/task YQ-2026-0001 无名单位 核实"))[0]
    assert "已经过去" in (await office.send("/task YQ-2026-0001 后勤管理处 核实 9:00"))[0]
    assert "未找到事件 YQ-2026-0042" in (await office.send("/task YQ-2026-0042 后勤管理处 核实"))[0]
    assert "只有舆情办公室、领导或该事件的负责人" in (await Chat(api, MONITOR).send("/task YQ-2026-0001 后勤管理处 核实"))[0]
    assert "没有负责人，也没有处置人员" in (await office.send("/task YQ-2026-0001 学生工作部 核实"))[0]
    async with running.sessions() as s, s.begin():
        await s.execute(update(Incident).values(status="closed"))
    assert "已结案" in (await office.send("/task YQ-2026-0001 后勤管理处 核实"))[0]
    assert await the_task(running) is None


async def test_several_matches_offer_a_pick(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, OFFICE_ID)
    r = await office.send("/task YQ-2026-0001 处 核实 明天17:00")
    assert "可能指" in r[0] and "后勤管理处" in r[0] and "孙处长" in r[0]
    assert await the_task(running) is None
    r = await office.press("后勤管理处")
    assert "已向 后勤管理处（承办人 孙处长） 交办" in r[-1] and "2026-11-25 17:00" in r[-1]
    task = await the_task(running)
    assert task.what == "核实" and task.unit_id is not None
    # the pick was used: pressing again does not give a second task
    r = await office.press("后勤管理处")
    assert "已失效" in r[-1]
    assert (await the_task(running)).id == task.id


async def test_in_english_a_person_task_need_help_and_lists(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, OFFICE_ID, language_code="en")
    r = await office.send("/task YQ-2026-0001 Wang Fang check the Weibo post")  # 王晓's language is unset: en here
    assert "given to Wang Fang: check the Weibo post, due 2026-11-25 17:30" in r[0]  # close of the next working day
    await running.tick()
    owner = Chat(api, EN_MONITOR, language_code="en")
    assert any("📌 Task #1" in x for x in texts(api, EN_MONITOR))
    r = await owner.press("Need help")
    assert "The assigner and the office know" in r[0]
    await running.tick()
    assert any("请求协助" in x for x in texts(api, -1001000000001))
    assert "not your task" in (await Chat(api, MONITOR, language_code="en").press(
        "Done", owner.last_keyboard_message("Done")))[0]
    r = await owner.send("/tasks")
    assert "My tasks" in r[0] and "check the Weibo post" in r[0] and "needs help" in r[0]
    r = await office.send("/tasks YQ-2026-0001")
    assert "Tasks of YQ-2026-0001" in r[0] and "Wang Fang" in r[0]
    assert "Only the office" in (await Chat(api, MONITOR, language_code="en").send("/tasks YQ-2026-0001"))[0]
    r = await owner.press("Done")
    assert "Reply to this message" in r[0]
    r = await owner.send("Checked: a misunderstanding, the poster deleted it")
    assert "Task #1 (YQ-2026-0001) recorded as done." in r[0]
    assert "no open tasks" in (await owner.send("/tasks"))[0]


async def test_an_unreachable_owner_the_task_waits_and_the_assigner_is_told(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    async with running.sessions() as s, s.begin():
        assert await set_person_state(s, 1002, UNREACHABLE, now=clock.now()) is not None
    r = await Chat(api, OFFICE_ID).send("/task YQ-2026-0001 李强 跟踪评论区 2h")
    assert "已向 李强 交办" in r[0] and "收不到消息" in r[0] and "待其可接收时送达" in r[0]
    task = await the_task(running)
    assert task.status == "open"  # kept: nothing lost


async def test_closing_the_incident_stops_its_tasks_reminders(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    await Chat(api, OFFICE_ID).send("/task YQ-2026-0001 李强 跟踪评论区 2h")
    await running.tick()
    async with running.sessions() as s, s.begin():
        await s.execute(update(Incident).values(status="closed"))
    clock.advance(timedelta(hours=3))
    await running.tick()
    assert not any("任务提醒" in x or "逾期" in x for x in texts(api, 1002))
    async with running.sessions() as s:
        rows = (await s.scalars(select(DueItem.status).where(DueItem.kind == "task"))).all()
    assert rows and set(rows) == {"cancelled"}
    assert "没有未完成的任务" in (await Chat(api, 1002).send("/tasks"))[0]


async def test_the_person_in_charge_may_give_tasks_a_monitor_may_not(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    handler = Chat(api, HEAD)
    assert "只有舆情办公室、领导或该事件的负责人" in (await handler.send("/task YQ-2026-0001 李强 核实 2h"))[0]
    async with running.sessions() as s, s.begin():
        pid = await s.scalar(select(Person.id).where(Person.telegram_id == HEAD))
        await s.execute(update(Incident).values(in_charge_id=pid))
    assert "已向 李强 交办" in (await handler.send("/task YQ-2026-0001 李强 核实 2h"))[0]
    # a monitor writing in English (no language set in the org file) is refused in English
    r = await Chat(api, MONITOR, language_code="en").send("/task YQ-2026-0001 李强 核实 2h")
    assert r == ["Only the office, a leader or the incident's person in charge can give tasks."]


async def test_a_unit_task_is_done_by_a_handler_and_a_late_one_goes_up_to_the_head(running: BotProcess, api,  # noqa: ANN001
                                                                                   clock) -> None:
    """The head answers for the unit: a handler there owns its task, and the head hears of it only when late."""
    await report(running, api)
    await set_head(running, "后勤管理处", LEADER)  # 陈副校长 answers for the unit; 孙处长 is its handler
    office = Chat(api, OFFICE_ID)
    r = await office.send("/task YQ-2026-0001 后勤管理处 核实食堂进货记录 1h")
    assert "后勤管理处（承办人 孙处长）" in r[0]
    await running.tick()
    assert any("督办任务 #1" in x for x in texts(api, HEAD))  # 孙处长, the handler, does it
    assert not any("督办任务 #1" in x for x in texts(api, LEADER))
    clock.advance(timedelta(hours=1, minutes=1))
    await running.tick()
    await running.tick()
    assert sum("督办逾期" in x for x in texts(api, LEADER)) == 1  # late: the head is told, once
    assert (await the_task(running)).late


async def test_the_cards_task_button_asks_and_the_reply_gives_the_task(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    """📌 交办 on the office's card in its group: asked under the card, the reply to the question gives the task as
    /task would; a half answer keeps the question open; a monitor's press is refused and on the timeline."""
    await report(running, api)
    group = -1001000000001
    office = Chat(api, OFFICE_ID, chat_id=group, chat_type="supergroup")
    r = await office.press("交办")
    assert any("给 YQ-2026-0001 交办任务" in x for x in r)
    question = next(m for m in reversed(api.chat_messages(group)) if "交办任务" in (m.get("text") or ""))
    r = await office.send("后勤处", reply_to_message=question)  # no task said: asked again, nothing lost
    assert any("写明 单位或姓名 和 任务内容" in x for x in r)
    r = await office.send("后勤管理处 核实食堂进货记录 2h", reply_to_message=question)
    assert any("已向 后勤管理处（承办人 孙处长） 交办 YQ-2026-0001 任务 #1：核实食堂进货记录" in x for x in r)
    await running.tick()
    assert any("督办任务 #1" in x for x in texts(api, HEAD))
    monitor = Chat(api, MONITOR)
    card = office.last_keyboard_message("交办")
    r = await monitor.press("交办", card)
    assert any("只有舆情办公室、领导或该事件的负责人可以交办任务" in x for x in r)
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        said = [row.kind for row in (await s.scalars(select(AuditLog).where(AuditLog.incident_id == inc.id))).all()]
    assert said.count("task_assigned") == 1 and "refusal" in said


async def test_the_cards_task_button_in_english(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    leader = Chat(api, LEADER, language_code="en")
    async with running.sessions() as s, s.begin():
        await s.execute(update(Person).where(Person.telegram_id == LEADER).values(language="en"))
    r = await leader.press("交办")  # his card was written in Chinese before he chose English
    assert any("A task on YQ-2026-0001" in x for x in r)
    r = await leader.send("孙处长 call the poster back 3h")
    assert any("Task #1 on YQ-2026-0001 given to 孙处长" in x for x in r)
