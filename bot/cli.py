"""The `onduty` command. Exit 0 on success, 2 on bad input with one clear line, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.errors import CliError
from bot.i18n import t


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="onduty", description="舆情值班助手 — on-duty assistant for public-opinion response")
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true")
    demo = sub.add_parser("demo", help="play a scripted conversation against a local fake Telegram; no token needed")
    demo.add_argument("--script", type=Path)
    org = sub.add_parser("org", help="organisation file").add_subparsers(dest="org_cmd", required=True)
    imp = org.add_parser("import", help="import (upsert) an org file")
    imp.add_argument("file", type=Path)
    org.add_parser("export", help="print the organisation as an org file")
    from bot import cli_org

    cli_org.add_parsers(org)
    exp = sub.add_parser("export", help="export incidents")
    exp.add_argument("--format", choices=["json"], default="json")
    exp.add_argument("--incident")
    sub.add_parser("outbox", help="pending, failed and possibly duplicated notifications")
    aud = sub.add_parser("audit", help="the timeline's hash chains").add_subparsers(dest="audit_cmd", required=True)
    aud.add_parser("verify", help="exit 0 when every chain holds; 1 naming the first broken row")
    roster = sub.add_parser("roster", help="duty roster").add_subparsers(dest="roster_cmd", required=True)
    rexp = roster.add_parser("export", help="one iCalendar file per person")
    rexp.add_argument("--ics", action="store_true", required=True)
    rexp.add_argument("--out", type=Path, required=True)
    bak = sub.add_parser("backup", help="copy the SQLite database while the bot runs (PostgreSQL: pg_dump)")
    bak.add_argument("--out", type=Path)
    due = sub.add_parser("due", help="print when a clock falls due (ISO 8601, organisation offset)")
    due.add_argument("clock")
    due.add_argument("start")
    due.add_argument("--grade", default="major")
    from bot import cli_review, cli_stats

    cli_review.add_parser(sub)
    cli_stats.add_parser(sub)
    return p


async def _with_session(settings, fn):  # noqa: ANN001, ANN202
    from bot.db import create_engine, session_factory
    from models.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with session_factory(engine)() as s, s.begin():
            return await fn(s)
    finally:
        await engine.dispose()


async def _with_sessions(settings, fn):  # noqa: ANN001, ANN202
    from bot.db import create_engine, session_factory
    from models.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        return await fn(session_factory(engine))
    finally:
        await engine.dispose()


def _org_import(settings, path: Path) -> None:  # noqa: ANN001
    from bot.domain.orgfile import OrgFileError, parse_org_file
    from bot.services.org_import import import_org

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror}") from e
    try:
        org = parse_org_file(text)
    except OrgFileError as e:
        raise CliError(f"{path}: {e}") from e
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.domain.policy import Policy

    today = datetime.now(ZoneInfo(org.organization.timezone)).date()
    cal = Policy.from_mapping(org.policy).calendar
    past = sorted(d for d in (*cal.holidays, *cal.workdays) if date.fromisoformat(d) < today)
    if past:
        print(f"warning: calendar overrides in the past have no effect on new deadlines: {', '.join(past)}",
              file=sys.stderr)
    from bot import cli_org

    async def go(s):  # noqa: ANN001, ANN202
        counts = await import_org(s, org)
        return counts, *(await cli_org._org_and_people(s, settings.timezone))

    try:
        counts, dto, (people, _chats) = asyncio.run(_with_session(settings, go))
    except OrgFileError as e:  # the file and the stored people disagree (a name that could be two people)
        raise CliError(f"{path}: {e}") from e
    changes, links = counts.pop("chat_changes", []), counts.pop("personal_links", 0)
    print(f"imported {org.organization.name}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for key, old, new in changes:
        print(t("orgstatus.chat_change", dto.language, key=key, old=old, new=new))
    if links:
        print(t("orgstatus.links_made", dto.language, n=links))
    for line in cli_org.not_reachable_lines(dto, people):
        print(line)


def _org_export(settings) -> None:  # noqa: ANN001
    import yaml

    from bot.services.org import export_org

    data = asyncio.run(_with_session(settings, export_org))
    if not data:
        raise CliError("no organisation yet: run `onduty org import FILE.yaml` first")
    print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), end="")


def _export(settings, number: str | None) -> None:  # noqa: ANN001
    from bot.services.export import export_json

    data = asyncio.run(_with_session(settings, lambda s: export_json(s, number=number)))
    if number and not data["incidents"]:
        raise CliError(f"no incident {number}")
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _due(settings, clock: str, start: str, grade: str) -> None:  # noqa: ANN001
    from bot.services.calendar import due_answer
    from bot.services.org import load_org

    org = asyncio.run(_with_session(settings, lambda s: load_org(s, settings.timezone)))
    try:
        answer = due_answer(org, clock, start, grade)
    except ValueError as e:
        raise CliError(str(e)) from e
    for note in answer.notes:
        print(note, file=sys.stderr)
    print(answer.due)


async def _outbox(s, report, fmt) -> str:  # noqa: ANN001
    return fmt(await report(s), legend=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        if args.cmd == "run":
            from bot import runtime

            asyncio.run(runtime.run_webhook(settings) if args.webhook else runtime.run_polling(settings))
        elif args.cmd == "demo":
            from bot.demo.runner import run_demo

            logging.getLogger("aiogram").setLevel(logging.WARNING)
            return run_demo(args.script, main)
        elif args.cmd == "org" and args.org_cmd == "import":
            _org_import(settings, args.file)
        elif args.cmd == "org" and args.org_cmd in ("status", "links"):
            from bot import cli_org

            if args.org_cmd == "status":
                cli_org.status(settings, _with_session)
            else:
                cli_org.links(settings, _with_session, args.out)
        elif args.cmd == "org":
            _org_export(settings)
        elif args.cmd == "export":
            _export(settings, args.incident)
        elif args.cmd == "roster":
            from bot.cli_roster import export_ics

            paths = asyncio.run(_with_sessions(settings, lambda sessions: export_ics(sessions, args.out)))
            for path in paths:
                print(path)
            if not paths:
                print("no duty roster with shifts yet", file=sys.stderr)
        elif args.cmd == "audit":
            from bot.audit_cli import verify_url

            code, line = asyncio.run(verify_url(settings.database_url))
            print(line)
            return code
        elif args.cmd == "outbox":
            from bot.services.outbox import format_outbox_report, outbox_report

            print(asyncio.run(_with_session(settings, lambda s: _outbox(s, outbox_report, format_outbox_report))))
        elif args.cmd == "backup":
            from bot.ops.backup import backup

            path, tables = backup(settings.database_url, args.out)
            print(f"backup written: {path} ({tables} tables, {path.stat().st_size} bytes)")
        elif args.cmd == "due":
            _due(settings, args.clock, args.start, args.grade)
        elif args.cmd in ("review", "stats"):
            import importlib

            importlib.import_module(f"bot.cli_{args.cmd}").run(settings, args, _with_sessions)
    except (ConfigError, CliError) as e:
        print(f"onduty: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
