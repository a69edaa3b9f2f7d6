"""The review report's data: one incident's records read from the database into a ReviewData.

Reading only. Large incidents (thousands of reports and follow-ups, tens of thousands of timeline
rows) are read as Core rows, not ORM objects, so loading stays a small part of the generation time.
The CPU-bound part (charts, hot words, DOCX) is bot/review and runs outside the event loop.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit_sentences import Names, Story
from bot.domain import audit_kinds as K
from bot.domain.audit import chain_key
from bot.domain.release import MAJOR_GRADES, outlet_label
from bot.domain.report import FIELD_NAMES, format_value, from_json, is_filled, shown_label
from bot.i18n import t
from bot.review import events
from bot.review.model import (
    Approval,
    BreachLine,
    ClockRow,
    DecisionLine,
    GroupReview,
    InterviewLine,
    PostSample,
    PublishedOutlet,
    Release,
    ReviewData,
    TaskLine,
    TimelineEvent,
)
from bot.review.regions import region_of
from bot.services import room, working_group
from bot.services.audit import names as audit_names
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import incident_by_number
from models import (
    AuditLog,
    Breach,
    Incident,
    InterviewRequest,
    Person,
    ReleaseDecision,
    ReleaseDraft,
    ReleaseOutlet,
    Report,
    ResponseClock,
    Task,
    Unit,
)
from models.tracking import FollowUp

SUBJECT_MAX = 80
CLOSURE_KEYS = ("cause", "spread", "handling", "lessons")
CLOCK_STATUS = {"met": "met", "missed": "missed", "running": "running", "stopped": "cancelled"}


def may_review(person: PersonDTO | None) -> bool:
    """The office and leaders (README: /review and the review button)."""
    return person is not None and (person.has("office") or person.is_leader)


async def number_of(s: AsyncSession, incident_id: int) -> str | None:
    """The incident's number (YQ-…) for a button that names it by id; None when there is no such incident."""
    return await s.scalar(select(Incident.number).where(Incident.id == incident_id))


async def _names(s: AsyncSession) -> dict[int, str]:
    return {pid: name for pid, name in (await s.execute(select(Person.id, Person.name))).all()}


def _first_report(fields: dict[str, Any], lang: str, org: OrgDTO, reporter: str, filed: datetime) -> dict[str, str]:
    values = from_json(fields)
    out = {t("review.fact.reporter", lang): reporter, t("review.fact.filed", lang):
           filed.astimezone(org.tz).strftime("%Y-%m-%d %H:%M")}
    for name in FIELD_NAMES:
        if is_filled(values.get(name)):
            out[shown_label(name, lang)] = format_value(name, values[name], lang, org.tz)
    return out


def _sentiment(value: Any) -> tuple[str | None, int | None]:
    if isinstance(value, dict):
        share = value.get("share")
        return value.get("slug"), None if share is None else int(share)
    if isinstance(value, str):
        return value, None
    return None, None


def _count(value: Any) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def _report_sample(fields: dict[str, Any], discovered: datetime) -> PostSample:
    slug, share = _sentiment(fields.get("sentiment"))
    text = "\n".join(str(fields[k]) for k in ("process", "result") if fields.get(k))
    return PostSample(at=discovered, platform=fields.get("platform") or None, reposts=_count(fields.get("reposts")),
                      comments=_count(fields.get("comments")), views=_count(fields.get("views")), sentiment=slug,
                      sentiment_share=share, media=fields.get("media") or None, region=region_of(fields.get("place")),
                      text=text, source="report")


def _followup_sample(row: Any) -> PostSample:
    platforms = [p for p in (row.platforms or []) if p]
    regions = [r for r in (row.regions or []) if r]
    return PostSample(at=row.observed_at, platform=platforms[0] if platforms else None, reposts=row.reposts,
                      comments=row.comments, views=row.views, sentiment=row.sentiment,
                      sentiment_share=row.sentiment_share, media=row.media, region=regions[0] if regions else None,
                      text=row.text or "", source="followup", more_platforms=tuple(platforms[1:]),
                      more_regions=tuple(regions[1:]))


async def load_review(s: AsyncSession, number: str, *, org: OrgDTO, lang: str, now: datetime) -> ReviewData | None:
    """Everything the review shows about incident `number`, or None when there is no such incident."""
    inc = await incident_by_number(s, number)
    if inc is None:
        return None
    names = await _names(s)
    data = ReviewData(incident_no=inc.number, grade=inc.grade or "", lang=lang, category=inc.category,
                      generated_at=now, tz=org.tz, status=inc.status,
                      ignore_words=org.policy.review.ignore_words)
    data.tracker = names.get(inc.tracker_id or 0, "")
    data.closed_at = inc.closed_at
    data.closed_by = names.get(inc.closed_by or 0, "")
    summary = inc.close_summary or {}
    data.closure = {k: str(summary[k]) for k in CLOSURE_KEYS if summary.get(k)}

    reports = (await s.execute(select(Report.fields, Report.discovered_at, Report.created_at, Report.reporter_id)
                               .where(Report.incident_id == inc.id).order_by(Report.created_at, Report.id))).all()
    if reports:
        first = reports[0]
        data.first_report = _first_report(first.fields or {}, lang, org, names.get(first.reporter_id, "?"),
                                          first.created_at)
        process = str((first.fields or {}).get("process") or "").strip().splitlines()
        if process:
            data.subject = process[0][:SUBJECT_MAX] + ("…" if len(process[0]) > SUBJECT_MAX else "")
    posts = [_report_sample(r.fields or {}, r.discovered_at) for r in reports]
    fu_cols = (FollowUp.observed_at, FollowUp.reposts, FollowUp.comments, FollowUp.views, FollowUp.sentiment,
               FollowUp.sentiment_share, FollowUp.media, FollowUp.platforms, FollowUp.regions, FollowUp.text)
    followups = (await s.execute(select(*fu_cols).where(FollowUp.incident_id == inc.id)
                                 .order_by(FollowUp.observed_at, FollowUp.id))).all()
    posts += [_followup_sample(r) for r in followups]
    data.followups = len(followups)
    data.posts = sorted(posts, key=lambda p: p.at)

    rows = (await s.execute(select(AuditLog.at, AuditLog.kind, AuditLog.payload, AuditLog.actor_name,
                                   AuditLog.actor_telegram_id)
                            .where(AuditLog.chain == chain_key(inc.id)).order_by(AuditLog.seq))).all()
    lookup, story = await audit_names(s, org.tz), Story()  # sentences with names, never ids (as /timeline)
    data.timeline = [_event(r, lang, lookup, story) for r in rows]
    data.assessments = [e for e, r in zip(data.timeline, rows, strict=True) if r.kind == K.ASSESSED]

    clocks = (await s.scalars(select(ResponseClock).where(ResponseClock.incident_id == inc.id)
                              .order_by(ResponseClock.due_at, ResponseClock.id))).all()
    data.clocks = [_clock_row(c) for c in clocks]
    task_rows = (await s.execute(select(Task, Unit.name).outerjoin(Unit, Unit.id == Task.unit_id)
                                 .where(Task.incident_id == inc.id).order_by(Task.id))).all()
    data.tasks = [TaskLine(task.what, names.get(task.owner_id, "?"), unit or "", task.due_at, task.status,
                           task.done_at, task.late, task.note or "") for task, unit in task_rows]
    group = await working_group.review_rows(s, inc.id)
    data.group = GroupReview(**group) if group is not None else None

    await _outside(s, data, inc.id, names)
    found = await room.room_of(s, inc.id)  # the incident's topic and what was decided there (issue 23)
    if found is not None and found.thread is not None:
        data.room_name, data.room_link = found.name, room.topic_link(found) or ""
    data.decisions = [DecisionLine(d["at"], d["by"], d["text"], d["task_what"] or "")
                      for d in await room.decisions_of(s, inc.id)]

    decisions = (await s.execute(select(ReleaseDecision, ReleaseDraft.version)
                                 .join(ReleaseDraft, ReleaseDraft.id == ReleaseDecision.draft_id)
                                 .where(ReleaseDraft.incident_id == inc.id).order_by(ReleaseDecision.at))).all()
    data.approvals = [Approval(d.at, names.get(d.decider_id, "?"), events.decision_label(d.decision, lang),
                               _stage(d.stage, inc.grade, lang), _note(version, d.comment, lang))
                      for d, version in decisions]
    published = await s.scalar(select(ReleaseDraft).where(ReleaseDraft.incident_id == inc.id,
                                                          ReleaseDraft.published_at.is_not(None))
                               .order_by(ReleaseDraft.published_at.desc()).limit(1))
    if published is not None:
        outlets = (await s.scalars(select(ReleaseOutlet).where(ReleaseOutlet.draft_id == published.id)
                                   .order_by(ReleaseOutlet.published_at, ReleaseOutlet.id))).all()
        data.release = Release(published.text, published_at=published.published_at, outlets=tuple(
            PublishedOutlet(outlet_label(o.outlet, lang), o.link or "", o.published_at, names.get(o.published_by, ""))
            for o in outlets))
    return data


def _event(r: Any, lang: str, lookup: Names, story: Story) -> TimelineEvent:
    said = events.line(r.kind, r.payload, lang, actor_name=r.actor_name, actor_telegram_id=r.actor_telegram_id,
                       names=lookup, story=story)
    return TimelineEvent(r.at, said.subject, r.kind, said.predicate, key=events.is_key(r.kind, r.payload))


def _stage(stage: str, grade: str | None, lang: str) -> str:
    """The stage as the timeline names it: 主要负责人审核, 领导小组审定 (major and above), 分管领导审批."""
    if stage == "review":
        return t("audit.stage.review", lang)
    return t("audit.stage.approval_group" if grade in MAJOR_GRADES else "audit.stage.approval_supervisor", lang)


def _note(version: int, comment: str | None, lang: str) -> str:
    head = t("review.approval.version", lang, v=version)
    return f"{head}；{comment}" if comment and lang == "zh" else f"{head}; {comment}" if comment else head


def _clock_row(c: ResponseClock) -> ClockRow:
    status = CLOCK_STATUS.get(c.status, c.status)
    done = c.stopped_at if status in ("met", "missed") else None
    return ClockRow(c.name, c.started_at, c.due_at, done, status,
                    stopped_at=c.stopped_at if status == "cancelled" else None, reason=c.stop_reason or "")


async def write_review_file(s: AsyncSession, number: str, out: Path, *, org: OrgDTO, lang: str,
                            now: datetime) -> Path | None:
    """Load and write in one go (the CLI, the demo, the benchmark); None for an unknown incident.
    The bot's handler loads here and writes in a thread instead (bot/review/docx_writer.write_review)."""
    # python-docx is slow to import: loaded only when a file is written
    from bot.review.docx_writer import write_review

    data = await load_review(s, number, org=org, lang=lang, now=now)
    if data is None:
        return None
    return write_review(data, out)


async def _outside(s: AsyncSession, data: ReviewData, incident_id: int, names: dict[int, str]) -> None:
    """Outside communication: the interview requests and the breaches (bot/services/interviews.py)."""
    rows = (await s.scalars(select(InterviewRequest).where(InterviewRequest.incident_id == incident_id)
                            .order_by(InterviewRequest.id))).all()
    data.interviews = [InterviewLine(r.created_at, f"{r.media} {r.reporter}", r.topic,
                                     names.get(r.speaker_id, "") if r.speaker_id else "", r.status) for r in rows]
    breaches = (await s.scalars(select(Breach).where(Breach.incident_id == incident_id).order_by(Breach.id))).all()
    data.breaches = [BreachLine(b.created_at, b.who, b.what,
                                " ".join(x for x in (b.link or "", f"×{len(b.evidence)}" if b.evidence else "") if x))
                     for b in breaches]
