"""Demo steps `health` and `metrics`: the real /healthz and /metrics endpoints (bot/ops/http.py), served
on 127.0.0.1 for the demo's database and virtual clock and fetched over HTTP, as a monitoring system would.

    health      GET /healthz: the HTTP status and the JSON report
    metrics     GET /metrics: the onduty_* samples (Prometheus text format; comments, histogram buckets
                and sums — timings that differ between runs — left out)
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from bot.ops.http import OpsEndpoints, start_server


async def _get(player: Any, path: str) -> tuple[int, str]:
    endpoints = OpsEndpoints(player.proc.sessions, player.clock.now, instance="demo",
                             max_lag=player.settings.health_max_lag_seconds, telegram=player.proc.telegram_link)
    runner = await start_server(endpoints, "127.0.0.1", 0)
    try:
        host, port = runner.addresses[0][:2]
        async with aiohttp.ClientSession() as http, http.get(f"http://{host}:{port}{path}") as resp:
            return resp.status, await resp.text()
    finally:
        await runner.cleanup()


async def health(player: Any, _arg: str) -> None:
    status, body = await _get(player, "/healthz")
    report = json.loads(body)
    report.pop("time", None)  # the virtual clock's, already shown
    text = f"HTTP {status}\n" + json.dumps(report, ensure_ascii=False, indent=1)
    player.say("\n$ curl -s -w '%{http_code}' http://127.0.0.1:8080/healthz\n" + text)
    player.last_replies = [text]


async def metrics(player: Any, _arg: str) -> None:
    status, body = await _get(player, "/metrics")
    # histogram buckets and sums are timings: they differ from run to run, so the transcript shows counts
    samples = [ln for ln in body.splitlines() if ln.startswith("onduty_")
               and not ln.split("{")[0].split()[0].endswith(("_created", "_bucket", "_sum"))]
    text = f"HTTP {status}\n" + "\n".join(samples)
    player.say("\n$ curl -s http://127.0.0.1:8080/metrics | grep ^onduty_\n" + text)
    player.last_replies = [text]
