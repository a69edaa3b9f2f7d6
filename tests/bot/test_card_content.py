"""A card shows the incident as it stands: who reported it from which unit, cross-region and category, the latest
follow-up's counts beside the grade rules they fired (also when a follow-up lowers them), and the next deadline as
an absolute time — through the real dispatcher and the fake Bot API."""

from __future__ import annotations

from bot.demo.harness import BotProcess
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

LEADER, MONITOR = 3001, 1002


def _card_text(api, user: int) -> str:  # noqa: ANN001
    return next(m["text"] for m in api.chat_messages(user) if "舆情事件" in m.get("text", ""))


async def test_the_card_shows_the_present(running: BotProcess, api) -> None:  # noqa: ANN001
    monitor = Chat(api, MONITOR)
    await monitor.send("/report\n" + TEMPLATE.replace("转发：150", "转发：10"))
    await monitor.press("确认")
    await running.tick()
    text = _card_text(api, LEADER)
    assert "报送人：李强（学生工作部）" in text, text
    assert "跨地区：否" in text and "类别：询问" in text, text
    assert "下一时限：" in text and " 前" in text, text
    await monitor.send("/follow YQ-2026-0001\n转发：180\n说明：转发迅速增加")
    await running.tick()
    text = _card_text(api, LEADER)
    assert "180 ≥ 100" in text and "转发：180" in text and "转发：10\n" not in text, text
    assert "最新跟进" in text, text
    await monitor.send("/follow YQ-2026-0001\n转发：20\n说明：帖子已被删除，转发减少")
    await running.tick()
    text = _card_text(api, LEADER)
    assert "转发：20" in text and "重大" in text, text  # the grade does not fall by itself; the count is today's
