"""Tracker reminders are due rows: `onduty run` killed with SIGKILL before one fires sends it after restart."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import live_org
from tests.process import BotSubprocess, cli, wait_reply

FAST = "  tracking:\n    reminder_every_hours: 0.001\n    working_time_only: false\n"  # 3.6 s


async def say(api, user: int, text: str) -> list[str]:  # noqa: ANN001
    mark = len(api.calls)
    api.user_message(user, text)
    return await wait_reply(api, user, mark)


def reminders(api) -> int:  # noqa: ANN001
    return sum(1 for c in api.calls if c.method == "sendMessage" and c.ok and str(c.params.get("chat_id")) == "1002"
               and "🔎 跟踪提醒" in (c.params.get("text") or ""))


async def test_sigkill_before_a_tracker_reminder_then_it_is_sent(api, tmp_path: Path) -> None:  # noqa: ANN001
    org = tmp_path / "org.yaml"
    org.write_text(live_org(tmp_path, FAST).read_text(encoding="utf-8"), encoding="utf-8")
    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}")
    await cli("org", "import", str(org), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        await say(api, 1001, "/report\n" + TEMPLATE.replace("2026-11-24 09:30", "昨天 09:30"))
        mark = len(api.calls)
        api.press(1001, api.last_message(1001), "确认")
        filed = " ".join(await wait_reply(api, 1001, mark))
        number = re.search(r"YQ-\d{4}-\d{4}", filed).group(0)
        assert "李强" in (await say(api, 2001, f"/track {number} 李强"))[0]
        bot.kill()  # the first reminder is 3.6 s away
        await asyncio.sleep(5)
        assert reminders(api) == 0
        bot.start()
        for _ in range(300):
            if reminders(api):
                break
            await asyncio.sleep(0.1)
        assert reminders(api) >= 1, bot.output()[-2000:]
    finally:
        bot.stop()
    data = json.loads(await cli("export", "--format", "json", env=bot.env, cwd=tmp_path))
    assert data["incidents"][0]["closure"]["tracker"]["telegram_id"] == 1002
    assert not api.violations
