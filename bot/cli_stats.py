"""`onduty stats --from D --to D [--csv FILE] [--lang zh|en]`: the accountability statistics of a period.

Prints the same table the chat's /stats shows; --csv writes one row per unit and per person.
Exit 2 with one line for unparseable dates, an end before the start, or a CSV path that cannot be written.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from bot.errors import CliError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="statistics for accountability over a period")
    p.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD (inclusive)")
    p.add_argument("--csv", type=Path, default=None, help="also write the figures as CSV")
    p.add_argument("--lang", choices=["zh", "en"], default=None)


def period(start: str, end: str) -> tuple[date, date]:
    from bot.domain.stats import PeriodError, parse_period
    from bot.i18n import t

    try:
        return parse_period([start, end], date.today())
    except PeriodError as e:
        raise CliError(t(f"stats.{e.code}", "en", **e.params)) from e


async def compute(sessions, start: date, end: date, now: datetime, lang: str | None):  # noqa: ANN001, ANN201
    """(Stats, language) — shared by the CLI and the demo."""
    from bot.services.org import load_org
    from bot.services.stats import load_stats

    async with sessions() as s:
        org = await load_org(s)
        return await load_stats(s, start, end, org=org, now=now), lang or org.language or "zh"


def run(settings, args: argparse.Namespace, with_sessions) -> None:  # noqa: ANN001
    from bot.review.stats_render import csv_text, text

    start, end = period(args.start, args.end)
    if args.csv is not None and (args.csv.is_dir() or not args.csv.parent.resolve().is_dir()):
        raise CliError(f"cannot write {args.csv}: not a file in an existing folder")
    stats, lang = asyncio.run(with_sessions(settings, lambda sessions: compute(sessions, start, end,
                                                                                datetime.now(UTC), args.lang)))
    print(text(stats, lang))
    if args.csv is not None:
        try:
            args.csv.write_text(csv_text(stats), encoding="utf-8-sig")
        except OSError as e:
            raise CliError(f"cannot write {args.csv}: {e.strerror or e}") from e
        print(f"CSV: {args.csv}")
