"""FakeBotAPI: recording, validation, files, faults and rate limits — through the real aiogram Bot."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.fakeapi import FakeBotAPI, RateLimits

TOKEN = "123456:TEST"


def kb(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(buttons)])


async def test_get_me_uses_token_prefix(bot, api):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "onduty_test_bot")


async def test_send_message_recorded_and_parsed(bot, api):
    msg = await bot.send_message(42, "<b>值班</b> 提醒", parse_mode="HTML",
                                 reply_markup=kb(InlineKeyboardButton(text="OK", callback_data="ok")))
    assert isinstance(msg, Message)
    assert (msg.chat.id, msg.message_id, msg.text) == (42, 1, "值班 提醒")
    assert msg.entities[0].type == "bold" and msg.entities[0].length == 2
    assert msg.from_user.id == 123456
    rec = api.sent("sendMessage", chat_id=42)[0]
    assert rec.params["chat_id"] == 42 and rec.params["parse_mode"] == "HTML"
    assert rec.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok"
    assert rec.ok and rec.taken and rec.wall > 0 and rec.finished >= rec.monotonic
    assert api.chat_messages(42)[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "OK"
    assert (await bot.send_message(42, "second")).message_id == 2
    assert not api.violations


async def test_text_limit(bot, api):
    await bot.send_message(1, "x" * 4096)
    await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")  # counted after parsing
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(1, "x" * 4097)
    assert len(api.violations) == 1 and "too long" in api.violations[0].description
    assert len(api.sent(chat_id=1)) == 2 and len(api.refused(chat_id=1)) == 1


async def test_caption_limit_and_bad_html(bot, api):
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_document(1, BufferedInputFile(b"x", "a.txt"), caption="c" * 1025)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, "a <br> b", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, "<b>unclosed", parse_mode="HTML")
    assert len(api.violations) == 3


async def test_unknown_field_and_method_refused(api):
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{api.base_url}/bot{TOKEN}/sendMessage",
                          data={"chat_id": "1", "text": "hi", "colour": "red"}) as r:
            body = await r.json()
            assert r.status == 400 and not body["ok"] and "colour" in body["description"]
        async with s.get(f"{api.base_url}/bot{TOKEN}/SENDMESSAGE", params={"chat_id": "1", "text": "hi"}) as r:
            assert r.status == 200 and (await r.json())["result"]["text"] == "hi"  # case-insensitive
        async with s.post(f"{api.base_url}/bot{TOKEN}/sendMesage", json={"chat_id": 1}) as r:
            assert r.status == 404
        async with s.post(f"{api.base_url}/bot{TOKEN}/sendMessage", json={"chat_id": 1}) as r:
            assert (await r.json())["description"] == "Bad Request: message text is empty"
    assert [v.method for v in api.violations] == ["sendMessage", "sendMesage", "sendMessage"]


async def test_callback_data_limits(bot, api):
    await bot.send_message(1, "ok", reply_markup=kb(InlineKeyboardButton(text="a", callback_data="审" * 21)))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "x", reply_markup=kb(InlineKeyboardButton(text="a", callback_data="x" * 65)))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):  # 22 × 3 bytes = 66 bytes
        await bot.send_message(1, "x", reply_markup=kb(InlineKeyboardButton(text="a", callback_data="审" * 22)))
    with pytest.raises(TelegramBadRequest, match="exactly one"):
        await bot.send_message(1, "x", reply_markup=kb(
            InlineKeyboardButton(text="a", callback_data="x", url="https://example.org")))
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(1, "x", reply_markup={"inline_keyboard": [[{"text": "a"}]]})
    assert len(api.violations) == 4


async def test_answer_callback_text_limit(bot, api):
    api.push_update({"callback_query": {"id": "q1", "from": {"id": 1, "is_bot": False, "first_name": "U"},
                                        "chat_instance": "c", "data": "x"}})
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query("q1", text="t" * 201)
    assert api.unanswered_callbacks() == ["q1"]
    assert await bot.answer_callback_query("q1", text="t" * 200)
    assert api.unanswered_callbacks() == []
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("nope")
    assert len(api.violations) == 1  # a stale query id is a runtime error, not a violation


async def test_edits_and_deletes_update_chat_view(bot, api):
    m = await bot.send_message(7, "v1", reply_markup=kb(InlineKeyboardButton(text="A", callback_data="a")))
    edited = await bot.edit_message_text("v2", chat_id=7, message_id=m.message_id,
                                         reply_markup=kb(InlineKeyboardButton(text="B", callback_data="b")))
    assert edited.text == "v2" and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("v2", chat_id=7, message_id=m.message_id,
                                    reply_markup=kb(InlineKeyboardButton(text="B", callback_data="b")))
    await bot.edit_message_reply_markup(chat_id=7, message_id=m.message_id)
    view = api.chat_messages(7)
    assert len(view) == 1 and view[0]["text"] == "v2" and "reply_markup" not in view[0]
    doc = await bot.send_document(7, BufferedInputFile(b"1", "r.csv"), caption="old")
    await bot.edit_message_caption(chat_id=7, message_id=doc.message_id, caption="new")
    assert api.last_message(7)["caption"] == "new"
    assert await bot.delete_message(7, m.message_id)
    assert [x["message_id"] for x in api.chat_messages(7)] == [doc.message_id]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("v3", chat_id=7, message_id=m.message_id)
    assert not api.violations


async def test_files_roundtrip(bot, api):
    f = api.add_file(b"%PDF-1.4 fake", kind="document", file_name="report.pdf", mime_type="application/pdf")
    assert f["file_size"] == 13 and f["file_path"].endswith(".pdf")
    info = await bot.get_file(f["file_id"])
    assert info.file_path == f["file_path"]
    assert (await bot.download(f["file_id"])).read() == b"%PDF-1.4 fake"
    photo = api.add_file(b"\x89PNG", kind="photo")
    assert (await bot.download(photo["file_id"])).read() == b"\x89PNG"
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_bot_uploads_are_stored(bot, api):
    sent = await bot.send_document(5, BufferedInputFile("日报,1\n".encode(), "daily.csv"), caption="日报")
    assert sent.document.file_name == "daily.csv" and sent.document.mime_type == "text/csv"
    up = api.uploaded_files[0]
    assert (up.name, up.content, up.file_id) == ("daily.csv", "日报,1\n".encode(), sent.document.file_id)
    rec = api.sent("sendDocument")[0]
    assert [f.content for f in rec.files.values()] == [up.content]
    photo = await bot.send_photo(5, BufferedInputFile(b"img", "p.jpg"))
    assert photo.photo[-1].file_id == api.uploaded_files[1].file_id
    assert (await bot.download(photo.photo[-1].file_id)).read() == b"img"
    await bot.send_photo(5, photo.photo[-1].file_id, caption="again")  # re-send by file_id
    assert not api.violations


async def test_injected_429_then_success(bot, api):
    api.inject("sendMessage", "429", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as err:
        await bot.send_message(1, "hello")
    assert err.value.retry_after == 7
    await bot.send_message(1, "hello")
    assert len(api.sent(contains="hello")) == 1 and len(api.refused(contains="hello")) == 1


async def test_injected_error_kinds(bot, api):
    api.inject("sendMessage", "blocked", chat_id=2)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(2, "x")
    api.inject("sendMessage", "502")
    with pytest.raises(TelegramServerError):
        await bot.send_message(3, "x")
    api.inject("sendMessage", "chat_not_found", times=2)
    for _ in range(2):
        with pytest.raises(TelegramBadRequest, match="chat not found"):
            await bot.send_message(3, "x")
    await bot.send_message(3, "x")
    assert len(api.sent()) == 1 and len(api.refused()) == 4 and not api.violations


async def test_timeout_and_disconnect_faults_count_as_taken(bot, api):
    api.inject("sendMessage", "timeout", delay=1.5)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(9, "slow", request_timeout=1)
    api.inject("sendMessage", "disconnect")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(9, "dropped")
    taken = api.sent(chat_id=9)
    assert [r.fault for r in taken] == ["timeout", "disconnect"]
    assert [m["text"] for m in api.chat_messages(9)] == ["slow", "dropped"]


async def test_rate_limit_private_chat():
    api = FakeBotAPI(enforce_limits=True)
    await api.start()
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    try:
        for _ in range(api.limiter.limits.private_burst):
            await bot.send_message(11, "burst")
        with pytest.raises(TelegramRetryAfter) as err:
            await bot.send_message(11, "too fast")
        assert err.value.retry_after >= 1 and api.rate_limited == 1
        await bot.send_message(12, "other chat is fine")
    finally:
        await bot.session.close()
        await api.stop()


async def test_rate_limit_group_per_minute():
    api = FakeBotAPI(enforce_limits=True, limits=RateLimits(group_per_minute=2))
    await api.start()
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    try:
        await bot.send_message(-100123, "1")
        await bot.send_message(-100123, "2")
        with pytest.raises(TelegramRetryAfter) as err:
            await bot.send_message(-100123, "3")
        assert 50 <= err.value.retry_after <= 60
        assert api.rate_limited == 1 and len(api.sent(chat_id=-100123)) == 2
    finally:
        await bot.session.close()
        await api.stop()


async def test_media_group_edit_media_copy_forward(bot, api):
    from aiogram.types import InputMediaDocument, InputMediaPhoto

    msgs = await bot.send_media_group(4, [InputMediaPhoto(media=BufferedInputFile(b"a", "a.jpg"), caption="A"),
                                          InputMediaPhoto(media=BufferedInputFile(b"b", "b.jpg"))])
    assert [m.message_id for m in msgs] == [1, 2] and msgs[0].media_group_id == msgs[1].media_group_id
    assert [u.content for u in api.uploaded_files] == [b"a", b"b"]
    doc = await bot.send_document(4, BufferedInputFile(b"v1", "v1.txt"))
    edited = await bot.edit_message_media(InputMediaDocument(media=BufferedInputFile(b"v2", "v2.txt"), caption="v2"),
                                          chat_id=4, message_id=doc.message_id)
    assert edited.document.file_name == "v2.txt" and edited.caption == "v2"
    assert (await bot.download(edited.document.file_id)).read() == b"v2"
    copied = await bot.copy_message(5, 4, doc.message_id)
    assert api.message(5, copied.message_id)["document"]["file_name"] == "v2.txt"
    fwd = await bot.forward_message(5, 4, msgs[0].message_id)
    assert fwd.forward_origin.type == "user" and fwd.caption == "A"
    assert len(api.sent(chat_id=5)) == 2 and not api.violations


async def test_generic_methods_and_commands(bot, api):
    from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

    cmds = [BotCommand(command="start", description="开始")]
    assert await bot.set_my_commands(cmds, scope=BotCommandScopeAllPrivateChats(), language_code="zh")
    got = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="zh")
    assert [(c.command, c.description) for c in got] == [("start", "开始")]
    assert await bot.get_my_commands() == []
    assert await bot.send_chat_action(1, "typing") is True
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    chat = await bot.get_chat(-100500)
    assert chat.type == "supergroup"
    assert (await bot.get_chat_member(-100500, 9)).status == "left"  # never wrote there nor was added
    api.add_member(-100500, 9)
    member = await bot.get_chat_member(-100500, 9)
    assert member.status == "member" and member.user.id == 9
    assert (await bot.send_location(1, 31.2, 121.5)).location.latitude == 31.2
    assert not api.violations


async def test_user_messages_share_ids_and_carry_files(bot, api):
    photo = api.add_file(b"jpeg-bytes", kind="photo")
    doc = api.add_file(b"pdf", kind="document", file_name="a.pdf", mime_type="application/pdf")
    api.user_message(8, caption="截图", photo=photo)
    await bot.send_message(8, "收到")
    api.user_message(8, document=doc, chat_id=-100900, chat_title="舆情群", chat_type="supergroup")
    api.user_message(9, "群里第二条", chat_id=-100900)
    updates = await bot.get_updates()
    m1, m2, m3 = (u.message for u in updates)
    assert m1.message_id == 1 and m1.photo[-1].file_id == photo["file_id"] and m1.caption == "截图"
    assert [m["message_id"] for m in api.chat_messages(8, include_user=True)] == [1, 2]
    assert m2.chat.title == "舆情群" and m2.document.file_name == "a.pdf" and (m2.message_id, m3.message_id) == (1, 2)
    assert m3.chat.type == "supergroup"
    assert (await bot.download(m1.photo[0].file_id)).read() == b"jpeg-bytes"
    assert (await bot.send_message(-100900, "ok")).message_id == 3
