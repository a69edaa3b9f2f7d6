"""Several `onduty run --webhook` subprocesses on one PostgreSQL database behind a round-robin proxy (the
test's stand-in for nginx, deploy/nginx.conf), with the fake Bot API delivering updates to the proxy."""

from __future__ import annotations

import asyncio
import itertools
import signal
import socket
from pathlib import Path

import aiohttp
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.fakeapi import FakeBotAPI
from tests.process import BotSubprocess

SECRET = "scale-out-secret"
PATH = "/tg"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RoundRobinProxy:
    """Like nginx's `upstream` with `proxy_next_upstream error timeout non_idempotent`: each request goes to
    the next instance; one that refuses the connection or times out is skipped (the inbox makes a repeated
    delivery harmless, so passing a POST on is safe)."""

    def __init__(self, backends: list[str], timeout: float = 10) -> None:
        self.backends, self.timeout = backends, timeout
        self._next = itertools.count()
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.passed_on = 0  # requests that went on to another instance

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        port = free_port()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"
        self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self.url

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k in (SECRET_HEADER, "Content-Type")}
        start = next(self._next)
        for i in range(len(self.backends)):
            backend = self.backends[(start + i) % len(self.backends)]
            try:
                async with self.http.request(request.method, backend + request.path_qs, data=body,
                                             headers=headers) as r:
                    return web.Response(status=r.status, body=await r.read())
            except (aiohttp.ClientConnectionError, TimeoutError):
                self.passed_on += 1
        return web.Response(status=502, text="no instance answered")

    async def stop(self) -> None:
        await self.http.close()
        if self.runner is not None:
            await self.runner.cleanup()


class Cluster:
    """N instances, each with its own port and work directory, sharing `database_url`."""

    def __init__(self, tmp: Path, api: FakeBotAPI, database_url: str, n: int, **env: str) -> None:
        self.api, self.tmp, self.n = api, tmp, n
        self.ports = [free_port() for _ in range(n)]
        self.proxy = RoundRobinProxy([f"http://127.0.0.1:{p}" for p in self.ports])
        self.env, self.database_url = env, database_url
        self.bots: list[BotSubprocess] = []

    def instance_env(self, i: int, proxy_url: str) -> dict[str, str]:
        return {"WEBHOOK_URL": proxy_url, "WEBHOOK_SECRET": SECRET, "WEBHOOK_PATH": PATH,
                "WEBHOOK_LISTEN": f"127.0.0.1:{self.ports[i]}", **self.env}

    async def start(self, within: float = 60) -> None:
        url = await self.proxy.start()
        for i in range(self.n):
            work = self.tmp / f"instance{i}"
            work.mkdir(exist_ok=True)
            bot = BotSubprocess(work, self.api.base_url, self.database_url, **self.instance_env(i, url))
            bot.start("--webhook")
            self.bots.append(bot)
        for i in range(self.n):
            await self.wait_healthy(i, within)

    def base(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    async def get(self, i: int, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            async with http.get(self.base(i) + path) as r:
                return r.status, await r.text()

    async def wait_healthy(self, i: int, within: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            if self.bots[i].proc is not None and self.bots[i].proc.poll() is not None:
                break
            try:
                if (await self.get(i, "/healthz"))[0] == 200:
                    return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.2)
        raise AssertionError(f"instance {i} did not become healthy: {self.bots[i].output()[-3000:]}")

    async def metric(self, i: int, name: str, **labels: str) -> float:
        """The sum of the samples of `name` with these labels, from instance i's /metrics."""
        status, text = await self.get(i, "/metrics")
        assert status == 200, text
        return sum(s.value for fam in text_string_to_metric_families(text) for s in fam.samples
                   if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))

    async def stop(self) -> None:
        """SIGINT to every live instance, waited for without blocking the fake API's loop."""
        live = [b for b in self.bots if b.proc is not None and b.proc.poll() is None]
        for bot in live:
            bot.proc.send_signal(signal.SIGINT)
        for bot in live:
            try:
                await bot.exited(20)
            except AssertionError:
                bot.proc.kill()
                bot.proc.wait(5)
        await self.proxy.stop()

    def logs(self) -> str:
        return "\n".join(f"--- instance {i}\n{b.output()[-2500:]}" for i, b in enumerate(self.bots))
