"""/healthz and /metrics on an aiohttp app: the webhook's own app, or (long polling) a small server of its
own on METRICS_LISTEN."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ops.health import LinkWatch, health_report
from bot.ops.metrics import exposition, refresh_gauges


class OpsEndpoints:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], now: Callable[[], datetime], *, instance: str,
                 max_lag: float, telegram: LinkWatch | None = None) -> None:
        self.sessions, self.now, self.instance, self.max_lag = sessions, now, instance, max_lag
        self.telegram = telegram
        self.webhook: LinkWatch | None = None  # set by a webhook instance (Telegram: bot/telegram/webhook_watch.py)

    async def _report(self) -> tuple[bool, dict]:
        ok, report = await health_report(self.sessions, self.now(), instance=self.instance, max_lag=self.max_lag,
                                         links=[w for w in (self.telegram, self.webhook) if w is not None])
        refresh_gauges(report)
        return ok, report

    async def healthz(self, request: web.Request) -> web.Response:
        ok, report = await self._report()
        return web.json_response(report, status=200 if ok else 503,
                                 dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def metrics(self, request: web.Request) -> web.Response:
        await self._report()
        body, content_type = exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    def register(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)


async def start_server(endpoints: OpsEndpoints, host: str, port: int) -> web.AppRunner:
    """The small server for long-polling mode (METRICS_LISTEN)."""
    app = web.Application()
    endpoints.register(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
