"""Issue 18, item 3: a burst never buries the office group. More new incident cards than the group's minute
limit lets out now go out as one digest naming them all; a button posts an incident's full card, which the
incident's later changes then edit (never the digest)."""

from __future__ import annotations

from sqlalchemy import select

from bot.delivery import Limits
from bot.demo.harness import BotProcess
from models import IncidentCard, OutboxMessage
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

OFFICE = -1001000000001
N = 8


def telegram_group_limits(running: BotProcess) -> None:
    """The harness lifts every limit (its clock is virtual); here the group's are Telegram's again: 20 a minute,
    a burst of 3. Private chats stay unlimited, so nothing else waits on the virtual clock."""
    running.sender.limiter.limits = Limits(global_per_second=10_000, global_burst=100, chat_per_second=10_000,
                                           chat_burst=100, group_per_minute=20, group_burst=3)
    running.sender.limiter._groups.clear()


def general(i: int) -> str:
    return "/report\n" + TEMPLATE.replace("转发：150", "转发：20").replace(
        "https://weibo.com/123/abc", f"https://weibo.com/123/burst{i}").replace("学校东门", f"东门{i}号")


def about(api, number: str) -> list[dict]:  # noqa: ANN001
    return [m for m in api.chat_messages(OFFICE) if number in (m.get("text") or "")]


async def test_a_burst_reaches_the_office_group_as_one_digest_with_each_card_a_press_away(
        running: BotProcess, api) -> None:  # noqa: ANN001
    telegram_group_limits(running)
    monitor = Chat(api, 1001)
    for i in range(N):
        await monitor.send(general(i))
        assert any("已提交" in r for r in await monitor.press("确认")), i
    await running.tick()
    numbers = [f"YQ-2026-{n:04d}" for n in range(1, N + 1)]
    office = [m for m in api.chat_messages(OFFICE) if "YQ-2026-" in (m.get("text") or "")]
    assert len(office) == 1, [m["text"][:40] for m in office]  # one message for the burst, not eight
    digest = office[0]
    assert digest["text"].startswith(f"📋 {N} 起新舆情事件")
    for n, number in enumerate(numbers):
        assert f"• {number}｜一般｜东门{n}号 / 后勤管理处" in digest["text"]
    labels = [b["text"] for row in digest["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == [f"📄 {number}" for number in numbers]
    async with running.sessions() as s:  # every card row is accounted for: sent, as part of the digest
        rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == OFFICE))).all()
    assert {r.status for r in rows} == {"sent"} and all(r.telegram_message_id is None for r in rows)

    # a monitor outside the office cannot have the office card posted
    stranger = Chat(api, 1002, chat_id=OFFICE, chat_type="supergroup")
    assert any("无权" in r for r in await stranger.press("📄 YQ-2026-0003", digest))
    clerk = Chat(api, 2001, chat_id=OFFICE, chat_type="supergroup")
    assert any("已在本群发出该事件卡片" in r for r in await clerk.press("📄 YQ-2026-0003", digest))
    await running.tick()
    card = about(api, "🔔 舆情事件 YQ-2026-0003")
    assert len(card) == 1 and "东门2号" in card[0]["text"] and "处置清单" in card[0]["text"]
    assert any("收到" in r for r in await clerk.press("✅ 收到", card[0]))
    await running.tick()
    assert "确认收到" in api.message(OFFICE, card[0]["message_id"])["text"]  # the posted card follows the incident
    assert api.message(OFFICE, digest["message_id"])["text"] == digest["text"]  # the digest is never edited
    async with running.sessions() as s:
        shown = await s.scalar(select(IncidentCard).join(OutboxMessage, OutboxMessage.id == IncidentCard.outbox_id)
                               .where(IncidentCard.chat_id == OFFICE,
                                      OutboxMessage.telegram_message_id == card[0]["message_id"]))
    assert shown is not None


async def test_a_few_cards_go_out_as_cards(running: BotProcess, api) -> None:  # noqa: ANN001
    telegram_group_limits(running)
    monitor = Chat(api, 1001)
    for i in range(2):
        await monitor.send(general(i))
        await monitor.press("确认")
    await running.tick()
    office = [m["text"] for m in api.chat_messages(OFFICE) if "YQ-2026-" in (m.get("text") or "")]
    assert [x.splitlines()[0] for x in office] == ["🔔 舆情事件 YQ-2026-0001", "🔔 舆情事件 YQ-2026-0002"]
