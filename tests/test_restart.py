"""Drafts survive a crash: `onduty run` killed with SIGKILL mid-dialog, restarted, the monitor continues."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import live_org
from tests.process import BotSubprocess, an_hour_ago, cli, wait_reply


async def say(api, user: int, text: str) -> list[str]:  # noqa: ANN001
    mark = len(api.calls)
    api.user_message(user, text)
    return await wait_reply(api, user, mark)


async def test_sigkill_mid_dialog_then_finish(api, tmp_path: Path) -> None:  # noqa: ANN001
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db)
    env = {**bot.env}
    await cli("org", "import", str(live_org(tmp_path)), env=env, cwd=tmp_path)
    bot.start()
    try:
        assert "（1/14）" in (await say(api, 1002, "/report"))[-1]
        await say(api, 1002, an_hour_ago())
        assert "（3/14）" in (await say(api, 1002, "图书馆"))[-1]
        bot.kill()

        bot.start()
        replies = await say(api, 1002, "学生工作部")
        assert "（4/14）" in replies[-1], replies + [bot.output()[-2000:]]
        await say(api, 1002, "有学生发帖")
        await say(api, 1002, "数十条跟帖")
        mark = len(api.calls)
        api.press(1002, api.last_message(1002), "中性")
        await wait_reply(api, 1002, mark)
        mark = len(api.calls)
        api.press(1002, api.last_message(1002), "论坛")
        await wait_reply(api, 1002, mark)
        for _ in range(7):
            mark = len(api.calls)
            api.press(1002, api.last_message(1002), "跳过")
            await wait_reply(api, 1002, mark)
        mark = len(api.calls)
        api.press(1002, api.last_message(1002), "确认")
        assert any("YQ-2026-0001" in r or "YQ-" in r for r in await wait_reply(api, 1002, mark))
    finally:
        bot.stop()
    data = json.loads(await cli("export", "--format", "json", env=env, cwd=tmp_path))
    assert len(data["incidents"]) == 1
    fields = data["incidents"][0]["reports"][0]["fields"]
    assert fields["place"] == "图书馆" and fields["unit"] == "学生工作部"
    assert not api.violations
