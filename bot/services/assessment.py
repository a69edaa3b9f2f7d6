"""The leaders' assessment of an incident (评估, issue 22): its nature (category), a large effect on the image, and
the response decision — watch only / respond / full disposal — with a reason, in one transaction.

A change of category rebuilds the disposal checklist (it is computed from the category; the steps already done
are timeline rows and stay done) and starts or stops the clocks that depend on it (inquiry_same_day); a large
effect grades again through the existing rule (image_impact_large), applied as /grade applies a grade. Every
assessment is a row of `assessments` and a timeline row; a refused one is a timeline row too, with what was
asked, so nothing typed is lost.

Optimistic concurrency: an assessment names the version it was based on (how many assessments the incident
had when the person began); one based on a stale version is refused — "one wins, both audited".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain import report as rf
from bot.domain.assessment import DECISIONS, REASON_MAX, may_assess
from bot.domain.clocks import clocks_for
from bot.domain.grading import GradeResult, GradingFacts, compute_grade, regrade
from bot.domain.vocab import CATEGORIES
from bot.services import audit
from bot.services.calendar import calendar_for
from bot.services.clocks import cancel_clocks, list_clocks, resume_clocks, start_clocks
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import apply_grade, refresh_cards
from bot.services.reports import facts_of
from models import Assessment, Incident, Report

# Outcome codes; each has the text `assess.<code>` in bot/i18n/assess.py.
DONE = "done"
REFUSALS = ("not_allowed", "closed", "stale", "reason_required", "bad_input")


@dataclass(frozen=True)
class Outcome:
    code: str  # DONE or one of REFUSALS
    number: str = ""
    category_before: str | None = None
    category: str | None = None
    grade_before: str | None = None
    grade: str | None = None
    decision: str | None = None
    large: bool = False
    clocks_started: tuple[str, ...] = ()
    clocks_stopped: tuple[str, ...] = ()
    winner: str | None = None  # stale: who assessed in the meantime

    @property
    def ok(self) -> bool:
        return self.code == DONE


@dataclass(frozen=True)
class Opening:
    """What the guided flow starts from: the incident as it is, and the version the assessment will be based on."""

    code: str  # "open" or a refusal code
    incident_id: int = 0
    number: str = ""
    category: str | None = None
    version: int = 0


@dataclass(frozen=True)
class AssessmentDTO:
    based_on: int
    at: datetime
    actor: str | None
    category_before: str | None
    category: str | None
    large_effect: bool
    grade_before: str | None
    grade: str | None
    decision: str
    reason: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """For `onduty export` ("assessments")."""
        return {"based_on": self.based_on, "at": self.at.isoformat(), "actor": self.actor,
                "category_before": self.category_before, "category": self.category,
                "large_effect": self.large_effect, "grade_before": self.grade_before, "grade": self.grade,
                "decision": self.decision, "reason": self.reason}


async def version_of(s: AsyncSession, incident_id: int) -> int:
    """The incident's assessment version: how many assessments it has."""
    return await s.scalar(select(func.count()).select_from(Assessment)
                          .where(Assessment.incident_id == incident_id)) or 0


async def list_assessments(s: AsyncSession, incident_id: int) -> list[AssessmentDTO]:
    rows = (await s.scalars(select(Assessment).where(Assessment.incident_id == incident_id)
                            .order_by(Assessment.based_on, Assessment.id))).all()
    return [AssessmentDTO(r.based_on, r.created_at, r.actor_name, r.category_before, r.category_after,
                          r.large_effect, r.grade_before, r.grade_after, r.decision, r.reason) for r in rows]


def _check(inc: Incident | None, person: PersonDTO | None) -> str | None:
    if person is None or not may_assess(person.roles):
        return "not_allowed"
    if inc is None:
        return "bad_input"
    if inc.status == "closed":
        return "closed"
    return None


async def open_assessment(s: AsyncSession, *, incident_id: int, person: PersonDTO | None, now: datetime,
                          actor_id: int | None = None, actor_name: str | None = None) -> Opening:
    """The card's button: may this person assess this incident now, and on which version (refusals audited)."""
    inc = await s.get(Incident, incident_id)
    refused = _check(inc, person)
    if refused is not None:
        if inc is not None:
            await _audit_refusal(s, inc, refused, person=person, actor_id=actor_id, actor_name=actor_name,
                                 asked={}, now=now)
        return Opening(refused, number=inc.number if inc is not None else "")
    return Opening("open", inc.id, inc.number, inc.category, await version_of(s, inc.id))


async def assess(s: AsyncSession, inc: Incident, *, person: PersonDTO | None, category: str | None, large: bool,
                 decision: str | None, reason: str, based_on: int | None, org: OrgDTO, now: datetime,
                 actor_id: int | None = None, actor_name: str | None = None) -> Outcome:
    """Apply an assessment (category None: the nature stays). `based_on` None: the version read now (a command
    typed in one go); otherwise the version the guided flow started on — stale when another came first."""
    reason = " ".join((reason or "").split())[:REASON_MAX]
    asked = {"category": category, "large": large, "decision": decision, "reason": reason, "based_on": based_on}
    actor_id = actor_id if actor_id is not None else person.telegram_id if person else None
    actor_name = person.name if person else actor_name  # the name the organisation knows them by
    refused = _check(inc, person)
    if refused is None and ((category is not None and category not in CATEGORIES) or decision not in DECISIONS):
        refused = "bad_input"
    if refused is None and not reason:
        refused = "reason_required"
    version = await version_of(s, inc.id)
    winner = None
    if refused is None and based_on is not None and based_on != version:
        refused, winner = "stale", await _latest_actor(s, inc.id)
    row = None
    if refused is None:
        row = Assessment(incident_id=inc.id, based_on=version, person_id=person.id, actor_telegram_id=actor_id,
                         actor_name=actor_name, created_at=now, category_before=inc.category,
                         category_after=category if category is not None else inc.category, large_effect=large,
                         grade_before=inc.grade, grade_after=inc.grade, decision=decision, reason=reason)
        try:
            async with s.begin_nested():  # a racing transaction stored this version first: theirs stands
                s.add(row)
                await s.flush()
        except IntegrityError:
            refused, winner = "stale", await _latest_actor(s, inc.id)
    if refused is not None:
        await _audit_refusal(s, inc, refused, person=person, actor_id=actor_id, actor_name=actor_name,
                             asked={**asked, "current": version}, now=now)
        return Outcome(refused, inc.number, winner=winner)
    assert row is not None and person is not None
    before_cat, before_grade = inc.category, inc.grade
    started: list[str] = []
    stopped: list[str] = []
    if category is not None and category != inc.category:
        inc.category = category
        started, stopped = await _follow_category(s, inc, org=org, now=now)
    if large:
        await _large_effect(s, inc, person=person, reason=reason, org=org, now=now)
    row.grade_after = inc.grade
    await audit.append(s, incident_id=inc.id, kind=K.ASSESSED, actor_telegram_id=actor_id, actor_name=actor_name,
                       now=now, payload={"version": version + 1, "category_before": before_cat,
                                         "category": inc.category, "large": large, "decision": decision,
                                         "reason": reason, "grade_before": before_grade, "grade": inc.grade,
                                         "clocks_started": started, "clocks_stopped": stopped})
    inc.progressed_at = inc.progressed_at or now
    await refresh_cards(s, inc, org=org, now=now)  # the office card's checklist follows the category
    return Outcome(DONE, inc.number, before_cat, inc.category, before_grade, inc.grade, decision, large,
                   tuple(started), tuple(stopped))


async def _latest_actor(s: AsyncSession, incident_id: int) -> str | None:
    return await s.scalar(select(Assessment.actor_name).where(Assessment.incident_id == incident_id)
                          .order_by(Assessment.based_on.desc()).limit(1))


async def _audit_refusal(s: AsyncSession, inc: Incident, why: str, *, person: PersonDTO | None,
                         actor_id: int | None, actor_name: str | None, asked: dict[str, Any],
                         now: datetime) -> None:
    await audit.append(s, incident_id=inc.id, kind=K.ASSESSMENT_REFUSED, actor_telegram_id=actor_id,
                       actor_name=actor_name, now=now, payload={"why": why, **asked})


async def _follow_category(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> tuple[list[str], list[str]]:
    """The clocks that depend on the category: those it no longer needs stop (not judged), those it needs start."""
    if inc.grade is None:  # ungraded (its grading is being retried): the clocks start with the grade
        return [], []
    before = {c.name: c for c in await list_clocks(s, inc.id, now)}
    wanted = clocks_for(inc.grade, inc.category, policy=org.policy.clocks)
    gone = [n for n, c in before.items() if c.running and n not in wanted]
    if gone:
        await cancel_clocks(s, incident_id=inc.id, reason="regraded", now=now, names=gone)
    resumed = await resume_clocks(s, incident_id=inc.id, names=[n for n in wanted if n in before], now=now)
    after = await start_clocks(s, incident_id=inc.id, grade=inc.grade, category=inc.category,
                               discovered_at=inc.discovered_at, learned_at=inc.created_at,
                               calendar=calendar_for(org), policy=org.policy, now=now)
    return resumed + [c.name for c in after if c.name not in before], gone


async def _large_effect(s: AsyncSession, inc: Incident, *, person: PersonDTO, reason: str, org: OrgDTO,
                        now: datetime) -> None:
    """The reports' facts graded again with a large effect on the image; a rise applies as /grade applies it
    (clocks, new recipients' cards, 24-hour duty). A manual grade holds unless this goes above it."""
    reports = (await s.scalars(select(Report).where(Report.incident_id == inc.id).order_by(Report.id))).all()
    facts = GradingFacts.combine([facts_of(rf.from_json(r.fields)) for r in reports], image_impact="large")
    new = compute_grade(facts, org.policy.grading)
    current = GradeResult.from_json(inc.grade, inc.grade_rules or []) if inc.grade else None
    decision = regrade(None, new, overridden_grade=current.grade) if current is not None and current.overridden \
        else regrade(current, new)
    if current is not None and decision.direction != "up":
        return
    await apply_grade(s, inc, new, org=org, now=now, actor=person,
                      payload={"grade": new.grade, "previous": inc.grade, "reason": reason,
                               "rules": new.rules_to_json()})


def outcome_text(o: Outcome, lang: str) -> str:
    """The one sentence (or short paragraph) the assessor reads."""
    from bot.domain.vocab import GRADES
    from bot.i18n import t

    def nature(slug: str | None) -> str:
        return CATEGORIES.label(slug, lang) if slug else t("assess.no_category", lang)

    if o.code == "stale":
        return t("assess.stale", lang, who=o.winner or t("assess.stale.someone", lang), number=o.number)
    if not o.ok:
        return t(f"assess.{o.code}", lang, number=o.number)
    changes = ""
    if o.category != o.category_before:
        changes += t("assess.changes.category", lang, old=nature(o.category_before), new=nature(o.category))
    def clock(name: str) -> str:
        return t(f"clock.name.{name}", lang)

    if o.clocks_started:
        changes += t("assess.changes.started", lang, clocks=t("list.sep", lang).join(map(clock, o.clocks_started)))
    if o.clocks_stopped:
        changes += t("assess.changes.stopped", lang, clocks=t("list.sep", lang).join(map(clock, o.clocks_stopped)))
    if o.grade != o.grade_before and o.grade:
        old = GRADES.label(o.grade_before, lang) if o.grade_before else t("grade.ungraded", lang)
        changes += t("assess.changes.grade", lang, old=old, new=GRADES.label(o.grade, lang))
    return t("assess.done", lang, number=o.number, category=nature(o.category),
             effect=t("assess.effect.large" if o.large else "assess.effect.none", lang),
             decision=DECISIONS.label(o.decision, lang) if o.decision else "-", changes=changes)
