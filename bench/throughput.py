"""Throughput: N simulated monitors file complete template reports over loopback HTTP against the fake
Bot API; the same flow against a bare aiogram echo bot on the same fake server, in the same run.

    python bench/throughput.py [--monitors 50] [--reports 4]

Prints updates/second and p50/p95 latency (update pushed → the bot's reply recorded) for both, the ratio,
and what each update cost: Bot API calls and SQL statements per update.
Target: onduty ≥ 50% of the echo bot's updates/second on SQLite.

A row "floor" sends onduty /help as many times (one update, one reply, no report): what the durable
pipeline alone costs — the inbox row, the update's transaction, the person and the dialog state read —
against the echo bot, which answers from memory. A last row, "routing", sends the same /help through
onduty's own routers and handler with no database at all (dialog state, org and people in memory; aiogram's
own polling, as the echo bot): the floor's gap split between routing and the durable pipeline.

Last, the flows once more under cProfile: Python function calls per update, a cost figure that does not
move with the machine's load (updates/s here can vary by a third between two runs a minute apart), with
the confirm's `file_report` counted apart.

Every report here grades as a major incident (150 Weibo reposts, 70 % negative): it starts four clocks with
their nudges, plans the escalation, writes the timeline and, for the first one, the 72-hour duty roster
(later ones join it). The org has monitors only, so no incident cards are sent.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import BaseMiddleware, Dispatcher, F  # noqa: E402
from aiogram.fsm.storage.memory import MemoryStorage  # noqa: E402
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bot.app import create_bot  # noqa: E402
from bot.clock import VirtualClock  # noqa: E402
from bot.demo.harness import BotProcess, local_settings  # noqa: E402
from bot.demo.runner import DEFAULT_START  # noqa: E402
from bot.domain.orgfile import parse_org_file  # noqa: E402
from bot.fakeapi import FakeBotAPI  # noqa: E402
from bot.services.dto import OrgDTO, PersonDTO  # noqa: E402
from bot.services.org import get_person, load_org  # noqa: E402
from bot.services.org_import import import_org  # noqa: E402

TEMPLATE = ("/report\n时间：2026-11-24 09:30\n地点：学校东门\n涉及单位：后勤管理处\n过程：网民发帖称食堂饭菜出现异物\n"
            "结果：帖子被转发\n跟帖倾向：负面 70%\n平台：微博\n转发：150\n媒体级别：本地\n跨地区：否\n类别：询问")
FIRST_ID = 100_000


def org_yaml(monitors: int) -> str:
    people = "\n".join(f"  - {{telegram_id: {FIRST_ID + i}, name: 监测员{i}, roles: [monitor]}}" for i in range(monitors))
    return f"organization: {{name: 压测单位}}\npeople:\n{people}\n"


class Replies:
    """Waits for the bot's reply to one monitor, woken by the fake server as each call finishes (no polling:
    the driver shares the bot's event loop, and rescanning the call log would take the bot's CPU)."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.waiting: dict[int, tuple[str, asyncio.Future]] = {}
        api.add_listener(self._seen)

    def _seen(self, rec) -> None:  # noqa: ANN001
        if rec.method != "sendMessage" or not rec.ok:
            return
        try:
            chat = int(rec.params.get("chat_id"))
        except (TypeError, ValueError):
            return
        want = self.waiting.get(chat)
        if want and want[0] in rec.params.get("text", "") and not want[1].done():
            want[1].set_result(None)

    async def wait(self, chat: int, want: str, trigger) -> None:  # noqa: ANN001
        fut = asyncio.get_running_loop().create_future()
        self.waiting[chat] = (want, fut)
        trigger()
        try:
            await asyncio.wait_for(fut, 120)
        finally:
            del self.waiting[chat]


async def run_monitors(api: FakeBotAPI, monitors: int, rounds: int,
                       steps: list[tuple[str, Callable[[int], object]]]) -> tuple[int, float, list[float]]:
    """Every monitor plays `steps` — (text the reply must contain, what the monitor sends) — `rounds` times,
    each step once the previous one's reply came; all monitors at once."""
    latencies: list[float] = []
    replies = Replies(api)

    async def monitor(uid: int) -> None:
        for _ in range(rounds):
            for want, push in steps:
                t0 = time.perf_counter()
                await replies.wait(uid, want, lambda: push(uid))  # noqa: B023 - awaited within the iteration
                latencies.append(time.perf_counter() - t0)

    start = time.perf_counter()
    await asyncio.gather(*(monitor(FIRST_ID + i) for i in range(monitors)))
    return monitors * rounds * len(steps), time.perf_counter() - start, latencies


def report_steps(api: FakeBotAPI, want_summary: str, want_done: str, button: str) -> list[tuple[str, Callable]]:
    """A template report: the template, then the button on the summary."""
    return [(want_summary, lambda uid: api.user_message(uid, TEMPLATE)),
            (want_done, lambda uid: api.press(uid, api.last_message(uid), button))]


def help_steps(api: FakeBotAPI) -> list[tuple[str, Callable]]:
    return [("/report", lambda uid: api.user_message(uid, "/help"))]


async def drive(api: FakeBotAPI, monitors: int, reports: int, want_summary: str, want_done: str,
                button: str) -> tuple[int, float, list[float]]:
    return await run_monitors(api, monitors, reports, report_steps(api, want_summary, want_done, button))


def echo_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer("summary " + message.text[:50], reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="OK", callback_data="ok")]]))

    @dp.callback_query()
    async def ok(query: CallbackQuery) -> None:
        await query.answer("done")
        await query.message.answer("done")

    return dp


def routing_dispatcher(org: OrgDTO, people: dict[int, PersonDTO]) -> Dispatcher:
    """onduty's own routers and handlers with no database under them: the dialog state in memory, the org and
    the people handed in from memory. What routing and the handler cost, apart from the durable pipeline."""
    from handlers import build_router

    class FromMemory(BaseMiddleware):
        async def __call__(self, handler, event, data):  # noqa: ANN001, ANN204
            user = data.get("event_from_user")
            data.update(org=org, person=people.get(user.id) if user else None, lang="zh", session=None)
            return await handler(event, data)

    dp = Dispatcher(storage=MemoryStorage())
    dp["clock"] = VirtualClock(DEFAULT_START)
    dp.update.outer_middleware.unregister(dp.fsm)
    dp.update.outer_middleware(FromMemory())
    dp.update.outer_middleware(dp.fsm)
    dp.include_router(build_router())
    return dp


async def routing_row(api: FakeBotAPI, monitors: int, updates: int, org: OrgDTO, people: dict[int, PersonDTO],
                      echo: dict, echo_calls: float) -> None:
    bot = create_bot("123456:ROUTING-bench", api.base_url)
    dp = routing_dispatcher(org, people)
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    await asyncio.sleep(0.2)
    settle()
    mark = len(api.calls)
    run = await run_monitors(api, monitors, updates // monitors, help_steps(api))
    row = summary("routing", *run, calls=api_calls(api, mark), statements=0)
    calls = await CallCount().count(lambda: run_monitors(api, monitors, 1, help_steps(api))) / monitors
    await dp.stop_polling()
    await task
    await bot.session.close()
    print(f"   routing (/help through onduty's routers and handler, no database)/echo = {row['ups'] / echo['ups']:.2f}"
          f" by time, {echo_calls / calls:.2f} by calls ({calls:,.0f} per update): the rest of the floor's gap is"
          f" the durable pipeline")


def summary(name: str, n: int, elapsed: float, lat: list[float], *, calls: int, statements: int) -> dict:
    qs = statistics.quantiles(lat, n=20)
    row = {"name": name, "updates": n, "seconds": elapsed, "ups": n / elapsed,
           "p50_ms": statistics.median(lat) * 1000, "p95_ms": qs[18] * 1000}
    print(f"{name:>8}: {row['ups']:7.1f} updates/s  p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms"
          f"  ({n} updates in {elapsed:.2f} s; per update {calls / n:.1f} Bot API calls besides getUpdates,"
          f" {statements / n:.1f} SQL statements)")
    return row


def settle() -> None:
    """As `onduty run` does after start-up (bot/runtime.py): what is loaded stays, out of the collector's way."""
    gc.collect()
    gc.freeze()


def api_calls(api: FakeBotAPI, since: int) -> int:
    return sum(1 for c in api.calls[since:] if c.method != "getUpdates")


class CallCount:
    """Python function calls (cProfile's count, builtins included) per update: a cost figure that does not
    move with the machine's load, unlike updates/s. Counted in a pass of its own (the profiler slows
    everything), for the whole process — the fake Bot API and the simulated monitors included, as in the
    timed runs. `inside` also counts, apart, the calls made within one async function (it runs without
    yielding to the event loop on SQLite, so nothing else is counted with it)."""

    def __init__(self) -> None:
        self.outer, self.inner = cProfile.Profile(), cProfile.Profile()

    async def count(self, run) -> int:  # noqa: ANN001
        before = self.total()
        self.outer.enable()
        try:
            await run()
        finally:
            self.outer.disable()
        return self.total() - before

    def total(self) -> int:
        return sum(pstats.Stats(p).total_calls if p.getstats() else 0 for p in (self.outer, self.inner))

    def inside(self, fn):  # noqa: ANN001, ANN201
        async def counted(*a, **k):  # noqa: ANN002, ANN003, ANN202
            self.outer.disable()
            self.inner.enable()
            try:
                return await fn(*a, **k)
            finally:
                self.inner.disable()
                self.outer.enable()
        return counted

    def inner_total(self) -> int:
        return pstats.Stats(self.inner).total_calls if self.inner.getstats() else 0


async def count_calls(api: FakeBotAPI, monitors: int, echo_calls: float) -> None:
    """The same three flows once more, each update's Python calls counted (CallCount), the confirm's
    `file_report` — numbering, storing, grading, clocks, escalation, duty — apart."""
    import handlers.report_review as review

    cc, filing = CallCount(), review.file_report
    template_step, confirm_step = report_steps(api, "报送摘要", "已提交", "确认")
    template = await cc.count(lambda: run_monitors(api, monitors, 1, [template_step])) / monitors
    review.file_report = cc.inside(filing)
    try:
        confirm = await cc.count(lambda: run_monitors(api, monitors, 1, [confirm_step])) / monitors
    finally:
        review.file_report = filing
    filed = cc.inner_total() / monitors
    if dump := os.environ.get("ONDUTY_BENCH_PSTATS"):  # file_report's profile, to compare two commits by function
        cc.inner.dump_stats(dump)
    helped = await cc.count(lambda: run_monitors(api, monitors, 1, help_steps(api))) / monitors
    ours = (template + confirm) / 2
    print(f"   Python calls per update (cProfile's count, the whole process; steady where updates/s is not): "
          f"echo {echo_calls:,.0f}; onduty {ours:,.0f} (template {template:,.0f}, confirm {confirm:,.0f}, of which "
          f"file_report {filed:,.0f}); floor {helped:,.0f}")
    print(f"   ratio by calls: echo/onduty = {echo_calls / ours:.2f}; were file_report free, "
          f"{echo_calls / (ours - filed / 2):.2f}; floor {echo_calls / helped:.2f}")


async def main(monitors: int, reports: int) -> None:
    api = FakeBotAPI()
    await api.start()
    try:
        # The bare echo bot, same fake server, same flow shape (two updates per report).
        bot = create_bot("123456:ECHO-bench", api.base_url)
        dp = echo_dispatcher()
        task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
        await asyncio.sleep(0.2)
        settle()
        mark = len(api.calls)
        run = await drive(api, monitors, reports, "summary", "done", "OK")
        echo = summary("echo", *run, calls=api_calls(api, mark), statements=0)
        cc = CallCount()
        echo_calls = await cc.count(lambda: drive(api, monitors, 1, "summary", "done", "OK")) / (2 * monitors)
        await dp.stop_polling()
        await task
        await bot.session.close()

        workdir = Path(tempfile.mkdtemp(prefix="onduty-bench-"))
        proc = BotProcess(local_settings(workdir, api.base_url), VirtualClock(DEFAULT_START))
        await proc.start()
        try:
            async with proc.sessions() as s, s.begin():
                await import_org(s, parse_org_file(org_yaml(monitors)))
            statements = [0]
            event.listen(proc._engine.sync_engine, "before_cursor_execute",
                         lambda *_a, **_k: statements.__setitem__(0, statements[0] + 1))
            settle()
            mark = len(api.calls)
            run = await drive(api, monitors, reports, "报送摘要", "已提交", "确认")
            ours = summary("onduty", *run, calls=api_calls(api, mark), statements=statements[0])
            mark, statements[0] = len(api.calls), 0
            run = await run_monitors(api, monitors, reports * 2, help_steps(api))
            floor = summary("floor", *run, calls=api_calls(api, mark), statements=statements[0])
            print(f"   ratio: onduty/echo = {ours['ups'] / echo['ups']:.2f} (target ≥ 0.50) on SQLite; "
                  f"floor (/help)/echo = {floor['ups'] / echo['ups']:.2f}; Bot API violations: {len(api.violations)}")
            await count_calls(api, monitors, echo_calls)
            async with proc.sessions() as s:
                org = await load_org(s)
                people = {FIRST_ID + i: await get_person(s, FIRST_ID + i) for i in range(monitors)}
        finally:
            await proc.stop()
        await routing_row(api, monitors, run[0], org, people, echo, echo_calls)
    finally:
        await api.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--monitors", type=int, default=50)
    ap.add_argument("--reports", type=int, default=4)
    a = ap.parse_args()
    asyncio.run(main(a.monitors, a.reports))
