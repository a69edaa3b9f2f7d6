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
from bot.domain import report as rf
from bot.domain.disposal import ChecklistStep, checklist_for, is_negative, render_checklist
from bot.i18n import t
from bot.services import addresses, audit
from bot.services.addresses import tag
from bot.services.dto import OrgDTO
from bot.services.memo import is_new_incident, new_incident
from bot.services.org import people_with_roles
from bot.services.send import recipients, to_address
from models import AuditLog, FollowUp, Incident, Report

STEP_KIND = K.CHECKLIST_STEP


async def done_steps(s: AsyncSession, incident_id: int) -> set[str]:
    if is_new_incident(s, incident_id):  # its timeline is this transaction's notes (no select)
        return {r.payload.get("code") for r in await audit.timeline(s, incident_id) if r.kind == STEP_KIND}
    rows = await s.scalars(select(AuditLog.payload).where(AuditLog.incident_id == incident_id,
                                                          AuditLog.kind == STEP_KIND))
    return {p.get("code") for p in rows if p}


async def current_sentiment(s: AsyncSession, inc: Incident) -> rf.Sentiment | None:
    """The replies' tendency as it stands: the latest follow-up that gave one, else the first report's."""
    noted = new_incident(s, inc.id)
    if noted and noted.get("reports"):  # created in this transaction: no follow-ups yet, its reports noted
        return rf.from_json(noted["reports"][0]).get("sentiment")
    fu = (await s.execute(select(FollowUp.sentiment, FollowUp.sentiment_share)
                          .where(FollowUp.incident_id == inc.id, FollowUp.sentiment.is_not(None))
                          .order_by(FollowUp.observed_at.desc(), FollowUp.id.desc()).limit(1))).first()
    if fu is not None:
        return rf.Sentiment(fu[0], fu[1])
    fields = await s.scalar(select(Report.fields).where(Report.incident_id == inc.id).order_by(Report.id).limit(1))
    return rf.from_json(fields or {}).get("sentiment")


async def incident_negative(s: AsyncSession, inc: Incident, org: OrgDTO) -> bool:
    """bot/domain/disposal.is_negative of the incident, by `policy.outside.negative_share`."""
    if inc.category in ("hype", "fabrication", "constructive"):  # decided by the category: no read
        return is_negative(inc.category, None)
    return is_negative(inc.category, await current_sentiment(s, inc), org.policy.outside.negative_share)


async def incident_checklist(s: AsyncSession, inc: Incident, org: OrgDTO) -> list[ChecklistStep]:
    return checklist_for(inc.category, inc.grade, await incident_negative(s, inc, org))


async def checklist_message(s: AsyncSession, inc: Incident, lang: str, org: OrgDTO) -> tuple[str, Buttons]:
    done = await done_steps(s, inc.id)
    negative = await incident_negative(s, inc, org)
    text = (t("disposal.header", lang, number=inc.number) + "\n"
            + render_checklist(inc.category, inc.grade, negative, lang, done))
    return text, checklist_buttons(inc.id, checklist_for(inc.category, inc.grade, negative), done, lang)


async def propose_checklist(s: AsyncSession, inc: Incident, *, org: OrgDTO, now: datetime) -> None:
    """The checklist for office members in private, when no office group is bound (the group's card carries
    it: one message per incident where Telegram allows 20 a minute)."""
    if not await incident_checklist(s, inc, org) or await addresses.group(s, "office") is not None:
        return
    chats = await recipients(s, ((p, org.language) for p in await people_with_roles(s, ("office",))))
    text, buttons = await checklist_message(s, inc, org.language, org)
    for to in chats:
        await to_address(s, to, text=text, buttons=buttons, now=now, dedup_key=f"checklist:{inc.id}:{tag(to)}",
                         notice="checklist")
