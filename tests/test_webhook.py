"""`onduty run --webhook`: Telegram (the fake) posts updates with the secret token; the bot answers."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp

from tests.conftest import live_org
from tests.process import TOKEN, BotSubprocess, cli, wait_reply


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_mode_takes_updates_and_refuses_wrong_secret(api, tmp_path: Path) -> None:  # noqa: ANN001
    port = free_port()
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db, WEBHOOK_URL=f"http://127.0.0.1:{port}",
                        WEBHOOK_SECRET="s3cret-token", WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start("--webhook")
    try:
        await api.wait_for_call("setWebhook", timeout=30)
        hook = api.calls_to("setWebhook")[-1].params
        assert hook["url"] == f"http://127.0.0.1:{port}/tg" and hook["secret_token"] == "s3cret-token"
        mark = len(api.calls)
        api.user_message(1001, "/report")
        assert "（1/14）" in (await wait_reply(api, 1001, mark))[-1]
        async with aiohttp.ClientSession() as http:
            async with http.post(f"http://127.0.0.1:{port}/tg", json={"update_id": 999},
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                assert r.status == 401
    finally:
        bot.stop()
        await asyncio.sleep(0)
    assert not api.violations


async def healthz(port: int) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as r:
        return r.status, await r.json()


async def wait_health(port: int, webhook: str, within: float = 30) -> tuple[int, dict]:
    body: dict = {}
    for _ in range(int(within / 0.2)):
        try:
            status, body = await healthz(port)
        except aiohttp.ClientConnectorError:  # the instance is still starting
            status = 0
        if body.get("webhook") == webhook:
            return status, body
        await asyncio.sleep(0.2)
    raise AssertionError(f"/healthz never showed webhook={webhook!r}: {body}")


async def test_healthz_says_when_telegram_calls_another_webhook_or_none(api, tmp_path: Path) -> None:  # noqa: ANN001
    """Another process with the same token deleted the webhook (as `onduty run` in polling mode does): no
    update reaches any instance, and each says so within WEBHOOK_CHECK_SECONDS."""
    port = free_port()
    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}",
                        WEBHOOK_URL=f"http://127.0.0.1:{port}", WEBHOOK_SECRET="s3cret-token",
                        WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg", WEBHOOK_CHECK_SECONDS="2")
    bot.start("--webhook")
    try:
        await api.wait_for_call("getWebhookInfo", timeout=30)
        status, body = await wait_health(port, "ok")
        assert status == 200 and body["webhook_pending_updates"] == 0 and body["webhook_last_error"] is None
        assert body["telegram"] == "ok" and body["problems"] == []
        async with aiohttp.ClientSession() as http, http.post(f"{api.base_url}/bot{TOKEN}/deleteWebhook") as r:
            assert (await r.json())["ok"]
        status, body = await wait_health(port, "elsewhere")
        assert status == 503
        assert body["problems"] == [f"telegram's webhook is not set, not http://127.0.0.1:{port}/tg"]
    finally:
        bot.stop()
    assert not api.violations


async def test_healthz_says_when_telegram_cannot_deliver_to_the_webhook(api, tmp_path: Path) -> None:  # noqa: ANN001
    """The public URL does not reach the instance (here: nothing listens on it, as when the reverse proxy is
    down). The instance itself is fine and hears nothing; Telegram's getWebhookInfo has the error."""
    port, public = free_port(), free_port()
    api.webhook_retries, api.webhook_backoff = 50, 0.5  # keep the update waiting, as Telegram does
    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}",
                        WEBHOOK_URL=f"http://127.0.0.1:{public}", WEBHOOK_SECRET="s3cret-token",
                        WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg", WEBHOOK_CHECK_SECONDS="2")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start("--webhook")
    try:
        status, body = await wait_health(port, "ok")
        assert status == 200
        api.user_message(1001, "/report")
        status, body = await wait_health(port, "failing")
        assert status == 503 and body["webhook_pending_updates"] == 1
        assert "Connect" in body["webhook_last_error"]  # aiohttp's connection error, with its date
        assert body["problems"][0].startswith("telegram cannot deliver to the webhook (1 updates waiting): ")
        assert body["telegram"] == "ok"  # Telegram answers this instance: only the delivery is broken
        assert not [c for c in api.calls if c.method == "sendMessage"]  # and nobody heard back
    finally:
        bot.stop()
    assert not api.violations
