"""`onduty review YQ-… --out FILE [--lang zh|en]`: the incident's review report as a DOCX.

Exit 2 with one line for an unknown incident or a path that cannot be written; the timeline CSV is
written beside the DOCX when the timeline is long (the document says so).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import CliError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="the incident's review report (DOCX)")
    p.add_argument("number", help="incident number, e.g. YQ-2026-0001")
    p.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    p.add_argument("--lang", choices=["zh", "en"], default=None, help="document language (default: the organisation's)")


def check_out_path(out: Path) -> Path:
    """The path, made absolute; CliError when it cannot be written (a directory, no such folder, no access)."""
    out = out.expanduser()
    if out.is_dir():
        raise CliError(f"{out} is a directory; give a file name such as {out / 'review.docx'}")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise CliError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise CliError(f"cannot write {out}: permission denied")
    return out.resolve()


async def generate(sessions, number: str, out: Path, lang: str | None, now: datetime):  # noqa: ANN001, ANN201
    """(docx path, csv path or None, ReviewData) — the code path the CLI and the demo share."""
    from bot.review.docx_writer import csv_path_for, write_review
    from bot.services.org import load_org
    from bot.services.review import load_review

    async with sessions() as s:
        org = await load_org(s)
        data = await load_review(s, number, org=org, lang=lang or org.language or "zh", now=now)
    if data is None:
        raise CliError(f"no incident {number.strip()}")
    try:
        path = await asyncio.to_thread(write_review, data, out)
    except OSError as e:
        raise CliError(f"cannot write {out}: {e.strerror or e}") from e
    csv = csv_path_for(path)
    return path, csv if csv.exists() else None, data


def run(settings, args: argparse.Namespace, with_sessions) -> None:  # noqa: ANN001
    out = check_out_path(args.out)
    now = datetime.now(UTC)
    path, csv, data = asyncio.run(with_sessions(settings, lambda sessions: generate(sessions, args.number, out,
                                                                                     args.lang, now)))
    print(path)
    if csv is not None:
        print(csv)
    print(f"{data.incident_no}: {len(data.timeline)} timeline entries, {len(data.clocks)} clocks, "
          f"{len(data.posts)} post samples", file=sys.stderr)
