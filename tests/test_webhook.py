"""`onduty run --webhook`: Telegram (the fake) posts updates with the secret token; the bot answers."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from tests.conftest import EXAMPLE_ORG
from tests.process import BotSubprocess, cli, wait_reply


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_mode_takes_updates_and_refuses_wrong_secret(api, tmp_path: Path) -> None:  # noqa: ANN001
    port = free_port()
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db, WEBHOOK_URL=f"http://127.0.0.1:{port}",
                        WEBHOOK_SECRET="s3cret-token", WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg")
    await cli("org", "import", str(EXAMPLE_ORG), env=bot.env, cwd=tmp_path)
    bot.start("--webhook")
    try:
        await api.wait_for_call("setWebhook", timeout=30)
        hook = api.calls_to("setWebhook")[-1].params
        assert hook["url"] == f"http://127.0.0.1:{port}/tg" and hook["secret_token"] == "s3cret-token"
        mark = len(api.calls)
        api.user_message(1001, "/report")
        assert "（1/14）" in (await wait_reply(api, 1001, mark))[-1]
        import aiohttp

        async with aiohttp.ClientSession() as http:
            async with http.post(f"http://127.0.0.1:{port}/tg", json={"update_id": 999},
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                assert r.status == 401
    finally:
        bot.stop()
        await asyncio.sleep(0)
    assert not api.violations
