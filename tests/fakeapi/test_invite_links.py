"""createChatInviteLink in the fake Bot API, as Telegram answers it: refused without the right to invite users,
a link with the fields asked for when the bot may, the documented limits enforced."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest

GROUP = -1001000000001


async def test_refused_unless_the_bot_is_an_admin_allowed_to_invite(bot, api) -> None:  # noqa: ANN001
    api.add_bot_to_group(GROUP, 2001, "舆情办公室群", "supergroup")
    with pytest.raises(TelegramBadRequest, match="not enough rights to manage chat invite links"):
        await bot.create_chat_invite_link(GROUP, member_limit=1)
    # an administrator without can_invite_users: refused as well
    api.chat_members[(GROUP, 123456)] = {"status": "administrator", "user": {"id": 123456, "is_bot": True,
                                                                              "first_name": "bot"},
                                         "can_invite_users": False}
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.create_chat_invite_link(GROUP, member_limit=1)
    assert api.invite_links == [] and not api.violations  # Telegram's refusal, not a misuse of the API


async def test_an_admin_bot_gets_a_one_use_link(bot, api) -> None:  # noqa: ANN001
    api.add_bot_to_group(GROUP, 2001, "舆情办公室群", "supergroup", admin=True)
    link = await bot.create_chat_invite_link(GROUP, name="YQ-2026-0001", member_limit=1)
    assert link.invite_link.startswith("https://t.me/+") and link.member_limit == 1 and link.name == "YQ-2026-0001"
    assert link.creator.is_bot and not link.is_primary and not link.is_revoked
    other = await bot.create_chat_invite_link(GROUP, member_limit=1)
    assert other.invite_link != link.invite_link
    assert [c for c, _ in api.invite_links] == [GROUP, GROUP]


async def test_the_documented_limits_are_violations(bot, api) -> None:  # noqa: ANN001
    api.add_bot_to_group(GROUP, 2001, "舆情办公室群", "supergroup", admin=True)
    with pytest.raises(TelegramBadRequest):
        await bot.create_chat_invite_link(GROUP, member_limit=0)
    with pytest.raises(TelegramBadRequest):
        await bot.create_chat_invite_link(GROUP, name="x" * 33)
    with pytest.raises(TelegramBadRequest):
        await bot.create_chat_invite_link(GROUP, member_limit=1, creates_join_request=True)
    assert len(api.violations) == 3
    api.violations.clear()  # the `api` fixture checks none are left
