"""A full or failing disk is survived (issue 18, item 6): `onduty run` as a real subprocess whose SQLite writes
really fail — through SQLite's own error path, not a mock — keeps running, says why on /healthz (503), leaves
the users' updates unconfirmed (polling) or unanswered with 503 (webhook), and once the disk takes writes
again processes each of them exactly once, by itself.

Two ways to make the disk fail:
* the file-size limit (RLIMIT_FSIZE) of the running process, lowered from outside with prlimit: every write
  of SQLite's then fails with EFBIG (Python ignores SIGXFSZ), which SQLite reports as "disk I/O error"
  (SQLITE_IOERR_WRITE; it says "database or disk is full" only for ENOSPC). Raising the limit again is the
  disk coming back. Needs nothing special: runs everywhere.
* a real full filesystem: the database on a small tmpfs, filled up by a file; SQLite reports "database or
  disk is full" (SQLITE_FULL); deleting the file is space returning. Needs the right to mount (root, as in
  the project's container); skipped with the reason otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import live_org
from tests.process import BotSubprocess, an_hour_ago, cli
from tests.test_webhook import free_port

TEMPLATE = ("/report\n时间：" + an_hour_ago() + "\n地点：东门\n涉及单位：后勤处\n过程：发帖\n结果：转发\n跟帖倾向：负面\n平台：微博")
SOFT, HARD = resource.getrlimit(resource.RLIMIT_FSIZE)


class PipedBot(BotSubprocess):
    """`onduty run` whose output goes through a pipe: with its file-size limit lowered, the process could not
    write its own log file either, and the test would lose what it says during the fault."""

    def start(self, *args: str, preexec_fn: Callable[[], None] | None = None) -> None:
        self._out = self.log.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", *args], cwd=self.workdir,
                                     env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     preexec_fn=preexec_fn)
        out, pipe = self._out, self.proc.stdout
        assert pipe is not None

        def copy() -> None:
            for line in iter(pipe.readline, b""):
                with contextlib.suppress(ValueError):  # closed by stop()
                    out.write(line)
                    out.flush()

        threading.Thread(target=copy, daemon=True).start()

    def start_limited(self, limit: int, *args: str) -> None:
        """Started with its file-size limit at `limit` bytes: SQLite can open and read, not write beyond it."""
        self.start(*args, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, HARD)))

    def fail_writes(self) -> None:
        """Every write of the process at an offset beyond 1 byte fails (EFBIG): SQLite can read, not write."""
        assert self.proc is not None
        resource.prlimit(self.proc.pid, resource.RLIMIT_FSIZE, (1, HARD))

    def heal_writes(self) -> None:
        assert self.proc is not None
        resource.prlimit(self.proc.pid, resource.RLIMIT_FSIZE, (HARD, HARD))

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


async def healthz(port: int) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as r:
        return r.status, await r.json()


async def wait_health(port: int, status: int, within: float = 30) -> dict:
    body: dict = {}
    for _ in range(int(within / 0.2)):
        with contextlib.suppress(aiohttp.ClientConnectorError):
            got, body = await healthz(port)
            if got == status:
                return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"/healthz never answered {status}: {body}")


def replies(api, chat: int, after: int, contains: str = "") -> list[str]:  # noqa: ANN001
    return [c.params.get("text", "") for c in api.calls[after:] if c.method == "sendMessage" and c.ok
            and str(c.params.get("chat_id")) == str(chat) and contains in c.params.get("text", "")]


async def wait_replies(api, chat: int, after: int, n: int, contains: str = "", within: float = 60) -> list[str]:  # noqa: ANN001
    for _ in range(int(within / 0.1)):
        if len(found := replies(api, chat, after, contains)) >= n:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"{n} replies containing {contains!r} to {chat} expected, got {replies(api, chat, after)}")


def inbox_rows(db: Path) -> list[tuple[int, str, int]]:
    with contextlib.closing(sqlite3.connect(db)) as c:
        return c.execute("SELECT update_id, status, attempts FROM inbox ORDER BY update_id").fetchall()


async def _survives(api, tmp_path: Path, db: Path, fail, heal, reason: str, bot: PipedBot, port: int) -> None:  # noqa: ANN001
    """The scenario shared by both faults: 3 × /help and a pasted template while the disk fails."""
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        await wait_health(port, 200)
        mark = len(api.calls)
        api.user_message(1001, "/help")
        await wait_replies(api, 1001, mark, 1)  # the bot is up and answering
        confirmed = api.confirmed

        fail()
        mark = len(api.calls)
        sent = [api.user_message(1001, "/help") for _ in range(3)] + [api.user_message(1002, TEMPLATE)]
        body = await wait_health(port, 503)
        assert any(p.startswith(f"database: {reason} since ") for p in body["problems"]), body
        await asyncio.sleep(3)  # several retries meet the fault
        assert bot.alive(), bot.output()[-2000:]
        assert replies(api, 1001, mark) == [] and replies(api, 1002, mark) == []
        assert api.confirmed == confirmed < sent[0], "updates the bot could not store were confirmed to Telegram"
        status, body = await healthz(port)
        assert status == 503 and any(p.startswith(f"database: {reason} since ") for p in body["problems"]), body

        heal()  # space returns: the bot goes on by itself
        helps = await wait_replies(api, 1001, mark, 3)
        summary = await wait_replies(api, 1002, mark, 1)
        await api.wait_confirmed(sent[-1], timeout=30)
        await wait_health(port, 200)
        await asyncio.sleep(1.5)  # anything doubled would have come by now
        assert len(replies(api, 1001, mark)) == len(helps) == 3, replies(api, 1001, mark)
        assert replies(api, 1002, mark) == summary and len(summary) == 1, replies(api, 1002, mark)
        assert bot.alive()
    finally:
        bot.stop()
    rows = {uid: (status, attempts) for uid, status, attempts in inbox_rows(db)}
    assert all(rows[uid] == ("done", 0) for uid in sent), rows  # the faults were not counted as failed attempts


async def test_polling_survives_writes_failing_and_processes_each_update_once_after(api, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "onduty.db"
    port = free_port()
    bot = PipedBot(tmp_path, api.base_url, f"sqlite+aiosqlite:///{db}", METRICS_LISTEN=f"127.0.0.1:{port}")
    await _survives(api, tmp_path, db, bot.fail_writes, bot.heal_writes, "disk I/O error", bot, port)
    assert not api.violations


@contextlib.contextmanager
def small_filesystem(where: Path, size: str = "8m") -> Iterator[Path]:
    where.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True, text=True)
    except FileNotFoundError:
        pytest.skip("no mount command: a real full filesystem cannot be made here")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(fs: Path) -> Path:
    filler = fs / "filler"
    with filler.open("wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    return filler


async def test_polling_survives_a_full_filesystem_and_goes_on_when_space_returns(api, tmp_path: Path) -> None:  # noqa: ANN001
    with small_filesystem(tmp_path / "fs") as fs:
        db = fs / "onduty.db"
        port = free_port()
        bot = PipedBot(tmp_path, api.base_url, f"sqlite+aiosqlite:///{db}", METRICS_LISTEN=f"127.0.0.1:{port}")
        filler = fs / "filler"
        await _survives(api, tmp_path, db, lambda: fill(fs), filler.unlink, "disk full", bot, port)
    assert not api.violations


async def no_claims(db: Path, within: float = 10) -> None:
    """Until neither an outbox row nor a due row is claimed. A start re-takes the claims of the process before
    it (bot/runtime.py retake_claims), a write that a failing disk refuses — and bot/runtime.py (not this
    test's to change) does not yet survive that; the scenario here is the inbox's."""
    for _ in range(int(within / 0.1)):
        with contextlib.closing(sqlite3.connect(db)) as c:
            n = c.execute("SELECT (SELECT count(*) FROM outbox WHERE status = 'sending')"
                          " + (SELECT count(*) FROM due_items WHERE status = 'claimed')").fetchone()[0]
        if n == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("claims still held")


async def _incidents(env: dict, cwd: Path) -> list[dict]:
    import json

    return json.loads(await cli("export", "--format", "json", env=env, cwd=cwd))["incidents"]


async def test_restarted_on_a_failing_disk_it_waits_then_files_the_report_once(api, tmp_path: Path) -> None:  # noqa: ANN001
    """A press committed to the inbox but not processed (the process was killed inside the handler) is taken
    first on the next start; here that start happens with the file-size limit already small (preexec_fn), so
    the update's own transaction is what fails: it stays in the inbox, uncounted, until the limit is raised."""
    db = tmp_path / "onduty.db"
    port = free_port()
    bot = PipedBot(tmp_path, api.base_url, f"sqlite+aiosqlite:///{db}", METRICS_LISTEN=f"127.0.0.1:{port}",
                   ONDUTY_CRASH_AT="report_filed")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start()
    try:
        mark = len(api.calls)
        api.user_message(1001, TEMPLATE)
        await wait_replies(api, 1001, mark, 1)
        await no_claims(db)  # see the note on bot/runtime.py below
        pressed = api.press(1001, api.last_message(1001), "确认")
        assert await bot.exited() in (-9, 137), bot.output()[-1500:]

        bot.env.pop("ONDUTY_CRASH_AT")
        # The write-ahead log the killed process left (its frames are read back on start) ends at the limit:
        # anything SQLite appends to it is beyond. The index beside it (-shm, 32 KiB, mapped) stays within.
        limit = (tmp_path / "onduty.db-wal").stat().st_size
        assert limit > (tmp_path / "onduty.db-shm").stat().st_size
        mark = len(api.calls)
        bot.start_limited(limit)
        body = await wait_health(port, 503)
        assert any(p.startswith("database: disk I/O error since ") for p in body["problems"]), body
        await asyncio.sleep(3)
        assert bot.alive(), bot.output()[-2000:]
        assert not replies(api, 1001, mark, "YQ-")
        assert [status for uid, status, _ in inbox_rows(db) if uid == pressed] == ["received"]

        bot.heal_writes()
        await wait_replies(api, 1001, mark, 1, "YQ-")
        await wait_health(port, 200)
        await asyncio.sleep(1.5)
        assert len(replies(api, 1001, mark, "YQ-")) == 1
    finally:
        bot.stop()
    assert len(await _incidents(bot.env, tmp_path)) == 1
    assert [(status, attempts) for uid, status, attempts in inbox_rows(db) if uid == pressed] == [("done", 0)]
    assert not api.violations


async def test_webhook_answers_503_while_writes_fail_and_loses_nothing(api, tmp_path: Path) -> None:  # noqa: ANN001
    """The update cannot be stored: 503, so Telegram (the fake, retrying with back-off as Telegram does) keeps
    it and delivers it again; once the disk takes writes each is processed once."""
    db = tmp_path / "onduty.db"
    port = free_port()
    api.webhook_retries, api.webhook_backoff = 50, 0.3
    bot = PipedBot(tmp_path, api.base_url, f"sqlite+aiosqlite:///{db}", WEBHOOK_URL=f"http://127.0.0.1:{port}",
                   WEBHOOK_SECRET="s3cret", WEBHOOK_LISTEN=f"127.0.0.1:{port}", WEBHOOK_PATH="/tg")
    await cli("org", "import", str(live_org(tmp_path)), env=bot.env, cwd=tmp_path)
    bot.start("--webhook")
    try:
        await api.wait_for_call("setWebhook", timeout=30)
        mark = len(api.calls)
        api.user_message(1001, "/help")
        await wait_replies(api, 1001, mark, 1)

        bot.fail_writes()
        mark, delivered = len(api.calls), len(api.webhook_deliveries)
        sent = [api.user_message(1001, "/help") for _ in range(3)]
        body = await wait_health(port, 503)
        assert any(p.startswith("database: disk I/O error since ") for p in body["problems"]), body
        await asyncio.sleep(2)
        assert bot.alive(), bot.output()[-2000:]
        assert replies(api, 1001, mark) == []
        refused = {d.status for d in api.webhook_deliveries[delivered:]}
        assert refused == {503}, refused

        bot.heal_writes()
        await wait_replies(api, 1001, mark, 3)
        await api.wait_confirmed(sent[-1], timeout=30)
        await wait_health(port, 200)
        await asyncio.sleep(1.5)
        assert len(replies(api, 1001, mark)) == 3
        assert 500 not in {d.status for d in api.webhook_deliveries}
    finally:
        bot.stop()
    rows = {uid: (status, attempts) for uid, status, attempts in inbox_rows(db)}
    assert all(rows[uid] == ("done", 0) for uid in sent), rows
    assert not api.violations
