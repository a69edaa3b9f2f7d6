"""Media interviews under the leading group's authorisation, and breaches (对外沟通, issue 23 item 2).

`/interview` registers a request on an open incident (the office coordinates: it is told of every request); the
request then passes the release's approval stages (bot/services/approval_stages.py over bot/domain/release.py's
pipeline: the supervising leader for a general incident; the main leader's review then the leading group's
approval for a major one, different people when `policy.release.separate_stages`). A decision is a conditional
UPDATE on the request row (… WHERE status = 'in_review' AND stage = :stage): of two deciders at the same
instant one wins. On authorisation the person named to speak (else the spokesperson, 网上发言人) is told, with
the talking points (口径): the incident's approved release text when there is one. On refusal the office and
who asked are told. `/breach` records an interview or a disclosure made without authorisation (who, what, the
evidence) for the rewards and punishments (擅自向外界透露…追究责任). Everything is on the incident's timeline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.interview import decision_buttons
from bot.domain import audit_kinds as K
from bot.domain import interview as dom
from bot.domain import release as rel
from bot.domain.name_match import normalise
from bot.domain.vocab import GRADES
from bot.i18n import t
from bot.services import send
from bot.services.addresses import tag
from bot.services.approval_stages import Decisions, deciders, why_not
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.notify import Result, fail, incident_by_number, office_chats
from bot.services.reachability import unreachable_among
from bot.services.release_base import lang_of, people_with, record
from models import Breach, Incident, InterviewDecision, InterviewRequest, Person, Report
from models.release import ReleaseDraft

INTERVIEW = Decisions(InterviewDecision, InterviewDecision.request_id)
STATUSES = ("in_review", "authorised", "refused")


async def _refuse(s: AsyncSession, person: PersonDTO | None, action: str, code: str, *, now: datetime,
                  incident_id: int | None = None, request_id: int | None = None, stage: str | None = None,
                  **info: Any) -> Result:
    """Refuse and write the refusal to the incident's chain (the organisation's for an unknown request)."""
    await record(s, incident_id=incident_id, kind=K.REFUSAL, person=person, now=now,
                 payload={"action": action, "reason": code, "request_id": request_id, "stage": stage})
    return fail(code, **info)


async def refuse_press(s: AsyncSession, *, person: PersonDTO | None, now: datetime) -> None:
    """A press whose data does not parse: audited on the organisation's chain."""
    await _refuse(s, person, "interview.decide", "unknown", now=now)


def _grade(inc: Incident, lang: str) -> str:
    return GRADES.label(inc.grade, lang) if inc.grade in GRADES else t("interview.ungraded", lang)


async def _incident_people(s: AsyncSession, inc: Incident) -> set[int]:
    """Who the incident concerns: the one in charge, the tracker, who filed it and every reporter."""
    reporters = set((await s.scalars(select(Report.reporter_id).where(Report.incident_id == inc.id))).all())
    return {x for x in (inc.in_charge_id, inc.tracker_id, inc.created_by) if x is not None} | reporters


async def _person_named(s: AsyncSession, name: str) -> list[Person]:
    rows = (await s.scalars(select(Person).where(Person.active).order_by(Person.id))).all()
    return [p for p in rows if normalise(p.name) == normalise(name)]


# ---------------------------------------------------------------- registering

async def register(s: AsyncSession, *, args: dom.InterviewArgs, person: PersonDTO | None, org: OrgDTO,
                   now: datetime) -> Result:
    """A request on an open incident, sent to the first stage's deciders; the office told. Codes: requested;
    errors not_allowed, unknown_incident, closed, no_speaker, several_speakers."""
    if person is None:
        return fail("not_allowed")
    inc = await incident_by_number(s, args.number)
    if inc is None:
        return fail("unknown_incident", number=args.number)
    if inc.status == "closed":
        return fail("closed", number=inc.number)
    if not dom.may_request(person.roles, person_id=person.id, incident_people=await _incident_people(s, inc)):
        return await _refuse(s, person, "interview.request", "not_allowed", now=now, incident_id=inc.id)
    speaker = None
    if args.speaker:
        found = await _person_named(s, args.speaker)
        if not found:
            return fail("no_speaker", name=args.speaker)
        if len(found) > 1:
            return fail("several_speakers", name=args.speaker)
        speaker = found[0]
    first = rel.pipeline(inc.grade, org.policy.release)[0]
    row = InterviewRequest(incident_id=inc.id, media=args.media, reporter=args.reporter, topic=args.topic,
                           speaker_id=speaker.id if speaker else None, requested_by=person.id, created_at=now,
                           status="in_review", stage=first.name)
    s.add(row)
    await s.flush()
    await record(s, incident_id=inc.id, kind=K.INTERVIEW_REQUESTED, person=person, now=now,
                 payload={"id": row.id, "media": row.media, "reporter": row.reporter, "topic": row.topic,
                          "speaker": speaker.name if speaker else None, "stage": first.name})
    me = await send.recipients(s, [(person.id, "zh")])
    chats = {to: lang for to, lang in (await office_chats(s, org, incident_id=inc.id)).items() if to not in me}
    for to, lang in chats.items():
        await send.to_address(s, to, now=now, dedup_key=f"ivw:{row.id}:requested:{tag(to)}",
                              notice="interview.requested",
                              text=t("interview.note.requested", lang, **_fields(row, inc, lang, person.name,
                                                                                  speaker.name if speaker else None)))
    asked = await _ask(s, row, inc, first, org=org, now=now)
    return Result("requested", {"id": row.id, "number": inc.number, "media": row.media,
                                "stage": first.name, **asked})


def _fields(row: InterviewRequest, inc: Incident, lang: str, by: str, speaker: str | None) -> dict[str, Any]:
    return {"id": row.id, "number": inc.number, "grade": _grade(inc, lang), "media": row.media,
            "reporter": row.reporter, "topic": row.topic, "by": by,
            "speaker": speaker or t("interview.the_spokesperson", lang)}


async def _ask(s: AsyncSession, row: InterviewRequest, inc: Incident, stage: rel.Stage, *, org: OrgDTO,
               now: datetime) -> dict[str, int]:
    """The card with Authorise / Refuse to everyone who may decide at `stage` (as a release's stage); a stage
    too few may decide is said at once to the office and the main leader."""
    holders, people = await deciders(s, INTERVIEW, row.id, inc.grade, stage, author_id=row.requested_by,
                                     pol=org.policy.release)
    by = await s.get(Person, row.requested_by)
    speaker = await s.get(Person, row.speaker_id) if row.speaker_id else None
    for p in people:
        lang = lang_of(p, org)
        text = t("interview.card", lang, stage=t(f"release.stage.{stage.name}", lang), needed=stage.needed,
                 **_fields(row, inc, lang, by.name if by else "-", speaker.name if speaker else None))
        await send.to_person(s, p, text=text, now=now, buttons=decision_buttons(row.id, stage.name, lang),
                             dedup_key=f"ivw:{row.id}:{stage.name}:{p.id}", notice="interview.ask")
    if rel.blocked(stage, len(people)):
        chats = await office_chats(s, org, incident_id=inc.id)
        for p in await people_with(s, ("main_leader",), set()):
            await send.add_recipient(s, chats, p, lang_of(p, org))
        for to, lang in chats.items():
            await send.to_address(s, to, now=now, dedup_key=f"ivw:{row.id}:{stage.name}:blocked:{tag(to)}",
                                  notice="interview.blocked",
                                  text=t("interview.blocked", lang, id=row.id, number=inc.number,
                                         stage=t(f"release.stage.{stage.name}", lang), needed=stage.needed,
                                         eligible=len(people)))
        await record(s, incident_id=inc.id, kind=K.INTERVIEW_BLOCKED, person=None, now=now,
                     payload={"id": row.id, "stage": stage.name, "needed": stage.needed, "eligible": len(people),
                              "left_out": [p.name for p in holders if p not in people]})
    return {"approvers": len(people), "waiting": len(await unreachable_among(s, [p.id for p in people])),
            "blocked": int(rel.blocked(stage, len(people)))}


# ---------------------------------------------------------------- deciding

async def decide(s: AsyncSession, *, request_id: int, stage: str, person: PersonDTO | None, decision: str,
                 org: OrgDTO, now: datetime) -> Result:
    """One decision (approve | reject) at `stage`. Codes: passed (to the next stage), counted (a quorum not
    reached yet), authorised, refused; errors as bot/services/approval_stages.why_not, plus unknown."""
    assert decision in ("approve", "reject")
    action = "interview.decide"
    row = await s.get(InterviewRequest, request_id)
    if row is None or person is None:
        return await _refuse(s, person, action, "unknown" if row is None else "not_allowed", now=now,
                             request_id=request_id, stage=stage)
    inc = await s.get(Incident, row.incident_id)
    pol = org.policy.release
    reason = ("already_decided" if row.status != "in_review" else "outdated" if row.stage != stage else
              await why_not(s, INTERVIEW, row.id, inc.grade, stage, person=person, author_id=row.requested_by,
                            pol=pol))
    if reason == "own_draft":
        reason = "own_request"
    if reason:
        return await _refuse(s, person, action, reason, now=now, incident_id=inc.id, request_id=row.id, stage=stage,
                             id=row.id, number=inc.number)
    lock = (update(InterviewRequest).where(InterviewRequest.id == row.id, InterviewRequest.status == "in_review",
                                           InterviewRequest.stage == stage)
            .execution_options(synchronize_session=False))
    if (await s.execute(lock.values(decided_at=now))).rowcount != 1:  # someone decided first
        return await _refuse(s, person, action, "already_decided", now=now, incident_id=inc.id, request_id=row.id,
                             stage=stage, id=row.id, number=inc.number)
    try:
        async with s.begin_nested():
            s.add(InterviewDecision(request_id=row.id, stage=stage, decider_id=person.id, decision=decision, at=now))
            await s.flush()
    except IntegrityError:
        return await _refuse(s, person, action, "already_decided", now=now, incident_id=inc.id, request_id=row.id,
                             stage=stage, id=row.id, number=inc.number)
    st = rel.stage_of(inc.grade, stage, pol)
    approvals = await INTERVIEW.approvals(s, row.id, stage)
    nxt = None
    if decision == "reject":
        code, values = "refused", {"status": "refused"}
    elif approvals < st.needed:
        code, values = "counted", {}
    elif (nxt := rel.next_stage(inc.grade, stage, pol)) is not None:
        code, values = "passed", {"stage": nxt.name}
    else:
        code, values = "authorised", {"status": "authorised", "talking_points": await talking_points(s, inc.id)}
    if values:
        await s.execute(lock.values(**values))
    await s.refresh(row)
    await record(s, incident_id=inc.id, kind=K.INTERVIEW_DECIDED, person=person, now=now,
                 payload={"id": row.id, "stage": stage, "decision": decision, "approvals": approvals,
                          "needed": st.needed, "outcome": code})
    info: dict[str, Any] = {"id": row.id, "number": inc.number, "approvals": approvals, "needed": st.needed}
    if code == "authorised":
        info.update(await _authorised(s, row, inc, person, org=org, now=now))
    elif code == "refused":
        await _refused(s, row, inc, person, org=org, now=now)
    elif nxt is not None:
        info.update(await _ask(s, row, inc, nxt, org=org, now=now))
    return Result(code, info)


async def talking_points(s: AsyncSession, incident_id: int) -> str | None:
    """The 口径 given with an authorisation: the incident's latest approved (or published) release text."""
    return await s.scalar(select(ReleaseDraft.text).where(ReleaseDraft.incident_id == incident_id,
                                                          ReleaseDraft.status.in_(("approved", "published")))
                          .order_by(ReleaseDraft.version.desc()).limit(1))


async def _authorised(s: AsyncSession, row: InterviewRequest, inc: Incident, by: PersonDTO, *, org: OrgDTO,
                      now: datetime) -> dict[str, Any]:
    """The person to speak (named, else the first spokesperson) told with the talking points; the office told
    who was; audited. With nobody to speak, the office is asked to arrange it."""
    speaker = await s.get(Person, row.speaker_id) if row.speaker_id else None
    if speaker is None:
        spokes = await people_with(s, ("spokesperson",), set())
        speaker = spokes[0] if spokes else None
        if speaker is not None:
            await s.execute(update(InterviewRequest).where(InterviewRequest.id == row.id)
                            .values(speaker_id=speaker.id).execution_options(synchronize_session=False))
    if speaker is not None:
        lang = lang_of(speaker, org)
        points = (t("interview.points", lang, text=row.talking_points) if row.talking_points
                  else t("interview.no_points", lang))
        await send.to_person(s, speaker, now=now, dedup_key=f"ivw:{row.id}:authorised:speaker",
                             notice="interview.authorised",
                             text=t("interview.note.authorised", lang, points=points, decider=by.name,
                                    **_fields(row, inc, lang, "-", speaker.name)))
    for to, lang in (await office_chats(s, org, incident_id=inc.id)).items():
        key = "interview.note.office_authorised" if speaker else "interview.note.office_no_speaker"
        await send.to_address(s, to, now=now, dedup_key=f"ivw:{row.id}:authorised:{tag(to)}",
                              notice="interview.decided",
                              text=t(key, lang, id=row.id, number=inc.number, media=row.media, decider=by.name,
                                     speaker=speaker.name if speaker else ""))
    await record(s, incident_id=inc.id, kind=K.INTERVIEW_AUTHORISED, person=by, now=now,
                 payload={"id": row.id, "media": row.media, "speaker": speaker.name if speaker else None,
                          "talking_points": bool(row.talking_points)})
    return {"speaker": speaker.name if speaker else ""}


async def _refused(s: AsyncSession, row: InterviewRequest, inc: Incident, by: PersonDTO, *, org: OrgDTO,
                   now: datetime) -> None:
    """The office, and who asked when not in it, told: nobody gives this interview."""
    chats = await office_chats(s, org, incident_id=inc.id)
    asker = await s.get(Person, row.requested_by)
    if asker is not None and asker.id != by.id:
        await send.add_recipient(s, chats, asker, lang_of(asker, org))
    for to, lang in chats.items():
        await send.to_address(s, to, now=now, dedup_key=f"ivw:{row.id}:refused:{tag(to)}", notice="interview.refused",
                              text=t("interview.note.refused", lang, id=row.id, number=inc.number, media=row.media,
                                     reporter=row.reporter, decider=by.name))
    await record(s, incident_id=inc.id, kind=K.INTERVIEW_REFUSED, person=by, now=now,
                 payload={"id": row.id, "media": row.media, "stage": row.stage})


# ---------------------------------------------------------------- breaches

async def record_breach(s: AsyncSession, *, args: dom.BreachArgs, evidence: list[dict[str, Any]],
                        person: PersonDTO | None, org: OrgDTO, now: datetime) -> Result:
    """The office records an interview or disclosure made without authorisation; the main leader told (the
    accountability is the leading group's). Codes: recorded; errors not_allowed, unknown_incident."""
    if person is None or not dom.may_record_breach(person.roles):
        inc = await incident_by_number(s, args.number) if person is not None else None
        if person is not None:
            await _refuse(s, person, "breach.record", "not_office", now=now, incident_id=inc.id if inc else None)
        return fail("breach_not_allowed")
    inc = await incident_by_number(s, args.number)
    if inc is None:
        return fail("unknown_incident", number=args.number)
    row = Breach(incident_id=inc.id, who=args.who, what=args.what, link=args.link, evidence=evidence,
                 recorded_by=person.id, created_at=now)
    s.add(row)
    await s.flush()
    await record(s, incident_id=inc.id, kind=K.BREACH_RECORDED, person=person, now=now,
                 payload={"id": row.id, "who": row.who, "what": row.what, "link": row.link, "evidence": len(evidence)})
    for p in await people_with(s, ("main_leader",), {person.id}):
        lang = lang_of(p, org)
        await send.to_person(s, p, now=now, dedup_key=f"breach:{row.id}:{p.id}", notice="breach.recorded",
                             text=t("breach.note", lang, number=inc.number, who=row.who, what=row.what,
                                    by=person.name, link=row.link or t("breach.no_link", lang),
                                    evidence=len(evidence)))
    return Result("recorded", {"id": row.id, "number": inc.number, "who": row.who, "evidence": len(evidence),
                               "link": row.link or ""})


# ---------------------------------------------------------------- reading (export, review, statistics)

async def interviews_json(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """The export's "interviews": each request with its decisions."""
    rows = (await s.scalars(select(InterviewRequest).where(InterviewRequest.incident_id == incident_id)
                            .order_by(InterviewRequest.id))).all()
    names = dict((await s.execute(select(Person.id, Person.name))).all())
    out = []
    for r in rows:
        decisions = (await s.scalars(select(InterviewDecision).where(InterviewDecision.request_id == r.id)
                                     .order_by(InterviewDecision.id))).all()
        out.append({"id": r.id, "media": r.media, "reporter": r.reporter, "topic": r.topic, "status": r.status,
                    "stage": r.stage, "speaker": names.get(r.speaker_id), "requested_by": names.get(r.requested_by),
                    "created_at": r.created_at.isoformat(),
                    "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                    "talking_points": r.talking_points,
                    "decisions": [{"stage": d.stage, "decider": names.get(d.decider_id), "decision": d.decision,
                                   "at": d.at.isoformat()} for d in decisions]})
    return out


async def breaches_json(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """The export's "breaches"."""
    rows = (await s.scalars(select(Breach).where(Breach.incident_id == incident_id).order_by(Breach.id))).all()
    names = dict((await s.execute(select(Person.id, Person.name))).all())
    return [{"id": b.id, "who": b.who, "what": b.what, "link": b.link, "evidence": b.evidence,
             "recorded_by": names.get(b.recorded_by), "at": b.created_at.isoformat()} for b in rows]


async def outside_counts(s: AsyncSession, lo: datetime, hi: datetime) -> dict[str, int]:
    """For the statistics: interviews requested in [lo, hi), of them authorised and refused; breaches recorded."""
    by_status = dict((await s.execute(select(InterviewRequest.status, func.count())
                                      .where(InterviewRequest.created_at >= lo, InterviewRequest.created_at < hi)
                                      .group_by(InterviewRequest.status))).all())
    breaches = await s.scalar(select(func.count()).select_from(Breach)
                              .where(Breach.created_at >= lo, Breach.created_at < hi))
    return {"interviews": sum(by_status.values()), "authorised": by_status.get("authorised", 0),
            "refused": by_status.get("refused", 0), "breaches": breaches or 0}
