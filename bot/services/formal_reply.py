"""The formal reply (答复内容) a department proposes (issue 22, item 3): drafted with /release by the person in charge
(a handler of the unit involved, or the office), through the release's approval stages; signed by the main
leader (由单位主要负责人签署意见; `policy.units.reply_signer`); recorded as sent with /replied, which stops the
`formal_reply` clock.

A signature is an approving decision on the latest approved version by someone holding the signer's role: the
main leader's review of a major incident's release is one; otherwise they sign with /sign, stored as a
decision at the stage "sign" (so the export's approvals list shows it beside the others)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import audit_kinds as K
from bot.domain.vocab import ROLES
from bot.i18n import t
from bot.services import audit
from bot.services.clocks import stop_clock
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import refresh_cards
from bot.services.notify import Result, fail, incident_by_number, office_chats, tell
from bot.services.send import to_person
from models import AuditLog, Incident, Person
from models.release import ReleaseDecision, ReleaseDraft

SIGN = "sign"  # the stage name of a signature in release_decisions
SIGNABLE = ("approved", "published")
MAX_HOW = 200


async def _latest(s: AsyncSession, inc: Incident) -> ReleaseDraft | None:
    return await s.scalar(select(ReleaseDraft).where(ReleaseDraft.incident_id == inc.id)
                          .order_by(ReleaseDraft.version.desc()).limit(1))


async def _approved(s: AsyncSession, inc: Incident) -> ReleaseDraft | Result:
    """The latest version when approved (signable), else the refusal saying why not."""
    row = await _latest(s, inc)
    if row is None:
        return fail("no_draft", number=inc.number)
    if row.status not in SIGNABLE:
        return fail("not_approved", number=inc.number, version=row.version)
    return row


async def signer_of(s: AsyncSession, row: ReleaseDraft, org: OrgDTO) -> Person | None:
    """Who signed this version: the first approver of it holding the signer's role (any stage, "sign" included)."""
    role = org.policy.units.reply_signer
    for decider_id in (await s.scalars(select(ReleaseDecision.decider_id).where(
            ReleaseDecision.draft_id == row.id, ReleaseDecision.decision == "approve")
            .order_by(ReleaseDecision.id))).all():
        p = await s.get(Person, decider_id)
        if p is not None and role in (p.roles or ()):
            return p
    return None


async def _refuse(s: AsyncSession, inc: Incident, person: PersonDTO, action: str, reason: str, now: datetime) -> None:
    await audit.append(s, incident_id=inc.id, kind=K.REFUSAL, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"action": action, "reason": reason})


async def sign(s: AsyncSession, *, number: str, person: PersonDTO, org: OrgDTO, now: datetime) -> Result:
    """/sign YQ-…: the signer signs the latest version once approved. Codes: done, already; err.not_allowed,
    err.unknown_incident, err.no_draft, err.not_approved, err.own_draft."""
    role = org.policy.units.reply_signer
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=number.strip().upper())
    if role not in person.roles:
        await _refuse(s, inc, person, "reply.sign", "not_signer", now)
        return fail("not_allowed", role=role)
    row = await _approved(s, inc)
    if isinstance(row, Result):
        return row
    signer = await signer_of(s, row, org)
    if signer is not None:
        return Result("already", {"number": inc.number, "version": row.version, "name": signer.name})
    if row.drafted_by == person.id:
        await _refuse(s, inc, person, "reply.sign", "own_draft", now)
        return fail("own_draft")
    s.add(ReleaseDecision(draft_id=row.id, stage=SIGN, decider_id=person.id, decision="approve", at=now))
    await s.flush()
    await audit.append(s, incident_id=inc.id, kind=K.REPLY_SIGNED, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now, payload={"version": row.version})
    await tell(s, await office_chats(s, org, incident_id=inc.id), "sign.note", now=now, dedup=f"sign:{row.id}", number=inc.number,
               version=row.version, name=person.name, notice="reply.signed")
    drafter = await s.get(Person, row.drafted_by)
    if drafter is not None and "office" not in (drafter.roles or ()):  # the office heard it in its chat
        await to_person(s, drafter, now=now, dedup_key=f"sign:{row.id}:drafter",
                        text=t("sign.note", drafter.language or org.language, number=inc.number, version=row.version,
                               name=person.name), notice="reply.signed")
    return Result("done", {"number": inc.number, "version": row.version})


async def replied(s: AsyncSession, *, number: str, how: str, person: PersonDTO, org: OrgDTO,
                  now: datetime) -> Result:
    """/replied YQ-… [how]: the office or the person in charge records the signed reply as sent; the formal_reply
    clock stops. Codes: done, already; err.not_allowed, err.unknown_incident, err.no_draft, err.not_approved,
    err.not_signed, err.too_long."""
    inc = await incident_by_number(s, number)
    if inc is None:
        return fail("unknown_incident", number=number.strip().upper())
    if not (person.has("office") or inc.in_charge_id == person.id):
        await _refuse(s, inc, person, "reply.sent", "ack.refused", now)
        return fail("not_allowed")
    how = " ".join(how.split())
    if len(how) > MAX_HOW:
        return fail("too_long", max=MAX_HOW)
    if await s.scalar(select(AuditLog.id).where(AuditLog.incident_id == inc.id, AuditLog.kind == K.REPLY_SENT)
                      .limit(1)):
        return Result("already", {"number": inc.number})
    row = await _approved(s, inc)
    if isinstance(row, Result):
        return row
    signer = await signer_of(s, row, org)
    role = org.policy.units.reply_signer
    if signer is None:
        await _refuse(s, inc, person, "reply.sent", "not_signed", now)
        return fail("not_signed", number=inc.number, role=role)
    clock = await stop_clock(s, incident_id=inc.id, name="formal_reply", now=now,
                             reason=f"reply v{row.version} sent, signed by {signer.name}")
    await audit.append(s, incident_id=inc.id, kind=K.REPLY_SENT, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"version": row.version, "signer": signer.name, "how": how or None,
                                "clock": clock.status if clock else None})
    await refresh_cards(s, inc, org=org, now=now)  # the cards' next deadline moves on
    await tell(s, await office_chats(s, org, incident_id=inc.id), "replied.note", now=now, dedup=f"replied:{inc.id}", number=inc.number,
               version=row.version, name=person.name, signer=signer.name, notice="reply.sent")
    return Result("done", {"number": inc.number, "version": row.version, "signer": signer.name})


def role_label(role: str, lang: str) -> str:
    return ROLES.label(role, lang) if role in ROLES else role
