"""The review report as a Word document (python-docx), in Chinese or English by `ReviewData.lang`.

Sections: title; 1 facts of the first report; 2 key timeline events; 3 deadlines; 4 approvals and
the release; 5 charts of the spread; 6 hot words; 7 tracking and closure (the closure summary);
appendix: the full timeline, one sentence per event (time, kind, "王校长 确认收到") — as a table, or,
when it has more than `appendix_limit` rows, as a CSV file written beside the DOCX
(`csv_path_for(out_path)`) and named in the document.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from bot.audit_sentences import Sentence
from bot.domain.vocab import CATEGORIES, CLOCKS, GRADES
from bot.i18n import t
from bot.review import events as ev
from bot.review.charts import ChartSet, render_all
from bot.review.model import ClockRow, ReviewData, TimelineEvent

APPENDIX_LIMIT = 300
KEY_LIMIT = 40  # rows of section 2
RARE_KIND = 3  # without flagged events, kinds seen at most this often are the key ones
WORDS_SHOWN = 20
IMAGE_WIDTH_CM = 15.5
FONTS = {"body": ("Times New Roman", "宋体"), "head": ("Arial", "黑体")}


def csv_path_for(out_path: str | Path) -> Path:
    out = Path(out_path)
    return out.with_name(f"{out.stem}_timeline.csv")


def write_review(data: ReviewData, out_path: str | Path, *, charts: ChartSet | None = None,
                 appendix_limit: int = APPENDIX_LIMIT) -> Path:
    """Write the review DOCX to out_path (and the timeline CSV beside it when needed); the DOCX path."""
    from docx import Document
    from docx.shared import Cm

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    charts = charts if charts is not None else render_all(data)
    lang = data.lang
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    _set_fonts(doc)

    doc.add_heading(t("review.title", lang, no=data.incident_no), level=0)
    grade = GRADES.label(data.grade, lang) if data.grade in GRADES else data.grade
    if data.category:
        category = CATEGORIES.label(data.category, lang) if data.category in CATEGORIES else data.category
    else:
        category = t("review.category.none", lang)
    at = data.fmt(data.generated_at or datetime.now(data.tz))
    doc.add_paragraph(t("review.meta", lang, no=data.incident_no, grade=grade, category=category, at=at))
    if data.subject:
        doc.add_paragraph(t("review.meta.subject", lang, subject=data.subject))
    if data.status:
        key = f"review.state.{data.status}"
        doc.add_paragraph(t("review.meta.status", lang, status=t(key, lang) if key in ev.CATALOG else data.status))

    _facts(doc, data)
    _key_events(doc, data)
    _assessments(doc, data)
    _clocks(doc, data)
    _tasks(doc, data)
    _group(doc, data)
    _room(doc, data)
    _release(doc, data)
    _outside(doc, data)
    _charts(doc, data, charts)
    _words(doc, data, charts)
    _closure(doc, data)
    _appendix(doc, data, out, appendix_limit)
    doc.save(str(out))
    return out


# ---------------------------------------------------------------- helpers


def _set_fonts(doc) -> None:
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        latin, east = FONTS["body" if name == "Normal" else "head"]
        style.font.name = latin
        rfonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), east)


def _table(doc, header: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float] | None = None):
    from docx.shared import Cm

    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for i, values in enumerate(rows, start=1):
        for cell, text in zip(table.rows[i].cells, values, strict=True):
            cell.text = text
    if widths_cm:
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(w)
    return table


def _picture(doc, png: bytes) -> None:
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))


def duration(td: timedelta, lang: str) -> str:
    """"2天3小时" / "1 h 20 min" / "15分钟": minutes, hours or days+hours, rounded to the minute."""
    minutes = round(abs(td).total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t("review.dur.dh", lang, d=days, h=hours)
    if hours:
        return t("review.dur.hm", lang, h=hours, m=mins)
    return t("review.dur.m", lang, m=mins)


def clock_name(name: str, lang: str) -> str:
    return t(f"clock.name.{name}", lang) if name in CLOCKS else name


def clock_result(row: ClockRow, lang: str, now: datetime | None = None) -> str:
    margin = row.margin(now)
    minute = timedelta(minutes=1)
    if row.status == "met":
        if margin is not None and margin <= -minute:
            return t("review.clock.met_early", lang, d=duration(margin, lang))
        return t("review.clock.met", lang)
    if row.status == "missed":
        if margin is not None and margin >= minute:
            return t("review.clock.missed", lang, d=duration(margin, lang))
        return t("review.clock.missed_plain", lang)
    if row.status == "cancelled":
        reason = f"（{row.reason}）" if row.reason and lang == "zh" else f" ({row.reason})" if row.reason else ""
        if margin is not None and margin >= minute:
            return t("review.clock.cancelled_over", lang, d=duration(margin, lang), reason=reason)
        return t("review.clock.cancelled", lang, reason=reason)
    if margin is None:
        return t("review.clock.running", lang)
    key = "review.clock.running_over" if margin > timedelta(0) else "review.clock.running_left"
    return t(key, lang, d=duration(margin, lang))


def kind_label(kind: str, lang: str) -> str:
    return ev.kind_label(kind, lang)


def actor(e: TimelineEvent, lang: str) -> str:
    """Who did it; an event nobody in particular did (the bot, a schedule) is the system's."""
    return e.actor or t("audit.actor.system", lang)


def sentence(e: TimelineEvent, lang: str) -> str:
    """"王校长 确认收到", "定级为重大（…）": the event as the timeline says it."""
    return Sentence(e.actor, e.summary).text(lang)


def key_events(timeline: Sequence[TimelineEvent], limit: int = KEY_LIMIT) -> list[TimelineEvent]:
    """The events flagged `key`; without any flag, the events of rare kinds (≤ RARE_KIND times).
    Longer than `limit`: the first and the last limit/2 of them."""
    events = sorted(timeline, key=lambda e: e.at)
    chosen = [e for e in events if e.key]
    if not chosen:
        seen = Counter(e.kind for e in events)
        chosen = [e for e in events if seen[e.kind] <= RARE_KIND]
    if len(chosen) > limit:
        chosen = chosen[: limit - limit // 2] + chosen[-(limit // 2):]
    return chosen


# ---------------------------------------------------------------- sections


def _facts(doc, data: ReviewData) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.facts", lang), level=1)
    if not data.first_report:
        doc.add_paragraph(t("review.facts.none", lang))
        return
    _table(doc, [t("review.col.field", lang), t("review.col.value", lang)],
           [[k, str(v)] for k, v in data.first_report.items()], [4.0, 12.0])


def _key_events(doc, data: ReviewData) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.timeline", lang), level=1)
    if not data.timeline:
        doc.add_paragraph(t("review.timeline.none", lang))
        return
    events = key_events(data.timeline)
    if len(events) < len(data.timeline):
        doc.add_paragraph(t("review.timeline.shown", lang, total=len(data.timeline), shown=len(events)))
    _table(doc, [t("review.col.time", lang), t("review.col.actor", lang), t("review.col.event", lang)],
           [[data.fmt(e.at), actor(e, lang), e.summary] for e in events], [3.4, 3.0, 9.6])


def _assessments(doc, data: ReviewData) -> None:
    """The leaders' assessments (研判: nature, effect, decision, reason), when there were any."""
    if not data.assessments:
        return
    lang = data.lang
    doc.add_heading(t("review.assessments.title", lang), level=1)
    _table(doc, [t("review.col.time", lang), t("review.col.actor", lang), t("review.col.event", lang)],
           [[data.fmt(e.at), actor(e, lang), e.summary] for e in data.assessments], [3.4, 3.0, 9.6])


def _clocks(doc, data: ReviewData) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.clocks", lang), level=1)
    if not data.clocks:
        doc.add_paragraph(t("review.clocks.none", lang))
        return
    status = Counter(c.status for c in data.clocks)
    doc.add_paragraph(t("review.clocks.summary", lang, total=len(data.clocks), met=status["met"],
                        missed=status["missed"], running=status["running"], cancelled=status["cancelled"]))
    header = [t(f"review.col.{k}", lang) for k in ("clock", "started", "due", "done", "result")]
    rows = [[clock_name(c.name, lang), data.fmt(c.started), data.fmt(c.due), data.fmt(c.met_at or c.stopped_at),
             clock_result(c, lang, data.generated_at)] for c in data.clocks]
    _table(doc, header, rows, [3.6, 2.9, 2.9, 2.9, 3.7])


def _tasks(doc, data: ReviewData) -> None:
    """Tasks given on the incident, their outcome and lateness: a section only when there were tasks (the
    sections' numbering stays that of reviews without any)."""
    if not data.tasks:
        return
    lang = data.lang
    doc.add_heading(t("review.h.tasks", lang), level=2)
    done = sum(x.status == "done" for x in data.tasks)
    doc.add_paragraph(t("review.tasks.summary", lang, total=len(data.tasks), done=done,
                        late=sum(x.late for x in data.tasks)))
    header = [t(f"review.col.{k}", lang) for k in ("task", "owner", "due", "done", "result")]

    def result(x) -> str:  # noqa: ANN001
        mark = "" if not x.late else t("tasks.late" if x.status == "done" else "tasks.overdue", lang)
        word = t(f"task.status.{x.status}", lang) + mark
        return word + (f"\n{x.note}" if x.note else "")
    rows = [[x.what, f"{x.owner}（{x.unit}）" if x.unit and lang == "zh" else f"{x.owner} ({x.unit})" if x.unit
             else x.owner, data.fmt(x.due), data.fmt(x.done_at), result(x)] for x in data.tasks]
    _table(doc, header, rows, [4.4, 3.2, 2.7, 2.7, 3.0])


def _group(doc, data: ReviewData) -> None:
    """The working group (专门工作组): its members with their role in it, and the first meeting with who joined,
    who could not and who did not answer. A section only when there was a group."""
    g = data.group
    if g is None:
        return
    lang = data.lang
    doc.add_heading(t("review.h.group", lang), level=2)
    status = t("review.group.confirmed", lang, at=data.fmt(g.confirmed_at)) if g.status == "confirmed" \
        else t("review.group.proposed", lang)
    doc.add_paragraph(t("review.group.summary", lang, status=status, n=len(g.members)))
    if g.reason:
        doc.add_paragraph(t("review.group.reason", lang, reason=g.reason))
    answers = g.meetings[0][1] if g.meetings else {}
    for at, said in g.meetings:
        joins = sum(a == "join" for a in said.values())
        doc.add_paragraph(t("review.group.meeting", lang, at=data.fmt(at), joins=joins, cants=len(said) - joins,
                            none=sum(name not in said for name, _ in g.members)))
    header = [t(f"review.group.col.{k}", lang) for k in ("name", "role", "answer")]
    rows = [[name, t(f"wg.role.{role}", lang),
             t(f"wg.answer.{answers[name]}", lang) if name in answers else t("review.group.no_answer", lang)]
            for name, role in g.members]
    _table(doc, header, rows, [5.0, 5.0, 6.0])
def _room(doc, data: ReviewData) -> None:
    """The incident's topic (a link to it) and the decisions recorded there: a section only when there was either
    (the sections' numbering stays that of reviews without them)."""
    if not data.room_name and not data.decisions:
        return
    lang = data.lang
    doc.add_heading(t("review.room.title", lang), level=2)
    if data.room_name:
        doc.add_paragraph(t("review.room.topic", lang, name=data.room_name, link=data.room_link).strip())
    if not data.decisions:
        doc.add_paragraph(t("review.room.none", lang))
    for d in data.decisions:
        task = t("review.room.decision_task", lang, what=d.task) if d.task else ""
        doc.add_paragraph(t("review.room.decision", lang, at=data.fmt(d.at), by=d.by, text=d.text, task=task),
                          style="List Bullet")


def _release(doc, data: ReviewData) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.release", lang), level=1)
    if data.approvals:
        header = [t(f"review.col.{k}", lang) for k in ("time", "approver", "role", "decision", "note")]
        rows = [[data.fmt(a.at), a.approver, a.role, a.decision, a.note] for a in sorted(data.approvals, key=lambda a: a.at)]
        _table(doc, header, rows, [3.2, 2.8, 2.8, 2.6, 4.6])
    else:
        doc.add_paragraph(t("review.approvals.none", lang))
    doc.add_heading(t("review.release.heading", lang), level=2)
    rel = data.release
    if rel is None or not rel.text.strip():
        doc.add_paragraph(t("review.release.none", lang))
        return
    if rel.published_at:
        doc.add_paragraph(t("review.release.at", lang, at=data.fmt(rel.published_at)))
    for o in rel.outlets:  # every outlet with its link (several per release: 新闻通稿、主流媒体、官方微博)
        doc.add_paragraph(t("review.release.outlet_line", lang, outlet=o.outlet,
                            link=o.link or t("review.release.no_link", lang),
                            at=data.fmt(o.at) if o.at else "-", name=o.by or "-"))
    for line in rel.text.strip().splitlines():
        if line.strip():
            doc.add_paragraph(line.strip(), style="Quote")


def _outside(doc, data: ReviewData) -> None:
    """Outside communication (对外沟通): media interview requests and unauthorised disclosures, a subsection of
    the approvals and the release — only when there were any, so the sections' numbering stays the same."""
    if not data.interviews and not data.breaches:
        return
    lang = data.lang
    doc.add_heading(t("review.h.outside", lang), level=2)
    doc.add_paragraph(t("review.outside.summary", lang, n=len(data.interviews),
                        authorised=sum(x.status == "authorised" for x in data.interviews),
                        refused=sum(x.status == "refused" for x in data.interviews), breaches=len(data.breaches)))
    if data.interviews:
        header = [t(f"review.col.{k}", lang) for k in ("time", "media", "topic", "speaker", "interview_result")]
        rows = [[data.fmt(x.at), x.media, x.topic, x.speaker, t(f"interview.status.{x.status}", lang)]
                for x in data.interviews]
        _table(doc, header, rows, [3.0, 3.6, 4.6, 2.4, 2.4])
    if data.breaches:
        header = [t(f"review.col.{k}", lang) for k in ("time", "breach_who", "breach_what", "breach_evidence")]
        _table(doc, header, [[data.fmt(b.at), b.who, b.what, b.evidence] for b in data.breaches], [3.0, 2.8, 6.2, 4.0])


def _charts(doc, data: ReviewData, charts: ChartSet) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.charts", lang), level=1)
    for key, png in (("volume", charts.volume), ("platform", charts.platform),
                     ("sentiment", charts.sentiment), ("region", charts.region)):
        doc.add_heading(t(f"review.h.{key}", lang), level=2)
        if png is None:
            doc.add_paragraph(t(f"review.nodata.{key}", lang))
            continue
        _picture(doc, png)
        if key == "volume" and charts.series is not None:
            _phase_lines(doc, data, charts)


def _phase_lines(doc, data: ReviewData, charts: ChartSet) -> None:
    lang, s = data.lang, charts.series
    step = timedelta(hours=s.hours)
    fmt = "%m-%d %H:%M"
    basis = s.basis
    unit = "growth" if s.growth is not None else "posts"
    peak = max(basis)
    top = basis.index(peak)
    doc.add_paragraph(t(f"review.phases.peak.{unit}", lang, at=data.local(s.starts[top]).strftime(fmt), hours=s.hours,
                        n=round(peak)))
    for ph in s.phases:
        doc.add_paragraph(t(f"review.phases.line.{unit}", lang, phase=t(f"review.phase.{ph.name}", lang),
                            start=data.local(s.starts[ph.start]).strftime(fmt),
                            end=data.local(s.starts[ph.end] + step).strftime(fmt),
                            n=round(sum(basis[ph.start:ph.end + 1]))), style="List Bullet")
    doc.add_paragraph(t(f"review.phases.rule.{unit}", lang, pct=round(s.threshold * 100)))


def _words(doc, data: ReviewData, charts: ChartSet) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.words", lang), level=1)
    if not charts.words:
        doc.add_paragraph(t("review.words.none", lang))
        return
    if charts.cloud is not None:
        _picture(doc, charts.cloud)
    else:
        doc.add_paragraph(t("review.words.nocloud", lang))
    rows = [[str(i), w, f"{v:.3f}"] for i, (w, v) in enumerate(charts.words[:WORDS_SHOWN], start=1)]
    _table(doc, [t("review.col.rank", lang), t("review.col.word", lang), t("review.col.weight", lang)], rows,
           [2.0, 8.0, 6.0])


def _closure(doc, data: ReviewData) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.closure", lang), level=1)
    if data.tracker:
        doc.add_paragraph(t("review.closure.tracker", lang, name=data.tracker))
    doc.add_paragraph(t("review.closure.followups", lang, n=data.followups))
    if data.closed_at is None and not data.closure:
        doc.add_paragraph(t("review.closure.open", lang))
        return
    if data.closed_at is not None:
        doc.add_paragraph(t("review.closure.closed", lang, at=data.fmt(data.closed_at), name=data.closed_by or "-"))
    if data.closure:
        rows = [[t(f"review.closure.{k}", lang), v] for k, v in data.closure.items()]
        _table(doc, [t("review.col.field", lang), t("review.col.value", lang)], rows, [4.0, 12.0])


def _appendix(doc, data: ReviewData, out: Path, limit: int) -> None:
    lang = data.lang
    doc.add_heading(t("review.h.appendix", lang), level=1)
    events = sorted(data.timeline, key=lambda e: e.at)
    if not events:
        doc.add_paragraph(t("review.timeline.none", lang))
        return
    header = [t(f"review.col.{k}", lang) for k in ("time", "kind", "event")]  # the event: a whole sentence
    if len(events) > limit:
        path = csv_path_for(out)
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for e in events:
                writer.writerow([data.local(e.at).isoformat(timespec="seconds"), kind_label(e.kind, lang),
                                 sentence(e, lang)])
        doc.add_paragraph(t("review.appendix.csv", lang, n=len(events), limit=limit, file=path.name))
        return
    _table(doc, header, [[data.fmt(e.at), kind_label(e.kind, lang), sentence(e, lang)] for e in events],
           [3.2, 2.8, 10.0])
