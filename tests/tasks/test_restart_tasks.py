"""A task's overdue escalation is a due row: `onduty run` killed with SIGKILL before the due time tells the
unit's head after restart, once."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from tests.bot.test_report_flow import TEMPLATE
from tests.conftest import live_org
from tests.process import BotSubprocess, cli, wait_reply


async def say(api, user: int, text: str) -> list[str]:  # noqa: ANN001
    mark = len(api.calls)
    api.user_message(user, text)
    return await wait_reply(api, user, mark)


def overdue_notices(api) -> int:  # noqa: ANN001
    return sum(1 for c in api.calls if c.method == "sendMessage" and c.ok and str(c.params.get("chat_id")) == "4001"
               and "督办逾期" in (c.params.get("text") or ""))


async def test_sigkill_before_a_task_is_due_then_the_head_is_told_once(api, tmp_path: Path) -> None:  # noqa: ANN001
    org = tmp_path / "org.yaml"
    text = live_org(tmp_path).read_text(encoding="utf-8")
    org.write_text(text.replace("  - name: 后勤管理处", "  - {name: 后勤管理处, head: 孙处长, aliases: [后勤处]}"),
                   encoding="utf-8")
    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}")
    await cli("org", "import", str(org), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        await say(api, 1001, "/report\n" + TEMPLATE.replace("2026-11-24 09:30", "昨天 09:30"))
        mark = len(api.calls)
        api.press(1001, api.last_message(1001), "确认")
        filed = " ".join(await wait_reply(api, 1001, mark))
        number = re.search(r"YQ-\d{4}-\d{4}", filed).group(0)
        reply = (await say(api, 2001, f"/task {number} 后勤处 核实食堂情况 0.1分钟"))[0]  # due in 6 s
        assert "孙处长" in reply
        bot.kill()
        await asyncio.sleep(7)
        assert overdue_notices(api) == 0
        bot.start()
        for _ in range(300):
            if overdue_notices(api):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)  # a second sweep would send it again if the row were not done
        assert overdue_notices(api) == 1, bot.output()[-2000:]
    finally:
        bot.stop()
    data = json.loads(await cli("export", "--format", "json", env=bot.env, cwd=tmp_path))
    (task,) = data["incidents"][0]["tasks"]
    assert task["owner"] == "孙处长" and task["late"] is True and task["escalated_at"] and task["status"] == "open"
    assert not api.violations
