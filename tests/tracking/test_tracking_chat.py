"""Tracking through the dispatcher and the fake Bot API: /track, reminders, follow-ups, regrade."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.services.export import export_json
from models import AuditLog, DueItem, Evidence, FollowUp, Incident
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

OFFICE = -1001000000001
GENERAL = TEMPLATE.replace("转发：150", "转发：20")


async def report(running: BotProcess, api, template: str = GENERAL) -> None:  # noqa: ANN001
    chat = Chat(api, 1001)
    await chat.send("/report\n" + template)
    await chat.press("确认")
    await running.tick()


def texts(api, chat: int) -> list[str]:  # noqa: ANN001
    return [m.get("text") or "" for m in api.chat_messages(chat)]


async def test_office_assigns_a_tracker_who_is_reminded_in_working_time(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    replies = await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    assert "李强" in replies[0] and "2026-11-24 14:00" in replies[0]  # 10:00 + 4 working hours
    await running.tick()
    assert any("动态跟踪专人" in x for x in texts(api, 1002))
    clock.advance(timedelta(hours=3, minutes=59))
    await running.tick()
    assert not any("跟踪提醒" in x for x in texts(api, 1002))
    clock.advance(timedelta(minutes=1))
    await running.tick()
    assert sum("跟踪提醒" in x for x in texts(api, 1002)) == 1
    async with running.sessions() as s:
        nxt = await s.scalar(select(DueItem.due_at).where(DueItem.kind == "tracking", DueItem.status == "pending"))
    # 14:00 + 4 working hours: 3.5 h to the 17:30 closing, 0.5 h after the next day's 08:30 opening
    assert nxt.isoformat() == "2026-11-25T01:00:00+00:00"


async def test_non_office_and_unknown_people_are_refused(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    assert "只有舆情办公室" in (await Chat(api, 1002).send("/track YQ-2026-0001 李强"))[0]
    assert "找不到" in (await Chat(api, 2001).send("/track YQ-2026-0001 无名氏"))[0]
    assert "未找到事件 YQ-2026-0099" in (await Chat(api, 2001).send("/track YQ-2026-0099 李强"))[0]
    assert "用法" in (await Chat(api, 2001).send("/track"))[0]
    # the office chat counts as the office, whoever writes in it
    office_chat = Chat(api, 3003, chat_id=OFFICE, chat_type="supergroup")
    assert "李强" in (await office_chat.send("/track YQ-2026-0001 1002"))[0]


async def test_follow_up_by_command_reply_and_answer_raises_the_grade(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    assert not [x for x in texts(api, 3002) if "YQ-2026-0001" in x]  # general: the main leader has no card
    await Chat(api, 2001).send("/track YQ-2026-0001 1002")
    await running.tick()
    monitor = Chat(api, 1001)
    r = await monitor.send("/follow YQ-2026-0001\n转发：60\n地区：北京、本市\n说明：本地论坛开始转载")
    assert "第 1 条跟进" in r[0]
    # a leader replies to their incident card
    leader = Chat(api, 3001)
    card = next(m for m in api.chat_messages(3001) if "YQ-2026-0001" in (m.get("text") or ""))
    r = await leader.send("评论：500\n平台：微博、抖音", reply_to_message=card)
    assert "第 2 条跟进" in r[0]
    # the tracker answers their assignment message with counts that make it major
    tracker = Chat(api, 1002)
    msg = next(m for m in api.chat_messages(1002) if "动态跟踪专人" in (m.get("text") or ""))
    r = await tracker.send("转发：180\n跟帖倾向：负面 80%", reply_to_message=msg)
    assert "第 3 条跟进" in r[0] and "重大" in r[0]
    await running.tick()
    assert [x for x in texts(api, 3002) if "YQ-2026-0001" in x]  # now the main leader has a card
    async with running.sessions() as s:
        inc = await s.scalar(select(Incident))
        rows = (await s.scalars(select(FollowUp).order_by(FollowUp.id))).all()
        kinds = [a.kind for a in (await s.scalars(select(AuditLog).where(AuditLog.incident_id == inc.id))).all()]
    assert inc.grade == "major"
    assert [f.source for f in rows] == ["command", "reply", "tracker"]
    assert rows[0].regions == ["北京", "本市"] and rows[1].platforms == ["weibo", "douyin"]
    assert rows[2].sentiment == "negative" and rows[2].sentiment_share == 80
    assert kinds.count("followup_added") == 3 and "regraded" in kinds
    async with running.sessions() as s:
        exported = (await export_json(s))["incidents"][0]
    assert [f["source"] for f in exported["followups"]] == ["command", "reply", "tracker"]
    assert exported["followups"][0]["regions"] == ["北京", "本市"] and exported["followups"][2]["reposts"] == 180
    assert exported["closure"]["closed_at"] is None and exported["closure"]["proposals"] == []


async def test_follow_up_in_two_messages_with_a_photo_and_bad_input(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    monitor = Chat(api, 1001)
    assert "请发送" in (await monitor.send("/follow YQ-2026-0001"))[0]
    r = await monitor.send("转发：-5")
    assert "负数" in r[0] and "未记录" in r[0]
    r = await monitor.send("转发：90")
    assert "第 1 条跟进" in r[0]
    assert "请发送" in (await monitor.send("/follow YQ-2026-0001"))[0]
    r = await monitor.photo(caption="微博截图 阅读：2万")
    assert "第 2 条跟进" in r[0] and "1 份证据" in r[0]
    assert "未找到事件" in (await monitor.send("/follow YQ-2026-0042 转发：1"))[0]
    async with running.sessions() as s:
        ev = (await s.scalars(select(Evidence).where(Evidence.followup_id.is_not(None)))).all()
        views = (await s.scalars(select(FollowUp.views))).all()
    assert len(ev) == 1 and ev[0].report_id is None and ev[0].sha256
    assert 20000 in views


async def test_a_reply_to_the_office_card_in_the_office_chat_is_a_follow_up(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    card = next(m for m in api.chat_messages(OFFICE) if "舆情事件 YQ-2026-0001" in (m.get("text") or ""))
    office = Chat(api, 2001, chat_id=OFFICE, chat_type="supergroup")
    r = await office.send("阅读：5万，媒体级别：市级", reply_to_message=card)
    assert "第 1 条跟进" in r[0] and "重大" in r[0]  # city-level media makes it major
    # other group chatter, and replies to other bot messages, stay ignored
    assert await office.send("收到") == []
    other = next(m for m in api.chat_messages(OFFICE) if "第 1 条跟进" in (m.get("text") or ""))  # not a card
    assert await office.send("好的", reply_to_message=other) == []
    async with running.sessions() as s:
        fu = await s.scalar(select(FollowUp))
    assert (fu.source, fu.views, fu.media) == ("reply", 50000, "city")
