"""24-hour duty and routine patrol, end to end through the dispatcher and the fake Bot API."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.domain.roster import validate_swap, when
from bot.services import audit
from bot.services import duty as sv
from bot.services.org import load_org
from bot.services.org_import import import_org
from models import Incident, Person
from models.duty import DutyEvent, DutyShift
from schedules.duty import plan_patrols
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG

OFFICE = -1001000000001


@pytest.fixture
async def wired(running: BotProcess) -> BotProcess:
    return running


def texts(api, chat: int) -> list[str]:  # noqa: ANN001
    return [m.get("text") or "" for m in api.chat_messages(chat)]


async def _major_with_duty(proc: BotProcess, api) -> list[DutyShift]:  # noqa: ANN001
    await Chat(api, 1001).send("/report\n" + TEMPLATE)
    await Chat(api, 1001).press("确认")
    async with proc.sessions() as s:
        assert await sv.running_events(s)  # a major incident starts 24-hour duty by itself
    await proc.tick()
    async with proc.sessions() as s:
        rows = (await s.scalars(select(DutyShift).order_by(DutyShift.index))).all()
        tg = {p.id: p.telegram_id for p in (await s.scalars(select(Person))).all()}
    for r in rows:
        r.tg = tg[r.person_id]
    return list(rows)


async def test_duty_through_two_shifts(wired: BotProcess, api, clock) -> None:  # noqa: ANN001
    rows = await _major_with_duty(wired, api)
    assert any("24小时值班已启动" in x for x in texts(api, OFFICE))
    first, second = rows[0], rows[1]
    assert first.tg != second.tg and {r.tg for r in rows[:3]} == {1001, 1002, 1003}
    assert "已在进行中" in (await Chat(api, 2001).send("/dutystart YQ-2026-0001"))[0]
    # the first shift starts now: it is offered, not imposed (bot/services/duty_offers.py)
    start_msg = Chat(api, first.tg).last_keyboard_message("接班")
    assert "马上开始" in start_msg["text"] and "请签到上岗" not in start_msg["text"]
    assert any("不是发给您" in r for r in await Chat(api, second.tg).press("✅ 接班", start_msg))
    assert any("已接班" in r for r in await Chat(api, first.tg).press("✅ 接班", start_msg))
    duty_now = (await Chat(api, 1002).send("/duty"))[0]
    assert "当前值班" in duty_now and "YQ-2026-0001" in duty_now

    clock.advance(timedelta(hours=5, minutes=30))
    await wired.tick()
    assert any("值班提醒" in x or "Duty reminder" in x for x in texts(api, second.tg))
    clock.advance(timedelta(minutes=30))
    await wired.tick()
    ask = next(m for m in api.chat_messages(first.tg) if "交班记录" in (m.get("text") or ""))
    replies = await Chat(api, first.tg).send("食堂帖子仍在发酵，请关注", reply_to_message=ask)
    assert any("交班记录已保存" in r for r in replies)
    await wired.tick()
    handover = [x for x in texts(api, second.tg) if "食堂帖子仍在发酵" in x]
    assert handover and "YQ-2026-0001" in handover[0]

    clock.advance(timedelta(minutes=10))  # the second person never checked in
    await wired.tick()
    assert any("签到" in x and "留岗" in x for x in texts(api, OFFICE))
    assert any("留岗" in x for x in texts(api, first.tg))
    receipt = Chat(api, second.tg)
    await receipt.press("Confirm receipt" if second.tg == 1003 else "确认接班")
    await wired.tick()
    assert any("确认收到" in x for x in texts(api, first.tg))

    stop = await Chat(api, 2001).send("/dutystop YQ-2026-0001")
    assert "确定要停止" in stop[0]
    assert any("已停止" in r for r in await Chat(api, 2001).press("确认停止值班"))


async def test_a_swap_moves_the_reminders(wired: BotProcess, api, clock) -> None:  # noqa: ANN001
    extra = EXAMPLE_ORG.read_text(encoding="utf-8").replace(
        "  - {telegram_id: 2001", "  - {telegram_id: 1004, name: 周杰, roles: [monitor]}\n  - {telegram_id: 2001")
    async with wired.sessions() as s, s.begin():
        await import_org(s, parse_org_file(extra))
    rows = await _major_with_duty(wired, api)
    async with wired.sessions() as s:
        roster, _ = await sv.load_roster(s, await s.scalar(select(DutyEvent)), await load_org(s))
    target, taker_tg = next((r, o.tg) for r in rows[4:] for o in rows[:4]
                            if not validate_swap(roster, r.index, o.person_id, replacing=r.person_id))
    giver = Chat(api, target.tg)
    assert "选择" in (await giver.send("/swap"))[0]
    label = when(target.start, target.end, ZoneInfo("Asia/Shanghai"))
    await giver.press(f"换出 {label}" if target.tg != 1003 else f"Offer {label}")
    await wired.tick()
    replies = await Chat(api, taker_tg).press("I'll take it" if taker_tg == 1003 else "我来接")
    assert any("等待舆情办批准" in r for r in replies), replies
    await wired.tick()
    assert any("换班已生效" in r for r in await Chat(api, 2001, chat_id=OFFICE, chat_type="supergroup").press("同意换班"))
    await wired.tick()
    clock.set(target.start - timedelta(minutes=30))
    await wired.tick()
    assert any("值班提醒" in x or "Duty reminder" in x for x in texts(api, taker_tg))
    async with wired.sessions() as s:
        row = await s.get(DutyShift, target.id)
        assert (await s.get(Person, row.person_id)).telegram_id == taker_tg
        assert (await s.scalar(select(DutyEvent))).status == "running"


async def test_patrol_reminder_and_daily_digest(wired: BotProcess, api, clock) -> None:  # noqa: ANN001
    assert await plan_patrols(wired.sessions, clock) > 0
    assert await plan_patrols(wired.sessions, clock) == 0  # idempotent
    clock.advance(timedelta(hours=10))  # 20:00, the evening patrol
    await wired.tick()
    await Chat(api, 1001).press("已巡查")
    assert any("File a report" in b for b in Chat(api, 1003).buttons())
    clock.advance(timedelta(hours=1, minutes=1))
    await wired.tick()
    digest = [x for x in texts(api, OFFICE) if "日常巡查" in x]
    assert len(digest) == 1 and "李强" in digest[0] and "Wang Fang" in digest[0] and "张敏" not in digest[0]


async def test_roster_export_writes_one_ics_per_person(wired: BotProcess, api, tmp_path) -> None:  # noqa: ANN001
    from icalendar import Calendar

    from bot.cli_roster import export_ics

    rows = await _major_with_duty(wired, api)
    paths = await export_ics(wired.sessions, tmp_path / "ics")
    assert len(paths) == len({r.person_id for r in rows})
    events = [e for p in paths for e in Calendar.from_ical(p.read_bytes()).walk("VEVENT")]
    assert len(events) == len(rows)


async def test_a_second_major_incident_joins_the_running_duty(wired: BotProcess, api, clock) -> None:  # noqa: ANN001
    """One organisation, one duty: a second major incident must not roster the same monitors twice; closing
    the first hands the duty to the one still open, closing that one stops it."""
    await _major_with_duty(wired, api)
    async with wired.sessions() as s:
        shifts_before = len((await s.scalars(select(DutyShift))).all())
    await Chat(api, 1002).send("/report\n" + TEMPLATE)
    await Chat(api, 1002).press("确认")
    await wired.tick()
    assert any("YQ-2026-0002" in x and "纳入正在进行的24小时值班" in x and "YQ-2026-0001" in x
               for x in texts(api, OFFICE))
    async with wired.sessions() as s:
        events = (await s.scalars(select(DutyEvent))).all()
        assert len(events) == 1 and events[0].status == "running"
        assert len((await s.scalars(select(DutyShift))).all()) == shifts_before
    assert "已在进行中" in (await Chat(api, 2001).send("/dutystart YQ-2026-0002"))[0]

    async with wired.sessions() as s, s.begin():
        org = await load_org(s)
        first = await s.scalar(select(Incident).where(Incident.number == "YQ-2026-0001"))
        first.status = "closed"
        assert await sv.stop_duty_for_incident(s, first, org=org, now=clock.now()) == 0
    await wired.tick()
    assert any("YQ-2026-0001 已结案" in x and "YQ-2026-0002 仍在处置" in x for x in texts(api, OFFICE))
    async with wired.sessions() as s, s.begin():
        ev = await s.scalar(select(DutyEvent))
        second = await s.scalar(select(Incident).where(Incident.number == "YQ-2026-0002"))
        assert ev.status == "running" and ev.incident_id == second.id
        kinds = [r.kind for r in await audit.timeline(s, second.id)]
        assert kinds.count("duty_joined") == 1 and "duty_handed" in kinds  # /dutystart did not join it twice
        second.status = "closed"
        assert await sv.stop_duty_for_incident(s, second, org=await load_org(s), now=clock.now()) == 1
        assert ev.status == "stopped"
