"""Run the fake Bot API standalone: ``python -m bot.fakeapi --port 8081``.

Point the bot at it with ``TelegramAPIServer.from_base("http://127.0.0.1:8081")`` and drive it
through the control endpoints:

* ``POST /_fake/updates``       body: an Update without update_id → ``{"ok": true, "result": update_id}``
* ``POST /_fake/user_message``  body: kwargs of ``FakeBotAPI.user_message`` (user_id, text, chat_id, …)
* ``POST /_fake/press``         body: ``{"user_id", "message": message_id, "chat_id", "button"}``
* ``POST /_fake/inject``        body: ``{"method", "kind", "times", …}`` (see ``FakeBotAPI.inject``)
* ``POST /_fake/reset``         forget recorded calls/violations/faults
* ``GET  /_fake/calls?since=N&method=sendMessage``   recorded calls as JSON
* ``GET  /_fake/violations``    spec/limit violations
* ``GET  /_fake/confirmed``     ``{"confirmed": highest confirmed update id, "pending": [...]}``
* ``GET  /_fake/chats/{chat_id}/messages[?include_user=1]``  current messages of a chat
* ``POST /_fake/do/{helper}``   body: kwargs of a chat helper — set_strict, mark_opened, mark_unopened, block,
  unblock, add_bot_to_group, remove_bot_from_group, set_admin, add_member, group_message, migrate_group,
  chat_member, menu, my_commands (see ``bot/fakeapi/chats.py``)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from .server import FakeBotAPI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bot.fakeapi", description="Fake Telegram Bot API server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--enforce-limits", action="store_true", help="answer 429 beyond Telegram's rate limits")
    p.add_argument("--max-poll-timeout", type=float, default=None, help="cap getUpdates long-poll seconds")
    p.add_argument("--strict", action="store_true", help="the bot may write only to users who wrote to it first")
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    api = FakeBotAPI(enforce_limits=args.enforce_limits, max_poll_timeout=args.max_poll_timeout, strict=args.strict)
    url = await api.start(args.host, args.port)
    print(f"Fake Bot API ({api.spec.version}) listening on {url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await api.stop()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()
