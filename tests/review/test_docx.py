"""The review DOCX (bot/review/docx_writer.py) in both languages."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from bot.i18n import t
from bot.review.charts import render_all
from bot.review.docx_writer import clock_result, csv_path_for, duration, key_events, sentence, write_review
from bot.review.model import ClockRow, ReviewData, TimelineEvent
from bot.review.sample import synthetic_review

TZ = ZoneInfo("Asia/Shanghai")
SECTIONS = ("review.h.facts", "review.h.timeline", "review.h.clocks", "review.h.release", "review.h.charts",
            "review.h.volume", "review.h.platform", "review.h.sentiment", "review.h.region", "review.h.words",
            "review.h.appendix")


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def table_with_header(doc, *cells: str):
    found = [tb for tb in doc.tables if tuple(c.text for c in tb.rows[0].cells[:len(cells)]) == cells]
    assert len(found) == 1, cells
    return found[0]


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


@pytest.fixture(scope="module")
def charts_by_lang():
    return {lang: render_all(synthetic_review(300, 350, lang=lang)) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_full_report(tmp_path: Path, lang: str, charts_by_lang):
    data = synthetic_review(300, 350, lang=lang)
    out = write_review(data, tmp_path / "review.docx", charts=charts_by_lang[lang])
    assert out == tmp_path / "review.docx" and out.is_file()
    doc = Document(str(out))

    heads = headings(doc)
    assert heads[0] == t("review.title", lang, no="2026-0042")
    for key in SECTIONS:
        assert t(key, lang) in heads, key
    assert [h for h in heads if h in {t(k, lang) for k in SECTIONS}] == [t(k, lang) for k in SECTIONS]

    facts = table_with_header(doc, t("review.col.field", lang))
    assert len(facts.rows) == len(data.first_report) + 1

    deadlines = table_with_header(doc, t("review.col.clock", lang))
    assert len(deadlines.rows) == len(data.clocks) + 1
    results = [row.cells[4].text for row in deadlines.rows[1:]]
    assert results[0] == t("review.clock.met_early", lang, d=duration(timedelta(hours=2, minutes=30), lang))
    assert results[1] == t("review.clock.missed", lang, d=duration(timedelta(hours=2), lang))
    assert deadlines.rows[1].cells[0].text == t("clock.name.report_upward", lang)

    approvals = table_with_header(doc, t("review.col.time", lang), t("review.col.approver", lang))
    assert len(approvals.rows) == len(data.approvals) + 1
    key = table_with_header(doc, t("review.col.time", lang), t("review.col.actor", lang))
    assert len(key.rows) == 7 + 1  # the seven flagged events of the sample
    words = table_with_header(doc, t("review.col.rank", lang))
    assert len(words.rows) == 20 + 1

    # 4 charts + the word cloud
    assert len(doc.inline_shapes) == 5
    text = body_text(doc)
    assert t("review.phase.outbreak", lang) in text
    assert data.release.text.splitlines()[0] in text

    # 350 timeline rows > 300: the appendix is a CSV beside the DOCX
    csv_path = csv_path_for(out)
    assert csv_path.is_file()
    assert t("review.appendix.csv", lang, n=350, limit=300, file=csv_path.name) in text
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 351
    assert rows[0][0] == t("review.col.time", lang)
    assert rows[0] == [t("review.col.time", lang), t("review.col.kind", lang), t("review.col.event", lang)]
    assert {r[1] for r in rows[1:]} >= {t("review.kind.followup", lang), t("review.kind.publish", lang)}
    # each event a sentence: who (when someone) then what
    assert [r[2] for r in rows[1:]] == [sentence(e, lang) for e in sorted(data.timeline, key=lambda e: e.at)]
    assert all(r[2].startswith(e.actor) for r, e in zip(rows[1:], sorted(data.timeline, key=lambda e: e.at),
                                                         strict=True))
    assert datetime.fromisoformat(rows[1][0]).utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_short_timeline_is_a_table_and_no_data_is_said(tmp_path: Path, lang: str):
    data = synthetic_review(0, 40, lang=lang)
    data.approvals, data.release = [], None
    out = write_review(data, tmp_path / "r.docx")
    doc = Document(str(out))
    assert not csv_path_for(out).exists()
    assert len(doc.inline_shapes) == 0
    text = body_text(doc)
    for key in ("review.nodata.volume", "review.nodata.platform", "review.nodata.sentiment",
                "review.nodata.region", "review.words.none", "review.approvals.none", "review.release.none"):
        assert t(key, lang) in text, key
    appendix = [tb for tb in doc.tables if tb.rows[0].cells[0].text == t("review.col.time", lang)
                and tb.rows[0].cells[1].text == t("review.col.kind", lang)]
    assert len(appendix) == 1 and len(appendix[0].rows) == 41
    assert appendix[0].rows[0].cells[2].text == t("review.col.event", lang)
    kinds = {row.cells[1].text for row in appendix[0].rows[1:]}
    assert t("review.kind.followup", lang) in kinds and "followup" not in kinds


def test_empty_incident(tmp_path: Path):
    data = ReviewData(incident_no="X-1", grade="general")
    doc = Document(str(write_review(data, tmp_path / "x.docx")))
    text = body_text(doc)
    for key in ("review.facts.none", "review.timeline.none", "review.clocks.none"):
        assert t(key, "zh") in text
    assert t("review.category.none", "zh") in text
    assert len(doc.inline_shapes) == 0


def test_exactly_300_rows_stay_in_the_document(tmp_path: Path):
    data = synthetic_review(0, 300)
    out = write_review(data, tmp_path / "r.docx")
    assert not csv_path_for(out).exists()
    data = synthetic_review(0, 301)
    out = write_review(data, tmp_path / "s.docx")
    assert csv_path_for(out).exists()


def test_clock_results_and_durations():
    t0 = datetime(2026, 11, 24, 8, tzinfo=TZ)
    due = t0 + timedelta(hours=4)
    assert duration(timedelta(days=2, hours=3, minutes=10), "zh") == "2天3小时"
    assert duration(timedelta(hours=1, minutes=20), "en") == "1 h 20 min"
    assert duration(timedelta(minutes=-15), "zh") == "15分钟"
    met = ClockRow("publish", t0, due, due - timedelta(minutes=30), "met")
    assert clock_result(met, "en") == "met (30 min early)"
    assert clock_result(ClockRow("publish", t0, due, due, "met"), "en") == "met"
    late = ClockRow("publish", t0, due, due + timedelta(hours=1, minutes=5), "missed")
    assert clock_result(late, "zh") == "超时 1小时5分钟"
    assert clock_result(ClockRow("x", t0, due, None, "missed"), "en") == "missed"
    running = ClockRow("formal_reply", t0, due, None, "running")
    assert clock_result(running, "en") == "running"
    assert clock_result(running, "en", now=due - timedelta(hours=1)) == "running (1 h 0 min left)"
    assert clock_result(running, "en", now=due + timedelta(minutes=5)) == "running (5 min overdue)"
    explicit = ClockRow("publish", t0, due, None, "missed", delta=timedelta(hours=3))
    assert clock_result(explicit, "en") == "missed by 3 h 0 min"


def test_key_events_flagged_then_rare_kinds():
    t0 = datetime(2026, 11, 24, 8, tzinfo=TZ)
    routine = [TimelineEvent(t0 + timedelta(minutes=i), "a", "followup", "f") for i in range(10)]
    rare = TimelineEvent(t0 + timedelta(minutes=3, seconds=30), "b", "grade", "graded")
    assert key_events(routine + [rare]) == [rare]
    flagged = TimelineEvent(t0, "c", "followup", "first", key=True)
    assert key_events([*routine, rare, flagged]) == [flagged]
    many = [TimelineEvent(t0 + timedelta(minutes=i), "a", "k", str(i), key=True) for i in range(100)]
    kept = key_events(many, limit=10)
    assert [e.summary for e in kept] == ["0", "1", "2", "3", "4", "95", "96", "97", "98", "99"]
