"""Presses on the disposal checklist (chkV1): record a step; the service checks who may. An office member's
checklist of its own (not the office card's rows) is redrawn with the step ticked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.incident import ChecklistAct
from bot.channels.types import Card
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services.audit import record_refusal
from bot.services.checklist import checklist_message
from bot.services.disposal import mark_step
from bot.services.dto import OrgDTO
from bot.services.tracking import incident_of_message
from models import Incident

REFUSED = ("disposal.refused", "disposal.leader_only", "disposal.unknown")


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = ChecklistAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    result = await mark_step(s, incident_id=act.incident, code=act.step, person=press.actor, org=org, now=now)
    if result.code in REFUSED:
        await record_refusal(s, incident_id=act.incident, user=press.actor_id, name=press.actor_name,
                             action=f"step:{act.step}", reason=result.code, now=now)
        return Outcome(t(result.code, press.lang), alert=True, ok=False)
    notice = t(result.code, press.lang, contact=result.contact or "-")
    inc = await s.get(Incident, act.incident)
    if inc is None or press.ref is None:
        return Outcome(notice)
    hit = await incident_of_message(s, press.where, press.ref)
    if hit is not None and hit[1] == "card":  # the office card: the card's own refresh redraws it
        return Outcome(notice)
    text, buttons = await checklist_message(s, inc, press.lang, org)
    return Outcome(notice, edit=Card(text, buttons))
