"""The due-row sweeper with a virtual clock: nudges, coalescing after downtime, overdue escalation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from bot.delivery import OutboxSender
from bot.fakeapi import FakeBotAPI
from bot.services.calendar import calendar_for
from bot.services.clocks import start_clocks, stop_clock
from bot.services.org import load_org
from bot.telegram.channel import TelegramChannel
from models import ChatBinding, DueItem, OutboxMessage
from schedules.sweeps import DueSweeper, claim_due, install
from tests.conftest import T0
from tests.delivery.conftest import OFFICE_CHAT, make_incident, person_id

HANDLER = 4001  # 孙处长, zh
ENGLISH = 1003  # Wang Fang, en


async def setup(sessions, *, responsible: int | None = HANDLER) -> int:  # noqa: ANN001
    """A major incident discovered and reported at T0 (Tue 10:00 +08:00); returns its id."""
    async with sessions() as s, s.begin():
        inc = await make_incident(s, now=T0)
        org = await load_org(s)
        await start_clocks(s, incident_id=inc.id, grade="major", category=None, discovered_at=T0, learned_at=T0,
                           calendar=calendar_for(org), policy=org.policy, now=T0,
                           responsible_id=await person_id(s, responsible) if responsible else None)
        return inc.id


async def outbox_rows(sessions) -> list[OutboxMessage]:  # noqa: ANN001
    async with sessions() as s:
        return list((await s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def due_rows(sessions) -> list[DueItem]:  # noqa: ANN001
    async with sessions() as s:
        return list((await s.scalars(select(DueItem).order_by(DueItem.due_at, DueItem.id))).all())


def sweeper(sessions, clock, woken: list | None = None) -> DueSweeper:  # noqa: ANN001
    return DueSweeper(sessions, clock, instance="sweep",
                      notify=(lambda: woken.append(1)) if woken is not None else None)


async def test_past_50_percent_one_nudge_per_recipient(org, clock, api: FakeBotAPI, bot) -> None:  # noqa: ANN001
    await setup(org)
    woken: list = []
    sw = sweeper(org, clock, woken)
    assert await sw.run_once() == 0
    clock.advance(timedelta(minutes=91))  # 11:31: first_response (3 working hours) passed 50%
    assert await sw.run_once() == 1 and woken
    rows = await outbox_rows(org)
    assert sorted(r.chat_id for r in rows) == sorted([HANDLER, OFFICE_CHAT])
    for r in rows:
        text = r.payload["text"]
        assert "YQ-2026-0001" in text and "首次回应网民" in text and "50%" in text and "迟发" not in text
        assert "2026-11-24 13:00 (UTC+08:00)" in text and "1小时29分" in text
    assert await sw.run_once() == 0 and len(await outbox_rows(org)) == 2  # once only
    await OutboxSender(TelegramChannel(bot), org, clock, instance="send").run_once()
    assert len(api.sent("sendMessage", HANDLER)) == 1 and len(api.sent("sendMessage", OFFICE_CHAT)) == 1


async def test_after_downtime_one_late_message_per_person_and_clock(org, clock, api: FakeBotAPI, bot) -> None:  # noqa: ANN001
    await setup(org)
    sw = sweeper(org, clock)
    clock.advance(timedelta(hours=4, minutes=30))  # 14:30: report_upward and first_response passed all points
    assert await sw.run_once() == 6
    rows = await outbox_rows(org)
    assert len(rows) == 4  # 2 clocks × (handler + office)
    for r in rows:
        assert r.payload["text"].startswith("[迟发] ") and "时限已过" in r.payload["text"]
    assert {r.chat_id for r in rows if "向上级报告" in r.payload["text"]} == {HANDLER, OFFICE_CHAT}
    done = [d for d in await due_rows(org) if d.status == "done"]
    assert len(done) == 6 and all(d.late for d in done)
    overdue = sorted(d.payload["point"] for d in await due_rows(org) if d.payload["point"].startswith("overdue"))
    assert overdue == ["overdue:1", "overdue:2"]  # report_upward 30 min over, first_response 90 min over
    await OutboxSender(TelegramChannel(bot), org, clock, instance="send").run_once()
    assert len(api.sent("sendMessage", HANDLER)) == 2
    [combined] = api.sent("sendMessage", OFFICE_CHAT)  # one group message for the minute
    assert "向上级报告" in combined.text and "首次回应网民" in combined.text


async def test_overdue_escalates_level_by_level_until_stopped(org, clock) -> None:  # noqa: ANN001
    inc = await setup(org)
    sw = sweeper(org, clock)
    clock.set(T0 + timedelta(hours=4))  # 14:00 report_upward due (first_response already past)
    await sw.run_once()
    async with org() as s, s.begin():  # only report_upward is followed here
        await stop_clock(s, incident_id=inc, name="first_response", reason="answered", now=clock.now())
    for step, leader in ((1, 3001), (2, 3002)):
        clock.set(T0 + timedelta(hours=4 + step))
        assert await sw.run_once() == 1
        [msg] = [r for r in await outbox_rows(org) if r.chat_id == leader]
        assert f"第 {step} 次升级" in msg.payload["text"] and "已超时" in msg.payload["text"]
    clock.set(T0 + timedelta(hours=7))  # level 3: the leading group (3001, 3002, 3003)
    await sw.run_once()
    assert [r.chat_id for r in await outbox_rows(org) if r.chat_id == 3003]
    async with org() as s, s.begin():
        stopped = await stop_clock(s, incident_id=inc, name="report_upward", reason="late", now=clock.now())
    assert stopped.status == "missed"
    before = len(await outbox_rows(org))
    clock.set(T0 + timedelta(hours=12))
    await sw.run_once()
    assert not [r for r in (await outbox_rows(org))[before:] if "向上级报告" in r.payload["text"]]


async def test_stop_clock_cancels_its_pending_nudges(org, clock) -> None:  # noqa: ANN001
    inc = await setup(org)
    async with org() as s, s.begin():
        await stop_clock(s, incident_id=inc, name="report_upward", reason="done", now=T0 + timedelta(minutes=30))
    clock.advance(timedelta(hours=5))
    await sweeper(org, clock).run_once()
    assert not [r for r in await outbox_rows(org) if "向上级报告" in r.payload["text"]]
    assert any("首次回应网民" in r.payload["text"] for r in await outbox_rows(org))


async def test_languages_and_office_people_without_an_office_chat(org, clock) -> None:  # noqa: ANN001
    async with org() as s, s.begin():
        await s.execute(delete(ChatBinding).where(ChatBinding.key == "office"))
    await setup(org, responsible=ENGLISH)
    clock.advance(timedelta(minutes=91))
    await sweeper(org, clock).run_once()
    by_chat = {r.chat_id: r.payload["text"] for r in await outbox_rows(org)}
    assert set(by_chat) == {ENGLISH, 2001}
    assert "Deadline reminder" in by_chat[ENGLISH] and "first response" in by_chat[ENGLISH]
    assert "Responsible: Wang Fang" in by_chat[ENGLISH] and "时限提醒" in by_chat[2001]


async def test_rows_of_a_dead_sweeper_are_taken_over_after_the_lease(org, clock) -> None:  # noqa: ANN001
    await setup(org)
    clock.advance(timedelta(minutes=91))
    async with org() as s, s.begin():
        [taken] = await claim_due(s, instance="dead", now=clock.now(), limit=10, lease=timedelta(minutes=2))
    sw = sweeper(org, clock)
    assert await sw.run_once() == 0
    clock.advance(timedelta(minutes=3))
    assert await sw.run_once() == 1 and len(await outbox_rows(org)) == 2
    [row] = [d for d in await due_rows(org) if d.id == taken.id]
    assert row.status == "done" and row.late  # processed 4.5 min after its time


async def test_install_adds_wakeup_jobs(org, clock) -> None:  # noqa: ANN001
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    scheduler = AsyncIOScheduler(timezone="UTC")
    jobs = install(scheduler, sweeper(org, clock), OutboxSender(TelegramChannel(None), org, clock), every_seconds=2)
    assert [j.id for j in jobs] == ["onduty.sweep", "onduty.outbox"]
    for job in jobs:
        assert job.misfire_grace_time is None and job.coalesce and job.max_instances == 1
        assert str(job.trigger.timezone) == "UTC" and job.trigger.interval == timedelta(seconds=2)


async def test_late_grace_is_policy(org, clock) -> None:  # noqa: ANN001
    """policy.clocks.late_grace_seconds: a nudge swept 60 s after its instant is on time by default
    (the test above), late when the policy allows only 30 s."""
    from models import Organization

    async with org() as s, s.begin():
        (await s.get(Organization, 1)).policy = {"clocks": {"late_grace_seconds": 30}}
    await setup(org)
    clock.advance(timedelta(minutes=91))  # the 50 % point of first_response was 11:30; now 11:31
    assert await sweeper(org, clock).run_once() == 1
    assert all(r.payload["text"].startswith("[迟发] ") for r in await outbox_rows(org))
