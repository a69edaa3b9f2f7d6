"""Benchmark: the review report of a large incident, generated through the service from a database.

A SQLite database is seeded (not timed) with the example organisation and one closed major incident:
5,000 post samples (reports and follow-ups, one in ten a report, with the text, platforms, regions and counts of
bot/review/sample.py's synthetic incident), 20,000 timeline rows (a valid hash chain), four clocks, two
release versions with their decisions and the publication. Then a fresh process runs what
`onduty review` runs — bot.services.review.load_review (reading everything) and
bot.review.docx_writer.write_review (every chart, hot words, word cloud, DOCX and the timeline CSV).
Targets: < 5 s and < 300 MB.

Two fresh processes measure it, because tracemalloc slows the code it traces:
  * "time":  wall time of load + generation (cold: it includes loading matplotlib, python-docx and
             jieba's dictionary) and the process's peak RSS (ru_maxrss, everything imported);
  * "trace": the tracemalloc peak of Python allocations during load + generation.

    python bench/review_gen.py [--posts 5000] [--events 20000] [--out DIR] [--check]

--check exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 5.0
TARGET_MB = 300.0
NUMBER = "YQ-2026-0001"


def _rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


async def seed(url: str, posts: int, events: int) -> None:
    from sqlalchemy import insert

    from bot.db import create_engine, session_factory
    from bot.domain.audit import GENESIS, make_record
    from bot.domain.orgfile import parse_org_file
    from bot.review.sample import T0, synthetic_review
    from bot.services.org_import import import_org
    from models import (
        AuditLog,
        FollowUp,
        Incident,
        Person,
        ReleaseDecision,
        ReleaseDraft,
        ReleaseOutlet,
        Report,
        ResponseClock,
    )
    from models.migrate import upgrade

    data = synthetic_review(posts, events)
    engine = create_engine(url)
    await upgrade(engine)
    org = parse_org_file((ROOT / "bot" / "demo" / "org.example.yaml").read_text(encoding="utf-8"))
    async with session_factory(engine)() as s, s.begin():
        await import_org(s, org)
        from sqlalchemy import select

        people = (await s.scalars(select(Person.id))).all()
        inc = Incident(number=NUMBER, year=2026, seq=1, grade="major", category="inquiry", status="closed",
                       discovered_at=T0, created_at=T0 + timedelta(minutes=20), created_by=people[0],
                       closed_at=T0 + timedelta(days=5), closed_by=people[-1],
                       close_summary={"cause": "食堂食材管理不到位", "spread": "微博首发，两日内扩散至多平台",
                                      "handling": "成立调查组，24小时内发布通报", "lessons": "加强供应商准入审核"})
        s.add(inc)
        await s.flush()
        reports, followups = [], []
        for i, p in enumerate(data.posts):
            if p.source == "report":
                fields = {"discovered": p.at.isoformat(), "time": p.at.isoformat(), "place": p.region or "某市",
                          "unit": "后勤管理处", "process": p.text, "result": "持续关注",
                          "sentiment": {"slug": p.sentiment, "share": p.sentiment_share}, "platform": p.platform,
                          "reposts": p.reposts, "comments": p.comments, "views": p.views, "media": p.media}
                reports.append({"incident_id": inc.id, "reporter_id": people[i % len(people)], "source": "template",
                                "fields": fields, "discovered_at": p.at, "created_at": p.at + timedelta(minutes=5)})
            else:
                followups.append({"incident_id": inc.id, "author_id": people[i % len(people)], "source": "command",
                                  "created_at": p.at, "observed_at": p.at, "reposts": p.reposts,
                                  "comments": p.comments, "views": p.views, "sentiment": p.sentiment,
                                  "sentiment_share": p.sentiment_share, "media": p.media,
                                  "platforms": [p.platform] if p.platform else [],
                                  "regions": [p.region] if p.region else [], "text": p.text})
        await s.execute(insert(Report), reports)
        await s.execute(insert(FollowUp), followups)
        rows, prev = [], GENESIS
        for seq, e in enumerate(data.timeline, 1):
            rec = make_record(incident_id=inc.id, seq=seq, prev_hash=prev, at=e.at, kind=e.kind,
                              actor_telegram_id=None, actor_name=e.actor, payload={"text": e.summary})
            prev = rec.hash
            rows.append({"chain": rec.chain, "incident_id": inc.id, "seq": seq, "at": e.at, "kind": e.kind,
                         "actor_name": e.actor, "payload": rec.payload, "prev_hash": rec.prev_hash, "hash": rec.hash})
        await s.execute(insert(AuditLog), rows)
        for c in data.clocks:
            s.add(ResponseClock(incident_id=inc.id, name=c.name, started_at=c.started, due_at=c.due,
                                stopped_at=c.met_at, status=c.status))
        draft = ReleaseDraft(incident_id=inc.id, version=1, text=data.release.text, drafted_by=people[4],
                             created_at=T0 + timedelta(hours=8), status="published",
                             published_at=data.release.published_at, published_by=people[4])
        s.add(draft)
        await s.flush()
        for o in data.release.outlets:
            s.add(ReleaseOutlet(draft_id=draft.id, outlet=o.outlet, link=o.link or None,
                                published_at=o.at or data.release.published_at, published_by=people[4]))
        for i, a in enumerate(data.approvals):
            s.add(ReleaseDecision(draft_id=draft.id, stage=("review", "approval")[i % 2], decider_id=people[5 + i],
                                  decision="approve", comment=a.note or None, at=a.at))
    await engine.dispose()


async def load_and_write(url: str, out: Path):  # noqa: ANN201
    from bot.db import create_engine, session_factory
    from bot.review.sample import T0
    from bot.services.org import load_org
    from bot.services.review import write_review_file

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            org = await load_org(s)
            return await write_review_file(s, NUMBER, out, org=org, lang="zh", now=T0 + timedelta(days=6))
    finally:
        await engine.dispose()


def run_once(mode: str, url: str, out_dir: Path) -> dict[str, float | str]:
    import tracemalloc

    if mode == "trace":
        tracemalloc.start()
    from bot.review.docx_writer import csv_path_for

    t1 = time.perf_counter()
    out = asyncio.run(load_and_write(url, out_dir / f"review_{mode}.docx"))
    seconds = time.perf_counter() - t1
    result: dict[str, float | str] = {"seconds": seconds, "rss_mb": _rss_mb(), "docx": str(out),
                                      "docx_kb": out.stat().st_size / 1024}
    csv = csv_path_for(out)
    if csv.exists():
        result["csv"] = str(csv)
    if mode == "trace":
        result["trace_peak_mb"] = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return result


def _child(mode: str, url: str, out_dir: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--url", url, "--out", str(out_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=5000)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--out", type=Path, default=None, help="where the database, DOCX and CSV go (default: a temp dir)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--child", choices=["time", "trace"], help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="onduty-review-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(run_once(args.child, args.url, out_dir)))
        return 0

    url = f"sqlite+aiosqlite:///{out_dir / 'review_bench.db'}"
    (out_dir / "review_bench.db").unlink(missing_ok=True)
    t0 = time.perf_counter()
    asyncio.run(seed(url, args.posts, args.events))
    seeded = time.perf_counter() - t0
    timed = _child("time", url, out_dir)
    traced = _child("trace", url, out_dir)
    print(f"review report through the service: {args.posts} reports + follow-ups, {args.events} timeline rows (SQLite)")
    print(f"  database seeded in        {seeded:.1f} s (not counted)")
    print(f"  load + generation (cold)  {timed['seconds']:.2f} s   target < {TARGET_SECONDS:.0f} s")
    print(f"  peak RSS (ru_maxrss)      {timed['rss_mb']:.0f} MB   target < {TARGET_MB:.0f} MB")
    print(f"  tracemalloc peak          {traced['trace_peak_mb']:.0f} MB")
    print(f"  DOCX {timed['docx']} ({timed['docx_kb']:.0f} KB)")
    if "csv" in timed:
        print(f"  CSV  {timed['csv']}")
    ok = timed["seconds"] < TARGET_SECONDS and timed["rss_mb"] < TARGET_MB and traced["trace_peak_mb"] < TARGET_MB
    print("  targets met" if ok else "  TARGET MISSED")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
