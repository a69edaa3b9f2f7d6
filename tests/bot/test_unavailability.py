"""Declared unavailability end to end through the dispatcher and the fake Bot API (SQLite and PostgreSQL):
/unavailable declare / list / delete / bad input; the roster respects it at duty start; on a running duty a
future shift is reassigned (reminders follow, seen at their new time on the virtual clock), a shift nobody
can take is named to the office, and a shift under way is put to the office, who hands it over."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.org import get_person, load_org
from bot.services.org_import import import_org
from bot.services.unavailability import take_over
from models import DueItem, Person
from models.duty import DutyShift, UnavailabilityWindow
from tests.bot.chat import Chat
from tests.bot.test_duty import OFFICE, _major_with_duty, texts
from tests.conftest import EXAMPLE_ORG, T0

EXTRA = ("  - {telegram_id: 1004, name: 周杰, roles: [monitor]}\n"
         "  - {telegram_id: 1005, name: 吴磊, roles: [monitor]}\n"
         "  - {telegram_id: 1006, name: 郑洁, roles: [monitor]}\n")


async def _six_monitors(proc: BotProcess) -> None:
    """With 6 h shifts and 8 h rest, five people rotate with everyone within two shifts of any other: a
    sixth is the first who can take someone's shift."""
    text = EXAMPLE_ORG.read_text(encoding="utf-8").replace("  - {telegram_id: 2001", EXTRA + "  - {telegram_id: 2001")
    async with proc.sessions() as s, s.begin():
        await import_org(s, parse_org_file(text), now=proc.clock.now())


def span(a: datetime, b: datetime, extra: str = "") -> str:
    """`/unavailable` arguments for [a, b) in the organisation's zone."""
    tz = T0.tzinfo
    return f"/unavailable {a.astimezone(tz):%Y-%m-%d %H:%M} {b.astimezone(tz):%Y-%m-%d %H:%M} {extra}".strip()


async def _windows(proc: BotProcess, tg: int) -> list[tuple[datetime, datetime, str]]:
    async with proc.sessions() as s:
        pid = await s.scalar(select(Person.id).where(Person.telegram_id == tg))
        rows = (await s.scalars(select(UnavailabilityWindow).where(UnavailabilityWindow.person_id == pid)
                                .order_by(UnavailabilityWindow.start))).all()
        return [(r.start.astimezone(T0.tzinfo), r.end.astimezone(T0.tzinfo), r.reason) for r in rows]


async def test_declare_list_delete_and_bad_input(running: BotProcess, api) -> None:  # noqa: ANN001
    zhang, wang = Chat(api, 1001), Chat(api, 1003, language_code="en")
    reply = await zhang.send("/unavailable 2026-11-25 08:00 2026-11-25 20:00 体检")
    assert "已登记 张敏 的不可值班时段：2026-11-25 08:00–20:00（体检）" in reply[0]
    # full-width digits and a date alone (the whole day)
    assert "2026-11-27 00:00–24:00" in (await zhang.send("/unavailable ２０２６－１１－２７　年假"))[0]
    # overlapping the first one: merged into one window, and said so
    reply = await zhang.send("/unavailable 11-25 18:00 22:00 开会")
    assert "2026-11-25 08:00–22:00" in reply[0] and "已合并" in reply[0]
    assert [(a.hour, b.hour, r) for a, b, r in await _windows(running, 1001)] == [(8, 22, "体检；开会"), (0, 0, "年假")]

    listing = (await zhang.send("/unavailable"))[0]
    assert "2026-11-25 08:00–22:00（体检；开会）" in listing and "2026-11-27 00:00–24:00" in listing
    assert len(zhang.buttons()) == 2
    someone = Chat(api, 1002)
    assert any("只能删除自己的" in r for r in await someone.press("删除 2026-11-27", zhang.last_keyboard_message("删除")))
    assert any("已删除" in r for r in await zhang.press("删除 2026-11-27"))
    assert len(await _windows(running, 1001)) == 1

    # bad input: nothing stored, one clear sentence in the user's language
    assert "already over" in (await wang.send("/unavailable 2026-11-23 08:00 2026-11-23 20:00"))[0]
    assert "not after the start" in (await wang.send("/unavailable 2026-11-25 20:00 2026-11-25 08:00"))[0]
    assert "Not a valid date" in (await wang.send("/unavailable 2026-02-30"))[0]
    assert "give the end" in (await wang.send("/unavailable 2026-11-25 08:00"))[0]
    assert "Usage" in (await wang.send("/unavailable next week maybe"))[0]
    assert "Only the office" in (await wang.send("/unavailable @1002 2026-11-25"))[0]
    assert await _windows(running, 1003) == []
    assert "没有登记" in (await Chat(api, 1002).send("/unavailable"))[0]

    # the office declares for someone else, by telegram id or by a name with a space
    office = Chat(api, 2001)
    assert "Wang Fang" in (await office.send("/unavailable @Wang Fang 2026-11-26 出差"))[0]
    assert "李强" in (await office.send("/unavailable @1002 明天 8:00 至 明天 12:00"))[0]
    assert "没有找到人员 @9999" in (await office.send("/unavailable @9999 2026-11-26"))[0]
    assert [r for *_, r in await _windows(running, 1003)] == ["出差"]
    assert "李强 的不可值班时段" in (await office.send("/unavailable @李强"))[0]


async def test_duty_start_respects_declared_unavailability(running: BotProcess, api) -> None:  # noqa: ANN001
    await _six_monitors(running)
    start = T0 + timedelta(hours=12)
    await Chat(api, 1001).send(span(start, start + timedelta(hours=18)))
    rows = await _major_with_duty(running, api)
    mine = [r for r in rows if r.tg == 1001]
    assert mine and not [r for r in mine if r.start < start + timedelta(hours=18) and r.end > start]


async def _pending(proc: BotProcess, row_id: int) -> dict[str, tuple[int, datetime]]:
    """action -> (person id, due) of the shift row's pending duty rows."""
    async with proc.sessions() as s:
        items = (await s.scalars(select(DueItem).where(DueItem.kind == "duty", DueItem.status == "pending"))).all()
    return {i.payload["action"]: (i.payload["person"], i.due_at) for i in items if i.payload.get("shift") == row_id}


async def test_a_declaration_reassigns_future_shifts_and_the_reminders_follow(running: BotProcess, api,  # noqa: ANN001
                                                                              clock) -> None:  # noqa: ANN001
    await _six_monitors(running)
    rows = await _major_with_duty(running, api)
    target = rows[3]  # 18 h from now
    leaving = Chat(api, target.tg, language_code="en" if target.tg == 1003 else "zh-hans")
    assert (await _pending(running, target.id))["remind"][0] == target.person_id
    await leaving.send(span(target.start, target.end))
    async with running.sessions() as s:
        row = await s.get(DutyShift, target.id)
        taker = await s.get(Person, row.person_id)
        shifts = (await s.scalars(select(DutyShift).where(DutyShift.person_id == taker.id))).all()
    assert taker.telegram_id != target.tg
    for other in shifts:  # the rest rule holds for the taker
        if other.id != row.id:
            assert max(other.start - row.end, row.start - other.end) >= timedelta(hours=8)
    due = await _pending(running, target.id)
    assert {a: p for a, (p, _) in due.items()} == dict.fromkeys(("remind", "start", "checkin", "handover"), taker.id)
    assert due["remind"][1] == target.start - timedelta(minutes=30)
    await running.tick()
    assert any("已改派给 " + taker.name in x for x in texts(api, OFFICE))
    assert any("is now yours" in x or "改由您值班" in x for x in texts(api, taker.telegram_id))
    assert any("now goes to" in x or "已改由" in x for x in texts(api, target.tg))

    clock.set(target.start - timedelta(minutes=30))
    await running.tick()
    reminders = [x for x in texts(api, taker.telegram_id) if "值班提醒" in x or "Duty reminder" in x]
    assert any(f"{target.start.astimezone(T0.tzinfo):%H:%M}" in x for x in reminders)
    assert not any(f"{target.start.astimezone(T0.tzinfo):%m-%d %H:%M}" in x
                   for x in texts(api, target.tg) if "值班提醒" in x or "Duty reminder" in x)
    clock.set(target.start)
    await running.tick()
    assert any("签到" in b or "Check in" in b for b in Chat(api, taker.telegram_id).buttons())


async def test_nobody_can_take_it_the_office_is_told_which_slot_and_why(running: BotProcess, api) -> None:  # noqa: ANN001
    rows = await _major_with_duty(running, api)  # three monitors: exactly the rest rule's minimum
    target = rows[4]
    await Chat(api, target.tg).send(span(target.start, target.end))
    await running.tick()
    told = [x for x in texts(api, OFFICE) if "找不到人接替" in x]
    assert len(told) == 1 and f"{target.start.astimezone(T0.tzinfo):%m-%d %H:%M}" in told[0]
    assert "2 人会违反至少休息 8 小时" in told[0]
    async with running.sessions() as s:  # still on the roster, reminders intact: an empty slot is never silent
        assert (await s.get(DutyShift, target.id)).person_id == target.person_id
    assert (await _pending(running, target.id))["remind"][0] == target.person_id


async def test_a_shift_under_way_is_put_to_the_office(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    await _six_monitors(running)
    rows = await _major_with_duty(running, api)
    first = rows[0]
    clock.advance(timedelta(hours=1))
    await Chat(api, first.tg).send(span(clock.now(), first.end, "急诊"))
    await running.tick()
    async with running.sessions() as s:
        assert (await s.get(DutyShift, first.id)).person_id == first.person_id  # not taken away silently
    assert any("正在进行中" in x for x in texts(api, OFFICE))
    office = Chat(api, 2001, chat_id=OFFICE, chat_type="supergroup")
    assert any("只有舆情办" in r for r in await Chat(api, 1002).press("找人接替", office.last_keyboard_message("找人接替")))
    card = office.last_keyboard_message("找人接替")
    replies = await office.press("找人接替", card)
    assert any("接替" in r for r in replies), replies
    async with running.sessions() as s, s.begin():  # the same button replayed: nothing moves again
        again = await take_over(s, shift_id=first.id, keep=False, person=await get_person(s, 2001),
                                org=await load_org(s), now=clock.now(), lang="zh")
    assert again.code == "unavail.takeover.gone"
    async with running.sessions() as s:
        row = await s.get(DutyShift, first.id)
        taker = await s.get(Person, row.person_id)
    assert taker.telegram_id != first.tg
    due = await _pending(running, first.id)
    assert due["checkin"] == (taker.id, clock.now() + timedelta(minutes=10))
    await running.tick()
    new = Chat(api, taker.telegram_id)
    assert any("请立即签到" in x for x in texts(api, taker.telegram_id))
    assert any("已签到" in r for r in await new.press("签到"))
