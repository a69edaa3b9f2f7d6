"""The suite-wide raw-text guard (tests/conftest.py) catches raw error/internal text the bot shows a user.

The guard itself is autouse; these tests prove it bites: the checker on its own, a real call through a
FakeBotAPI (the same path every test's fake takes), the teardown failure of a whole pytest run, and the
`onduty demo` default script (test_cli plays it only in a subprocess, where the guard cannot listen)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pytest
from aiogram.types import BufferedInputFile

from bot.app import create_bot
from bot.cli import main
from bot.demo.runner import play
from bot.fakeapi import FakeBotAPI
from tests.conftest import ROOT, RawTextGuard, raw_text_offences

TOKEN = "123456:TEST-guard"


@pytest.mark.parametrize("shown", [
    "操作失败：ValueError: invalid literal for int()",
    "Traceback (most recent call last):\n  File …",
    "发生 Exception",
    "投递失败：Forbidden: bot was blocked by the user (TelegramForbiddenError)",
    '{"ok": false, "error_code": 403}',
    "Bad Request: chat_id=-1001 not found",
])
def test_the_checker_flags_raw_error_and_internal_text(shown: str) -> None:
    assert raw_text_offences("sendMessage", {"chat_id": 1, "text": shown}) == [shown]
    assert raw_text_offences("editMessageText", {"text": shown}) == [shown]
    assert raw_text_offences("editMessageCaption", {"caption": shown}) == [shown]
    assert raw_text_offences("sendPhoto", {"caption": shown}) == [shown]
    assert raw_text_offences("sendDocument", {"caption": shown}) == [shown]
    assert raw_text_offences("answerCallbackQuery", {"callback_query_id": "1", "text": shown}) == [shown]
    assert raw_text_offences("sendMediaGroup", {"media": [{"type": "photo", "caption": shown}]}) == [shown]


@pytest.mark.parametrize("method, params", [
    ("sendMessage", {"chat_id": 1, "text": "⚠️ 消息未能送达 张三：对方已屏蔽机器人。"}),
    ("sendMessage", {"chat_id": 1, "text": "error 与 exception 的小写不算", "reply_markup": {"inline_keyboard": []}}),
    ("sendMessage", {"chat_id": 1, "text": "OK", "reply_markup": '{"inline_keyboard": []}'}),  # markup, not text
    ("answerCallbackQuery", {"callback_query_id": "1"}),
    ("getUpdates", {"offset": 3}),
    ("setMyCommands", {"commands": '[{"command": "help", "description": "Error"}]'}),  # not a chat text
])
def test_the_checker_leaves_plain_texts_and_other_fields_alone(method: str, params: dict) -> None:
    assert raw_text_offences(method, params) == []


@pytest.mark.raw_text_allowed("the guard's own test: it sends raw text on purpose and checks the guard saw it")
async def test_a_leak_through_a_fake_is_caught_and_quoted(raw_text_guard: RawTextGuard) -> None:
    async with FakeBotAPI() as api:
        bot = create_bot(TOKEN, api.base_url)
        try:
            await bot.send_message(42, "好的")
            await bot.send_message(42, "处理失败：KeyError: 'grade'")
            await bot.send_photo(42, BufferedInputFile(b"\x89PNG", "a.png"), caption='{"detail": 1}')
            msg = await bot.send_message(42, "x")
            await bot.edit_message_text("Traceback (most recent call last):", chat_id=42, message_id=msg.message_id)
        finally:
            await bot.session.close()
    assert [(m, c, s) for m, c, s in raw_text_guard.offences] == [
        ("sendMessage", 42, "处理失败：KeyError: 'grade'"),
        ("sendPhoto", 42, '{"detail": 1}'),
        ("editMessageText", 42, "Traceback (most recent call last):"),
    ]
    with pytest.raises(pytest.fail.Exception) as failed:
        raw_text_guard.check()
    assert "sendMessage → chat 42: «处理失败：KeyError: 'grade'»" in str(failed.value)


def test_a_leaking_test_fails_at_teardown_and_the_marker_lets_one_pass(tmp_path: Path) -> None:
    """A whole pytest run with the suite's conftest: the leaking test errors at teardown, quoting the text."""
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n"
                                          "from tests.conftest import _raw_text_hook, pytest_configure  # noqa: F401\n")
    (tmp_path / "test_leak.py").write_text(textwrap.dedent('''
        import pytest
        from bot.app import create_bot
        from bot.fakeapi import FakeBotAPI

        async def _send(text):
            async with FakeBotAPI() as api:
                bot = create_bot("123456:TEST", api.base_url)
                await bot.send_message(7, text)
                await bot.session.close()

        async def test_leaks():
            await _send("出错了：RuntimeError: database is locked")

        async def test_clean():
            await _send("已收到。")

        @pytest.mark.raw_text_allowed("shows the marker")
        async def test_allowed():
            await _send("Traceback (most recent call last):")
    '''))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto",
                        "-o", "asyncio_default_fixture_loop_scope=function", "--rootdir", str(tmp_path), str(tmp_path)],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "3 passed, 1 error" in out, out  # the leaking test's call passed; its teardown is the error
    assert "ERROR at teardown of test_leaks" in out, out
    assert "sendMessage → chat 7: «出错了：RuntimeError: database is locked»" in out, out


async def test_the_onduty_demo_default_script_shows_no_raw_text() -> None:
    """`onduty demo` without --script plays this; here in-process, so the guard hears every call."""
    source = resources.files("bot.demo").joinpath("default.script").read_text(encoding="utf-8")
    player = await play(source, Path.cwd(), io.StringIO(), cli=main)
    assert not player.api.violations
