"""The tracker's reminders over a weekend (virtual clock), and `policy.tracking` changing them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.org_import import import_org
from models import FollowUp
from tests.bot.chat import Chat
from tests.conftest import EXAMPLE_ORG
from tests.tracking.test_tracking_chat import report

FRIDAY_4PM = datetime.fromisoformat("2026-11-27T16:00:00+08:00")


def reminders(api) -> list:  # noqa: ANN001
    return [c for c in api.calls if c.method == "sendMessage" and str(c.params.get("chat_id")) == "1002"
            and "🔎 跟踪提醒" in (c.params.get("text") or "")]


async def _walk(running: BotProcess, clock, until: datetime, api) -> list[datetime]:  # noqa: ANN001
    """Advance hour by hour to `until`; the instants at which a new reminder went out."""
    seen, at = len(reminders(api)), []
    while clock.now() < until:
        clock.advance(timedelta(minutes=30))
        await running.tick()
        if len(reminders(api)) > seen:
            seen = len(reminders(api))
            at.append(clock.now())
    return at


async def test_reminders_skip_the_weekend_and_a_reply_is_the_trackers_follow_up(running: BotProcess, api,  # noqa: ANN001
                                                                               clock) -> None:
    clock.set(FRIDAY_4PM)
    await report(running, api)
    r = await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    assert "2026-11-30 11:00" in r[0]  # 1.5 h on Friday, then Monday 08:30 + 2.5 h
    fired = await _walk(running, clock, datetime.fromisoformat("2026-11-30T16:00:00+08:00"), api)
    assert [f.isoformat() for f in fired] == ["2026-11-30T03:00:00+00:00", "2026-11-30T07:00:00+00:00"]
    tracker = Chat(api, 1002)
    reminder = next(m for m in reversed(api.chat_messages(1002)) if "跟踪提醒" in (m.get("text") or ""))
    r = await tracker.send("转发：70\n说明：热度下降", reply_to_message=reminder)
    assert "第 1 条跟进" in r[0]
    async with running.sessions() as s:
        fu = await s.scalar(select(FollowUp))
    assert fu.source == "tracker" and fu.reposts == 70


async def test_policy_tracking_changes_the_cadence(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    text = EXAMPLE_ORG.read_text(encoding="utf-8") + "  tracking:\n    reminder_every_hours: 2\n    working_time_only: false\n"
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text))
    clock.set(FRIDAY_4PM)
    await report(running, api)
    r = await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    await running.tick()
    assert "2026-11-27 18:00" in r[0] and "每 2 小时" in (await _msgs(api))[0]
    fired = await _walk(running, clock, datetime.fromisoformat("2026-11-27T23:00:00+08:00"), api)
    assert [f.astimezone(FRIDAY_4PM.tzinfo).strftime("%H:%M") for f in fired] == ["18:00", "20:00", "22:00"]


async def _msgs(api) -> list[str]:  # noqa: ANN001
    return [m.get("text") or "" for m in api.chat_messages(1002) if "动态跟踪专人" in (m.get("text") or "")]


async def test_a_new_tracker_stops_the_old_ones_reminders(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    clock.advance(timedelta(hours=1))
    assert "张敏" in (await Chat(api, 2001).send("/track YQ-2026-0001 1001"))[0]
    await running.tick()
    assert any("不再收到" in (m.get("text") or "") for m in api.chat_messages(1002))
    clock.advance(timedelta(hours=5))
    await running.tick()
    assert not reminders(api)
    assert any("🔎 跟踪提醒" in (m.get("text") or "") for m in api.chat_messages(1001))


async def test_a_reminder_due_while_the_bot_was_down_is_sent_once_after_restart(running: BotProcess, api,  # noqa: ANN001
                                                                                clock) -> None:
    await report(running, api)
    await Chat(api, 2001).send("/track YQ-2026-0001 李强")
    await running.tick()
    await running.stop()
    clock.advance(timedelta(hours=5))  # 15:00: the 14:00 reminder was missed
    await running.start()
    await running.tick()
    await running.tick()
    sent = reminders(api)
    assert len(sent) == 1 and sent[0].params["text"].startswith("[迟发]")


async def test_english_follow_up(running: BotProcess, api) -> None:  # noqa: ANN001
    await report(running, api)
    r = await Chat(api, 1003, language_code="en").send("/follow YQ-2026-0001\nreposts: 40\nregion: Shanghai\nnote: calming")
    assert r[0].startswith("✅ Follow-up #1 on YQ-2026-0001 recorded")


async def test_track_alone_shows_the_tracker_and_off_stops_the_reminders(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await report(running, api)
    office = Chat(api, 2001)
    assert "尚未指定" in (await office.send("/track YQ-2026-0001"))[0]
    await office.send("/track YQ-2026-0001 李强")
    assert "李强" in (r := await office.send("/track YQ-2026-0001"))[0] and "2026-11-24 14:00" in r[0]
    assert "已取消" in (await office.send("/track YQ-2026-0001 无"))[0]
    assert "没有动态跟踪专人" in (await office.send("/track YQ-2026-0001 off"))[0]
    clock.advance(timedelta(hours=6))
    await running.tick()
    assert not reminders(api)
    assert any("已取消" in (m.get("text") or "") for m in api.chat_messages(1002))
