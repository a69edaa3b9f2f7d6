"""Nudges across a restart: `onduty run` as a real subprocess (SQLite file, the fake Bot API with
Telegram's rate limits enforced), killed with SIGKILL while 500 nudge rows are pending.

Timeline of the main test (seconds after the bot is started; the wall clock is real):
  (the rows are added once the bot polls, so that their instants do not depend on its start-up time)
  A  150 rows due at +3.5…+8.7 (one per clock and instant) → delivered on time, then SIGKILL (at
     whatever the sender is doing: the office chat is still being served within its 20/min)
  B  200 rows due at +12.5…+17.1 while the bot is down, 4 on each of 50 clocks
  restart at +18.5 → one late ([迟发]) message per person and clock for B, to the responsible and the office
  C  150 rows due at +32…+39 → on time
Checked on the fake API's log, on `due_items` and with `onduty outbox`: every row fired once, exactly
the B rows late, nothing lost, a message twice only if `onduty outbox` counts it as possible duplicate.

The variant kills the process at the named crash point `after_send` (Telegram took the message, its
row is not yet marked): the next process sends it again and `onduty outbox` counts exactly that one.

The org sets `policy.clocks.late_grace_seconds: 3`, so that a few seconds of downtime count as late;
on SQLite the restarted process retakes at once whatever the killed one had claimed.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.db import create_engine, session_factory
from bot.domain.orgfile import parse_org_file
from bot.fakeapi import FakeBotAPI
from bot.i18n import t
from bot.services.calendar import calendar_for
from bot.services.clocks import add_due, cancel_due, set_responsible, start_clocks
from bot.services.org import get_person, load_org
from bot.services.org_import import import_org
from bot.services.reports import file_report
from models import DueItem, OutboxMessage
from tests.conftest import live_org
from tests.process import BotSubprocess, cli

OFFICE = -1001000000001
HANDLER0 = 6001  # handler i (telegram id 6001 + i) is responsible for clock i
N_INCIDENTS = 25  # × 4 clocks of a major incident = 100 clocks
PERCENT = re.compile(r"(\d+)%")
class Scenario:
    """The org (the example + 100 handlers), 25 incidents with 100 running clocks, the test's due rows."""

    def __init__(self, tmp_path: Path, api: FakeBotAPI, **env: str) -> None:
        self.db_url = f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
        self.tmp, self.api = tmp_path, api
        self.bot = BotSubprocess(tmp_path, api.base_url, self.db_url, **env)
        self.cli_env = {k: v for k, v in self.bot.env.items() if not k.startswith("ONDUTY_CRASH")}
        self.clocks: list[tuple[int, str, str]] = []  # clock index → (clock id, incident number, clock name)
        self.rows: dict[int, dict] = {}  # due row id → {"phase", "clock", "percent", "due"}

    async def setup(self, *, office_only: int = 0) -> None:
        """Clock i has handler i as its responsible, except the last `office_only` clocks (no one)."""
        await cli("org", "import", str(live_org(self.tmp)), env=self.cli_env, cwd=self.tmp)
        extra = yaml.safe_load(live_org(self.tmp).read_text(encoding="utf-8"))
        extra["policy"] = {**(extra.get("policy") or {}), "clocks": {"late_grace_seconds": 3}}
        extra["people"] += [{"telegram_id": HANDLER0 + i, "name": f"承办人{i:03d}", "roles": ["handler"]}
                            for i in range(100)]
        self.engine = create_engine(self.db_url)
        self.sessions = session_factory(self.engine)
        now = datetime.now(UTC)
        async with self.sessions() as s, s.begin():
            await import_org(s, parse_org_file(yaml.safe_dump(extra, allow_unicode=True)))
        async with self.sessions() as s, s.begin():
            org = await load_org(s)
            monitor = await get_person(s, 1001)
            values = {"time": now, "place": "东门", "unit": "后勤管理处", "process": "发帖", "result": "转发",
                      "sentiment": "negative", "platform": "weibo"}
            for _ in range(N_INCIDENTS):
                filed = await file_report(s, person=monitor, values=values, evidence=[], source="template",
                                          now=now, tz=org.tz)
                clocks = await start_clocks(s, incident_id=filed.incident_id, grade="major", category=None,
                                            discovered_at=now, learned_at=now, calendar=calendar_for(org),
                                            policy=org.policy, now=now)
                for c in clocks:  # the policy's own nudges are hours away: only the test's rows count
                    await cancel_due(s, clock_id=c.id, kind="nudge", now=now)
                    if len(self.clocks) < 100 - office_only:
                        handler = await get_person(s, HANDLER0 + len(self.clocks))
                        await set_responsible(s, incident_id=filed.incident_id, person_id=handler.id, names=[c.name])
                    self.clocks.append((c.id, filed.number, c.name))

    async def add_rows(self, plan: list[tuple[str, int, float, float]]) -> datetime:
        """(phase, clock index, point, seconds after start) → due rows; returns the start instant (now)."""
        start = datetime.now(UTC)
        async with self.sessions() as s, s.begin():
            for phase, clock, point, after in plan:
                cid, _, name = self.clocks[clock]
                due = start + timedelta(seconds=after)
                row = await add_due(s, kind="nudge", due=due, dedup_key=f"test:{phase}:{cid}:{point:g}", now=start,
                                    payload={"point": f"{point:g}", "point_at": due.isoformat(), "clock": name},
                                    clock_id=cid)
                self.rows[row] = {"phase": phase, "clock": clock, "percent": round(point * 100), "due": due}
        async with self.sessions() as s:
            assert await s.scalar(select(func.count()).select_from(DueItem)
                                  .where(DueItem.status == "pending", DueItem.kind == "nudge")) == len(plan)
        return start

    async def start_bot(self, within: float = 30) -> None:
        """Start `onduty run` and wait until it polls (its sweeper and sender are running by then)."""
        mark = len(self.api.calls)
        self.bot.start()
        for _ in range(int(within / 0.05)):
            if any(c.method == "getUpdates" for c in self.api.calls[mark:]):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the bot did not start polling: {self.bot.output()[-2000:]}")

    # ------------------------------------------------------------ the database, the log, `onduty outbox`
    async def counts(self) -> dict[str, int]:
        async with self.sessions() as s:
            out = {f"outbox.{k}": n for k, n in (await s.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all()}
            out.update({f"due.{k}": n for k, n in (await s.execute(
                select(DueItem.status, func.count()).where(DueItem.id.in_(list(self.rows)))
                .group_by(DueItem.status))).all()})
        return out

    async def quiet(self, *, all_done: bool = False) -> bool:
        """Nothing being sent or waiting to be sent, no due row half-way (and with all_done: none left)."""
        c = await self.counts()
        return not (c.get("outbox.pending") or c.get("outbox.sending") or c.get("due.claimed")
                    or (all_done and c.get("due.pending")))

    async def wait_until(self, cond, at: datetime, what: str) -> None:  # noqa: ANN001
        while not await cond():
            if datetime.now(UTC) > at:
                raise AssertionError(f"timed out waiting for {what}: {await self.counts()}\n"
                                     f"{self.bot.output()[-2000:]}")
            await asyncio.sleep(0.1)

    async def due_rows(self) -> dict[int, DueItem]:
        async with self.sessions() as s:
            return {d.id: d for d in (await s.scalars(select(DueItem).where(DueItem.id.in_(list(self.rows))))).all()}

    def label(self, clock: int) -> str:
        _, number, name = self.clocks[clock]
        return f"{number} · {t(f'clock.name.{name}', 'zh')}"

    @staticmethod
    def key(block: str) -> tuple[str, int, bool]:
        """A nudge as (incident number · clock label, percent, late marker)."""
        label = block.split("\n", 1)[0].split("：", 1)[1]
        return label, int(PERCENT.search(block).group(1)), block.startswith(LATE)

    def private(self, clock: int) -> list[tuple[tuple[str, int, bool], float]]:
        """The nudges the clock's responsible got, in order, with the wall time Telegram took each."""
        return [(self.key(r.text), r.wall) for r in self.api.sent("sendMessage", HANDLER0 + clock)]

    def office(self) -> Counter:
        """Every nudge the office chat got (the sender puts several into one message)."""
        return Counter(self.key(block) for r in self.api.sent("sendMessage", OFFICE) for block in r.text.split("\n\n"))

    async def flagged(self) -> Counter:
        """(chat, nudge) of the rows `onduty outbox` counts as possible duplicates."""
        async with self.sessions() as s:
            rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.possible_duplicate))).all()
        return Counter((r.chat_id, self.key(r.payload["text"])) for r in rows)

    def expected_office(self) -> Counter:
        """One block per (clock, sweep): the on-time rows one by one, the B rows of a clock as one."""
        out: Counter = Counter()
        for r in self.rows.values():
            if r["phase"] != "B":
                out[(self.label(r["clock"]), r["percent"], False)] += 1
        for clock in {r["clock"] for r in self.rows.values() if r["phase"] == "B"}:
            newest = max(r["percent"] for r in self.rows.values() if r["phase"] == "B" and r["clock"] == clock)
            out[(self.label(clock), newest, True)] += 1
        return out

    async def outbox(self) -> tuple[int, str]:
        text = await cli("outbox", env=self.cli_env, cwd=self.tmp)
        return int(re.search(r"Possible duplicates: (\d+)", text).group(1)), text

    async def close(self) -> None:
        self.bot.stop()


LATE = t("nudge.late", "zh")


@pytest.fixture
async def limited_api():  # noqa: ANN201
    async with FakeBotAPI(enforce_limits=True) as api:
        yield api


def _at(start: datetime, seconds: float) -> datetime:
    return start + timedelta(seconds=seconds)


async def _sleep_until(when: datetime) -> None:
    await asyncio.sleep(max(0.0, (when - datetime.now(UTC)).total_seconds()))


async def test_nudges_missed_while_down_come_once_late_and_coalesced(limited_api: FakeBotAPI, tmp_path: Path) -> None:
    api = limited_api
    sc = Scenario(tmp_path, api)
    await sc.setup()
    plan = [("A", i, 0.2, 3.5 + i * 0.035) for i in range(100)]
    plan += [("A", i, 0.25, 7 + (i - 50) * 0.035) for i in range(50, 100)]
    plan += [("B", i, p, 12.5 + j * 1.2 + i * 0.02) for i in range(50) for j, p in enumerate((0.3, 0.4, 0.5, 0.6))]
    plan += [("C", i, 0.7, 32 + i * 0.04) for i in range(100)]
    plan += [("C", i, 0.8, 37 + i * 0.04) for i in range(50)]
    assert len(plan) == 500
    try:
        await sc.start_bot()  # the rows go in once it runs: their instants must not depend on its start-up time
        start = await sc.add_rows(plan)
        async def a_delivered() -> bool:
            return all(len(sc.private(i)) == 1 + (i >= 50) for i in range(100))

        await sc.wait_until(a_delivered, _at(start, 12.3), "phase A delivered")
        sc.bot.kill()
        killed = datetime.now(UTC)
        assert killed < _at(start, 12.4), "killed too late: phase B would not fall due while the bot is down"
        assert all(r.status == "pending" for i, r in (await sc.due_rows()).items() if sc.rows[i]["phase"] != "A")
        await _sleep_until(_at(start, 18.5))  # B falls due at +12.5…+17.1 while the bot is down
        await sc.start_bot()  # a cold start takes seconds on a loaded machine: C (+32…) leaves it ~13 s
        assert datetime.now(UTC) < _at(start, 31), "restarted too slowly: phase C would fall due before"
        await sc.wait_until(lambda: sc.quiet(all_done=True), _at(start, 61), "every row done and delivered")
    finally:
        await sc.close()
    duplicates, report = await sc.outbox()
    rows = await sc.due_rows()

    # every due row was fired once; exactly the 200 missed ones are marked late
    assert Counter(r.status for r in rows.values()) == {"done": 500}
    assert {i for i, r in rows.items() if r.late} == {i for i, r in sc.rows.items() if r["phase"] == "B"}
    # each responsible: A on time, then (clocks 0–49) one late message for the four missed rows, then C on time;
    # a message twice only when its row is one of the possible duplicates `onduty outbox` counts
    extra: Counter = Counter()
    for i in range(100):
        got: list = []
        for k, _ in sc.private(i):
            if k in got:
                extra[(HANDLER0 + i, k)] += 1
            else:
                got.append(k)
        want = [(20, False), (60, True), (70, False), (80, False)] if i < 50 else [(20, False), (25, False), (70, False)]
        assert got == [(sc.label(i), p, late) for p, late in want], (sc.label(i), got)
    # the office chat: every nudge (several per message, within Telegram's group limit)
    office, expected = sc.office(), sc.expected_office()
    assert not expected - office, expected - office
    extra.update({(OFFICE, k): n for k, n in (office - expected).items()})
    flagged = await sc.flagged()
    assert duplicates == sum(flagged.values()) and not extra - flagged, (extra, flagged, report)
    # on time: delivered within seconds of the due instant (the sweep runs every second)
    lateness = sorted(wall - r["due"].timestamp() for r in sc.rows.values() if r["phase"] != "B"
                      for (_, p, _), wall in sc.private(r["clock"]) if p == r["percent"])
    print(f"\non-time nudges, due → taken by Telegram: p50 {lateness[len(lateness) // 2]:.2f} s, "
          f"max {lateness[-1]:.2f} s; possible duplicates {duplicates}, sent twice {sum(extra.values())}")
    assert len(lateness) >= 300 and lateness[-1] < 10, lateness[-10:]
    await sc.engine.dispose()
    assert api.rate_limited == 0 and not api.violations, (api.rate_limited, api.violations[:3])


async def test_crash_after_send_duplicates_one_message_and_counts_it(limited_api: FakeBotAPI, tmp_path: Path) -> None:
    api = limited_api
    sc = Scenario(tmp_path, api, ONDUTY_CRASH_AT="after_send")
    await sc.setup(office_only=1)
    lone = 99  # no responsible: its nudge goes to the office chat only, the one message in flight at the crash
    plan = [("A", lone, 0.2, 2)] + [("C", i, 0.7, 20 + i * 0.02) for i in range(50)]
    try:
        await sc.start_bot()
        start = await sc.add_rows(plan)
        assert await sc.bot.exited(within=20) in (-9, 137), sc.bot.output()[-2000:]
        sc.bot.env.pop("ONDUTY_CRASH_AT")
        await sc.start_bot()
        assert datetime.now(UTC) < _at(start, 19), "restarted too slowly: the C rows would fall due before"
        await sc.wait_until(lambda: sc.quiet(all_done=True), _at(start, 46), "every row done and delivered")
    finally:
        await sc.close()
    duplicates, report = await sc.outbox()
    async with sc.sessions() as s:
        dup_rows = (await s.scalars(select(OutboxMessage).where(OutboxMessage.possible_duplicate))).all()

    assert duplicates == 1, report
    assert len(dup_rows) == 1 and dup_rows[0].chat_id == OFFICE and sc.label(lone) in dup_rows[0].payload["text"]
    office = sc.office()
    assert office[(sc.label(lone), 20, False)] == 2  # Telegram took it twice: the one counted duplicate
    assert sum(office.values()) == 52 and all(n == 1 for k, n in office.items() if k[0] != sc.label(lone))
    for i in range(50):
        assert [k for k, _ in sc.private(i)] == [(sc.label(i), 70, False)]
    assert Counter(r.status for r in (await sc.due_rows()).values()) == {"done": 51}
    await sc.engine.dispose()
    assert api.rate_limited == 0 and not api.violations

