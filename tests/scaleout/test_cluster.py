"""Three `onduty run --webhook` instances on one PostgreSQL database: a cron job runs once per occurrence,
a daily digest goes out once, the same update reaching two instances is processed once, and every
instance serves /healthz and /metrics (parsed with prometheus-client's own parser)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.db import create_engine, session_factory
from bot.fakeapi import FakeBotAPI
from bot.fakeapi.updates import message_update
from bot.services.clocks import add_due
from bot.services.org import get_person
from models import DueItem, InboxUpdate
from models.duty import Patrol
from schedules.cron import occurrence
from tests.conftest import live_org
from tests.process import BotSubprocess, cli
from tests.scaleout.cluster import PATH, SECRET, SECRET_HEADER, Cluster

OFFICE = -1001000000001
EVERY = 2  # seconds between occurrences of the patrol planner (PATROL_PLAN_SECONDS)
FAMILIES = ("onduty_updates", "onduty_handler_seconds", "onduty_outbox_sent", "onduty_outbox_failed",
            "onduty_outbox_retried", "onduty_nudges_late", "onduty_escalations", "onduty_due_fired",
            "onduty_cron_runs", "onduty_outbox_backlog", "onduty_oldest_pending_nudge_seconds",
            "onduty_instances_live", "onduty_database_up")


async def test_three_instances_share_cron_digest_updates_and_report_health(pg_url: str, tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    cluster = Cluster(tmp_path, api, pg_url, 3, PATROL_PLAN_SECONDS=str(EVERY))
    engine = create_engine(pg_url)
    sessions = session_factory(engine)
    try:
        env = BotSubprocess(tmp_path, api.base_url, pg_url).env
        await cli("org", "import", str(live_org(tmp_path)), env=env, cwd=tmp_path)
        # Yesterday's patrols were not confirmed; yesterday's digest falls due while three instances run.
        now = datetime.now(UTC)
        day = (now - timedelta(days=1)).date()
        async with sessions() as s, s.begin():
            monitor = await get_person(s, 1001)
            for slot in ("morning", "evening"):
                s.add(Patrol(person_id=monitor.id, day=day, slot=slot))
            await add_due(s, kind="patrol", due=now + timedelta(seconds=8), dedup_key=f"patrol:{day}:digest",
                          now=now, payload={"action": "digest", "day": day.isoformat()})
        await cluster.start()
        started = datetime.now(UTC)  # from here on, every occurrence must come round
        await asyncio.sleep(4 * EVERY + 1)
        ended = datetime.now(UTC)

        # --- the cron job: every occurrence in the window exists once, is done, and ran once in all
        async with sessions() as s:
            rows = (await s.scalars(select(DueItem).where(DueItem.kind == "cron"))).all()
        occ = sorted(datetime.fromisoformat(r.payload["occurrence"]) for r in rows if r.status == "done")
        step = timedelta(seconds=EVERY)
        first, last = occurrence(started, step) + step, occurrence(ended, step)
        wanted = [first + k * step for k in range(int((last - first) / step))]
        assert len(wanted) >= 3
        assert set(wanted) <= set(occ) and len(occ) == len(set(occ)), (wanted, occ)
        runs = [await cluster.metric(i, "onduty_cron_runs_total", job="patrols") for i in range(3)]
        assert sum(runs) == len(occ), (runs, occ)
        assert sum(1 for r in runs if r) >= 2  # the occurrences were shared out, not all run by one

        # --- the digest (a due row with a daily key): once, although three sweepers were watching
        async with sessions() as s:
            for _ in range(150):
                if await s.scalar(select(DueItem.status).where(DueItem.dedup_key == f"patrol:{day}:digest")) == "done":
                    break
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # its message is out, and a second one would be too by now
        digests = [c for c in api.sent("sendMessage", OFFICE) if str(day) in (c.text or "")]
        assert len(digests) == 1, [c.text for c in api.sent("sendMessage", OFFICE)]

        # --- the same update reaching two instances (Telegram's retry landing elsewhere): processed once
        upd = message_update(1001, "/help", message_id=777)
        upd["update_id"] = 4242
        mark = len(api.calls)
        async with aiohttp.ClientSession() as http:
            async def post(i: int) -> int:
                async with http.post(cluster.base(i) + PATH, json=upd, headers={SECRET_HEADER: SECRET}) as r:
                    return r.status

            assert await asyncio.gather(post(0), post(1)) == [200, 200]
        await asyncio.sleep(1.5)
        replies = [c for c in api.calls[mark:] if c.method == "sendMessage" and c.chat_id == 1001]
        assert len(replies) == 1
        async with sessions() as s:
            assert await s.scalar(select(InboxUpdate.status).where(InboxUpdate.update_id == 4242)) == "done"
        handled = [await cluster.metric(i, "onduty_updates_total", type="message", outcome="handled")
                   for i in range(3)]
        skipped = [await cluster.metric(i, "onduty_updates_total", type="message", outcome="duplicate")
                   for i in range(3)]
        timed = [await cluster.metric(i, "onduty_handler_seconds_count", type="message") for i in range(3)]
        assert (sum(handled), sum(skipped), sum(timed)) == (1, 1, 2)  # the other found it done and skipped it

        # --- /metrics parses with prometheus-client; /healthz carries the figures
        status, text = await cluster.get(2, "/metrics")
        assert status == 200
        names = {fam.name for fam in text_string_to_metric_families(text)}
        assert set(FAMILIES) <= names, set(FAMILIES) - names
        status, body = await cluster.get(1, "/healthz")
        report = json.loads(body)
        assert status == 200 and report["status"] == "ok" and report["database"] == "ok", report
        for key in ("outbox_backlog", "oldest_pending_nudge_seconds", "outbox_oldest_pending_seconds",
                    "inbox_pending", "due_backlog"):
            assert isinstance(report[key], int | float), (key, report)
        assert report["instances_live"] == 3
        assert not api.violations, api.violations
    finally:
        await cluster.stop()
        await engine.dispose()
        await api.stop()
