"""The disposal checklist of an incident (分类处置): which steps are done, the message with a button per step,
and its proposal to office members in private. Below bot/services/escalation.py (the cards show the ticked
steps) and bot/services/disposal.py (a step recorded), which both read it.

Done steps are timeline rows (kind "checklist_step"), so the record is the tamper-evident log itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.incident import checklist_buttons
from bot.channels.types import Buttons
from bot.domain import audit_kinds as K
from bot.domain.disposal import checklist_for, render_checklist
from bot.i18n import t
from bot.services import addresses, audit
from bot.services.addresses import tag
from bot.services.dto import OrgDTO
from bot.services.memo import is_new_incident
from bot.services.org import people_with_roles
from bot.services.send import recipients, to_address
from models import AuditLog, Incident

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
    if not checklist_for(inc.category, inc.grade) or await addresses.group(s, "office") is not None:
        return
    chats = await recipients(s, ((p, org.language) for p in await people_with_roles(s, ("office",))))
    text, buttons = await checklist_message(s, inc, org.language)
    for to in chats:
        await to_address(s, to, text=text, buttons=buttons, now=now, dedup_key=f"checklist:{inc.id}:{tag(to)}",
                         notice="checklist")
