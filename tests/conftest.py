"""Shared fixtures: a real database (SQLite file always; PostgreSQL when TEST_DATABASE_URL is set),
the packaged fake Bot API on 127.0.0.1, and the real bot wired to both.

Raw-text guard (autouse, every test): every text the bot shows a user — ``text``/``caption`` of any
send*/edit*/copy*/answer* call (sendMessage, editMessageText, editMessageCaption, sendPhoto/sendDocument
captions, answerCallbackQuery text, sendMediaGroup item captions …) — as ANY ``FakeBotAPI`` in this
process receives it (the ``api`` fixture, ``async with FakeBotAPI()``, the demo player of ``onduty demo``
scripts, the fake that ``onduty run`` subprocesses talk to) must not contain raw error or internal text
(``RAW_TEXT``: ``Error``, ``Exception``, ``Traceback``, ``{"``, ``chat_id=``). Offending texts fail the
test at teardown, quoted. Mechanism: ``FakeBotAPI.__init__`` is wrapped once per session so that each
new instance gets ``add_listener(...)``; the fake calls its listeners with each finished ``CallRecord``
(``.method``, ``.params``, ``.chat_id``), refused calls included. Opt-out (none should need it): mark the
test ``@pytest.mark.raw_text_allowed("why the bot must show raw text here")``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.clock import VirtualClock
from bot.db import create_engine, session_factory
from bot.demo.harness import BotProcess, local_settings
from bot.domain.orgfile import parse_org_file
from bot.fakeapi import CallRecord, FakeBotAPI
from bot.services.org_import import import_org
from models.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ORG = ROOT / "bot" / "demo" / "org.example.yaml"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
T0 = datetime.fromisoformat("2026-11-24T10:00:00+08:00")


def live_org(tmp_path: Path, extra: str = "") -> Path:
    """The example org (+ `extra` policy lines) for a bot on the real clock: its patrol slots are moved hours
    away from now, so a test run at 09:00 or 20:00 Beijing time does not get the day's patrol reminders among
    the messages it counts. Tests of the patrol itself run on the virtual clock with the default slots."""
    hour = datetime.now(ZoneInfo("Asia/Shanghai")).hour
    morning, evening = (hour + 2, hour + 3) if hour + 3 < 24 else (1, 2)  # slots past grace or ≥ 2 h ahead
    org = tmp_path / "org.live.yaml"
    org.write_text(EXAMPLE_ORG.read_text(encoding="utf-8") + extra
                   + f"  patrol:\n    morning: \"{morning:02d}:00\"\n    evening: \"{evening:02d}:00\"\n",
                   encoding="utf-8")
    return org

# ---------------------------------------------------------------------------------------------- raw-text guard
RAW_TEXT = re.compile(r'Error|Exception|Traceback|\{"|chat_id=')
USER_FACING_PREFIXES = ("send", "edit", "copy", "answer")  # methods whose text/caption a user reads
RAW_TEXT_MARKER = "raw_text_allowed"


def _media_captions(media: object) -> list[str]:
    if isinstance(media, str):  # not decoded (a call refused before decoding): a JSON array
        try:
            media = json.loads(media)
        except ValueError:
            return []
    items = media if isinstance(media, list) else [media]
    return [str(m["caption"]) for m in items if isinstance(m, dict) and m.get("caption")]


def raw_text_offences(method: str, params: dict) -> list[str]:
    """The user-visible texts of one Bot API call that contain raw error/internal text (RAW_TEXT)."""
    if not method.startswith(USER_FACING_PREFIXES):
        return []
    texts = [str(params[k]) for k in ("text", "caption") if params.get(k)]
    texts += _media_captions(params.get("media"))
    return [x for x in texts if RAW_TEXT.search(x)]


@dataclass
class RawTextGuard:
    """What the bot showed users in this test that looks like raw error/internal text."""

    offences: list[tuple[str, object, str]] = field(default_factory=list)  # (method, chat_id, text)

    def record(self, rec: CallRecord) -> None:
        for shown in raw_text_offences(rec.method, rec.params or {}):
            item = (rec.method, rec.chat_id if rec.chat_id is not None else rec.params.get("chat_id"), shown)
            if item not in self.offences:  # a retried call repeats its text
                self.offences.append(item)

    def report(self) -> str:
        lines = [f"the bot showed a user raw error/internal text (matches {RAW_TEXT.pattern}):"]
        for method, chat, sent in self.offences:
            shown = sent if len(sent) <= 600 else sent[:600] + " …"
            lines.append(f"  {method} → chat {chat}: «{shown}»")
        lines.append(f"Fix the text at its source; opt out only with @pytest.mark.{RAW_TEXT_MARKER}(\"reason\").")
        return "\n".join(lines)

    def check(self) -> None:
        if self.offences:
            pytest.fail(self.report(), pytrace=False)


_guard: RawTextGuard | None = None  # the running test's guard; None between tests


def _listen(rec: CallRecord) -> None:
    if _guard is not None:
        _guard.record(rec)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{RAW_TEXT_MARKER}(reason): this test may show a user raw error/internal text "
                   "(Error, Exception, Traceback, {\", chat_id=); the raw-text guard does not fail it")


@pytest.fixture(scope="session", autouse=True)
def _raw_text_hook() -> Iterator[None]:
    """Wrap FakeBotAPI.__init__ (class level, whole session): every instance reports its calls to `_listen`."""
    original = FakeBotAPI.__init__

    def __init__(self: FakeBotAPI, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.add_listener(_listen)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(FakeBotAPI, "__init__", __init__)
        yield


@pytest.fixture(autouse=True)
def raw_text_guard(request: pytest.FixtureRequest, _raw_text_hook: None) -> Iterator[RawTextGuard]:
    """Collects this test's offending texts; fails the test at teardown (after every other fixture of it
    has stopped its bot and fake) unless it is marked `raw_text_allowed`."""
    global _guard
    marker = request.node.get_closest_marker(RAW_TEXT_MARKER)
    if marker is not None and not (marker.args and str(marker.args[0]).strip()):
        pytest.fail(f"@pytest.mark.{RAW_TEXT_MARKER} needs a reason", pytrace=False)
    _guard = guard = RawTextGuard()
    try:
        yield guard
    finally:
        _guard = None
    if marker is None:
        guard.check()


def _pg_or_skip() -> str:
    if PG_URL:
        return PG_URL
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI")
    pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")


async def reset_pg(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"
    url = _pg_or_skip()
    await reset_pg(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'onduty.db'}"


@pytest.fixture
async def sessions(db_url: str):
    engine = create_engine(db_url)
    await upgrade(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(T0)


@pytest.fixture
async def running(api: FakeBotAPI, db_url: str, tmp_path: Path, clock: VirtualClock) -> AsyncIterator[BotProcess]:
    """The real bot polling the fake API, with the example organisation imported."""
    proc = BotProcess(local_settings(tmp_path, api.base_url, db_url), clock)
    await proc.start()
    async with proc.sessions() as s, s.begin():
        await import_org(s, parse_org_file(EXAMPLE_ORG.read_text(encoding="utf-8")))
    yield proc
    await proc.stop()
    assert not api.violations, api.violations
