"""FakeBotAPI: feeding updates — long polling, a real Dispatcher, press(), webhook mode, control API."""

from __future__ import annotations

import asyncio
import sys
import time

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiohttp import web

from bot.fakeapi.updates import callback_update, forward_hidden_user, message_update

TOKEN = "123456:TEST"


def test_builders():
    upd = message_update(5, "/start@onduty_test_bot go", message_id=3)
    msg = upd["message"]
    assert msg["chat"] == {"id": 5, "type": "private", "first_name": "User"}
    assert msg["from"]["language_code"] == "zh-hans"
    assert msg["entities"] == [{"type": "bot_command", "offset": 0, "length": 22}]
    grp = message_update(5, "hi", chat_id=-100777, caption=None, forward_origin=forward_hidden_user("匿名"))
    assert grp["message"]["chat"]["type"] == "supergroup" and grp["message"]["forward_origin"]["type"] == "hidden_user"
    cb = callback_update(5, msg, "yes")
    assert cb["callback_query"]["data"] == "yes" and cb["callback_query"]["message"] is msg
    Message.model_validate(msg)  # aiogram accepts what we build


async def test_long_poll_returns_pushed_update_and_offset_confirms(bot, api):
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    uid = api.push_update(message_update(1, "hello"))
    updates = await poll
    assert time.monotonic() - started < 2
    assert [u.update_id for u in updates] == [uid] and updates[0].message.text == "hello"
    assert api.confirmed == uid - 1
    again = await bot.get_updates(timeout=0)  # not confirmed yet → redelivered
    assert [u.update_id for u in again] == [uid]
    assert await bot.get_updates(offset=uid + 1, timeout=0) == []
    await api.wait_confirmed(uid, timeout=1)
    assert api.confirmed == uid


async def test_long_poll_times_out_and_limit(bot, api):
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 < time.monotonic() - started < 3
    ids = [api.user_message(1, f"m{i}") for i in range(3)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[2:]  # negative offset forgets older
    await api.wait_confirmed(ids[1], timeout=1)


def build_dispatcher() -> Dispatcher:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("欢迎 <b>值班</b>", parse_mode="HTML", reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="✅ 确认到岗", callback_data="duty:ack"),
                              InlineKeyboardButton(text="取消", callback_data="duty:cancel")]]))

    @router.callback_query(F.data.startswith("duty:"))
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("收到")
        await query.message.edit_text(f"已选择 {query.data}")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def test_dispatcher_polling_start_press_and_wait(bot, api):
    dp = build_dispatcher()
    task = asyncio.create_task(dp.start_polling(bot, handle_as_tasks=False, handle_signals=False,
                                                close_bot_session=False, polling_timeout=5))
    try:
        uid = api.user_message(1001, "/start")
        await api.wait_confirmed(uid, timeout=5)
        menu = api.last_message(1001)
        assert menu["text"] == "欢迎 值班" and menu["message_id"] == 2  # user's /start was message 1
        with pytest.raises(LookupError, match="取消"):  # lists available buttons
            api.press(1001, menu, "不存在")
        uid = api.press(1001, menu, "确认")
        await api.wait_confirmed(uid, timeout=5)
        assert api.last_message(1001)["text"] == "已选择 duty:ack"
        assert "reply_markup" not in api.last_message(1001)
        assert api.unanswered_callbacks() == []
        await api.wait_idle(timeout=5)
        assert [m["text"] for m in api.chat_messages(1001, include_user=True)] == ["/start", "已选择 duty:ack"]
        with pytest.raises(LookupError, match="no inline button"):
            api.press(1001, menu, "取消")  # keyboard is gone after the edit
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(task, 5)
    assert not api.violations


async def test_second_poller_conflicts(bot, api):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first
    assert await second == []


async def start_receiver(status_codes: list[int], seen: list, reply: dict | None = None):
    async def handle(request: web.Request) -> web.Response:
        seen.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        status = status_codes.pop(0) if status_codes else 200
        return web.json_response(reply or {}, status=status)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"


async def test_webhook_mode(bot, api):
    seen: list = []
    runner, url = await start_receiver([500], seen)
    try:
        assert await bot.set_webhook(url, secret_token="s3cret")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        uid = api.user_message(77, "via webhook")
        await api.wait_confirmed(uid, timeout=5)
        assert [s[0] for s in seen] == ["s3cret", "s3cret"]  # first attempt got 500, retried
        assert seen[-1][1]["update_id"] == uid and seen[-1][1]["message"]["text"] == "via webhook"
        assert [d.status for d in api.webhook_deliveries] == [500, 200]
        assert (await bot.get_webhook_info()).url == url
        assert await bot.delete_webhook()
        uid2 = api.user_message(77, "via polling")
        assert [u.update_id for u in await bot.get_updates(timeout=1)] == [uid2]
        assert len(seen) == 2
    finally:
        await runner.cleanup()


async def test_webhook_reply_method_is_executed(bot, api):
    seen: list = []
    runner, url = await start_receiver([], seen, reply={"method": "sendMessage", "chat_id": 78, "text": "pong"})
    try:
        await bot.set_webhook(url)
        await api.wait_confirmed(api.user_message(78, "ping"), timeout=5)
        assert seen[0][0] is None  # no secret configured → no header
        rec = api.sent("sendMessage", chat_id=78)[0]
        assert rec.source == "webhook-reply" and api.last_message(78)["text"] == "pong"
    finally:
        await runner.cleanup()


async def test_webhook_gives_up_after_retries(bot, api):
    api.webhook_retries, api.webhook_backoff = 1, 0.01
    runner, url = await start_receiver([502, 502], [])
    try:
        await bot.set_webhook(url)
        uid = api.user_message(79, "lost")
        with pytest.raises(RuntimeError, match="webhook delivery failed"):
            await api.wait_confirmed(uid, timeout=5)
    finally:
        await runner.cleanup()


async def test_allowed_updates_filter_drops(bot, api):
    uid = api.push_update({"message_reaction": {"chat": {"id": 1, "type": "private"}, "message_id": 1,
                                                "date": 0, "old_reaction": [], "new_reaction": []}})
    assert await bot.get_updates(timeout=0) == []
    with pytest.raises(RuntimeError, match="allowed_updates"):
        await api.wait_confirmed(uid, timeout=1)


async def test_control_endpoints(api):
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{api.base_url}/_fake/updates", json=message_update(3, "remote")) as r:
            uid = (await r.json())["result"]
        async with s.post(f"{api.base_url}/_fake/user_message", json={"user_id": 3, "text": "two"}) as r:
            assert (await r.json())["result"] == uid + 1
        async with s.post(f"{api.base_url}/_fake/inject", json={"method": "sendMessage", "kind": "blocked"}) as r:
            assert (await r.json())["ok"]
        async with s.get(f"{api.base_url}/bot{TOKEN}/getUpdates", params={"offset": str(uid + 1)}) as r:
            assert [u["message"]["text"] for u in (await r.json())["result"]] == ["two"]
        async with s.get(f"{api.base_url}/_fake/confirmed") as r:
            assert (await r.json())["confirmed"] == uid
        async with s.post(f"{api.base_url}/bot{TOKEN}/sendMessage", data={"chat_id": "3", "text": "x"}) as r:
            assert r.status == 403
        async with s.get(f"{api.base_url}/_fake/calls", params={"method": "sendMessage"}) as r:
            calls = await r.json()
            assert calls[0]["params"]["text"] == "x" and calls[0]["fault"] == "blocked"
        async with s.get(f"{api.base_url}/_fake/chats/3/messages", params={"include_user": "1"}) as r:
            assert [m["text"] for m in await r.json()] == ["remote", "two"]
        async with s.post(f"{api.base_url}/_fake/press", json={"user_id": 3, "message": 1, "button": "x"}) as r:
            assert r.status == 400 and "LookupError" in (await r.json())["description"]


async def test_standalone_process():
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.fakeapi", "--port", "0",
                                                stdout=asyncio.subprocess.PIPE)
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        base = line.strip().rsplit(" ", 1)[-1]
        assert base.startswith("http://127.0.0.1:")
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
        try:
            assert (await bot.send_message(1, "hi")).text == "hi"
        finally:
            await bot.session.close()
    finally:
        proc.terminate()
        await proc.wait()


async def test_webhook_with_aiogram_request_handler(bot, api):
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler

    router = Router()

    @router.message(F.text == "ping")
    async def ping(message: Message):
        return message.answer("pong")  # returned method → sent back in the webhook response (multipart)

    dp = Dispatcher()
    dp.include_router(router)
    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token="t0k", handle_in_background=False).register(app, path="/wh")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/wh", secret_token="t0k")
        await api.wait_confirmed(api.user_message(80, "ping"), timeout=5)
        assert api.last_message(80)["text"] == "pong"
        assert api.sent("sendMessage", chat_id=80)[0].source == "webhook-reply"
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/wh", secret_token="wrong")
        uid = api.user_message(80, "ping")
        api.webhook_backoff = 0.01
        with pytest.raises(RuntimeError, match="webhook delivery failed"):
            await api.wait_confirmed(uid, timeout=5)
        assert api.webhook_deliveries[-1].status == 401
    finally:
        await runner.cleanup()
    assert not api.violations
