"""The durable inbox: a crash inside a handler loses nothing and duplicates nothing; a redelivered
update is processed once. `onduty run` runs as a real subprocess, killed with SIGKILL."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from tests.conftest import live_org
from tests.process import BotSubprocess, an_hour_ago, cli, wait_reply
from tests.test_webhook import free_port

TEMPLATE = ("/report\n时间：" + an_hour_ago() + "\n地点：东门\n涉及单位：后勤处\n过程：发帖\n结果：转发\n跟帖倾向：负面\n平台：微博")


async def _incidents(env: dict, cwd: Path) -> list[dict]:
    return json.loads(await cli("export", "--format", "json", env=env, cwd=cwd))["incidents"]


async def test_killed_inside_the_confirm_handler_files_the_report_exactly_once(api, tmp_path: Path) -> None:  # noqa: ANN001
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db, ONDUTY_CRASH_AT="report_filed")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        mark = len(api.calls)
        api.user_message(1001, TEMPLATE)
        await wait_reply(api, 1001, mark)
        api.press(1001, api.last_message(1001), "确认")
        assert await bot.exited() in (-9, 137), bot.output()[-1500:]  # it killed itself inside the handler
        assert await _incidents(bot.env, tmp_path) == []

        bot.env.pop("ONDUTY_CRASH_AT")
        mark = len(api.calls)
        bot.start()  # the inbox still holds the press: it is processed on start
        # after the kill a re-sent summary (an allowed possible duplicate) may come before the filed reply: wait
        # for the reply that names the incident, not just the first one
        replies: list[str] = []
        for _ in range(60):
            replies = await wait_reply(api, 1001, mark)
            if any("YQ-" in r for r in replies):
                break
            await asyncio.sleep(0.5)
        assert any("YQ-" in r for r in replies), replies
        mark = len(api.calls)
        api.user_message(1001, "/my")
        await wait_reply(api, 1001, mark)
    finally:
        bot.stop()
    assert len(await _incidents(bot.env, tmp_path)) == 1


async def test_the_same_update_delivered_twice_creates_one_report(api, tmp_path: Path) -> None:  # noqa: ANN001
    port = free_port()
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db, WEBHOOK_URL=f"http://127.0.0.1:{port}",
                        WEBHOOK_SECRET="s3cret", WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start("--webhook")
    try:
        await api.wait_for_call("setWebhook", timeout=30)
        mark = len(api.calls)
        api.user_message(1001, TEMPLATE)
        await wait_reply(api, 1001, mark)
        mark = len(api.calls)
        api.press(1001, api.last_message(1001), "确认")
        await wait_reply(api, 1001, mark)
        update = api.pushed[-1]  # Telegram redelivers the very same update (same update_id)
        async with aiohttp.ClientSession() as http:
            for _ in range(2):
                async with http.post(f"http://127.0.0.1:{port}/tg", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}) as r:
                    assert r.status == 200
        await asyncio.sleep(1.0)
    finally:
        bot.stop()
    assert len(await _incidents(bot.env, tmp_path)) == 1
    filed = [c for c in api.calls if c.method == "sendMessage" and c.params.get("chat_id") in (1001, "1001")
             and "已提交" in c.params.get("text", "")]
    assert len(filed) == 1


async def test_the_same_update_id_on_two_channels_is_two_rows(sessions) -> None:  # noqa: ANN001
    from datetime import UTC, datetime

    from bot.services import inbox

    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    async with sessions() as s, s.begin():
        await inbox.record(s, [{"update_id": 7, "via": "telegram"}], now=now)
        await inbox.record(s, [{"update_id": 7, "via": "test"}], now=now, channel="test")
        await inbox.record(s, [{"update_id": 7, "via": "again"}], now=now, channel="test")  # a redelivery
    async with sessions() as s, s.begin():
        assert await inbox.pending(s) == [(7, {"update_id": 7, "via": "telegram"})]
        assert await inbox.pending(s, channel="test") == [(7, {"update_id": 7, "via": "test"})]
        assert await inbox.claim_done(s, 7, now=now) and not await inbox.claim_done(s, 7, now=now)
        assert await inbox.status_of(s, 7) == "done"
        assert await inbox.status_of(s, 7, channel="test") == "received"  # the other channel's row is its own
        assert await inbox.note_failure(s, 7, error="boom", channel="test") == "received"
