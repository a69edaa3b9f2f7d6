"""An incident's room through the dispatcher and the fake Bot API (issue 23 item 4): a major incident opens its
own forum topic in the office group with the card in it and a pointer in General; a group that is not a forum
keeps everything as before and the office is told once how to enable topics; a topic deleted by a person sends
the messages to General and the office is told; closure closes the topic; /decide in the topic records a
decision and may give a task; outside a topic it says how to use it."""

from __future__ import annotations

from datetime import timedelta

from docx import Document
from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.review.docx_writer import write_review
from bot.services.audit import timeline_json
from bot.services.org import load_org
from bot.services.review import load_review
from bot.services.room import split_task
from models import AuditLog, Decision, Incident, IncidentRoom, OutboxMessage, Task
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.tracking.test_closure_chat import SUMMARY
from tests.tracking.test_tracking_chat import GENERAL, OFFICE, report

OFFICE_ID, MAIN_LEADER = 2001, 3002


def forum(api) -> None:  # noqa: ANN001
    api.make_forum(OFFICE)
    api.grant_topics(OFFICE)


def thread_texts(api, thread: int | None) -> list[str]:  # noqa: ANN001
    return [m.get("text") or "" for m in api.topic_messages(OFFICE, thread)]


async def the_room(running: BotProcess) -> IncidentRoom | None:
    async with running.sessions() as s:
        return await s.scalar(select(IncidentRoom).order_by(IncidentRoom.id.desc()).limit(1))


async def in_topic(running: BotProcess, api, text: str, thread: int, user: int = OFFICE_ID) -> list[str]:  # noqa: ANN001
    """`user` types in the topic; the bot's answers there."""
    before = len(api.calls)
    uid = api.group_message(OFFICE, user, text, message_thread_id=thread)
    await api.wait_confirmed(uid, timeout=20)
    return [c.params["text"] for c in api.calls[before:] if c.ok and c.method == "sendMessage"
            and str(c.params.get("chat_id")) == str(OFFICE)]


async def test_a_major_incident_gets_its_topic_with_the_card_and_updates_and_a_pointer_in_general(
        running: BotProcess, api, clock) -> None:  # noqa: ANN001
    forum(api)
    await report(running, api, TEMPLATE)  # 150 reposts: major
    await running.tick()
    room = await the_room(running)
    assert room is not None and room.status == "open" and room.thread is not None
    thread = int(room.thread)
    topic = api.topic(OFFICE, thread)
    assert topic["name"].startswith("YQ-2026-0001 后勤管理处：网民发帖称食堂饭菜出现异物") and len(topic["name"]) <= 128
    inside = thread_texts(api, thread)
    assert any("YQ-2026-0001" in x and "重大" in x for x in inside)  # the card, in the topic
    general = thread_texts(api, None)
    pointer = [x for x in general if "专题话题" in x]
    assert len(pointer) == 1 and topic["name"] in pointer[0] and f"https://t.me/c/1000000001/{thread}" in pointer[0]
    assert not any("重大" in x and "YQ-2026-0001" in x and "专题话题" not in x for x in general)  # no card there
    n_inside = len(inside)
    clock.advance(timedelta(hours=3, minutes=5))  # the report-upward clock's reminders and escalation steps
    await running.tick()
    later = thread_texts(api, thread)[n_inside:]
    assert later and all("YQ-2026-0001" in x for x in later)  # every update in the topic
    # General: the pointer only (the 24-hour duty is the office's, across incidents: it stays there)
    assert [x for x in thread_texts(api, None) if "YQ-2026-0001" in x and "值班" not in x] == pointer
    async with running.sessions() as s:
        kinds = [a.kind for a in (await s.scalars(select(AuditLog).order_by(AuditLog.id))).all()]
        rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "topic"))).all()
    assert "room_opened" in kinds and len(rows) == 1  # one topic, one call


async def test_the_topic_is_opened_once_even_when_the_grade_is_raised_again(running: BotProcess, api) -> None:  # noqa: ANN001
    forum(api)
    await report(running, api, TEMPLATE)
    await running.tick()
    r = await Chat(api, OFFICE_ID).send("/grade YQ-2026-0001 especially_major 省级媒体转载")
    assert r
    await running.tick()
    assert len(api.topics[OFFICE]) == 1


async def test_not_a_forum_keeps_the_office_group_and_tells_the_office_once(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api, TEMPLATE)
    await running.tick()
    room = await the_room(running)
    assert room.status == "refused" and room.thread is None and OFFICE not in api.topics
    msgs = thread_texts(api, None)
    assert any("YQ-2026-0001" in x and "重大" in x for x in msgs)  # the card in the group, as before
    hints = [x for x in msgs if "未能为重大舆情开设专题话题" in x]
    assert len(hints) == 1 and "开启“话题”" in hints[0] and "管理话题" in hints[0]
    await report(running, api, TEMPLATE.replace("学校东门", "学校西门"))  # a second major incident
    await running.tick()
    assert sum("未能为重大舆情开设专题话题" in x for x in thread_texts(api, None)) == 1  # told once
    assert any("YQ-2026-0002" in x for x in thread_texts(api, None))
    async with running.sessions() as s:
        failed = (await s.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))).all()
        refused = (await s.scalars(select(OutboxMessage).where(OutboxMessage.status == "refused"))).all()
    assert failed == [] and [r.kind for r in refused] == ["topic", "topic"]  # Telegram's answer, nothing lost
    assert not any("无法送达" in x for x in thread_texts(api, None))  # no delivery-failure noise


async def test_no_rights_is_refused_as_well(running: BotProcess, api) -> None:  # noqa: ANN001
    api.make_forum(OFFICE)  # a forum, but the bot may not manage topics
    await report(running, api, TEMPLATE)
    await running.tick()
    assert (await the_room(running)).status == "refused"
    assert any("没有“管理话题”权限" in x for x in thread_texts(api, None))


async def test_a_general_incident_gets_no_topic(running: BotProcess, api) -> None:  # noqa: ANN001
    forum(api)
    await report(running, api, GENERAL)
    await running.tick()
    assert await the_room(running) is None and OFFICE not in api.topics


async def test_a_deleted_topic_sends_to_general_and_the_office_is_told_once(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    forum(api)
    await report(running, api, TEMPLATE)
    await running.tick()
    thread = int((await the_room(running)).thread)
    api.delete_topic(OFFICE, thread)
    before = len(thread_texts(api, None))
    clock.advance(timedelta(hours=3, minutes=5))
    await running.tick()
    await running.tick()
    general = thread_texts(api, None)[before:]
    gone = [x for x in general if "已被删除" in x]
    assert len(gone) == 1 and "YQ-2026-0001" in gone[0]
    assert any("YQ-2026-0001" in x and "已被删除" not in x for x in general)  # the update itself, in General
    assert (await the_room(running)).status == "gone"
    clock.advance(timedelta(hours=2))
    await running.tick()
    assert sum("已被删除" in x for x in thread_texts(api, None)) == 1
    async with running.sessions() as s:
        failed = (await s.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed"))).all()
        timeline = await timeline_json(s, (await s.scalar(select(Incident))).id)
    assert failed == []  # nothing lost
    assert any(r["kind"] == "room_gone" for r in timeline)


async def test_decide_in_the_topic_with_a_task_and_outside_and_closure_closes_the_topic(
        running: BotProcess, api, clock, tmp_path) -> None:  # noqa: ANN001
    forum(api)
    await report(running, api, TEMPLATE)
    await running.tick()
    thread = int((await the_room(running)).thread)
    r = await in_topic(running, api, "/decide 由宣传部统一对外口径", thread)
    assert r == ["📝 已记录 YQ-2026-0001 的决定：由宣传部统一对外口径"]
    assert thread_texts(api, thread)[-1] == r[0]  # answered in the topic
    r = await in_topic(running, api, "/decide 当日内回应网民关切 交办 后勤管理处 核实食堂情况并回复 2h", thread)
    assert "当日内回应网民关切" in r[0] and "并已交办：孙处长" in r[0] and "核实食堂情况并回复" in r[0]
    r = await in_topic(running, api, "/decide 约谈发帖人 交办 无名氏 联系", thread)
    assert "决定已记录，但任务未交办" in r[0] and "无名氏" in r[0]
    r = await in_topic(running, api, "/decide 没有决定权", thread, user=1001)  # a monitor
    assert "只有舆情办公室、领导或事件负责人" in r[0]
    # outside any topic: General, and a private chat; with the number it works anywhere
    uid = api.group_message(OFFICE, OFFICE_ID, "/decide 随口一说")
    await api.wait_confirmed(uid, timeout=20)
    assert "这里不是事件话题" in thread_texts(api, None)[-1]
    r = await Chat(api, OFFICE_ID).send("/decide 随口一说")
    assert "这里不是事件话题" in r[0] and "/decide YQ-2026-0001" in r[0]
    r = await Chat(api, OFFICE_ID, language_code="en").send("/decide YQ-2026-0001 Set up a task force for the briefing")
    assert r == ["📝 Decision recorded for YQ-2026-0001: Set up a task force for the briefing"]  # "task" alone: words
    r = await Chat(api, OFFICE_ID).send("/decide YQ-2026-0099 无此事件")
    assert r == ["未找到事件 YQ-2026-0099。"]
    async with running.sessions() as s:
        decisions = (await s.scalars(select(Decision).order_by(Decision.id))).all()
        task = await s.scalar(select(Task))
    assert [d.text for d in decisions] == ["由宣传部统一对外口径", "当日内回应网民关切", "约谈发帖人",
                                           "Set up a task force for the briefing"]
    assert decisions[1].task_id == task.id and task.what == "核实食堂情况并回复"

    clock.advance(timedelta(hours=2, minutes=1))  # the task runs late; its unit has no head: the office is told
    await running.tick()
    await running.tick()
    assert any("督办逾期（无单位负责人）" in x for x in thread_texts(api, thread))  # in the incident's topic
    assert not any("督办逾期" in x for x in thread_texts(api, None))

    office = Chat(api, OFFICE_ID)
    await office.send("/close YQ-2026-0001\n" + SUMMARY)
    await office.press("仍然提交")
    await running.tick()
    msg = next(m for m in api.chat_messages(MAIN_LEADER) if "申请结案" in (m.get("text") or ""))
    await Chat(api, MAIN_LEADER).press("同意结案", msg)
    await running.tick()
    assert api.topic(OFFICE, thread)["closed"] is True
    assert any("结案" in x for x in thread_texts(api, thread))  # the closure told in the topic, before it closed
    r = await in_topic(running, api, "/decide 结案后补记", thread)
    assert "已结案" in r[0]
    async with running.sessions() as s:
        room = await s.scalar(select(IncidentRoom))
        timeline = await timeline_json(s, room.incident_id)
        data = await load_review(s, "YQ-2026-0001", org=await load_org(s), lang="zh", now=clock.now())
    assert room.status == "closed"
    said = [r["sentence"]["zh"] for r in timeline if r["kind"] in ("room_opened", "decided", "room_closed")]
    assert "开设事件话题" in said[0] and f"https://t.me/c/1000000001/{thread}" in said[0]
    assert "记录决定：当日内回应网民关切，并交办孙处长" in said[2]
    assert "关闭事件话题" in said[-1]
    doc = Document(str(write_review(data, tmp_path / "r.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "工作组话题与决定" in text and f"https://t.me/c/1000000001/{thread}" in text
    assert "由宣传部统一对外口径" in text and "（交办：核实食堂情况并回复）" in text


def test_the_task_form_after_a_decision() -> None:
    assert split_task("统一口径 交办 宣传部 起草通稿 18:00") == ("统一口径", "宣传部 起草通稿 18:00")
    assert split_task("统一口径 交办：宣传部 起草通稿") == ("统一口径", "宣传部 起草通稿")
    assert split_task("One voice task: Press office draft it") == ("One voice", "Press office draft it")
    assert split_task("Set up a task force") == ("Set up a task force", None)
    assert split_task("明确各部门任务分工") == ("明确各部门任务分工", None)
