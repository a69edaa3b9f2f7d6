"""Presses on incident cards (incV1): receipt, taking charge, the upper office's receipt, a digest's "show card".
The service checks the incident, the conversation, the presser's current roles and what is still pending."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.incident import IncidentAct, IncidentAction
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services.audit import record_refusal
from bot.services.dto import OrgDTO
from bot.services.escalation import acknowledge, show_card

REFUSED = ("ack.refused", "ack.unknown", "ack.closed", "ack.unit_take_off")  # written to the timeline
ALERTS = ("ack.refused", "ack.unit_take_off")  # shown as an alert, not a passing notice


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = IncidentAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    if act.action == IncidentAction.SHOW:
        code = await show_card(s, incident_id=act.incident, chat_id=press.chat_id, person=press.actor, org=org,
                               now=now)
        if code != "card.shown":
            await record_refusal(s, incident_id=act.incident, user=press.actor_id, name=press.actor_name,
                                 action="card:show", reason=code, now=now)
        return Outcome(t(code, press.lang), alert=code == "ack.refused", ok=code == "card.shown")
    result = await acknowledge(s, incident_id=act.incident, action=act.action, person=press.actor,
                               chat_id=press.chat_id, org=org, now=now, actor_id=press.actor_id,
                               actor_name=press.actor_name)
    refused = result.code in REFUSED
    if refused:
        await record_refusal(s, incident_id=act.incident, user=press.actor_id, name=press.actor_name,
                             action=f"card:{act.action}", reason=result.code, now=now)
    return Outcome(t(result.code, press.lang), alert=result.code in ALERTS, ok=not refused)
