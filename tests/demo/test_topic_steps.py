"""The demo verbs about forum topics (forum, `in CHAT#TOPIC`, delete-topic): parsed, and played against the real
bot and the fake Telegram — a major incident's room opened, a decision typed in it, the topic deleted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.runner import play
from bot.demo.script import ScriptError, parse_script

OFFICE = -1001000000001


def test_parse_the_topic_verbs():
    steps = parse_script("\n".join([
        f"forum {OFFICE}", f"in {OFFICE}#YQ-2026-0001 as 2001: /decide 统一口径", f"in {OFFICE} as 2001: 大家好",
        f"delete-topic {OFFICE}#YQ-2026-0001",
    ]))
    got = [(s.verb, s.arg, s.user, s.chat, s.topic) for s in steps]
    assert got == [("forum", "", None, OFFICE, None), ("group", "/decide 统一口径", 2001, OFFICE, "YQ-2026-0001"),
                   ("group", "大家好", 2001, OFFICE, None), ("delete-topic", "", None, OFFICE, "YQ-2026-0001")]


@pytest.mark.parametrize("line", ["forum", "forum 100", "delete-topic -100", "delete-topic -100#", "in -100# as 1: x"])
def test_parse_refuses_malformed_topic_verbs(line):
    with pytest.raises(ScriptError, match="line 1"):
        parse_script(line)


SCRIPT = f"""org example
clock 2026-11-24T10:00+08:00
forum {OFFICE}
as 1001: /report
  时间：2026-11-24 09:30
  地点：学校东门
  涉及单位：后勤管理处
  过程：网民发帖称食堂饭菜出现异物
  结果：帖子被多次转发
  跟帖倾向：负面 70%
  平台：微博
  转发：150
  类别：询问
press 确认
expect opened the topic
expect 已开设专题话题
in {OFFICE}#YQ-2026-0001 as 2001: /decide 由宣传部统一对外口径
expect 已记录 YQ-2026-0001 的决定
delete-topic {OFFICE}#YQ-2026-0001
advance 3h
expect 已被删除
"""


async def test_the_topic_verbs_play_against_the_real_bot(tmp_path: Path):
    out = io.StringIO()
    player = await play(SCRIPT, tmp_path, out, cli=main)
    text = out.getvalue()
    assert "🧵 舆情办公室群" in text and "is a forum" in text
    assert "› 🧵 YQ-2026-0001" in text  # the typed message, in the topic
    assert "› 🧵 #" in text  # the bot's answer, in the topic
    assert "🗑 someone deleted the topic" in text
    assert player.api.topics[OFFICE] == {}
    assert '"violations": 0' in text
