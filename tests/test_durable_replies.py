"""A reply is as durable as a notification, and one limiter holds every path (issue #18, items 1 and 2).

`onduty run` as a real subprocess against the fake Bot API. During a storm of 429s (retry_after = what the
storm has left) or of 502s, the monitor sends a template and presses Confirm: nothing is lost, the summary
card and then the incident number arrive once each after the storm, in that order, and no call reaches a chat
within a retry_after window Telegram gave it (counted at the fake). A timeout at Confirm (Telegram took the
message, the client never heard back) still tells the monitor the number. And a reply handed to the sender
survives a SIGKILL: the restarted process delivers it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from bot.db import create_engine, session_factory
from bot.fakeapi import FakeBotAPI
from models import OutboxMessage
from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import live_org
from tests.process import BotSubprocess, cli

MONITOR = 1001
FILED = "事件编号：YQ-2026-0001"


def _texts(api: FakeBotAPI, chat: int, after: int = 0) -> list[str]:
    """What reached `chat` (taken by the fake: sends and edits) after call index `after`."""
    return [c.params.get("text", "") for c in api.calls[after:]
            if c.ok and c.method in ("sendMessage", "editMessageText") and str(c.params.get("chat_id")) == str(chat)]


async def _until(cond, within: float, what: str, bot: BotSubprocess) -> None:  # noqa: ANN001
    for _ in range(int(within / 0.1)):
        if cond():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{bot.output()[-3000:]}")


def _summary_button(api: FakeBotAPI) -> dict:
    """The monitor's summary card as Telegram shows it (the last message with a Confirm button)."""
    return next(m for m in reversed(api.chat_messages(MONITOR))
                if any("确认" in b.get("text", "") for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
                       for b in row))


async def _failed_rows(tmp_path: Path) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}")
    try:
        async with session_factory(engine)() as s:
            return await s.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.status == "failed"))
    finally:
        await engine.dispose()


async def _started(api: FakeBotAPI, tmp_path: Path) -> BotSubprocess:
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db)
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    mark = len(api.calls)
    bot.start()
    await _until(lambda: any(c.method == "getUpdates" for c in api.calls[mark:]), 30, "polling", bot)
    return bot


async def _storm_then_confirm(api: FakeBotAPI, bot: BotSubprocess, seconds: float, status: int) -> None:
    """A template and then Confirm, each sent into a storm of `seconds`: both answers arrive after it, once."""
    api.storm(seconds, status=status)
    mark = len(api.calls)
    api.user_message(MONITOR, "/report\n" + TEMPLATE)
    await asyncio.sleep(2)
    assert not _texts(api, MONITOR, mark), "nothing can reach the monitor during the storm"
    await _until(lambda: any("报送摘要" in t for t in _texts(api, MONITOR, mark)), seconds + 20, "the summary", bot)
    assert sum("报送摘要" in t for t in _texts(api, MONITOR, mark)) == 1

    api.storm(seconds, status=status)
    mark = len(api.calls)
    api.press(MONITOR, _summary_button(api), "确认")
    await asyncio.sleep(2)
    assert not _texts(api, MONITOR, mark)
    await _until(lambda: any(FILED in t for t in _texts(api, MONITOR, mark)), seconds + 20, "the number", bot)
    await asyncio.sleep(1.5)
    assert sum(FILED in t for t in _texts(api, MONITOR, mark)) == 1, _texts(api, MONITOR, mark)
    assert not api.window_violations(), api.window_violations()[:3]


async def test_a_429_storm_at_the_template_and_at_confirm(api: FakeBotAPI, tmp_path: Path) -> None:
    bot = await _started(api, tmp_path)
    try:
        await _storm_then_confirm(api, bot, 20, 429)
    finally:
        bot.stop()
    assert api.storm_answers > 0
    assert await _failed_rows(tmp_path) == 0


async def test_502s_for_15_seconds_at_the_template_and_at_confirm(api: FakeBotAPI, tmp_path: Path) -> None:
    bot = await _started(api, tmp_path)
    try:
        await _storm_then_confirm(api, bot, 15, 502)
    finally:
        bot.stop()


async def test_a_timeout_at_confirm_still_tells_the_number(api: FakeBotAPI, tmp_path: Path) -> None:
    """Telegram took the message but the answer never came: the row is handed over as possibly sent, and the
    sender delivers it (Telegram cannot say whether it was taken; a second copy beats none)."""
    bot = await _started(api, tmp_path)
    try:
        mark = len(api.calls)
        api.user_message(MONITOR, "/report\n" + TEMPLATE)
        await _until(lambda: any("报送摘要" in t for t in _texts(api, MONITOR, mark)), 30, "the summary", bot)
        api.inject("sendMessage", "timeout", times=1, chat_id=MONITOR, delay=20)
        mark = len(api.calls)
        api.press(MONITOR, _summary_button(api), "确认")
        await _until(lambda: any(FILED in t for t in _texts(api, MONITOR, mark)), 60, "the number", bot)
    finally:
        bot.stop()
    assert not api.window_violations()


async def test_a_reply_handed_over_survives_a_sigkill(api: FakeBotAPI, tmp_path: Path) -> None:
    """A storm long enough that the summary is with the sender when the process dies: the next process
    delivers it once the storm ends."""
    bot = await _started(api, tmp_path)
    try:
        api.storm(12, status=429)
        mark = len(api.calls)
        api.user_message(MONITOR, "/report\n" + TEMPLATE)
        await asyncio.sleep(4)
        bot.kill()
        assert not _texts(api, MONITOR, mark)
        bot.start()
        await _until(lambda: any("报送摘要" in t for t in _texts(api, MONITOR, mark)), 40, "the summary", bot)
        await asyncio.sleep(1.5)
        assert sum("报送摘要" in t for t in _texts(api, MONITOR, mark)) == 1
    finally:
        bot.stop()
    assert not api.window_violations()
