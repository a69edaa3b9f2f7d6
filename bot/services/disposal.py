"""Disposal by category (分类处置): the proposed checklist, and each step recorded with who and when.

Done steps are timeline rows (kind "checklist_step"), so the record is the tamper-evident log itself.
A referral step names a contact of the org file; with a Telegram id, a leader's press sends the
contact the upward report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.incident import checklist_buttons
from bot.cards import card_text
from bot.channels.types import Buttons
from bot.domain import audit_kinds as K
from bot.domain.disposal import checklist_for, render_checklist
from bot.i18n import t
from bot.services import audit
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.memo import is_new_incident
from bot.services.org import chat_id as bound_chat
from bot.services.org import people_with_roles
from bot.services.outbox import enqueue
from models import AuditLog, Contact, Incident

STEP_KIND = K.CHECKLIST_STEP


async def done_steps(s: AsyncSession, incident_id: int) -> set[str]:
    if is_new_incident(s, incident_id):  # its timeline is this transaction's notes (no select)
        return {r.payload.get("code") for r in await audit.timeline(s, incident_id) if r.kind == STEP_KIND}
    rows = await s.scalars(select(AuditLog.payload).where(AuditLog.incident_id == incident_id,
                                                          AuditLog.kind == STEP_KIND))
    return {p.get("code") for p in rows if p}


async def checklist_message(s: AsyncSession, inc: Incident, lang: str) -> tuple[str, Buttons]:
    done = await done_steps(s, inc.id)
    text = t("disposal.header", lang, number=inc.number) + "\n" + render_checklist(inc.category, inc.grade, lang, done)
    return text, checklist_buttons(inc.id, checklist_for(inc.category, inc.grade), done, lang)


async def propose_checklist(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """The checklist for office members in private, when no office group is bound (the group's card carries
    it: one message per incident where Telegram allows 20 a minute)."""
    if not checklist_for(inc.category, inc.grade) or await bound_chat(s, "office") is not None:
        return
    chats = [p.telegram_id for p in await people_with_roles(s, ("office",))]
    text, buttons = await checklist_message(s, inc, org.language)
    for chat in chats:
        await enqueue(s, chat_id=chat, text=text, buttons=buttons, now=now, dedup_key=f"checklist:{inc.id}:{chat}")


@dataclass(frozen=True)
class StepResult:
    code: str  # disposal.done | disposal.already | disposal.refused | disposal.leader_only | disposal.unknown
    contact: str | None = None


async def mark_step(s: AsyncSession, *, incident_id: int, code: str, person: PersonDTO | None, org: OrgDTO,
                    now: datetime) -> StepResult:
    inc = await s.get(Incident, incident_id)
    steps = {st.code: st for st in checklist_for(inc.category, inc.grade)} if inc else {}
    if inc is None or code not in steps or inc.status == "closed":
        return StepResult("disposal.unknown")
    if person is None or not (person.has("office") or person.is_leader):
        return StepResult("disposal.refused")
    step = steps[code]
    if step.needs_contact and not person.is_leader:
        return StepResult("disposal.leader_only")
    if code in await done_steps(s, inc.id):
        return StepResult("disposal.already")
    contact = None
    if step.needs_contact:
        contact = await s.scalar(select(Contact).where(Contact.kind == step.needs_contact).order_by(Contact.id))
        if contact is not None and contact.telegram_id:
            from bot.services.escalation import card_view

            text = card_text(await card_view(s, inc), audience="upper_office", lang=org.language, tz=org.tz)
            await enqueue(s, chat_id=contact.telegram_id, text=text, now=now,
                          dedup_key=f"referral:{inc.id}:{code}:{contact.telegram_id}")
    await audit.append(s, incident_id=inc.id, kind=STEP_KIND, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"code": code, "contact": contact.name if contact else None,
                                "forwarded": bool(contact and contact.telegram_id)})
    inc.progressed_at = inc.progressed_at or now
    from bot.services.escalation import refresh_cards

    await refresh_cards(s, inc, org=org, now=now)  # the office card shows the step ticked
    return StepResult("disposal.done", contact.name if contact else None)
