"""`onduty backup [--out FILE]`: a consistent copy of the SQLite database while the bot keeps running
(sqlite3's online backup API: pages are copied under a read lock, writers are not stopped for long).
On PostgreSQL the right tool is pg_dump; the command says so and prints the line to use."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db import is_sqlite
from bot.errors import CliError


def pg_dump_command(database_url: str) -> str:
    u = make_url(database_url).set(drivername="postgresql")
    target = u.render_as_string(hide_password=True).replace(":***@", "@")
    return f"pg_dump --format=custom --file=onduty-$(date +%F).dump '{target}'"


def default_out(db: Path, now: datetime) -> Path:
    return db.parent / "backups" / f"{db.stem}-{now.astimezone(UTC):%Y%m%d-%H%M%S}.db"


def backup(database_url: str, out: Path | None = None, *, now: datetime | None = None) -> tuple[Path, int]:
    """Copy the SQLite database to `out` (default: backups/ beside it); returns (path, tables copied)."""
    if not is_sqlite(database_url):
        raise CliError("onduty backup copies a SQLite database; this one is PostgreSQL — use pg_dump "
                       f"(password from PGPASSWORD or ~/.pgpass): {pg_dump_command(database_url)}")
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise CliError("DATABASE_URL names no SQLite file to back up")
    db = Path(name).expanduser()
    if not db.is_file():
        raise CliError(f"no database at {db}: nothing to back up (check DATABASE_URL)")
    out = out or default_out(db, now or datetime.now(UTC))
    if out.exists():
        raise CliError(f"{out} exists already; choose another --out (a backup never overwrites)")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)  # in steps, so the bot's writers get the lock in between
            if (check := dst.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
                raise CliError(f"the copy failed its integrity check: {check}")
            tables = dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            dst.close()
    except sqlite3.Error as e:
        partial.unlink(missing_ok=True)
        raise CliError(f"backup failed: {e}") from e
    finally:
        src.close()
    partial.rename(out)
    return out, tables
