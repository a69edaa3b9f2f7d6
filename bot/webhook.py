"""The webhook endpoint: answer 200 only after the update is committed to the inbox, then process it.

aiogram's own SimpleRequestHandler answers before processing; a crash there loses the update.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

from aiohttp import web

from bot.polling import InboxProcessor
from bot.services import inbox

log = logging.getLogger("onduty.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class DurableWebhook:
    def __init__(self, processor: InboxProcessor, secret: str):
        if not secret:
            raise ValueError("a webhook needs a secret token")
        self.processor = processor
        self.secret = secret
        self._tasks: set[asyncio.Task] = set()

    async def handle(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret):
            return web.Response(status=401, text="unauthorized")
        try:
            payload = await request.json(loads=json.loads)
            update_id = int(payload["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400, text="bad update")
        p = self.processor
        async with p.sessions() as s, s.begin():
            await inbox.record(s, [payload], now=p.clock.now())
        task = asyncio.create_task(p.process(update_id, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=200)

    def register(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self.handle)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
