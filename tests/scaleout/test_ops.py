"""Operations: /metrics and JSON logs of a long-polling instance (METRICS_LISTEN), `onduty backup` of the
running bot's SQLite file, /healthz's verdicts, migrations under the advisory lock, the shared send limit."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from bot.db import create_engine, session_factory
from bot.delivery.limiter import Limits, RateLimiter
from bot.ops.health import health_report
from bot.ops.logs import JsonFormatter, bind_incident
from bot.services.clocks import add_due
from models.migrate import upgrade
from tests.conftest import live_org
from tests.process import BotSubprocess, cli, wait_reply
from tests.scaleout.cluster import free_port


async def test_polling_instance_serves_metrics_logs_json_and_is_backed_up_while_running(api, tmp_path: Path) -> None:  # noqa: ANN001
    port = free_port()
    db = tmp_path / "data" / "onduty.db"
    bot = BotSubprocess(tmp_path, api.base_url, f"sqlite+aiosqlite:///{db}", METRICS_LISTEN=f"127.0.0.1:{port}",
                        LOG_FORMAT="json")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        mark = len(api.calls)
        api.user_message(1001, "/help")
        await wait_reply(api, 1001, mark)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                assert r.status == 200 and r.content_type == "text/plain"
                families = {f.name: f for f in text_string_to_metric_families(await r.text())}
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                health = await r.json()
                assert r.status == 200 and health["database"] == "ok" and health["instances_live"] == 1
        handled = [s for s in families["onduty_updates"].samples
                   if s.name == "onduty_updates_total" and s.labels == {"type": "message", "outcome": "handled"}]
        assert handled and handled[0].value == 1
        assert any(s.name == "onduty_handler_seconds_count" and s.value == 1
                   for s in families["onduty_handler_seconds"].samples)

        out = tmp_path / "copy.db"
        line = await cli("backup", "--out", str(out), env=bot.env, cwd=tmp_path)
        assert str(out) in line
        with sqlite3.connect(out) as copy:
            assert copy.execute("SELECT name FROM organization").fetchone()[0].startswith("示范大学")
            assert copy.execute("SELECT count(*) FROM people").fetchone()[0] == 8
            assert copy.execute("SELECT status FROM inbox").fetchall() == [("done",)]
        with pytest.raises(AssertionError, match="exists already"):
            await cli("backup", "--out", str(out), env=bot.env, cwd=tmp_path)
    finally:
        bot.stop()
        await asyncio.sleep(0)
    lines = [json.loads(x) for x in bot.output().splitlines() if x.startswith("{")]
    assert any(x["logger"] == "onduty" and "polling" in x["message"] for x in lines), bot.output()[-2000:]
    assert all({"time", "level", "logger", "message", "instance"} <= set(x) for x in lines)


async def test_backup_on_postgresql_names_pg_dump(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        "python", "-m", "bot.cli", "backup", cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**BotSubprocess(tmp_path, "http://127.0.0.1:1", "postgresql+asyncpg://u:secret@db:5432/onduty").env})
    out, err = await proc.communicate()
    assert proc.returncode == 2 and out == b""
    line = err.decode().strip()
    assert "\n" not in line and "pg_dump --format=custom" in line and "postgresql://u@db:5432/onduty" in line
    assert "secret" not in line


async def test_healthz_is_unhealthy_when_a_nudge_waits_too_long_or_the_database_is_gone(sessions) -> None:  # noqa: ANN001
    now = datetime.now(UTC)
    ok, report = await health_report(sessions, now, instance="i", max_lag=300)
    assert ok and report["status"] == "ok" and report["oldest_pending_nudge_seconds"] == 0
    async with sessions() as s, s.begin():
        await add_due(s, kind="nudge", due=now - timedelta(minutes=10), dedup_key="late", now=now)
    ok, report = await health_report(sessions, now, instance="i", max_lag=300)
    assert not ok and report["oldest_pending_nudge_seconds"] == 600 and report["due_backlog"] == 1
    assert report["problems"] == ["oldest_pending_nudge_seconds 600 s > 300 s"]
    gone = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    ok, report = await health_report(session_factory(gone), now, instance="i", max_lag=300, db_timeout=3)
    await gone.dispose()
    assert not ok and report["database"].startswith("error") and report["problems"] == ["database unreachable"]


async def test_healthz_says_how_long_the_oldest_group_message_has_waited(sessions) -> None:  # noqa: ANN001
    """Rows for a group held back by its 20-a-minute limit (not due yet) still count: the office is that late;
    a private chat's rows and what was sent do not."""
    from bot.services.addresses import telegram
    from bot.services.outbox import enqueue
    from models import OutboxMessage

    now = datetime.now(UTC)
    async with sessions() as s, s.begin():
        await enqueue(s, to=telegram(1001), text="private", now=now - timedelta(minutes=9))
        sent = await enqueue(s, to=telegram(-1001), text="sent", now=now - timedelta(minutes=8))
        (await s.get(OutboxMessage, sent)).status = "sent"
        waiting = await enqueue(s, to=telegram(-1001), text="card", now=now - timedelta(seconds=95))
        (await s.get(OutboxMessage, waiting)).not_before = now + timedelta(seconds=30)  # deferred by the limiter
    ok, report = await health_report(sessions, now, instance="i", max_lag=300)
    assert report["group_oldest_waiting_seconds"] == 95
    from bot.ops.metrics import GROUP_OLDEST, refresh_gauges

    refresh_gauges(report)
    assert GROUP_OLDEST._value.get() == 95


async def test_migrations_run_once_when_instances_start_together(pg_url: str) -> None:
    engines = [create_engine(pg_url) for _ in range(3)]
    try:
        # Without the lock the three upgrades block one another on the same DDL (or fail on a duplicate table).
        await asyncio.wait_for(asyncio.gather(*(upgrade(e) for e in engines)), 90)
        async with engines[0].connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert len(versions) == 1
    finally:
        for e in engines:
            await e.dispose()


def test_live_instances_share_the_bots_sending_limit() -> None:
    """Each of n instances sends at most 30/n in any second (so n of them at most 30), and keeps close to it."""
    limiter = RateLimiter(Limits(global_per_second=30), clock=lambda: 0.0)
    for k, n in enumerate((1, 3, 2), start=1):
        limiter.share_global(n)
        times, t = [], 100.0 * k
        while t < 100.0 * k + 10:  # ten seconds, each message to its own chat
            if limiter.try_take(len(times) + n * 100_000, now=t) == 0:
                times.append(t)
            t += 0.001
        busiest = max(sum(1 for x in times[i:] if x < start + 1) for i, start in enumerate(times))
        assert busiest <= 30 / n, (n, busiest)
        assert len(times) / 10 >= (30 / n - 1) * 0.97, (n, len(times))


def test_json_log_lines_carry_the_incident_number() -> None:
    fmt = JsonFormatter("host-1")
    record = logging.LogRecord("onduty.sweeps", logging.WARNING, __file__, 1, "nudge for %s", ("x",), None)
    with bind_incident("YQ-2026-0042"):
        line = json.loads(fmt.format(record))
    assert line["incident"] == "YQ-2026-0042" and line["instance"] == "host-1" and line["level"] == "WARNING"
    record = logging.LogRecord("onduty", logging.INFO, __file__, 1, "graded YQ-2026-0007 major", (), None)
    assert json.loads(fmt.format(record))["incident"] == "YQ-2026-0007"
    record = logging.LogRecord("onduty", logging.INFO, __file__, 1, "started", (), None)
    assert "incident" not in json.loads(fmt.format(record))
