"""`onduty run` as a real subprocess against the in-test fake Bot API (for crash and restart tests)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TOKEN = "123456:SUBPROCESS-test-token"


class BotSubprocess:
    def __init__(self, workdir: Path, api_url: str, database_url: str, **env: str):
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))}
        self.env.update({"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api_url, "DATABASE_URL": database_url,
                         "EVIDENCE_DIR": str(workdir / "evidence"), "LOG_LEVEL": "INFO", **env})
        self.proc: subprocess.Popen | None = None
        self.log = workdir / "bot.log"

    def start(self, *args: str) -> None:
        self._out = self.log.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", *args], cwd=self.workdir,
                                     env=self.env, stdout=self._out, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no graceful shutdown."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._out.close()

    async def exited(self, within: float = 30) -> int:
        """Wait (without blocking the fake API's loop) for the process to end by itself."""
        assert self.proc is not None
        for _ in range(int(within / 0.05)):
            if self.proc.poll() is not None:
                self._out.close()
                return self.proc.returncode
            await asyncio.sleep(0.05)
        raise AssertionError(f"the bot did not exit: {self.output()[-1500:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if not self._out.closed:
            self._out.close()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


async def wait_until(cond, within: float = 30, what: str = "the condition") -> None:  # noqa: ANN001
    """Poll `cond()` (a subprocess bot works on its own time) until it holds; AssertionError after `within` s."""
    end = time.monotonic() + within
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def wait_reply(api, chat_id: int, after: int, within: float = 30) -> list[str]:  # noqa: ANN001
    """Texts the bot sent to `chat_id` after call index `after`, once at least one arrived."""
    for _ in range(int(within / 0.05)):
        texts = [c.params.get("text", "") for c in api.calls[after:]
                 if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat_id) and c.ok]
        if texts:
            await asyncio.sleep(0.3)  # let the rest of the update's replies arrive
            return [c.params.get("text", "") for c in api.calls[after:]
                    if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat_id) and c.ok]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no reply to {chat_id}")


async def cli(*args: str, env: dict, cwd: Path) -> str:
    """Run `onduty ARGS` without blocking the loop the fake API serves on; its stdout, or raise."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", *args, env=env, cwd=cwd,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    if proc.returncode != 0:
        raise AssertionError(f"onduty {' '.join(args)} exited {proc.returncode}: {err.decode()[-1000:]}")
    return out.decode()


def an_hour_ago(tz: str = "Asia/Shanghai") -> str:
    """A report time an hour before the real clock, written out in full: subprocess tests run on the real
    clock, so "今天 08:00" would be in the future (and refused) between 00:00 and 08:00 in the org's zone."""
    return (datetime.now(ZoneInfo(tz)) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
