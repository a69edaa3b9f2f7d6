"""The demo verbs about Telegram's rules (strict, unopened, block, groups, migrate, cli, open-link, menu):
parsed, and played against the real bot and the fake Telegram."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.runner import play
from bot.demo.script import ScriptError, parse_script
from bot.demo.telegramsteps import personal_link_token


def test_parse_the_telegram_verbs():
    steps = parse_script("\n".join([
        "strict", "unopened 3002", "block 3002", "unblock 3002", "menu 1001",
        "in -100123 as 1001: 大家好", "  第二行", "in -100123 as 1002 reply: 收到",
        "add-bot -100123 舆情 办公室 by 1001", "remove-bot -100123 by 1001", "admin -100123 1001",
        "migrate -4001 -1004001", "cli org links --out 'links dir'", "open-link 3002 刘书记",
    ]))
    got = [(s.verb, s.arg, s.user, s.chat) for s in steps]
    assert got == [
        ("strict", "", None, None), ("unopened", "", 3002, None), ("block", "", 3002, None),
        ("unblock", "", 3002, None), ("menu", "", 1001, None), ("group", "大家好\n第二行", 1001, -100123),
        ("group-reply", "收到", 1002, -100123), ("add-bot", "舆情 办公室", 1001, -100123),
        ("remove-bot", "", 1001, -100123), ("admin", "", 1001, -100123), ("migrate", "-1004001", None, -4001),
        ("cli", "org links --out 'links dir'", None, None), ("open-link", "刘书记", 3002, None),
    ]


@pytest.mark.parametrize("line", [
    "strict now", "unopened x", "block", "in 100 as 1: hi", "in -100 as x: hi", "in -100: hi",
    "add-bot -100 by 1", "add-bot -100 群", "remove-bot -100", "admin -100", "migrate -1 2", "cli", "cli 'open",
    "open-link 3002", "open-link x 刘书记",
])
def test_parse_refuses_malformed_telegram_verbs(line):
    with pytest.raises(ScriptError, match="line 1"):
        parse_script(line)


def test_personal_link_token():
    out = ("刘书记  https://t.me/onduty_test_bot?start=AbC-1_2\n王科长  /start Zz9\n"
           "刘书记 (again) https://t.me/onduty_test_bot?start=NEW")
    assert personal_link_token(out, "刘书记") == "NEW"
    assert personal_link_token(out, "王科长") == "Zz9"
    assert personal_link_token(out, "张三") is None


SCRIPT = """\
org example
strict
unopened 3002
in -1001234 as 1001: 大家好，这条机器人看不到
in -1001234 as 1001: /help
add-bot -4001 小群 by 1001
admin -4001 1001
in -4001 as 1001: /help@onduty_test_bot
migrate -4001 -1004001
remove-bot -1004001 by 1001
block 1001
unblock 1001
as 1001: /help
menu 1001
cli outbox
cli no-such-command
"""


async def test_the_verbs_play_against_the_real_bot(tmp_path: Path):
    out = io.StringIO()
    player = await play(SCRIPT, tmp_path, out, cli=main)
    text = out.getvalue()
    assert "🔒 strict" in text and "has not opened the bot" in text
    assert "🙈 the bot does not see this" in text
    assert "👥 " in text and "/help@onduty_test_bot" in text
    assert "➕ " in text and "(my_chat_member: left → member)" in text
    assert "⬆ " in text and "🚫 " in text and "🔓 " in text and "➖ " in text
    assert "$ onduty outbox" in text and "$ onduty no-such-command" in text and "(exit 2)" in text
    assert "📋 " in text
    assert player.api.strict and player.api.migrated_to(-4001) == -1004001
    assert not player.api.is_blocked(1001)
    assert '"violations": 0' in text


async def test_a_refused_send_is_shown_and_open_link_sends_start(tmp_path: Path):
    from aiogram.exceptions import TelegramForbiddenError

    from bot.demo.runner import DemoPlayer
    from bot.demo.script import Step

    out = io.StringIO()
    async with DemoPlayer(tmp_path, out) as p:
        # a send to someone who never opened the bot: shown as Telegram's refusal
        p.api.set_strict(True)
        p.names[3002] = "刘书记"
        with pytest.raises(TelegramForbiddenError):
            await p.proc.bot.send_message(3002, "你好，请确认")
        p._flush_calls()
        assert "⛔ Telegram refused sendMessage: bot can't initiate conversation with 刘书记 (3002)" in out.getvalue()
        assert "(it was: 你好，请确认)" in out.getvalue()
        p.last_cli = "刘书记 https://t.me/onduty_test_bot?start=TOKEN42"
        await p.step(Step(9, "open-link", "刘书记", 3002))
        assert p.api.is_opened(3002)
        assert any(m.get("text") == "/start TOKEN42" for m in p.api.chat_messages(3002, include_user=True))
        with pytest.raises(ScriptError, match="no line naming '王科长'"):
            await p.step(Step(10, "open-link", "王科长", 3003))


async def test_group_reply_and_a_group_without_the_bot(tmp_path: Path):
    script = ("org example\nadd-bot -100777 值班群 by 1001\nin -100777 as 1001: /help\n"
              "in -100777 as 1002 reply: 谢谢\n  第二行\nremove-bot -100777 by 1001\nin -100777 as 1001: /help\n")
    out = io.StringIO()
    player = await play(script, tmp_path, out, cli=main)
    text = out.getvalue()
    assert "👥 值班群 (-100777) · " in text and "(replying to the bot)" in text
    assert "🙈 the bot does not see this (the bot is not in this group)" in text
    replies = [m for m in player.api.chat_messages(-100777, include_user=True) if m.get("text") == "谢谢\n第二行"]
    assert replies and replies[0]["reply_to_message"]["from"]["is_bot"]
