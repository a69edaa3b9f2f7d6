"""The database cannot take writes (disk full, I/O error, read-only, locked past its timeout, PostgreSQL gone):
recognise it, remember it for /healthz, and let the loops that hit it wait and try the same work again.

Such a fault is not the update's or the row's fault: it must not count as a failed attempt (three of those
mark an update "failed", i.e. lost), and it must not stop the process — the disk gets space again, the
server comes back. Each loop that met a fault reports it under its own name (`failed`) and clears it when the
same work later succeeds (`recovered`); /healthz is unhealthy while any loop is still in fault.

No aiogram here: schedules/ use it too.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

log = logging.getLogger("onduty.database")

# SQLite's primary result codes (extended codes such as SQLITE_IOERR_WRITE share the prefix).
_SQLITE_REASONS = (("SQLITE_FULL", "disk full"), ("SQLITE_IOERR", "disk I/O error"),
                   ("SQLITE_READONLY", "read-only"), ("SQLITE_BUSY", "locked"), ("SQLITE_LOCKED", "locked"),
                   ("SQLITE_CANTOPEN", "cannot open the database file"))
_SQLITE_MESSAGES = (("database or disk is full", "disk full"), ("disk i/o error", "disk I/O error"),
                    ("readonly database", "read-only"), ("database is locked", "locked"),
                    ("database table is locked", "locked"), ("unable to open database", "cannot open the database file"))
# PostgreSQL SQLSTATE: connection exceptions (08…), shutting down / cannot connect now (57P01-57P03),
# disk full (53100) and other exhausted resources (53…), read-only transaction (25006), lock timeout (55P03).
_PG_STATES = (("08", "unreachable"), ("57P01", "shutting down"), ("57P02", "shutting down"),
              ("57P03", "not accepting connections"), ("53100", "disk full"), ("53", "out of resources"),
              ("25006", "read-only"), ("55P03", "locked"))
_OS_ERRNOS = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk full", errno.EFBIG: "disk full",
              errno.EROFS: "read-only", errno.EIO: "disk I/O error"}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]


def _from_database_code(tb: TracebackType | None) -> bool:
    """Raised inside the database driver or SQLAlchemy (a refused connection is a bare OSError there)."""
    while tb is not None:
        name = str(tb.tb_frame.f_globals.get("__name__", ""))
        if name.startswith(("sqlalchemy", "asyncpg", "aiosqlite", "sqlite3")):
            return True
        tb = tb.tb_next
    return False


def storage_fault(exc: BaseException) -> str | None:
    """In words, why the database could not do its part ("disk full", "unreachable" …), or None when `exc` is
    something else (a bug, a constraint, bad input: not to be waited out)."""
    for e in _chain(exc):
        if isinstance(e, sqlite3.Error):
            name = getattr(e, "sqlite_errorname", "") or ""
            for prefix, reason in _SQLITE_REASONS:
                if name.startswith(prefix):
                    return reason
            text = str(e).lower()
            for needle, reason in _SQLITE_MESSAGES:
                if needle in text:
                    return reason
            return None
        state = getattr(e, "sqlstate", None)
        if isinstance(state, str) and type(e).__module__.startswith("asyncpg"):
            for prefix, reason in _PG_STATES:
                if state.startswith(prefix):
                    return reason
            return None
        mod = type(e).__module__
        if mod.startswith("asyncpg") and type(e).__name__ in ("ConnectionDoesNotExistError", "InterfaceError",
                                                               "InternalClientError"):
            return "unreachable"
        if getattr(e, "connection_invalidated", False):  # SQLAlchemy saw the connection drop
            return "unreachable"
        if isinstance(e, OSError) and e.errno in _OS_ERRNOS:
            return _OS_ERRNOS[e.errno]
        if isinstance(e, (ConnectionError, TimeoutError, OSError)) and _from_database_code(e.__traceback__):
            return "unreachable"
    return None


@dataclass
class Fault:
    reason: str
    since: datetime
    detail: str
    count: int = 1


class DatabaseFaults:
    """Which loops of this process are waiting for the database, since when and why."""

    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}

    def failed(self, where: str, exc: BaseException, *, now: datetime | None = None) -> str | None:
        """Book `exc` for the loop `where` when it is a storage fault; returns its reason (None: not one)."""
        reason = storage_fault(exc)
        if reason is None:
            return None
        current = self._faults.get(where)
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        if current is None:
            self._faults[where] = Fault(reason, now or datetime.now(UTC), detail)
            log.error("database: %s (%s) — %s waits and retries; nothing is lost", reason, detail, where)
        else:
            current.reason, current.detail = reason, detail
            current.count += 1
        return reason

    def recovered(self, where: str) -> None:
        fault = self._faults.pop(where, None)
        if fault is not None:
            log.warning("database: %s works again (it met %s %d time(s) since %s)", where, fault.reason,
                        fault.count, fault.since.isoformat(timespec="seconds"))

    def problems(self) -> list[str]:
        """For /healthz: one line per distinct reason, with the earliest time and the loops it holds up."""
        by_reason: dict[str, list[tuple[str, Fault]]] = {}
        for where, fault in self._faults.items():
            by_reason.setdefault(fault.reason, []).append((where, fault))
        lines = []
        for reason, items in by_reason.items():
            since = min(f.since for _, f in items).astimezone(UTC).isoformat(timespec="seconds")
            lines.append(f"database: {reason} since {since} ({', '.join(sorted(w for w, _ in items))} waiting)")
        return lines

    def detail(self) -> dict[str, str]:
        return {where: f"{f.reason}: {f.detail}" for where, f in sorted(self._faults.items())}

    def clear(self) -> None:
        self._faults.clear()


FAULTS = DatabaseFaults()  # one per process: every loop reports here, /healthz reads it


def backoff(previous: float, *, first: float = 0.5, limit: float = 10.0) -> float:
    """The next wait after a storage fault: doubling from `first` up to `limit` seconds — short enough that
    the bot is back within seconds of the disk getting space, long enough not to spin on a dead server."""
    return first if previous <= 0 else min(previous * 2, limit)
