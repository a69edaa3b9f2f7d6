"""Disposal by category (分类处置): each step of the checklist (bot/services/checklist.py) recorded with who and
when, a timeline row (kind "checklist_step"), so the record is the tamper-evident log itself. A referral step
names a contact of the org file; with a Telegram id, a leader's press sends the contact the upward report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import card_text
from bot.domain import audit_kinds as K
from bot.services import addresses, audit
from bot.services.checklist import done_steps, incident_checklist
from bot.services.dto import OrgDTO, PersonDTO
from bot.services.escalation import card_view, refresh_cards
from bot.services.send import to_address
from models import Contact, Incident


@dataclass(frozen=True)
class StepResult:
    code: str  # disposal.done | disposal.already | disposal.refused | disposal.leader_only | disposal.unknown
    contact: str | None = None


async def mark_step(s: AsyncSession, *, incident_id: int, code: str, person: PersonDTO | None, org: OrgDTO,
                    now: datetime) -> StepResult:
    inc = await s.get(Incident, incident_id)
    steps = {st.code: st for st in await incident_checklist(s, inc, org)} if inc else {}
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
            text = card_text(await card_view(s, inc, org), audience="upper_office", lang=org.language, tz=org.tz)
            await to_address(s, addresses.telegram(contact.telegram_id), text=text, now=now,  # a contact: Telegram's
                             dedup_key=f"referral:{inc.id}:{code}:{contact.telegram_id}",
                             notice="incident.referral")
    await audit.append(s, incident_id=inc.id, kind=K.CHECKLIST_STEP, actor_telegram_id=person.telegram_id,
                       actor_name=person.name, now=now,
                       payload={"code": code, "contact": contact.name if contact else None,
                                "forwarded": bool(contact and contact.telegram_id)})
    inc.progressed_at = inc.progressed_at or now
    await refresh_cards(s, inc, org=org, now=now)  # the office card shows the step ticked
    return StepResult("disposal.done", contact.name if contact else None)
