"""FakeBotAPI behaves as Telegram does with private chats, blocking, groups, privacy mode, migration and command
menus — checked through real HTTP with aiogram's Bot."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeChatMember,
    BufferedInputFile,
)

from bot.fakeapi import FakeBotAPI

TOKEN = "123456:TEST"


async def test_strict_mode_refuses_a_user_who_never_opened_the_bot(bot, api):
    api.set_strict()
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation with a user"):
        await bot.send_message(3002, "你好")
    with pytest.raises(TelegramForbiddenError, match="can't initiate"):
        await bot.send_document(3002, BufferedInputFile(b"x", "a.txt"))
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(3002)
    rec = api.refused("sendMessage", 3002)[0]
    assert (rec.error_code, rec.description) == (403, "Forbidden: bot can't initiate conversation with a user")
    async with aiohttp.ClientSession() as s, s.post(f"{api.base_url}/bot{TOKEN}/sendMessage",
                                                    json={"chat_id": 3002, "text": "hi"}) as r:
        assert r.status == 403
        assert await r.json() == {"ok": False, "error_code": 403,
                                  "description": "Forbidden: bot can't initiate conversation with a user"}
    assert await bot.send_message(-100500, "groups are not private chats")
    assert not api.violations  # a refusal is Telegram's answer, not the bot's mistake


async def test_a_private_message_opens_the_chat(bot, api):
    api.set_strict()
    api.user_message(3002, "/start")
    assert api.is_opened(3002)
    assert (await bot.send_message(3002, "欢迎")).text == "欢迎"
    api.mark_opened(3003)
    assert await bot.send_message(3003, "hi")
    assert not api.is_opened(3004)
    api.user_message(3004, "in a group", chat_id=-100500)  # writing in a group does not open the private chat
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(3004, "hi")


async def test_pressing_a_button_in_the_private_chat_opens_it(bot, api):
    msg = await bot.send_message(7, "ok?", reply_markup={"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]})
    api.set_strict()
    api.mark_unopened(7)
    api.press(7, msg.message_id, "OK")
    assert await bot.send_message(7, "thanks")


async def test_lenient_mode_refuses_only_users_marked_unopened(bot, api):
    assert not api.strict
    assert await bot.send_message(1, "anyone counts as having opened the bot")
    api.mark_unopened(3002)
    with pytest.raises(TelegramForbiddenError, match="can't initiate"):
        await bot.send_message(3002, "hi")
    sent = await bot.send_message(1, "to edit")
    api.mark_unopened(1)
    with pytest.raises(TelegramForbiddenError):
        await bot.edit_message_text("edited", chat_id=1, message_id=sent.message_id)
    api.user_message(3002, "/start")
    assert await bot.send_message(3002, "now it works")


async def test_strict_flag_of_the_constructor():
    async with FakeBotAPI(strict=True) as fake:
        assert fake.strict and not fake.is_opened(5)


async def test_block_and_unblock_push_my_chat_member(bot, api):
    api.user_message(3002, "/start", first_name="刘书记")
    uid = api.block(3002)
    updates = await bot.get_updates(offset=uid)
    event = updates[0].my_chat_member
    assert (event.chat.id, event.chat.type, event.from_user.id, event.from_user.first_name) == (
        3002, "private", 3002, "刘书记")
    assert (event.old_chat_member.status, event.new_chat_member.status) == ("member", "kicked")
    assert event.new_chat_member.user.id == 123456 and event.new_chat_member.user.is_bot
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(3002, "还在吗")
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_photo(3002, BufferedInputFile(b"x", "a.jpg"))
    uid = api.unblock(3002)
    event = (await bot.get_updates(offset=uid))[0].my_chat_member
    assert (event.old_chat_member.status, event.new_chat_member.status) == ("kicked", "member")
    assert await bot.send_message(3002, "欢迎回来")
    assert not api.violations


async def test_bot_added_to_and_removed_from_a_group(bot, api):
    uid = api.add_bot_to_group(-100777, 1001, "舆情办公室群", type="supergroup")
    event = (await bot.get_updates(offset=uid))[0].my_chat_member
    assert (event.chat.id, event.chat.type, event.chat.title, event.from_user.id) == (
        -100777, "supergroup", "舆情办公室群", 1001)
    assert (event.old_chat_member.status, event.new_chat_member.status) == ("left", "member")
    assert await bot.send_message(-100777, "大家好")
    uid = api.remove_bot_from_group(-100777, 1001)
    event = (await bot.get_updates(offset=uid))[0].my_chat_member
    assert (event.old_chat_member.status, event.new_chat_member.status) == ("member", "kicked")
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the supergroup chat"):
        await bot.send_message(-100777, "还在吗")
    uid = api.add_bot_to_group(-4001, 1001, "小群", type="group")
    event = (await bot.get_updates(offset=uid))[0].my_chat_member
    assert event.chat.type == "group"
    api.remove_bot_from_group(-4001, 1001)
    with pytest.raises(TelegramForbiddenError) as e:
        await bot.send_message(-4001, "x")
    assert e.value.message == "Forbidden: bot was kicked from the group chat"
    api.add_bot_to_group(-4001, 1001)
    assert await bot.send_message(-4001, "back")


async def test_get_chat_member_statuses_and_administrators(bot, api):
    api.add_bot_to_group(-100777, 1001, "群")
    api.set_admin(-100777, 1001, creator=True)
    api.set_admin(-100777, 1002)
    api.group_message(-100777, 1003, "hello")
    assert (await bot.get_chat_member(-100777, 1001)).status == "creator"
    admin = await bot.get_chat_member(-100777, 1002)
    assert admin.status == "administrator" and admin.can_manage_chat
    assert (await bot.get_chat_member(-100777, 1003)).status == "member"
    assert (await bot.get_chat_member(-100777, 1004)).status == "left"
    assert (await bot.get_chat_member(-100777, 123456)).status == "member"  # the bot itself
    admins = await bot.get_chat_administrators(-100777)
    assert sorted((m.user.id, m.status) for m in admins) == [(1001, "creator"), (1002, "administrator")]
    api.set_admin(-100777, 1002, False)
    assert (await bot.get_chat_member(-100777, 1002)).status == "member"
    api.set_admin(-100777, 123456)  # the bot as administrator
    assert (await bot.get_chat_member(-100777, 123456)).status == "administrator"
    assert len(await bot.get_chat_administrators(-100777)) == 2
    assert not api.violations


async def test_privacy_mode_delivers_commands_replies_and_service_messages_only(bot, api):
    me = await bot.get_me()
    assert me.username == "onduty_test_bot"  # stable: deep links are https://t.me/onduty_test_bot?start=…
    api.add_bot_to_group(-100777, 1001, "群")
    await bot.get_updates(offset=api._next_update_id)  # confirm the my_chat_member
    assert api.group_message(-100777, 1001, "大家好") is None
    delivered = [api.group_message(-100777, 1001, "/bind"), api.group_message(-100777, 1001, "/bind 2 3"),
                 api.group_message(-100777, 1001, "/bind@onduty_test_bot")]
    assert api.group_message(-100777, 1001, "/bind@other_bot") is None
    bot_msg = await bot.send_message(-100777, "请回复本消息")
    delivered.append(api.group_message(-100777, 1002, "回复给机器人", reply_to=bot_msg.message_id))
    other = [m for m in api.chat_messages(-100777, include_user=True) if m.get("text") == "大家好"][0]
    assert api.group_message(-100777, 1002, "reply to a person", reply_to=other) is None
    assert all(delivered)
    updates = await bot.get_updates()
    texts = [u.message.text for u in updates]
    assert texts == ["/bind", "/bind 2 3", "/bind@onduty_test_bot", "回复给机器人"]
    assert updates[-1].message.reply_to_message.from_user.id == 123456
    assert [m["text"] for m in api.unseen] == ["大家好", "/bind@other_bot", "reply to a person"]
    history = [m.get("text") for m in api.chat_messages(-100777, include_user=True)]
    assert "大家好" in history and "reply to a person" in history  # the chat has them; the bot never saw them
    assert (await bot.get_chat_member(-100777, 1002)).status == "member"
    api.set_admin(-100777, 123456)  # an administrator bot sees everything
    assert api.group_message(-100777, 1001, "now seen") is not None
    api.privacy_mode = False
    assert api.group_message(-100888, 1001, "no privacy mode") is not None
    api.remove_bot_from_group(-100888, 1001)
    assert api.group_message(-100888, 1001, "/bind") is None  # not in the group any more


async def test_migration_answers_400_with_the_new_chat_id(bot, api):
    api.add_bot_to_group(-4001, 1001, "小群", type="group")
    api.set_admin(-4001, 1001, creator=True)
    await bot.send_message(-4001, "before")
    first, second = api.migrate_group(-4001, -1004001)
    updates = await bot.get_updates(offset=first)
    old, new = updates[0].message, updates[1].message
    assert (old.chat.id, old.migrate_to_chat_id, old.from_user.id) == (-4001, -1004001, 1001)
    assert (new.chat.id, new.chat.type, new.chat.title, new.migrate_from_chat_id) == (
        -1004001, "supergroup", "小群", -4001)
    with pytest.raises(TelegramMigrateToChat) as e:
        await bot.send_message(-4001, "after")
    assert e.value.migrate_to_chat_id == -1004001
    assert "Bad Request: group chat was upgraded to a supergroup chat" in e.value.message
    async with aiohttp.ClientSession() as s, s.post(f"{api.base_url}/bot{TOKEN}/sendMessage",
                                                    json={"chat_id": -4001, "text": "x"}) as r:
        assert r.status == 400 and (await r.json())["parameters"] == {"migrate_to_chat_id": -1004001}
    assert (await bot.send_message(-1004001, "after")).chat.id == -1004001
    assert (await bot.get_chat_member(-1004001, 1001)).status == "creator"
    assert not api.violations


async def test_my_commands_recorded_per_scope_and_language(bot, api):
    zh = [BotCommand(command="report", description="报送")]
    en = [BotCommand(command="report", description="Report")]
    admin = [BotCommand(command="bind", description="绑定本群")]
    await bot.set_my_commands(zh, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(en, scope=BotCommandScopeAllPrivateChats(), language_code="en")
    await bot.set_my_commands(admin, scope=BotCommandScopeChatAdministrators(chat_id=-100777))
    assert api.my_commands({"type": "all_private_chats"}, "en") == [{"command": "report", "description": "Report"}]
    assert api.my_commands({"type": "chat_administrators", "chat_id": -100777})[0]["command"] == "bind"
    assert api.my_commands({"type": "default"}) is None
    assert [c.description for c in await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(),
                                                              language_code="en")] == ["Report"]
    api.user_message(1001, "hi", language_code="en")
    assert api.menu(1001) == ([{"command": "report", "description": "Report"}], "all_private_chats/en")
    assert api.menu(1002, language_code="zh")[1] == "all_private_chats"
    api.set_admin(-100777, 1001)
    assert api.menu(1001, -100777)[1] == "chat_administrators"
    assert api.menu(1003, -100777) == ([], "none")
    await bot.set_my_commands(zh, scope=BotCommandScopeChat(chat_id=1001))
    assert api.menu(1001)[1] == "chat"  # no Chat+en list: the Chat list wins over AllPrivateChats+en
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=1001))
    assert api.menu(1001)[1] == "all_private_chats/en"
    assert not api.violations


async def test_chat_scoped_commands_for_an_unopened_private_chat_are_chat_not_found(bot, api):
    cmds = [BotCommand(command="start", description="开始")]
    api.mark_unopened(3002)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.set_my_commands(cmds, scope=BotCommandScopeChat(chat_id=3002))
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=3002))
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.set_my_commands(cmds, scope=BotCommandScopeChatMember(chat_id=3002, user_id=3002))
    api.user_message(3002, "/start")
    assert await bot.set_my_commands(cmds, scope=BotCommandScopeChat(chat_id=3002))
    assert api.menu(3002)[1] == "chat"
    assert not api.violations


async def test_control_endpoint_for_the_helpers(api):
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{api.base_url}/_fake/do/set_strict", json={"on": True}) as r:
            assert (await r.json())["ok"]
        async with s.post(f"{api.base_url}/_fake/do/block", json={"user_id": 5}) as r:
            assert isinstance((await r.json())["result"], int)
        async with s.post(f"{api.base_url}/_fake/do/group_message",
                          json={"chat_id": -100777, "user_id": 5, "text": "plain"}) as r:
            assert (await r.json()) == {"ok": True, "result": None}
        async with s.post(f"{api.base_url}/_fake/do/reset_everything", json={}) as r:
            assert r.status == 404
    assert api.strict and api.is_blocked(5)
