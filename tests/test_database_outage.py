"""PostgreSQL going away for a minute is survived (issue 18, item 6): `onduty run` as a real subprocess whose
database connections pass through a TCP proxy the test cuts — every open connection closed, every new one
refused at once, as a server that went down — for 60 s while users write. The process keeps running,
/healthz says 503 with the reason, nothing is confirmed to Telegram that was not stored, and when the server
is back every update is processed exactly once, by itself."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.db import create_engine
from models import InboxUpdate
from tests.conftest import _pg_or_skip, live_org, reset_pg
from tests.process import cli
from tests.test_disk_full import TEMPLATE, PipedBot, healthz, replies, wait_health, wait_replies
from tests.test_webhook import free_port

OUTAGE = 60.0  # seconds, as the issue puts it


class CuttableProxy:
    """127.0.0.1:port → the PostgreSQL server; `cut()` drops every connection and refuses new ones until
    `restore()`."""

    def __init__(self, host: str, port: int) -> None:
        self.target, self.port, self.down, self.served = (host, port), free_port(), False, 0
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        self.served += 1

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    def cut(self) -> None:
        self.down = True
        for w in list(self._writers):
            w.transport.abort()
        self._writers.clear()

    def restore(self) -> None:
        self.down = False

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def wait_database_problem(port: int, within: float = 60) -> dict:
    """/healthz once it names the database among its problems (another may come first: updates waiting)."""
    body: dict = {}
    for _ in range(int(within / 0.2)):
        status, body = await healthz(port)
        if status == 503 and any(p.startswith("database: ") for p in body.get("problems", [])):
            return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"/healthz never named the database: {body}")


async def test_polling_survives_postgresql_gone_for_a_minute(api, tmp_path: Path) -> None:  # noqa: ANN001
    url = _pg_or_skip()
    await reset_pg(url)
    real = make_url(url)
    proxy = CuttableProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    via_proxy = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    port = free_port()
    bot = PipedBot(tmp_path, api.base_url, via_proxy, METRICS_LISTEN=f"127.0.0.1:{port}")
    try:
        await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
        bot.start()
        await wait_health(port, 200)
        mark = len(api.calls)
        api.user_message(1001, "/help")
        await wait_replies(api, 1001, mark, 1)
        confirmed = api.confirmed

        proxy.cut()
        mark = len(api.calls)
        sent = [api.user_message(1001, "/help") for _ in range(3)] + [api.user_message(1002, TEMPLATE)]
        body = await wait_database_problem(port)
        assert any(p.startswith("database: unreachable since ") for p in body["problems"]), body
        await asyncio.sleep(OUTAGE)
        assert bot.alive(), bot.output()[-2000:]
        assert replies(api, 1001, mark) == [] and replies(api, 1002, mark) == []
        assert api.confirmed == confirmed < sent[0], "updates the bot could not store were confirmed to Telegram"
        status, body = await healthz(port)
        assert status == 503, body

        proxy.restore()  # the server is back: the bot goes on by itself
        helps = await wait_replies(api, 1001, mark, 3, within=90)
        summary = await wait_replies(api, 1002, mark, 1, within=60)
        await api.wait_confirmed(sent[-1], timeout=30)
        await wait_health(port, 200, within=60)
        await asyncio.sleep(1.5)  # anything doubled would have come by now
        assert len(replies(api, 1001, mark)) == len(helps) == 3, replies(api, 1001, mark)
        assert replies(api, 1002, mark) == summary and len(summary) == 1, replies(api, 1002, mark)
        assert bot.alive()
    finally:
        if bot.proc is not None:
            bot.stop()
        await proxy.stop()
    engine = create_engine(url)
    try:
        async with engine.connect() as c:
            rows = {r.update_id: (r.status, r.attempts) for r in await c.execute(
                select(InboxUpdate.update_id, InboxUpdate.status, InboxUpdate.attempts))}
    finally:
        await engine.dispose()
    assert all(rows[uid] == ("done", 0) for uid in sent), rows  # the outage was not counted as failed attempts
    assert not api.violations
    assert proxy.served > 0  # the bot really went through the proxy
