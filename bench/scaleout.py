"""Benchmark: webhook throughput of 1, 2 and 3 `onduty run --webhook` processes on one PostgreSQL database.

For each N: a fresh database (TEST_DATABASE_URL, or --url), the example organisation, N real instances
(subprocesses, as in production) and the fake Bot API in this process. The load generator posts
`/help` updates from distinct users straight to the instances, round robin (what nginx does), with
`--concurrency` requests open at once (Telegram's webhook opens up to 40 connections). Measured:

  * updates/s: updates / (last reply seen by the fake API − first post);
  * ack latency: the webhook's 200 (the update is committed to the inbox) — p50 / p95;
  * end-to-end latency: from the post until the bot's reply reached the (fake) Telegram — p95;
  * CPU: seconds used by the instances (from /proc) and by this process (the fake Telegram and the load
    generator) and by PostgreSQL per second of wall time, in cores — against the machine's 2.

The fake API and the load generator share the machine's cores with the instances and PostgreSQL, so
the figures are a floor; the point is where the curve bends. Telegram's own limit (about 30 messages
per second for a bot, docs/deployment.md) caps replies above that, whatever the number of instances.

    TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench python bench/scaleout.py \\
        [--updates 600] [--concurrency 20] [--instances 1,2,3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.fakeapi import FakeBotAPI  # noqa: E402
from bot.fakeapi.updates import message_update  # noqa: E402
from tests.conftest import EXAMPLE_ORG, reset_pg  # noqa: E402
from tests.process import BotSubprocess, cli  # noqa: E402
from tests.scaleout.cluster import PATH, SECRET, SECRET_HEADER, Cluster  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (all databases: others' load included)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def run(n: int, url: str, updates: int, concurrency: int, work: Path) -> dict:
    await reset_pg(url)
    api = FakeBotAPI()
    await api.start()
    cluster = Cluster(work, api, url, n, LOG_LEVEL="WARNING")
    try:
        await cli("org", "import", str(EXAMPLE_ORG), env=BotSubprocess(work, api.base_url, url).env, cwd=work)
        await cluster.start()
        next_id, user = 1, 10_000_000

        async def load(count: int) -> tuple[dict[int, float], list[float], float]:
            nonlocal next_id, user
            posted: dict[int, float] = {}
            acks: list[float] = []
            sem = asyncio.Semaphore(concurrency)
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
                async def one(k: int, uid: int, chat: int) -> None:
                    upd = message_update(chat, "/help", message_id=1)
                    upd["update_id"] = uid
                    async with sem:
                        t0 = time.time()
                        posted[chat] = t0
                        async with http.post(cluster.base(k % n) + PATH, json=upd,
                                             headers={SECRET_HEADER: SECRET}) as r:
                            assert r.status == 200, r.status
                        acks.append(time.time() - t0)

                start = time.time()
                jobs = []
                for k in range(count):
                    jobs.append(one(k, next_id, user))
                    next_id, user = next_id + 1, user + 1
                await asyncio.gather(*jobs)
            return posted, acks, start

        await load(30)  # warm-up: connections, caches, the org
        await asyncio.sleep(2)
        cpu0 = sum(cpu_seconds(b.proc.pid) for b in cluster.bots)
        own0, pg0 = time.process_time(), postgres_cpu()
        mark = len(api.calls)
        posted, acks, start = await load(updates)
        deadline = time.time() + 120
        replies: dict[int, float] = {}
        while len(replies) < updates and time.time() < deadline:
            replies = {c.chat_id: c.wall for c in api.calls[mark:] if c.method == "sendMessage" and c.ok
                       and c.chat_id in posted}
            await asyncio.sleep(0.05)
        end = max(replies.values())
        cpu = sum(cpu_seconds(b.proc.pid) for b in cluster.bots) - cpu0
        own = time.process_time() - own0  # the fake Telegram and the load generator (this process)
        pg = postgres_cpu() - pg0
        e2e = [replies[c] - posted[c] for c in replies]
        return {"n": n, "rate": len(replies) / (end - start), "ack50": statistics.median(acks) * 1000,
                "ack95": pct(acks, 0.95) * 1000, "e2e95": pct(e2e, 0.95) * 1000, "cpu": cpu / (end - start), "own": own / (end - start), "pg": pg / (end - start),
                "lost": updates - len(replies)}
    finally:
        await cluster.stop()
        await api.stop()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=os.environ.get("TEST_DATABASE_URL", ""))
    ap.add_argument("--updates", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--instances", default="1,2,3")
    args = ap.parse_args()
    if not args.url.startswith("postgresql"):
        sys.exit("bench/scaleout.py needs PostgreSQL: set TEST_DATABASE_URL or pass --url")
    print(f"{args.updates} /help updates, {args.concurrency} concurrent webhook posts, {os.cpu_count()} cores")
    print(f"{'instances':>9} {'updates/s':>10} {'ack p50 ms':>11} {'ack p95 ms':>11} {'e2e p95 ms':>11}"
          f" {'bot CPU':>8} {'fake+load CPU':>14} {'PG CPU':>7} {'lost':>5}")
    for n in (int(x) for x in args.instances.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            r = await run(n, args.url, args.updates, args.concurrency, Path(tmp))
        print(f"{r['n']:>9} {r['rate']:>10.1f} {r['ack50']:>11.1f} {r['ack95']:>11.1f} {r['e2e95']:>11.1f}"
              f" {r['cpu']:>8.2f} {r['own']:>14.2f} {r['pg']:>7.2f} {r['lost']:>5}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
