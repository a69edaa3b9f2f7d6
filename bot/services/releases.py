"""The authoritative release: versioned drafts, submission, the approval pipeline, publication.

Rules live in bot/domain/release.py. Every state change is a conditional UPDATE on the draft row
(… WHERE status = 'in_review' AND stage = :stage), so of two leaders deciding at the same instant
exactly one wins; the loser is refused. The row lock it takes first also serialises a quorum's
approvals, so their count is never lost. Notifications to anyone but the person acting go through
the outbox in the same transaction; every version, decision, publication and refusal is audited. A stage's
deciders are asked by bot/services/release_stage.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import InputRequest
from bot.domain import release as rel
from bot.i18n import t
from bot.services import approval_stages, room, send
from bot.services.clocks import stop_clock
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import refresh_cards
from bot.services.notify import incident_by_number
from bot.services.release_base import lang_of, record
from bot.services.release_stage import RELEASE, ask_stage
from models import Incident, Person
from models.release import ReleaseDecision, ReleaseDraft, ReleaseOutlet

VERSION_ATTEMPTS = 20
MAX_OUTLET = 200  # where an approved version was published: press release, official Weibo, website, media


@dataclass(frozen=True)
class DraftDTO:
    id: int
    incident_id: int
    number: str
    grade: str | None
    version: int
    text: str
    status: str
    stage: str | None
    drafted_by: int
    created_at: datetime
    published_at: datetime | None = None  # the first publication

    def to_json(self) -> dict[str, Any]:
        """For `onduty export` ("releases"; releases_json adds each version's "outlets")."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"version": self.version, "status": self.status, "stage": self.stage, "text": self.text,
                "drafted_by": self.drafted_by, "created_at": iso(self.created_at),
                "published_at": iso(self.published_at)}


@dataclass(frozen=True)
class OutletDTO:
    outlet: str  # bot/domain/release.outlet_key: a listed outlet's slug, or the name as typed
    link: str | None
    published_at: datetime
    published_by: int
    publisher: str | None = None

    def label(self, lang: str) -> str:
        return rel.outlet_label(self.outlet, lang)

    def to_json(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "link": self.link, "published_at": self.published_at.isoformat(),
                "published_by": self.published_by, "publisher": self.publisher}


@dataclass(frozen=True)
class Result:
    """`code` names the text for the person who acted: release.<code> (ok) or release.err.<code>."""

    ok: bool
    code: str
    draft: DraftDTO | None = None
    info: dict[str, Any] = field(default_factory=dict)


def _dto(row: ReleaseDraft, inc: Incident) -> DraftDTO:
    return DraftDTO(id=row.id, incident_id=row.incident_id, number=inc.number, grade=inc.grade, version=row.version,
                    text=row.text, status=row.status, stage=row.stage, drafted_by=row.drafted_by,
                    created_at=row.created_at, published_at=row.published_at)


async def outlets_of(s: AsyncSession, draft_ids: list[int]) -> dict[int, list[OutletDTO]]:
    """Every outlet each version was published on, first publication first."""
    if not draft_ids:
        return {}
    rows = (await s.execute(select(ReleaseOutlet, Person.name).outerjoin(Person, Person.id == ReleaseOutlet.published_by)
                            .where(ReleaseOutlet.draft_id.in_(draft_ids))
                            .order_by(ReleaseOutlet.published_at, ReleaseOutlet.id))).all()
    out: dict[int, list[OutletDTO]] = {}
    for o, name in rows:
        out.setdefault(o.draft_id, []).append(OutletDTO(o.outlet, o.link, o.published_at, o.published_by, name))
    return out


async def refuse(s: AsyncSession, *, person: PersonDTO | None, action: str, reason: str, now: datetime,
                 draft_id: int | None = None, incident_id: int | None = None, stage: str | None = None) -> Result:
    """Refuse and write the refusal to the incident's chain (the global one for an unknown draft)."""
    payload = {"action": f"release.{action}", "reason": reason, "draft_id": draft_id, "stage": stage}
    await record(s, incident_id=incident_id, kind="refusal", person=person, payload=payload, now=now)
    return Result(False, reason)


async def _incident(s: AsyncSession, number: str | None) -> Incident | None:
    if not number:
        return None
    return await incident_by_number(s, number)  # typed loosely: yq-2026-1, 1 (bot/services/numbers.py)


async def _latest(s: AsyncSession, incident_id: int) -> ReleaseDraft | None:
    return await s.scalar(select(ReleaseDraft).where(ReleaseDraft.incident_id == incident_id)
                          .order_by(ReleaseDraft.version.desc()).limit(1))


async def latest_draft(s: AsyncSession, number: str) -> DraftDTO | None:
    inc = await _incident(s, number)
    row = await _latest(s, inc.id) if inc else None
    return _dto(row, inc) if row else None


async def releases_json(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """The export's "releases" list of an incident, every version with its decisions."""
    inc = await s.get(Incident, incident_id)
    rows = (await s.scalars(select(ReleaseDraft).where(ReleaseDraft.incident_id == incident_id)
                            .order_by(ReleaseDraft.version))).all()
    out = []
    outlets = await outlets_of(s, [row.id for row in rows])
    for row in rows:
        decisions = (await s.scalars(select(ReleaseDecision).where(ReleaseDecision.draft_id == row.id)
                                     .order_by(ReleaseDecision.id))).all()
        names = await _names(s, {d.decider_id for d in decisions})
        out.append({**_dto(row, inc).to_json(), "outlets": [o.to_json() for o in outlets.get(row.id, [])],
                    "decisions": [
            {"stage": d.stage, "decider_id": d.decider_id, "decider": names.get(d.decider_id), "decision": d.decision,
             "comment": d.comment, "at": d.at.isoformat()} for d in decisions]})
    return out


async def _names(s: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict((await s.execute(select(Person.id, Person.name).where(Person.id.in_(ids)))).all())


async def approvals_json(s: AsyncSession, incident_id: int) -> list[dict[str, Any]]:
    """The export's "approvals" list: every decision on any version of the incident's release, in order."""
    rows = (await s.execute(select(ReleaseDecision, ReleaseDraft.version)
                            .join(ReleaseDraft, ReleaseDraft.id == ReleaseDecision.draft_id)
                            .where(ReleaseDraft.incident_id == incident_id).order_by(ReleaseDecision.id))).all()
    names = await _names(s, {d.decider_id for d, _ in rows})
    return [{"version": v, "stage": d.stage, "decider_id": d.decider_id, "decider": names.get(d.decider_id),
             "decision": d.decision, "comment": d.comment, "at": d.at.isoformat()} for d, v in rows]


# ---------------------------------------------------------------- drafting

async def precheck_draft(s: AsyncSession, *, number: str, person: PersonDTO, now: datetime) -> Result:
    """Before asking for the text: the incident exists and this person may draft for it."""
    inc = await _incident(s, number)
    if inc is None:
        return Result(False, "not_found", info={"number": number})
    if not rel.may_draft(person.roles, person_id=person.id, in_charge_id=inc.in_charge_id):
        return await refuse(s, person=person, action="draft", reason="not_drafter", now=now, incident_id=inc.id)
    return Result(True, "ask_text", info={"number": inc.number})

async def create_draft(s: AsyncSession, *, number: str, person: PersonDTO, text: str, org: OrgDTO,
                       now: datetime) -> Result:
    """A new version (max + 1; the unique (incident, version) settles races). Older open versions are
    superseded, so their buttons stop working."""
    inc = await _incident(s, number)
    if inc is None:
        return Result(False, "not_found", info={"number": number})
    if not rel.may_draft(person.roles, person_id=person.id, in_charge_id=inc.in_charge_id):
        return await refuse(s, person=person, action="draft", reason="not_drafter", now=now, incident_id=inc.id)
    bad = rel.validate_text(text, org.policy.release.max_text)
    if bad:
        return Result(False, bad, info={"max": org.policy.release.max_text, "length": len(text.strip())})
    for _ in range(VERSION_ATTEMPTS):
        version = (await s.scalar(select(func.coalesce(func.max(ReleaseDraft.version), 0))
                                  .where(ReleaseDraft.incident_id == inc.id))) + 1
        row = ReleaseDraft(incident_id=inc.id, version=version, text=text.strip(), drafted_by=person.id,
                           created_at=now, status="draft")
        try:
            async with s.begin_nested():
                s.add(row)
                await s.flush()
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("could not allocate a release version")
    await s.execute(update(ReleaseDraft).where(ReleaseDraft.incident_id == inc.id, ReleaseDraft.id != row.id,
                                               ReleaseDraft.status.in_(rel.OPEN))
                    .values(status="superseded").execution_options(synchronize_session=False))
    await record(s, incident_id=inc.id, kind="draft_version", person=person, now=now,
                 payload={"event": "drafted", "version": version, "text": row.text})
    return Result(True, "drafted", _dto(row, inc))


async def submit(s: AsyncSession, *, draft_id: int, person: PersonDTO, org: OrgDTO, now: datetime) -> Result:
    """The drafter (or the office) sends a draft to the first stage; its approvers are notified."""
    row = await s.get(ReleaseDraft, draft_id)
    if row is None:
        return await refuse(s, person=person, action="submit", reason="unknown", now=now, draft_id=draft_id)
    inc = await s.get(Incident, row.incident_id)
    if not (person.has("office") or (person.id == row.drafted_by and rel.may_draft(
            person.roles, person_id=person.id, in_charge_id=inc.in_charge_id))):
        return await refuse(s, person=person, action="submit", reason="not_drafter", now=now, draft_id=row.id,
                            incident_id=inc.id)
    first = rel.pipeline(inc.grade, org.policy.release)[0]
    done = await s.execute(update(ReleaseDraft).where(ReleaseDraft.id == row.id, ReleaseDraft.status == "draft")
                           .values(status="in_review", stage=first.name, submitted_at=now)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        reason = "outdated" if row.status == "superseded" else "already_submitted"
        return await refuse(s, person=person, action="submit", reason=reason, now=now, draft_id=row.id,
                            incident_id=inc.id)
    await s.refresh(row)
    await record(s, incident_id=inc.id, kind="draft_version", person=person, now=now,
                 payload={"event": "submitted", "version": row.version, "stage": first.name})
    asked = await ask_stage(s, row, inc, first, org=org, now=now)
    return Result(True, "submitted", _dto(row, inc), info={**asked, "stage": first.name})


# ---------------------------------------------------------------- deciding

async def _why_not(s: AsyncSession, row: ReleaseDraft, inc: Incident, stage: str, person: PersonDTO,
                   org: OrgDTO) -> str | None:
    if row.status == "superseded":
        return "outdated"
    if row.status == "draft":
        return "not_submitted"
    if row.status != "in_review":
        return "already_decided"
    if row.stage != stage:
        return "outdated"
    return await approval_stages.why_not(s, RELEASE, row.id, inc.grade, stage, person=person,
                                         author_id=row.drafted_by, pol=org.policy.release)


async def check(s: AsyncSession, *, draft_id: int, stage: str, person: PersonDTO, action: str, org: OrgDTO,
                now: datetime) -> Result:
    """May this person decide on this version at this stage now? A refusal is audited."""
    row = await s.get(ReleaseDraft, draft_id)
    if row is None:
        return await refuse(s, person=person, action=action, reason="unknown", now=now, draft_id=draft_id, stage=stage)
    inc = await s.get(Incident, row.incident_id)
    reason = await _why_not(s, row, inc, stage, person, org)
    if reason:
        return await refuse(s, person=person, action=action, reason=reason, now=now, draft_id=row.id,
                            incident_id=inc.id, stage=stage)
    return Result(True, "may_decide", _dto(row, inc))


async def decide(s: AsyncSession, *, draft_id: int, stage: str, person: PersonDTO, decision: str,
                 comment: str | None, org: OrgDTO, now: datetime) -> Result:
    """Record one decision atomically and move the draft on. Codes: passed (to the next stage), approved,
    counted (quorum not reached yet), rejected, changes; or a refusal."""
    assert decision in rel.DECISIONS
    pre = await check(s, draft_id=draft_id, stage=stage, person=person, action=decision, org=org, now=now)
    if not pre.ok:
        return pre
    row, inc = await s.get(ReleaseDraft, draft_id), await s.get(Incident, pre.draft.incident_id)
    lock = update(ReleaseDraft).where(ReleaseDraft.id == row.id, ReleaseDraft.status == "in_review",
                                      ReleaseDraft.stage == stage).execution_options(synchronize_session=False)
    if (await s.execute(lock.values(decided_at=now))).rowcount != 1:  # someone decided first
        return await refuse(s, person=person, action=decision, reason="already_decided", now=now, draft_id=row.id,
                            incident_id=inc.id, stage=stage)
    try:
        async with s.begin_nested():
            s.add(ReleaseDecision(draft_id=row.id, stage=stage, decider_id=person.id, decision=decision,
                                  comment=comment, at=now))
            await s.flush()
    except IntegrityError:
        return await refuse(s, person=person, action=decision, reason="already_decided", now=now, draft_id=row.id,
                            incident_id=inc.id, stage=stage)
    pol = org.policy.release
    st = rel.stage_of(inc.grade, stage, pol)
    nxt, values, code = None, {}, {"reject": "rejected", "changes": "changes"}.get(decision)
    approvals = await s.scalar(select(func.count()).where(ReleaseDecision.draft_id == row.id,
                                                          ReleaseDecision.stage == stage,
                                                          ReleaseDecision.decision == "approve"))
    if decision == "reject":
        values = {"status": "rejected"}
    elif decision == "changes":
        values = {"status": "changes_requested"}
    elif approvals < st.needed:
        code = "counted"
    elif (nxt := rel.next_stage(inc.grade, stage, pol)) is not None:
        values, code = {"stage": nxt.name}, "passed"
    else:
        values, code = {"status": "approved"}, "approved"
    if values:
        await s.execute(lock.values(**values))
    await s.refresh(row)
    await record(s, incident_id=inc.id, kind="approval", person=person, now=now,
                 payload={"version": row.version, "stage": stage, "decision": decision, "comment": comment,
                          "approvals": approvals, "needed": st.needed, "outcome": code})
    info = {"approvals": approvals, "needed": st.needed, "stage": stage}
    await _tell_drafter(s, row, inc, person, code, comment, info, org=org, now=now)
    if nxt is not None:
        info.update(await ask_stage(s, row, inc, nxt, org=org, now=now))
    return Result(True, code, _dto(row, inc), info=info)


# ---------------------------------------------------------------- publishing

async def publish(s: AsyncSession, *, number: str, person: PersonDTO, outlet: str, link: str | None, org: OrgDTO,
                  now: datetime) -> Result:
    """Record one outlet of the latest version, only when approved; the office marks it. The first outlet
    publishes the version and stops the publish clock; each later one (a different outlet) is recorded and
    announced and leaves the clock as it is. `link` None: typed without one, refused unless the policy
    allows that outlet without a link. info: outlet (its key), first (bool), clock (met/missed/None)."""
    inc = await _incident(s, number)
    if inc is None:
        return Result(False, "not_found", info={"number": number})
    if not person.has("office"):
        return await refuse(s, person=person, action="publish", reason="not_office", now=now, incident_id=inc.id)
    key = rel.outlet_key(outlet or "")
    if not key or len(key) > MAX_OUTLET or (link is not None and not link.lower().startswith(("http://", "https://"))):
        return Result(False, "publish_usage")
    if link is None and rel.link_required(key, org.policy.release):
        return Result(False, "link_required", info={"outlet": key, "number": inc.number})
    row = await _latest(s, inc.id)
    if row is None:
        return await refuse(s, person=person, action="publish", reason="no_draft", now=now, incident_id=inc.id)
    # the first outlet: approved → published, a conditional UPDATE (of two at once, one wins and is first)
    done = await s.execute(update(ReleaseDraft).where(ReleaseDraft.id == row.id, ReleaseDraft.status == "approved")
                           .values(status="published", published_at=now, published_by=person.id)
                           .execution_options(synchronize_session=False))
    first = done.rowcount == 1
    await s.refresh(row)
    if not first and row.status != "published":
        return await refuse(s, person=person, action="publish", reason="not_approved", now=now, draft_id=row.id,
                            incident_id=inc.id)
    placed = ReleaseOutlet(draft_id=row.id, outlet=key, link=link, published_at=now, published_by=person.id)
    try:
        async with s.begin_nested():  # the unique (draft, outlet): the same outlet twice, even at once, is refused
            s.add(placed)
            await s.flush()
    except IntegrityError:
        await refuse(s, person=person, action="publish", reason="outlet_already", now=now, draft_id=row.id,
                     incident_id=inc.id)
        return Result(False, "outlet_already", info={"outlet": key, "number": inc.number, "version": row.version})
    where = rel.outlet_label(key, org.language)
    clock = None
    if first:  # the 24-hour clock stops at the first publication only
        clock = await stop_clock(s, incident_id=inc.id, name="publish", now=now,
                                 reason=f"release v{row.version} published: {key} {link or ''}".rstrip())
    await record(s, incident_id=inc.id, kind="publication", person=person, now=now,
                 payload={"version": row.version, "outlet": key, "link": link, "first": first,
                          "clock": clock.status if clock else None})
    if first:
        await refresh_cards(s, inc, org=org, now=now)  # the cards' next deadline moves on
    office = await room.office_address(s, inc.id)  # the incident's topic of the office group, when it has one
    if office is not None:
        note = "release.note.published" if first else "release.note.published_more"
        await send.to_address(s, office, now=now, dedup_key=f"rel:{row.id}:published:office" if first
                              else f"rel:{row.id}:outlet:{placed.id}:office",
                              text=t(note, org.language, number=inc.number, version=row.version,
                                     outlet=where, link=link or t("release.no_link", org.language), name=person.name),
                              notice="release.published")
    return Result(True, "published", _dto(row, inc),
                  info={"clock": clock.status if clock else None, "outlet": key, "link": link, "first": first})


# ---------------------------------------------------------------- notifications (outbox)

async def _tell_drafter(s: AsyncSession, row: ReleaseDraft, inc: Incident, by: PersonDTO, code: str,
                        comment: str | None, info: dict[str, Any], *, org: OrgDTO, now: datetime) -> None:
    drafter = await s.get(Person, row.drafted_by)
    if drafter is None or drafter.id == by.id:
        return
    lang = lang_of(drafter, org)
    text = t(f"release.note.{code}", lang, number=inc.number, version=row.version, name=by.name,
             comment=comment or "", stage=t(f"release.stage.{info['stage']}", lang), **{
                 k: info[k] for k in ("approvals", "needed")})
    ask = InputRequest(t("release.placeholder.revise", lang)) if code == "changes" else None
    await send.to_person(s, drafter, text=text, now=now, input=ask, notice="release.to_drafter")
    if code == "changes":
        info["revise_for"] = drafter.telegram_id
