"""Numbers and dates that come from outside — callback data, command arguments, pasted fields — are checked
here, in one place, before anything uses them.

Why: Python's int has no limit but the database's columns do. SQLite raises OverflowError beyond 64 bits,
PostgreSQL's `integer` columns (every primary key, counts, versions: models/) refuse anything beyond 2**31-1;
either way a number typed or forged by a person must be refused as a bad value, never reach a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

INT4_MAX = 2**31 - 1   # PostgreSQL `integer`: ids (primary keys), counts, versions
INT8_MAX = 2**63 - 1   # `bigint`: Telegram ids and message ids
_MAX_DIGITS = 19       # longer is refused before int() — no 4300-digit conversions either

EARLIEST_DATE = date(2000, 1, 1)      # source default of policy.reports.earliest_date
FUTURE_SLACK = timedelta(minutes=5)   # source default of policy.reports.future_tolerance_minutes


def parse_int(text: Any, *, lo: int = 0, hi: int = INT4_MAX) -> int | None:
    """An integer in [lo, hi] from what a person typed (ASCII digits, an optional leading minus when lo < 0),
    else None. Unicode digits ("²", "١") are refused: str.isdigit() accepts them and int() does not."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if lo <= text <= hi else None
    s = str(text or "").strip()
    body = s[1:] if s.startswith("-") and lo < 0 else s
    if not body or len(body) > _MAX_DIGITS or not (body.isascii() and body.isdigit()):
        return None
    value = int(s)
    return value if lo <= value <= hi else None


def db_id(value: Any) -> int | None:
    """A primary key as the database can hold it (1 … 2**31-1), else None."""
    return parse_int(value, lo=1, hi=INT4_MAX)


def fits_int4(value: int) -> bool:
    return -INT4_MAX - 1 <= value <= INT4_MAX


@dataclass(frozen=True)
class DateWindow:
    """The dates a report or follow-up may name: not before `earliest` (a day, in the organisation's time zone),
    not after now + `future_slack` (clocks differ)."""

    earliest: date = EARLIEST_DATE
    future_slack: timedelta = FUTURE_SLACK

    def earliest_at(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.earliest, time(), tzinfo=tz)


DEFAULT_WINDOW = DateWindow()
