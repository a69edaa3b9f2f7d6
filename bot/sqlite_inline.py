"""aiosqlite, but a statement runs on the event loop's own thread instead of a hop to the worker thread.

A SQLite statement on a small local database takes microseconds; the hop (queue, worker thread, wake the
loop with the result) costs far more, and a report's transaction runs dozens of statements on the one
connection every update waits for. What can wait a long time stays on the worker thread: BEGIN (IMMEDIATE
takes the write lock and may sleep in SQLite's busy handler while another process writes), COMMIT (may
checkpoint the WAL to disk), and connect/close.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url

_THREADED = ("BEGIN", "COMMIT", "END", "VACUUM")


class InlineConnection(aiosqlite.Connection):
    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        conn = self._connection
        if not self._running or conn is None:
            raise ValueError("Connection closed")
        if fn == conn.commit or (args and isinstance(args[0], str) and args[0].lstrip()[:6].upper().startswith(_THREADED)):
            return await super()._execute(fn, *args, **kwargs)
        return fn(*args, **kwargs)


def inline_creator(url: str, *, timeout: float) -> Callable[[], Any]:
    """An ``async_creator`` for SQLAlchemy's aiosqlite dialect; the URL is read as the dialect reads it
    (the path, ``?uri=true`` and the like)."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    # made on the worker thread, used from the loop's thread too
    kwargs.update(timeout=timeout, check_same_thread=False)

    async def connect() -> InlineConnection:
        return await InlineConnection(partial(sqlite3.connect, *args, **kwargs), 64)
    return connect
