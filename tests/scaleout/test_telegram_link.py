"""/healthz knows when Telegram stops answering: a polling instance cut off from the Bot API turns unhealthy
after HEALTH_MAX_LAG_SECONDS, and healthy again when Telegram is back; a refused token at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramNetworkError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetMe, GetUpdates

from bot.telegram.link import TelegramLink
from tests.conftest import live_org
from tests.process import TOKEN, BotSubprocess, cli, wait_reply
from tests.scaleout.cluster import free_port


async def _health(port: int) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as r:
        return r.status, await r.json()


async def _until(port: int, status: int, within: float = 40) -> dict:
    report: dict = {}
    for _ in range(int(within / 0.25)):
        try:
            got, report = await _health(port)
        except aiohttp.ClientConnectorError:  # not listening yet
            got = 0
        if got == status:
            return report
        await asyncio.sleep(0.25)
    raise AssertionError(f"/healthz never answered {status}: {report}")


async def _answering_instance(api, tmp_path: Path) -> tuple[BotSubprocess, int]:  # noqa: ANN001
    """A polling instance with /healthz on its port, an allowed lag of 2 s, that has answered a /help."""
    port = free_port()
    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}",
                        METRICS_LISTEN=f"127.0.0.1:{port}", HEALTH_MAX_LAG_SECONDS="2")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start()
    mark = len(api.calls)
    api.user_message(1001, "/help")  # a long poll answers at once when there is an update
    try:
        await wait_reply(api, 1001, mark)
    except BaseException:
        bot.stop()
        raise
    return bot, port


async def test_healthz_turns_unhealthy_while_telegram_does_not_answer(api, tmp_path: Path) -> None:  # noqa: ANN001
    bot, port = await _answering_instance(api, tmp_path)
    try:
        report = await _until(port, 200)
        assert report["telegram"] == "ok"
        # Telegram's side is down for three polls: the poller backs off 1 s, 2 s, 4 s, so for about 5 s of
        # those 7 it has been failing for longer than the 2 s allowed
        api.inject("getUpdates", "502", times=3)
        api.user_message(1001, "/help")  # ends the long poll under way, so the next one meets the fault
        report = await _until(port, 503)
        assert report["telegram"] == "failing" and report["telegram_failing_seconds"] > 2
        assert "502" in report["telegram_last_error"] or "Bad Gateway" in report["telegram_last_error"]
        assert report["problems"] and report["problems"][0].startswith("telegram_failing_seconds")
        assert report["database"] == "ok"
        api.user_message(1001, "/help")  # waiting for the poller once Telegram is back
        report = await _until(port, 200)  # back
        assert report["telegram"] == "ok" and report["telegram_failing_seconds"] == 0
    finally:
        bot.stop()


class _Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t


async def _call(link: TelegramLink, outcome: BaseException | None, method=None) -> None:  # noqa: ANN001
    async def make_request(_bot, _method):  # noqa: ANN001, ANN202
        if outcome is not None:
            raise outcome
        return True

    if outcome is None:
        await link(make_request, None, method or GetMe())
    else:
        with pytest.raises(type(outcome)):
            await link(make_request, None, method or GetMe())


async def test_what_counts_as_telegram_answering() -> None:
    clock = _Clock()
    link = TelegramLink(clock)
    assert link.report(clock(), 300) == ({"telegram": "no call yet", "telegram_failing_seconds": 0.0,
                                          "telegram_last_answer": None}, [])
    await _call(link, TelegramNetworkError(GetMe(), "connection refused"))
    clock.t += timedelta(seconds=301)
    await _call(link, TelegramNetworkError(GetMe(), "connection refused"))  # still failing since the first
    fields, problems = link.report(clock(), 300)
    assert fields["telegram"] == "failing" and fields["telegram_failing_seconds"] == 301
    assert problems == ["telegram_failing_seconds 301 s > 300 s"]
    await _call(link, TelegramBadRequest(GetMe(), "chat not found"))  # a refusal is an answer
    fields, problems = link.report(clock(), 300)
    assert fields["telegram"] == "ok" and not problems and fields["telegram_last_answer"] == clock().isoformat()
    await _call(link, TelegramUnauthorizedError(GetMe(), "Unauthorized"))  # a revoked token: at once
    assert link.report(clock(), 300)[1] == ["telegram refused the bot token"]
    await _call(link, None)
    assert link.report(clock(), 300) == ({"telegram": "ok", "telegram_failing_seconds": 0.0,
                                          "telegram_last_answer": clock().isoformat()}, [])


async def test_a_refused_getupdates_is_an_answer_but_nothing_reaches_the_instance() -> None:
    clock = _Clock()
    link = TelegramLink(clock)
    conflict = TelegramConflictError(GetUpdates(), "Conflict: terminated by other getUpdates request; make sure "
                                                   "that only one bot instance is running")
    await _call(link, conflict, GetUpdates())
    clock.t += timedelta(seconds=200)
    await _call(link, conflict, GetUpdates())
    await _call(link, None)  # other calls (the outbox sending) go through meanwhile: still no updates
    fields, problems = link.report(clock(), 300)
    assert fields["telegram"] == "conflict" and "only one bot instance" in fields["telegram_conflict"]
    assert problems == []  # a restart's overlapping long poll is refused for a few seconds
    clock.t += timedelta(seconds=101)
    problems = link.report(clock(), 300)[1]
    assert problems == ["telegram gives this bot's updates to another process for 301 s (> 300 s): Conflict: "
                        "terminated by other getUpdates request; make sure that only one bot instance is running"]
    await _call(link, None, GetUpdates())  # updates come again
    assert link.report(clock(), 300) == ({"telegram": "ok", "telegram_failing_seconds": 0.0,
                                          "telegram_last_answer": clock().isoformat()}, [])


async def test_a_polling_instance_waits_out_a_webhook_set_by_someone_else(api, tmp_path: Path) -> None:  # noqa: ANN001
    """Someone sets a webhook for the same bot: getUpdates is refused with 409. The instance does not crash
    (a restart would delete the webhook and fight over it) or lose anything: it says so in its log and on
    /healthz, and takes updates again once the webhook is gone."""
    bot, port = await _answering_instance(api, tmp_path)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{api.base_url}/bot{TOKEN}/setWebhook",
                                 json={"url": "https://other.example.org/hook"}) as r:
                assert (await r.json())["ok"]
            report = await _until(port, 503)
            assert report["telegram"] == "conflict" and "webhook is active" in report["telegram_conflict"]
            assert report["problems"][0].startswith("telegram gives this bot's updates to another process")
            assert bot.proc is not None and bot.proc.poll() is None  # still running
            assert "another process takes this bot's updates" in bot.output()
            async with http.post(f"{api.base_url}/bot{TOKEN}/deleteWebhook") as r:
                assert (await r.json())["ok"]
        mark = len(api.calls)
        api.user_message(1001, "/help")
        await wait_reply(api, 1001, mark, within=60)  # the poller's back-off is at most 30 s
        report = await _until(port, 200)
        assert report["telegram"] == "ok" and "telegram_conflict" not in report
    finally:
        bot.stop()
    assert not api.violations
