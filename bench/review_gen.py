"""Benchmark: the review report of a large synthetic incident.

An incident with 5,000 reports/follow-ups (post samples) and 20,000 timeline rows; the report
(every chart, hot words, word cloud, DOCX and the timeline CSV) is generated once in a fresh
process. Targets: < 5 s and < 300 MB.

Two fresh processes measure it, because tracemalloc slows the code it traces:
  * "time":  wall time of the generation (cold: it includes loading matplotlib, python-docx and
             jieba's dictionary) and the process's peak RSS (ru_maxrss, everything imported);
  * "trace": the tracemalloc peak of Python allocations during the generation.

    python bench/review_gen.py [--posts 5000] [--events 20000] [--out DIR] [--check]

--check exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0
TARGET_MB = 300.0


def _rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_once(mode: str, posts: int, events: int, out_dir: Path) -> dict[str, float | str]:
    sys.path.insert(0, str(ROOT))
    import tracemalloc

    from bot.review.sample import synthetic_review

    t0 = time.perf_counter()
    data = synthetic_review(posts, events)
    build = time.perf_counter() - t0
    if mode == "trace":
        tracemalloc.start()
    from bot.review.docx_writer import csv_path_for, write_review

    t1 = time.perf_counter()
    out = write_review(data, out_dir / f"review_{mode}.docx")
    seconds = time.perf_counter() - t1
    result: dict[str, float | str] = {"build_s": build, "seconds": seconds, "rss_mb": _rss_mb(),
                                      "docx": str(out), "docx_kb": out.stat().st_size / 1024}
    csv = csv_path_for(out)
    if csv.exists():
        result["csv"] = str(csv)
    if mode == "trace":
        result["trace_peak_mb"] = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return result


def _child(mode: str, args: argparse.Namespace, out_dir: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--posts", str(args.posts), "--events", str(args.events),
           "--out", str(out_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=5000)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--out", type=Path, default=None, help="where the DOCX/CSV go (default: a temp dir)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--child", choices=["time", "trace"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="onduty-review-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(run_once(args.child, args.posts, args.events, out_dir)))
        return 0

    timed = _child("time", args, out_dir)
    traced = _child("trace", args, out_dir)
    print(f"review report: {args.posts} post samples, {args.events} timeline rows")
    print(f"  synthetic data built in   {timed['build_s']:.2f} s (not counted)")
    print(f"  generation time (cold)    {timed['seconds']:.2f} s   target < {TARGET_SECONDS:.0f} s")
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
