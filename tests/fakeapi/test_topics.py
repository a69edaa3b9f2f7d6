"""FakeBotAPI's forum topics behave as Telegram's: createForumTopic only in a forum supergroup and only for a bot
that may manage topics, closeForumTopic, `message_thread_id` on sends, a deleted topic refusing sends — checked
through real HTTP with aiogram's Bot."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram.exceptions import TelegramBadRequest

GROUP = -1001000000077
TOKEN = "123456:TEST"


async def test_a_topic_needs_a_forum_and_the_right_to_manage_topics(bot, api):  # noqa: ANN001
    api.add_bot_to_group(GROUP, 2001, "舆情办公室", "supergroup")
    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await bot.create_forum_topic(GROUP, "YQ-2026-0001 食堂")
    api.make_forum(GROUP)
    with pytest.raises(TelegramBadRequest, match="not enough rights to create a topic"):
        await bot.create_forum_topic(GROUP, "YQ-2026-0001 食堂")
    api.set_admin(GROUP, api.bot_id)  # an administrator, but without can_manage_topics
    with pytest.raises(TelegramBadRequest, match="not enough rights to create a topic"):
        await bot.create_forum_topic(GROUP, "YQ-2026-0001 食堂")
    member = await bot.get_chat_member(GROUP, api.bot_id)
    assert member.status == "administrator" and member.can_manage_topics is False
    api.grant_topics(GROUP)
    assert (await bot.get_chat_member(GROUP, api.bot_id)).can_manage_topics is True
    assert (await bot.get_chat(GROUP)).is_forum is True
    topic = await bot.create_forum_topic(GROUP, "YQ-2026-0001 食堂")
    assert topic.name == "YQ-2026-0001 食堂" and topic.message_thread_id > 0
    assert api.topic(GROUP, topic.message_thread_id)["closed"] is False
    refusals = [c.description for c in api.calls if c.method == "createForumTopic" and not c.ok]
    assert refusals == ["Bad Request: the chat is not a forum"] + ["Bad Request: not enough rights to create a topic"] * 2
    assert not api.violations  # refusals are Telegram's answers, not the bot's mistakes


async def test_the_name_is_1_to_128_characters(bot, api):  # noqa: ANN001
    api.make_forum(GROUP)
    api.grant_topics(GROUP)
    assert (await bot.create_forum_topic(GROUP, "x" * 128)).name == "x" * 128
    with pytest.raises(TelegramBadRequest):
        await bot.create_forum_topic(GROUP, "x" * 129)
    assert api.violations and "1-128" in api.violations[-1].description
    api.violations.clear()
    async with aiohttp.ClientSession() as s, s.post(f"{api.base_url}/bot{TOKEN}/createForumTopic",
                                                    json={"chat_id": GROUP, "name": ""}) as r:
        assert r.status == 400
    api.violations.clear()


async def test_sends_into_a_topic_and_general_and_a_deleted_topic_refuses(bot, api):  # noqa: ANN001
    api.make_forum(GROUP)
    api.grant_topics(GROUP)
    thread = (await bot.create_forum_topic(GROUP, "YQ-2026-0001")).message_thread_id
    inside = await bot.send_message(GROUP, "卡片", message_thread_id=thread)
    assert inside.message_thread_id == thread and inside.is_topic_message is True and inside.chat.is_forum
    general = await bot.send_message(GROUP, "指引")
    assert general.message_thread_id is None
    assert [m["text"] for m in api.topic_messages(GROUP, thread) if "text" in m] == ["卡片"]
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "x", message_thread_id=thread + 100)
    api.group_message(GROUP, 2001, "/decide 统一口径", message_thread_id=thread)
    typed = api.pushed[-1]["message"]
    assert typed["message_thread_id"] == thread and typed["is_topic_message"] is True
    api.delete_topic(GROUP, thread)
    assert api.topic_messages(GROUP, thread) == []
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(GROUP, "更新", message_thread_id=thread)
    assert not api.violations


async def test_close_a_topic(bot, api):  # noqa: ANN001
    api.make_forum(GROUP)
    api.grant_topics(GROUP)
    thread = (await bot.create_forum_topic(GROUP, "YQ-2026-0001")).message_thread_id
    assert await bot.close_forum_topic(GROUP, thread) is True
    assert api.topic(GROUP, thread)["closed"] is True
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(GROUP, thread)
    with pytest.raises(TelegramBadRequest, match="TOPIC_ID_INVALID"):
        await bot.close_forum_topic(GROUP, thread + 50)
    api.grant_topics(GROUP, on=False)  # the bot created it: it may still close its own topic
    other = -1001000000078
    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await bot.close_forum_topic(other, 1)
    assert not api.violations
