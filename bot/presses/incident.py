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
from bot.services.tasks import may_assign
from models import Incident

REFUSED = ("ack.refused", "ack.unknown", "ack.closed", "ack.unit_take_off")  # written to the timeline
ALERTS = ("ack.refused", "ack.unit_take_off")  # shown as an alert, not a passing notice


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = IncidentAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    if act.action == IncidentAction.TASK:
        return await _task(s, press, act.incident, now=now)
    if act.action == IncidentAction.SHOW:
        code = await show_card(s, incident_id=act.incident, where=press.where, person=press.actor, org=org,
                               now=now)
        if code != "card.shown":
            await record_refusal(s, incident_id=act.incident, user=press.actor_id, name=press.actor_name,
                                 action="card:show", reason=code, now=now)
        return Outcome(t(code, press.lang), alert=code == "ack.refused", ok=code == "card.shown")
    result = await acknowledge(s, incident_id=act.incident, action=act.action, person=press.actor,
                               where=press.where, org=org, now=now, actor_id=press.actor_id,
                               actor_name=press.actor_name)
    refused = result.code in REFUSED
    if refused:
        await record_refusal(s, incident_id=act.incident, user=press.actor_id, name=press.actor_name,
                             action=f"card:{act.action}", reason=result.code, now=now)
    return Outcome(t(result.code, press.lang), alert=result.code in ALERTS, ok=not refused)


async def _task(s: AsyncSession, press: Press, incident_id: int, *, now: datetime) -> Outcome:
    """The card's 交办 button: /task with the incident filled in. Checked as /task checks it; the channel then asks
    for the unit or person, what and when (`then="ask_task"`), and the answer goes through tasks.assign."""
    inc = await s.get(Incident, incident_id)
    if inc is None:
        return Outcome(t("ack.unknown", press.lang), alert=True, ok=False)
    code = "ack.closed" if inc.status == "closed" else None if may_assign(press.actor, inc) else "not_allowed"
    if code is not None:
        await record_refusal(s, incident_id=inc.id, user=press.actor_id, name=press.actor_name, action="card:task",
                             reason=code, now=now)
        text = t("task.err.closed", press.lang, number=inc.number) if code == "ack.closed" \
            else t("task.err.not_allowed", press.lang)
        return Outcome(text, alert=True, ok=False)
    return Outcome("", then="ask_task", info={"number": inc.number})
