"""Engine and session factory for SQLite (WAL, busy timeout) or PostgreSQL, from one DATABASE_URL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from bot.sqlite_inline import inline_creator

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_dir(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: str, *, foreign_keys: bool, **kw: object) -> AsyncEngine:
    engine = create_async_engine(url, async_creator=inline_creator(url, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000), **kw)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        # Let SQLAlchemy emit BEGIN itself: pysqlite's own implicit transactions made a SAVEPOINT taken
        # before the first write start the transaction, so its RELEASE committed (found by the audit tests).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn):  # noqa: ANN001
        # IMMEDIATE: take the write lock at BEGIN, so a transaction that reads then writes never meets
        # "database is locked" half-way when another process (the CLI, a second bot) writes meanwhile.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_engine(url: str) -> AsyncEngine:
    ensure_sqlite_dir(url)
    if is_sqlite(url):
        # One connection per process: SQLite has one writer anyway, and queueing on the pool (an asyncio
        # wait) is far cheaper than connections sleeping in SQLite's busy handler. An update's replies go
        # out after its commit (bot/delivery/replies.py), so the connection is never held across the network.
        return _sqlite_engine(url, foreign_keys=True, pool_size=1, max_overflow=0, pool_timeout=60)
    return create_async_engine(url, pool_pre_ping=True)


def create_migration_engine(url: str) -> AsyncEngine:
    """SQLite only: an engine for Alembic whose connections have foreign keys OFF.

    Batch migrations rebuild a table (create new, copy, DROP old, rename); with foreign keys on, the DROP of
    a table that other rows point at fails, and the pragma cannot be changed inside a transaction. The
    caller checks `PRAGMA foreign_key_check` before committing, so no broken reference slips through."""
    ensure_sqlite_dir(url)
    return _sqlite_engine(url, foreign_keys=False, poolclass=NullPool)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


# The update's session, set by the DB middleware, so the FSM storage writes in the same
# transaction as the handler's effects (a confirmed report and its cleared draft commit together).
from contextvars import ContextVar  # noqa: E402

current_session: ContextVar[AsyncSession | None] = ContextVar("current_session", default=None)


def after_commit(s: AsyncSession, job: Callable[[], Awaitable[object]]) -> None:
    """Run `job` once the update's transaction has committed (DbSessionMiddleware, or the next call that
    commits first): what is told to Telegram waits for what is durable. Dropped if the update fails."""
    s.info.setdefault("after_commit", []).append(job)


async def run_after_commit(s: AsyncSession) -> None:
    """The jobs waiting for this session's commit, in the order they were made."""
    while jobs := s.info.pop("after_commit", None):
        for job in jobs:
            await job()


def drop_after_commit(s: AsyncSession) -> None:
    s.info.pop("after_commit", None)
