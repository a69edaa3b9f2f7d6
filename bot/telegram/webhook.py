"""The webhook endpoint: answer 200 only after the update is committed to the inbox, then process it.

aiogram's own SimpleRequestHandler answers before processing; a crash there loses the update.

Whatever is posted, the answer is never a 500: 401 for a secret token that is wrong, missing or not even
text; 400 for a body that is not an update this bot can store (not JSON, not an object, update_id missing,
not an integer, negative or beyond 64 bits, any integer beyond 64 bits); 503 (with Retry-After) when the
database cannot take it now — Telegram keeps the update and delivers it again, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiohttp import web

from bot.ops.dbfault import FAULTS
from bot.services import inbox
from bot.telegram.polling import InboxProcessor

log = logging.getLogger("onduty.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kilobytes; aiohttp's own limit would answer 413 anyway
RETRY_AFTER = "5"  # seconds, with a 503: Telegram backs off on its own, this is for anything else posting


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN / Infinity: Python's json takes them, PostgreSQL does not


def _secret_matches(header: str | None, secret: bytes) -> bool:
    """Compared as bytes: hmac.compare_digest refuses str with non-ASCII characters (a TypeError, i.e. a 500),
    and aiohttp hands over a header's raw bytes decoded however they came."""
    if header is None:
        return False
    return hmac.compare_digest(header.encode("utf-8", "surrogateescape"), secret)


class DurableWebhook:
    def __init__(self, processor: InboxProcessor, secret: str):
        if not secret:
            raise ValueError("a webhook needs a secret token")
        self.processor = processor
        self.secret = secret
        self._secret = secret.encode("utf-8")
        self._tasks: set[asyncio.Task] = set()
        self._stop = asyncio.Event()  # set by drain(): updates waiting for the database stay in the inbox

    async def handle(self, request: web.Request) -> web.Response:
        if not _secret_matches(request.headers.get(SECRET_HEADER), self._secret):
            return web.Response(status=401, text="unauthorized")
        try:
            body = await request.read()
            if len(body) > MAX_BODY:
                raise ValueError("too large")
            payload = json.loads(body, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, nested beyond the parser
            return web.Response(status=400, text="bad update: not JSON")
        reason = inbox.refuse_reason(payload)
        if reason is not None:
            log.warning("webhook: update refused (%s)", reason)
            return web.Response(status=400, text=f"bad update: {reason}")
        update_id = payload["update_id"]
        p = self.processor
        try:
            async with p.sessions() as s, s.begin():
                await inbox.record(s, [payload], now=p.clock.now())
        except Exception as e:
            if FAULTS.failed(p.WHERE, e) is None:
                log.exception("webhook: update %s could not be stored", update_id)
            # Not stored: Telegram keeps it and tries again later. A 503 says "later", not "broken".
            return web.Response(status=503, text="database unavailable, try again later",
                                headers={"Retry-After": RETRY_AFTER})
        task = asyncio.create_task(p.settle([(update_id, payload)], self._stop))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=200)

    def register(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self.handle)

    async def drain(self) -> None:
        self._stop.set()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
