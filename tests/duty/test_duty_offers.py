"""A shift at short notice is offered, not imposed: Accept / Can't, the offer moving on by the swap rules when
declined or unanswered, the office alarmed when nobody is left — every step on the timeline; and the chain
through a SIGKILL of `onduty run`."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.demo.harness import BotProcess
from bot.domain.orgfile import parse_org_file
from bot.services.org_import import import_org
from models import AuditLog, Person
from models.duty import DutyShift
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import EXAMPLE_ORG, live_org
from tests.process import BotSubprocess, cli, wait_reply, wait_until

OFFICE = -1001000000001
T1402 = datetime.fromisoformat("2026-11-24T14:02:00+08:00")


MORE = "  - {telegram_id: 1004, name: 周杰, roles: [monitor]}\n  - {telegram_id: 1005, name: 吴敏, roles: [monitor]}\n"
MONITORS = (1001, 1002, 1003, 1004, 1005)


def org_text(extra: str = "") -> str:
    """The example organisation with five monitors: with three, the rest rule leaves nobody who may take the first
    shift (each has a shift within 8 hours of it)."""
    return EXAMPLE_ORG.read_text(encoding="utf-8").replace("  - {telegram_id: 2001", MORE + "  - {telegram_id: 2001") \
        + extra


@pytest.fixture
def clock(clock):  # noqa: ANN001, ANN201 — the duty starts at 14:02, off a round hour
    clock.set(T1402)
    return clock


@pytest.fixture
async def running(running: BotProcess) -> BotProcess:
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(org_text()))
    return running


async def _major(proc: BotProcess, api) -> tuple[DutyShift, dict[int, int]]:  # noqa: ANN001
    await Chat(api, 1001).send("/report\n" + TEMPLATE)
    await Chat(api, 1001).press("确认")
    await proc.tick()
    return await _first(proc)


async def _first(proc: BotProcess) -> tuple[DutyShift, dict[int, int]]:
    async with proc.sessions() as s:
        row = await s.scalar(select(DutyShift).order_by(DutyShift.index).limit(1))
        tg = {p.id: p.telegram_id for p in (await s.scalars(select(Person))).all()}
    return row, tg


def _offer(api, user: int) -> dict | None:  # noqa: ANN001
    found = [m for m in api.chat_messages(user) if "接班" in (m.get("text") or "") and m.get("reply_markup")]
    return found[-1] if found else None


async def _kinds(proc: BotProcess) -> list[str]:
    async with proc.sessions() as s:
        return [a.kind for a in (await s.scalars(select(AuditLog).where(AuditLog.kind.like("duty_%"))
                                                 .order_by(AuditLog.id))).all()]


async def test_the_first_shift_is_offered_declined_and_taken_by_the_next(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    row, tg = await _major(running, api)
    assert (row.start.astimezone(T1402.tzinfo).strftime("%H:%M"), row.end.astimezone(T1402.tzinfo).strftime("%H:%M")) \
        == ("14:02", "15:00")
    first = tg[row.person_id]
    ask = _offer(api, first)
    assert ask and "首个不完整班次" in ask["text"], api.chat_messages(first)
    assert not any("请签到上岗" in (m.get("text") or "") for m in api.chat_messages(first))  # nobody put on unasked
    replies = await Chat(api, first).press("无法接班", ask)
    assert any("已转请下一位" in r for r in replies), replies
    await running.tick()
    row, _ = await _first(running)
    nxt = tg[row.offered_to]
    assert nxt != first and row.person_id != row.offered_to  # the roster's person stays responsible meanwhile
    other = _offer(api, nxt)
    assert other and "无法接" in other["text"]
    assert any("已接班" in r for r in await Chat(api, nxt).press("✅ 接班", other))
    await running.tick()
    row, _ = await _first(running)
    assert tg[row.person_id] == nxt and row.checked_in_at is not None and row.offered_to is None
    assert any("已接替" in (m.get("text") or "") for m in api.chat_messages(OFFICE))
    assert await _kinds(running) == ["duty_offered", "duty_offer_declined", "duty_offered", "duty_offer_accepted"]
    timeline = "\n".join(await Chat(api, 2001).send("/timeline YQ-2026-0001"))
    assert "无法接值班" in timeline and "接值班" in timeline, timeline


async def test_no_answer_moves_the_offer_on_and_nobody_left_alarms_the_office(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    row, tg = await _major(running, api)
    asked = {tg[row.offered_to]}
    for _ in range(6):  # each grace (10 min) without an answer offers it to the next monitor
        clock.advance(timedelta(minutes=11))
        await running.tick()
        row, _ = await _first(running)
        if row.offered_to is None:
            break
        asked.add(tg[row.offered_to])
    assert row.offered_to is None and row.checked_in_at is None
    assert asked <= set(MONITORS) and len(row.declined) == len(asked) >= 2
    alarm = [m["text"] for m in api.chat_messages(OFFICE) if "无人接班" in (m.get("text") or "")]
    assert alarm and "仍为责任人" in alarm[0], api.chat_messages(OFFICE)
    kinds = await _kinds(running)
    assert kinds[-1] == "duty_unfilled" and kinds.count("duty_offer_declined") == len(asked)
    # the person on the roster may still take it
    owner = tg[row.person_id]
    assert any("已接班" in r for r in await Chat(api, owner).press("✅ 接班", _offer(api, owner)))


async def test_the_alignment_follows_the_policy(running: BotProcess, api, clock) -> None:  # noqa: ANN001
    async with running.sessions() as s, s.begin():
        await import_org(s, parse_org_file(org_text("  duty:\n    align_minutes: 30\n")))
    row, _ = await _major(running, api)
    assert row.end.astimezone(T1402.tzinfo).strftime("%H:%M") == "14:30"  # policy.duty.align_minutes



async def test_the_offer_chain_survives_a_sigkill(api, tmp_path: Path) -> None:  # noqa: ANN001
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db)
    org = live_org(tmp_path)
    org.write_text(org.read_text(encoding="utf-8").replace("  - {telegram_id: 2001", MORE + "  - {telegram_id: 2001"),
                   encoding="utf-8")
    await cli("org", "import", str(org), env=dict(bot.env), cwd=tmp_path)
    bot.start()
    try:
        mark = len(api.calls)
        api.user_message(1001, "/report\n" + TEMPLATE)
        await wait_reply(api, 1001, mark)
        mark = len(api.calls)
        api.press(1001, api.last_message(1001), "确认")
        await wait_reply(api, 1001, mark)
        await wait_until(lambda: any(_offer(api, u) for u in MONITORS))
        first = next(u for u in MONITORS if _offer(api, u))
        mark = len(api.calls)
        api.press(first, _offer(api, first), "无法接班")
        await wait_until(lambda: any(c.method == "answerCallbackQuery" for c in api.calls[mark:]))
        await asyncio.sleep(0.3)
        bot.kill()  # the decline committed; the next offer may not have gone out
        bot.start()
        def moved_on() -> int | None:  # whoever was asked to take the declined shift instead
            return next((u for u in MONITORS if u != first and "无法接" in ((_offer(api, u) or {}).get("text") or "")),
                        None)

        await wait_until(lambda: moved_on() is not None, within=40)
        nxt = moved_on()
        mark = len(api.calls)
        api.press(nxt, _offer(api, nxt), "✅ 接班")
        await wait_until(lambda: any(c.method == "answerCallbackQuery" for c in api.calls[mark:]))
        await asyncio.sleep(0.5)
    finally:
        bot.stop()
    out = await cli("export", "--format", "json", env=dict(bot.env), cwd=tmp_path)
    assert '"duty_offer_accepted"' in out and '"duty_offer_declined"' in out
    offers = [c.chat_id for c in api.calls if c.method == "sendMessage" and c.ok
              and str(c.params.get("text", "")).startswith("🟡")]
    # asked once each: the restart repeated nothing (a second shift starting within 30 minutes is offered too)
    assert first in offers and nxt in offers and len(offers) == len(set(offers)), offers
