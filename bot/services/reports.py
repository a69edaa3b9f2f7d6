"""Filing a report: a confirmed draft becomes an incident with a readable number, its report and evidence."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain import report as rf
from bot.domain.grading import GradeResult, GradingFacts, ReportFacts, compute_grade
from bot.services import audit
from bot.services.calendar import calendar_for
from bot.services.clocks import add_due, start_clocks
from bot.services.dto import IncidentSummary, OrgDTO, PersonDTO
from bot.services.escalation import notify_incident
from bot.services.incident_unit import match_on_filing, offer_picker
from bot.services.memo import mark_new_incident, new_incident
from bot.services.notify import office_chats, tell
from bot.services.org import load_org
from models import Evidence, Incident, Report

NUMBER_ATTEMPTS = 20
FILED = "filed"
log = logging.getLogger("onduty.reports")


def incident_number(year: int, seq: int) -> str:
    return f"YQ-{year}-{seq:04d}"


@dataclass(frozen=True)
class Filed:
    number: str
    incident_id: int
    report_id: int
    evidence: int
    grade: GradeResult | None = None
    pending: bool = False  # grading/notifying failed and is being retried


async def _new_incident(s: AsyncSession, *, year: int, **cols: Any) -> Incident:
    """Next number of the year; the (year, seq) unique constraint settles races, we retry. On SQLite the
    transaction holds the write lock from its BEGIN IMMEDIATE (bot.db), so there is no race to settle."""
    for _ in range(NUMBER_ATTEMPTS):
        seq = (await s.scalar(select(func.coalesce(func.max(Incident.seq), 0)).where(Incident.year == year))) + 1
        inc = Incident(year=year, seq=seq, number=incident_number(year, seq), **cols)
        if s.bind.dialect.name == "sqlite":
            s.add(inc)
            await s.flush()
        else:
            try:
                async with s.begin_nested():
                    s.add(inc)
                    await s.flush()
            except IntegrityError:
                continue
        mark_new_incident(s, inc.id)
        return inc
    raise RuntimeError("could not allocate an incident number")


def facts_of(values: dict[str, Any]) -> ReportFacts:
    return ReportFacts(platform=values.get("platform"), reposts=values.get("reposts"),
                       comments=values.get("comments"), views=values.get("views"),
                       media_level=values.get("media"), cross_region=values.get("cross_region"))


async def grade_incident(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> GradeResult:
    """Grade from every report's facts, store the grade with the rules that fired, start the clocks."""
    noted = new_incident(s, inc.id)
    fields = noted["reports"] if noted and "reports" in noted else \
        [r.fields for r in (await s.scalars(select(Report).where(Report.incident_id == inc.id))).all()]
    facts = GradingFacts.combine([facts_of(rf.from_json(f)) for f in fields])
    result = compute_grade(facts, org.policy.grading)
    first = inc.grade is None
    inc.grade, inc.grade_rules = result.grade, result.rules_to_json()
    await audit.append(s, incident_id=inc.id, kind=K.GRADED, payload={"grade": result.grade,
                       "rules": result.rules_to_json()}, now=now)
    await start_clocks(s, incident_id=inc.id, grade=result.grade, category=inc.category,
                       discovered_at=inc.discovered_at, learned_at=inc.created_at, calendar=calendar_for(org),
                       policy=org.policy, now=now)
    if first:
        await notify_incident(s, inc, org=org, now=now)
    return result


async def file_report(s: AsyncSession, *, person: PersonDTO, values: dict[str, Any], evidence: list[dict],
                      source: str, now: datetime, tz: ZoneInfo, org: OrgDTO | None = None) -> Filed:
    """`values` are parsed field values (bot.domain.report); evidence items as stored in the draft.
    With `org`, the new incident is graded and its response clocks start in the same transaction."""
    discovered = values.get("discovered") or now
    inc = await _new_incident(
        s, year=now.astimezone(tz).year, status="reported", category=values.get("category"),
        discovered_at=discovered, created_at=now, created_by=person.id)
    rep = Report(incident_id=inc.id, reporter_id=person.id, source=source, fields=rf.to_json(values),
                 discovered_at=discovered, created_at=now)
    s.add(rep)
    await s.flush()
    if (noted := new_incident(s, inc.id)) is not None:
        noted.setdefault("reports", []).append(rep.fields)
    for e in evidence:
        s.add(Evidence(report_id=rep.id, incident_id=inc.id, kind=e["kind"], file_id=e.get("file_id"),
                       file_unique_id=e.get("file_unique_id"), sha256=e.get("sha256"), size=e.get("size"),
                       mime_type=e.get("mime_type"), file_name=e.get("file_name"), text=e.get("text"),
                       origin=e.get("origin"), url=e.get("url"),
                       captured_at=datetime.fromisoformat(e["captured_at"]), captured_by=e["captured_by"]))
    if evidence:
        await s.flush()
    await audit.append(s, incident_id=inc.id, kind=K.REPORT_FILED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, payload={"number": inc.number, "report_id": rep.id, "source": source,
                                                        "evidence": len(evidence)}, now=now)
    picker = await match_on_filing(s, inc, str(values.get("unit") or ""), now=now)  # before the cards go out
    grade, pending = None, False
    number = inc.number  # read now: a rolled-back savepoint expires the row, and an async session cannot lazy-load
    if org is not None:
        try:
            async with s.begin_nested():
                grade = await grade_incident(s, inc, org=org, now=now)
        except Exception:  # noqa: BLE001 - whatever fails after filing, the report itself must stand
            log.exception("grading/notifying %s failed; the report is kept and the rest retried", number)
            await s.refresh(inc)  # the savepoint's rollback expired what grading had changed
            await schedule_retry(s, inc, org=org, now=now)
            pending = True
    if picker is not None:  # after the office's card: which unit did the reporter mean?
        await offer_picker(s, inc, picker[0], str(values.get("unit") or ""), why=picker[1],
                           org=org or await load_org(s), now=now)
    return Filed(number, inc.id, rep.id, len(evidence), grade, pending)


async def schedule_retry(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """Grading, clocks and notifications of a filed report failed: a due row retries them (kind "filed",
    schedules/filed.py) and the office hears at once, so nobody waits for cards that are not coming."""
    await add_due(s, kind=FILED, due=now, dedup_key=f"filed:{inc.id}", now=now, incident_id=inc.id)
    await tell(s, await office_chats(s, org, incident_id=inc.id), "report.followup_failed", now=now, dedup=f"filed:{inc.id}:failed",
               number=inc.number, notice="report.grading_failed")


async def my_reports(s: AsyncSession, *, person: PersonDTO, limit: int) -> list[IncidentSummary]:
    rows = (await s.execute(
        select(Incident, Report).join(Report, Report.incident_id == Incident.id)
        .where(Report.reporter_id == person.id).order_by(Report.id.desc()).limit(limit))).all()
    out = []
    for inc, rep in rows:
        f = rep.fields or {}
        out.append(IncidentSummary(number=inc.number, status=inc.status, grade=inc.grade,
                                   created_at=rep.created_at, place=str(f.get("place", "")),
                                   unit=str(f.get("unit", ""))))
    return out
