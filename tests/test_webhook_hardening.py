"""Webhook abuse (issue 18, item 5): whatever is posted to `onduty run --webhook`, the answer is 401 for a secret
that is wrong, missing or not even text, 400 for a body that is not an update it can store, never a 500; an
integer beyond 64 bits anywhere is refused, not an OverflowError; and a WEBHOOK_SECRET Telegram would refuse
is refused at start (exit 2, English and Chinese)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import live_org
from tests.process import BotSubprocess, cli, wait_reply
from tests.test_webhook import free_port

SECRET = "s3cret-token_OK"


async def post_raw(port: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    """POST with exactly these header bytes (an HTTP client would refuse or re-encode a non-ASCII value)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [b"POST /tg HTTP/1.1", b"Host: 127.0.0.1", b"Content-Type: application/json",
            b"Content-Length: " + str(len(body)).encode(), b"Connection: close"]
    head += [name + b": " + value for name, value in headers]
    writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


def secret(value: bytes = SECRET.encode()) -> list[tuple[bytes, bytes]]:
    return [(b"X-Telegram-Bot-Api-Secret-Token", value)]


def message(update_id: object, **over: object) -> dict:
    msg = {"message_id": 1, "date": 1764700000, "chat": {"id": 1001, "type": "private"},
           "from": {"id": 1001, "is_bot": False, "first_name": "x"}, "text": "/help"}
    msg.update(over)
    return {"update_id": update_id, "message": msg}


GOOD = json.dumps(message(7_000_001)).encode()
HUGE = 2**70

CASES: list[tuple[str, bytes, list[tuple[bytes, bytes]], int]] = [
    ("no secret", GOOD, [], 401),
    ("wrong secret", GOOD, secret(b"wrong"), 401),
    ("empty secret", GOOD, secret(b""), 401),
    ("non-ASCII secret (UTF-8)", GOOD, secret("密钥".encode()), 401),
    ("non-ASCII secret (Latin-1 bytes)", GOOD, secret(b"s3cret-token_O\xd6"), 401),
    ("secret with a prefix of the right one", GOOD, secret(SECRET[:-1].encode()), 401),
    ("not JSON", b"{update_id: 1", secret(), 400),
    ("not UTF-8", b'{"update_id": 1, "x": "\xff\xfe"}', secret(), 400),
    ("empty body", b"", secret(), 400),
    ("a JSON array", b"[1, 2]", secret(), 400),
    ("a JSON string", b'"update"', secret(), 400),
    ("null", b"null", secret(), 400),
    ("no update_id", json.dumps({"message": message(1)["message"]}).encode(), secret(), 400),
    ("update_id a string", json.dumps(message("12")).encode(), secret(), 400),
    ("update_id a float", json.dumps(message(1.5)).encode(), secret(), 400),
    ("update_id true", json.dumps(message(True)).encode(), secret(), 400),
    ("update_id negative", json.dumps(message(-5)).encode(), secret(), 400),
    ("update_id 2**70", json.dumps(message(HUGE)).encode(), secret(), 400),
    ("update_id 2**63", json.dumps(message(2**63)).encode(), secret(), 400),
    ("chat id 2**70", json.dumps(message(7_000_002, chat={"id": HUGE, "type": "private"})).encode(), secret(), 400),
    ("user id -2**70", json.dumps(message(7_000_003, **{"from": {"id": -HUGE, "is_bot": False, "first_name": "x"}})
                                  ).encode(), secret(), 400),
    ("nested deep in entities", json.dumps(message(7_000_004, entities=[
        {"type": "bot_command", "offset": 0, "length": HUGE}])).encode(), secret(), 400),
    ("NaN", b'{"update_id": 7000005, "message": {"message_id": NaN}}', secret(), 400),
    ("nested 100000 deep", b'{"update_id": 7000006, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", secret(), 400),
]


async def test_webhook_answers_401_or_400_never_500_and_keeps_working(api, tmp_path: Path) -> None:  # noqa: ANN001
    port = free_port()
    db = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    bot = BotSubprocess(tmp_path, api.base_url, db, WEBHOOK_URL=f"http://127.0.0.1:{port}",
                        WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start("--webhook")
    try:
        await api.wait_for_call("setWebhook", timeout=30)
        got = {name: await post_raw(port, body, headers) for name, body, headers, _ in CASES}
        assert got == {name: want for name, _, _, want in CASES}
        # The same update with the right secret is taken; the bot is alive and answers after all that.
        assert await post_raw(port, GOOD, secret()) == 200
        mark = len(api.calls)
        api.user_message(1001, "/help")
        await wait_reply(api, 1001, mark)
    finally:
        bot.stop()
    assert "Traceback" not in bot.output(), bot.output()[-3000:]
    assert not api.violations


def run_with_secret(tmp_path: Path, value: str) -> subprocess.CompletedProcess:
    env = BotSubprocess(tmp_path, "http://127.0.0.1:9", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
                        WEBHOOK_URL="https://example.org", WEBHOOK_SECRET=value).env
    return subprocess.run([sys.executable, "-m", "bot.cli", "run", "--webhook"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("value", ["   ", "has space", "机要口令", "semi;colon", "a" * 257, "tab\there"],
                         ids=["blank", "space", "chinese", "punctuation", "too-long", "tab"])
def test_a_webhook_secret_telegram_would_refuse_is_refused_at_start(tmp_path: Path, value: str) -> None:
    done = run_with_secret(tmp_path, value)
    assert done.returncode == 2, done.stderr
    assert "WEBHOOK_SECRET" in done.stderr and "A-Z, a-z, 0-9, _ and -" in done.stderr, done.stderr
    assert "只能是英文字母、数字、下划线 _ 和连字符 -" in done.stderr, done.stderr
    assert value.strip() == "" or value not in done.stderr  # a secret is not printed back
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.db").exists()  # refused before anything was touched


def test_the_longest_secret_telegram_takes_is_accepted() -> None:
    from bot.config import load_settings

    ok = "Az09_-" * 42 + "abcd"
    assert len(ok) == 256 and load_settings(webhook_secret=ok).require_webhook_secret() == ok


async def test_polling_skips_an_update_with_integers_beyond_64_bits_and_goes_on(api, tmp_path: Path) -> None:  # noqa: ANN001
    """Logged and confirmed once, never stored, never retried; the updates around it are processed."""
    from bot.fakeapi.updates import message_update

    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        await api.wait_for_call("getUpdates", timeout=30)
        mark = len(api.calls)
        huge = [api.push_update(message_update(1001, "/help", message_id=HUGE)),
                api.push_update(message_update(HUGE, "/help")),
                api.push_update({**message_update(1001, "/help"), "x": [{"deep": -HUGE}]})]
        api.user_message(1002, "/help")
        await wait_reply(api, 1002, mark)
        await api.wait_confirmed(huge[-1], timeout=10)
        await asyncio.sleep(1.0)
        assert not [c for c in api.calls[mark:] if c.method == "sendMessage"
                    and str(c.params.get("chat_id")) in ("1001", str(HUGE))]
        polls = len(api.calls_to("getUpdates"))
        await asyncio.sleep(2.5)
        assert len(api.calls_to("getUpdates")) <= polls + 2  # long polls again, not a retry loop
    finally:
        bot.stop()
    out = bot.output()
    assert all(f"update {uid} skipped: an integer beyond 64 bits" in out for uid in huge), out[-3000:]
    assert "OverflowError" not in out and "Traceback" not in out, out[-3000:]
    assert not api.violations
