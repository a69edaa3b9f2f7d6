"""The office works in its group: commands answered there by role, refusals naming the command and why, the
report dialog kept private behind a button, /cmd@bot, silence for chatter and other bots' commands — through the
real dispatcher and the fake Bot API."""

from __future__ import annotations

import re

import pytest
from aiogram.filters import CommandObject

from bot.demo.harness import BotProcess
from bot.services.dto import PersonDTO
from handlers.groups import verdict_for
from tests.bot.chat import Chat
from tests.bot.test_report_flow import TEMPLATE

OFFICE, UPPER, OTHER = -1001000000001, -1001000000002, -100555
BOT = "onduty_test_bot"


def in_group(api, user: int, chat: int = OFFICE, **kw) -> Chat:  # noqa: ANN001
    return Chat(api, user, chat_id=chat, chat_type="supergroup", **kw)


async def _incident(api) -> str:  # noqa: ANN001
    monitor = Chat(api, 1002)
    await monitor.send("/report\n" + TEMPLATE)
    replies = await monitor.press("确认")
    return re.search(r"YQ-\d{4}-\d{4}", "\n".join(replies)).group(0)


def _last_button(api, chat: int) -> dict:  # noqa: ANN001
    msg = api.chat_messages(chat)[-1]
    return msg["reply_markup"]["inline_keyboard"][0][0]


async def test_an_office_member_gets_due_timeline_and_help_answered_in_the_office_group(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api)
    office = in_group(api, 2001)
    due = await office.send(f"/due {number}")
    assert len(due) == 1 and "处置时限" in due[0] and number in due[0]
    # (the timeline's pages still show audit payloads raw, which the raw-text guard refuses: its answers that
    # show no payload stand in for them here)
    assert await office.send("/timeline YQ-2026-0099") == ["未找到事件 YQ-2026-0099。"]
    assert await office.send("/timeline") == ["用法：/timeline YQ-2026-0001"]
    help_text = await office.send("/help")
    assert len(help_text) == 1 and "/grade" in help_text[0] and "/timeline" in help_text[0]
    assert "/invite" in help_text[0]  # 王晓 is also an admin
    # nothing of it went to the private chat
    assert not [m for m in api.chat_messages(2001) if number in (m.get("text") or "")]


async def test_a_monitor_is_refused_office_commands_in_the_office_group_with_the_reason(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api)
    monitor = in_group(api, 1001)
    refused = await monitor.send(f"/timeline {number}")
    assert len(refused) == 1
    assert "/timeline" in refused[0] and "仅限" in refused[0] and "舆情办公室" in refused[0]
    assert "领导" in refused[0] and "管理员" in refused[0] and "监测员" in refused[0]
    refused = await monitor.send(f"/grade {number} 重大 转发激增")
    assert "/grade" in refused[0] and "仅限舆情办公室、领导使用" in refused[0]
    english = in_group(api, 1003, language_code="en")
    refused = await english.send(f"/done {number} publish")
    assert refused == ["/done is for office and leaders only; your role (monitor) may not use it."]
    # a command for everyone registered works for the monitor too
    assert number in (await monitor.send(f"/due {number}"))[0]
    handler = in_group(api, 4001)
    assert "/publish 仅限舆情办公室使用" in (await handler.send(f"/publish {number} 微博 https://x.y/1"))[0]
    # a handler drafts a release only when in charge of it: the gate lets them through, the service decides
    drafted = await handler.send(f"/release {number} 情况说明")
    assert len(drafted) == 1 and "仅限" not in drafted[0]


async def test_report_in_a_group_answers_with_a_button_that_opens_the_private_chat(
        running: BotProcess, api) -> None:  # noqa: ANN001
    group = in_group(api, 1001)
    replies = await group.send("/report")
    assert len(replies) == 1 and "私聊" in replies[0] and "群内不受理报送" in replies[0]
    button = _last_button(api, OFFICE)
    assert button["url"] == f"https://t.me/{BOT}?start=report"
    # /start report in private starts the report dialog as /report does
    private = Chat(api, 1001)
    assert "（1/14）" in (await private.send("/start report"))[-1]


async def test_group_commands_leave_the_private_draft_alone(running: BotProcess, api) -> None:  # noqa: ANN001
    private = Chat(api, 1001)
    await private.send("/report")
    await private.send("今天 08:15")
    group = in_group(api, 1001)
    for command in ("/cancel", "/report", "/my"):
        replies = await group.send(command)
        assert len(replies) == 1 and "私聊" in replies[0], (command, replies)
    assert _last_button(api, OFFICE)["url"] == f"https://t.me/{BOT}?start=my"
    # the draft is still there: /start report offers to continue it, as a second /report would
    replies = await private.send("/start report")
    assert "尚未提交的报送草稿" in replies[-1] and "已填 1 项" in replies[-1]


async def test_commands_addressed_to_the_bot_work_and_chatter_and_other_bots_get_nothing(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api)
    office = in_group(api, 2001)
    assert number in (await office.send(f"/due@{BOT} {number}"))[0]
    assert await office.send(f"/due@some_other_bot {number}") == []
    assert await office.send("大家好，今天谁值班？") == []
    assert await office.send("看这个 https://weibo.com/1/2") == []  # a link in a group starts no report
    assert await office.send("/foo") == []  # a bare unknown command may be another bot's
    assert await office.send(f"/foo@{BOT}") == ["我不认识命令 /foo。发送 /help 查看您可用的命令。"]
    assert "/done" in (await office.send(f"/dne@{BOT} {number}"))[0]  # the closest of what one may use here
    # in private an unknown command is named too
    assert "/foo" in (await Chat(api, 2001).send("/foo"))[0]


async def test_unregistered_people_in_a_group_get_one_sentence_for_commands_and_nothing_else(
        running: BotProcess, api) -> None:  # noqa: ANN001
    stranger = in_group(api, 777)
    replies = await stranger.send("/due")
    assert len(replies) == 1 and "还没有登记" in replies[0]
    assert "还没有登记" in (await stranger.send(f"/foo@{BOT}"))[0]
    assert await stranger.send("/foo") == []
    assert await stranger.send("hello") == []


async def test_the_upper_office_group_gets_help_only(running: BotProcess, api) -> None:  # noqa: ANN001
    upper = in_group(api, 6001, chat=UPPER)  # someone of the upper office, not registered with us
    replies = await upper.send("/help")
    assert len(replies) == 1 and "上级已收到" in replies[0]
    refused = await upper.send("/due")
    assert len(refused) == 1 and "/due" in refused[0] and "只提供 /help" in refused[0]
    office = in_group(api, 2001, chat=UPPER)
    assert "只提供 /help" in (await office.send("/timeline YQ-2026-0001"))[0]
    assert await upper.send("收到") == []


async def test_a_reply_to_the_card_in_the_upper_office_group_gets_nothing(running: BotProcess, api) -> None:  # noqa: ANN001
    await _incident(api)
    await running.tick()
    card = next(m for m in api.chat_messages(UPPER) if m.get("reply_markup"))
    assert await in_group(api, 6001, chat=UPPER).send("收到，已阅", reply_to_message=card) == []
    assert await in_group(api, 2001, chat=UPPER).send("转发：300", reply_to_message=card) == []


async def test_office_commands_in_another_group_say_where_they_work(running: BotProcess, api) -> None:  # noqa: ANN001
    office = in_group(api, 2001, chat=OTHER)
    replies = await office.send("/timeline YQ-2026-0001")
    assert replies == ["/timeline 只在舆情办公室群和与我的私聊中使用。"]
    assert "/grade" in (await office.send("/help"))[0]


async def test_a_release_asked_for_in_the_office_group_is_answered_by_a_reply_only(
        running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api)
    office = in_group(api, 2001)
    asked = await office.send(f"/release {number}")
    assert "正文" in asked[0]
    question = api.chat_messages(OFFICE)[-1]
    assert await office.send("这句话是群聊，不是发布稿") == []
    replies = await office.send("关于食堂异物的情况说明", reply_to_message=question)
    assert "第 1 版" in replies[0]
    # a text reply to the draft (it asks for a press, not a text) is told which button to press
    draft = api.chat_messages(OFFICE)[-1]
    assert "请点击它下方的按钮" in (await office.send("可以了", reply_to_message=draft))[0]


async def test_a_reply_to_the_office_card_in_the_group_is_still_a_follow_up(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api)
    await running.tick()  # the cards go out through the outbox
    card = next(m for m in api.chat_messages(OFFICE) if f"舆情事件 {number}" in (m.get("text") or ""))
    replies = await in_group(api, 3003).send("评论：500", reply_to_message=card)
    assert "第 1 条跟进" in replies[0]


async def test_bind_reaches_its_handler_in_any_group_whoever_asks(running: BotProcess, api) -> None:  # noqa: ANN001
    # the gate does not answer for /bind: handlers/linking.py does, even for the unregistered and upstairs
    assert (await in_group(api, 777, chat=OTHER).send("/bind office"))[0].startswith("只有本单位的管理员")
    assert (await in_group(api, 1001, chat=UPPER).send("/bind upper_office"))[0].startswith("只有本单位的管理员")
    assert "用法：/bind" in (await in_group(api, 2001).send(f"/bind@{BOT}"))[0]


async def test_the_office_group_upgraded_to_a_supergroup_keeps_working(running: BotProcess, api) -> None:  # noqa: ANN001
    number = await _incident(api)
    new = -1009999000001
    for uid in api.migrate_group(OFFICE, new, by_user=2001):
        await api.wait_confirmed(uid, timeout=20)  # the service messages reach the binding's handler
    assert number in (await in_group(api, 2001, chat=new).send(f"/due {number}"))[0]


def _person(*roles: str) -> PersonDTO:
    return PersonDTO(id=1, telegram_id=1, name="x", roles=roles, unit=None, language=None)


@pytest.mark.parametrize("place", ["office", "upper_office", None])
@pytest.mark.parametrize("person", [None, _person("monitor"), _person("admin")])
def test_bind_and_unbind_reach_their_handlers_in_any_group_for_anyone(place, person) -> None:  # noqa: ANN001
    for name in ("bind", "unbind"):
        for addressed in (False, True):
            assert verdict_for(CommandObject(command=name, args="office"), addressed=addressed, place=place,
                               person=person) is None


def test_people_passes_for_the_office_and_admins_in_the_office_group_only() -> None:
    people = CommandObject(command="people")
    for allowed in (_person("office"), _person("admin"), _person("monitor", "admin")):
        assert verdict_for(people, addressed=False, place="office", person=allowed) is None
    refused = verdict_for(people, addressed=False, place="office", person=_person("monitor"))
    assert refused.kind == "refused" and refused.rule.roles == ("office", "admin")
    assert verdict_for(people, addressed=False, place=None, person=_person("office")).kind == "not_here"
    assert verdict_for(people, addressed=False, place="office", person=None).kind == "unregistered"


def test_unavailable_for_someone_else_is_the_office_groups_and_for_oneself_private() -> None:
    other = CommandObject(command="unavailable", args="@李强 明天")
    assert verdict_for(other, addressed=False, place="office", person=_person("office")) is None
    assert verdict_for(other, addressed=False, place="office", person=_person("monitor")).kind == "refused"
    mine = CommandObject(command="unavailable", args="明天 8:00 至 12:00")
    assert verdict_for(mine, addressed=False, place="office", person=_person("office")).kind == "private"
