"""Benchmark: how close the outbox sender gets to Telegram's sending limits, without a 429.

The real `OutboxSender` (bot/delivery) drains a SQLite outbox into the packaged fake Bot API with
Telegram's limits enforced (`FakeBotAPI(enforce_limits=True)`: 30 messages/s overall, about 1/s per
private chat with a burst of 3, 20/min per group; beyond them it answers 429 retry_after).
Two scenarios, each on a fresh database, fake API and sender:

  * mixed:   600 messages to 300 private chats (two each) + 30 to 6 group chats (five each, spread
             through the queue: a group takes at most 20 a minute, so they cannot all come last);
  * fan-out: one message to 300 private chats (issue 4: within 10 % of the limit-bound 300/30 = 10 s).

Printed: wall time from the sender's start until Telegram took the last message, the achieved
rate as a fraction of the 30/s limit (target ≥ 90 %), and the number of 429s (target 0). Each
scenario runs with the sender's default limits (Limits(): safety 0.9, i.e. the windowed limits kept
10 % under Telegram's) and, for comparison, with safety 1.0. Both servers share one process and
one event loop, so the figures are relative to this machine.

    python bench/outbox_rate.py [--private 300] [--per-chat 2] [--groups 6] [--per-group 5] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.app import create_bot  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.db import create_engine, session_factory  # noqa: E402
from bot.delivery import Limits, OutboxSender  # noqa: E402
from bot.fakeapi import FakeBotAPI  # noqa: E402
from bot.services.addresses import telegram  # noqa: E402
from bot.services.outbox import enqueue  # noqa: E402
from bot.telegram.channel import TelegramChannel  # noqa: E402
from models import OutboxMessage  # noqa: E402
from models.migrate import upgrade  # noqa: E402

TOKEN = "123456:BENCH-outbox-rate"
TELEGRAM_PER_SECOND = 30
TARGET_FRACTION = 0.90
FANOUT_SLACK = 0.10


async def run(workdir: Path, name: str, messages: list[tuple[int, str]], limits: Limits) -> dict[str, float]:
    """Enqueue `messages` (chat id, text), let one sender drain them; timings from the fake API's log."""
    url = f"sqlite+aiosqlite:///{workdir / f'{name}-{limits.safety:g}.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = SystemClock()
    async with sessions() as s, s.begin():
        for n, (chat, text) in enumerate(messages):
            await enqueue(s, to=telegram(chat), text=text, now=clock.now(), dedup_key=f"bench:{n}")
    async with FakeBotAPI(enforce_limits=True) as api:
        bot = create_bot(TOKEN, api.base_url)
        sender = OutboxSender(TelegramChannel(bot), sessions, clock, instance="bench", limits=limits)
        stop = asyncio.Event()
        start = time.monotonic()
        task = asyncio.create_task(sender.run_forever(stop))
        while len(api.sent("sendMessage")) < len(messages):
            if time.monotonic() - start > 600:
                raise SystemExit(f"{name}: not drained after 600 s ({len(api.sent('sendMessage'))} taken)")
            await asyncio.sleep(0.05)
        taken = api.sent("sendMessage")
        elapsed = max(r.monotonic for r in taken) - start
        stop.set()
        sender.wake()
        await task
        await bot.session.close()
        rate_limited = api.rate_limited
        per_chat: dict[int, int] = {}
        for r in taken:
            per_chat[r.chat_id] = per_chat.get(r.chat_id, 0) + 1
    async with sessions() as s:
        unsent = await s.scalar(select(func.count()).where(OutboxMessage.status != "sent"))
    await engine.dispose()
    wanted: dict[int, int] = {}
    for chat, _ in messages:
        wanted[chat] = wanted.get(chat, 0) + 1
    assert per_chat == wanted and unsent == 0, "every message once, none left"
    bound = len(messages) / TELEGRAM_PER_SECOND
    return {"n": len(messages), "elapsed": elapsed, "rate": len(messages) / elapsed, "bound": bound,
            "fraction": bound / elapsed, "rate_limited": rate_limited}


def _line(name: str, safety: float, r: dict[str, float]) -> str:
    return (f"  {name:<8} safety {safety:<4g} {int(r['n']):>4} messages in {r['elapsed']:6.2f} s "
            f"(limit-bound {r['bound']:5.2f} s): {r['rate']:5.2f}/s = {r['fraction']:6.1%} of "
            f"{TELEGRAM_PER_SECOND}/s; 429s: {int(r['rate_limited'])}")


async def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--private", type=int, default=300)
    p.add_argument("--per-chat", type=int, default=2)
    p.add_argument("--groups", type=int, default=6)
    p.add_argument("--per-group", type=int, default=5)
    p.add_argument("--check", action="store_true", help="exit 1 when the default limits miss a target")
    args = p.parse_args()
    text = "⏰ 时限提醒：YQ-2026-{n:04d} · 首次回应网民\n时限：2026-11-24 13:00 (UTC+08:00)\n已用时 50%，剩余 1小时30分。"
    private = [(10_000 + c, text.format(n=k * args.private + c)) for k in range(args.per_chat) for c in range(args.private)]
    groups = [(-1002000000000 - g, text.format(n=9000 + k * args.groups + g))
              for k in range(args.per_group) for g in range(args.groups)]
    step = max(1, len(private) // max(1, len(groups)))  # group messages spread through the queue, not at its end
    mixed = [m for i, p in enumerate(private) for m in ([p, groups[i // step]] if i % step == 0 and i // step < len(groups)
                                                         else [p])]
    fanout = [(10_000 + c, text.format(n=1)) for c in range(args.private)]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        print(f"OutboxSender → FakeBotAPI(enforce_limits=True); Telegram's limit {TELEGRAM_PER_SECOND} messages/s")
        for safety in (Limits().safety, 1.0):
            limits = Limits(safety=safety)
            m = await run(Path(tmp), "mixed", mixed, limits)
            print(_line("mixed", safety, m))
            f = await run(Path(tmp), "fan-out", fanout, limits)
            print(_line("fan-out", safety, f) + f" (target ≤ {f['bound'] * (1 + FANOUT_SLACK):.1f} s)")
            if safety == Limits().safety:
                ok = (m["fraction"] >= TARGET_FRACTION and f["elapsed"] <= f["bound"] * (1 + FANOUT_SLACK)
                      and m["rate_limited"] == 0 and f["rate_limited"] == 0)
    print(f"targets: ≥ {TARGET_FRACTION:.0%} of the limit, fan-out within {FANOUT_SLACK:.0%} of the bound, "
          f"no 429 — {'met' if ok else 'missed'} with the default limits")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
