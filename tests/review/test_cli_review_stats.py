"""`onduty review` and `onduty stats` as a user runs them: a real subprocess, exit codes, one-line errors."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

from docx import Document

from bot.db import create_engine, session_factory
from models.migrate import upgrade
from tests.review.test_stats import seed
from tests.test_cli import onduty


async def _seed(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with session_factory(engine)() as s, s.begin():
        await seed(s)
    await engine.dispose()


def _one_line(r) -> str:  # noqa: ANN001
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr


def test_review_cli(tmp_path: Path) -> None:
    asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"))
    ok = onduty("review", "yq-2026-0001", "--out", "r.docx", tmp=tmp_path)
    assert ok.returncode == 0, ok.stderr
    doc = Document(str(tmp_path / "r.docx"))
    assert doc.paragraphs[0].text == "舆情事件复盘报告（YQ-2026-0001）"
    # no post sample has a platform or a region: those sections say so, no image for them
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "未生成平台分布图" in text and "未生成地域热度图" in text
    en = onduty("review", "YQ-2026-0001", "--out", "r-en.docx", "--lang", "en", tmp=tmp_path)
    assert en.returncode == 0 and Document(str(tmp_path / "r-en.docx")).paragraphs[0].text.startswith("Incident review")
    assert "no incident YQ-2026-0404" in _one_line(onduty("review", "YQ-2026-0404", "--out", "x.docx", tmp=tmp_path))
    assert "does not exist" in _one_line(onduty("review", "YQ-2026-0001", "--out", "nope/x.docx", tmp=tmp_path))
    assert "is a directory" in _one_line(onduty("review", "YQ-2026-0001", "--out", ".", tmp=tmp_path))
    (tmp_path / "ro").mkdir(mode=0o500)
    try:
        r = onduty("review", "YQ-2026-0001", "--out", "ro/x.docx", tmp=tmp_path)
        assert r.returncode in (0, 2)  # root may write anywhere; anyone else gets one line
        if r.returncode == 2:
            assert "permission denied" in _one_line(r)
    finally:
        (tmp_path / "ro").chmod(0o700)


def test_stats_cli(tmp_path: Path) -> None:
    asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"))
    ok = onduty("stats", "--from", "2026-11-01", "--to", "2026-11-30", "--csv", "s.csv", tmp=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "党委宣传部：报送 2" in ok.stdout
    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8-sig")))
    assert {r["unit"] for r in rows if r["level"] == "unit"} == {"党委宣传部", "学生工作部"}
    assert "before the start" in _one_line(onduty("stats", "--from", "2026-11-30", "--to", "2026-11-01", tmp=tmp_path))
    assert "Cannot read the date" in _one_line(onduty("stats", "--from", "11/01", "--to", "2026-11-30", tmp=tmp_path))
    empty = onduty("stats", "--from", "2025-01-01", "--to", "2025-01-31", tmp=tmp_path)
    assert empty.returncode == 0 and "Nothing in this period" not in empty.stdout and "没有事件" in empty.stdout
    _one_line(onduty("stats", "--from", "2026-11-01", "--to", "2026-11-30", "--csv", "no/s.csv", tmp=tmp_path))
