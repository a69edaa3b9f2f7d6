"""Presses on closure (clsV1): the leader's Confirm / Refuse of a proposal; the proposer's Submit anyway / Drop
after warnings answer the channel's own dialog (the summary being written is held there), so they come back
as a dialog step. Every check happens in bot/services/closure.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tracking import CloseAct, CloseAction
from bot.channels.types import Card
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services import closure
from bot.services.audit import record_refusal
from bot.services.dto import OrgDTO
from bot.services.notify import listing

AUDITED = ("not_approver", "own")  # a press by someone the rule does not allow (a replayed or forwarded button)


def say(r: closure.Result, lang: str) -> str:
    info = dict(r.info)
    if "parts" in info:
        info["parts"] = [t(f"close.part.{p}", lang) for p in info["parts"]]
    info = {k: listing(v, lang) if isinstance(v, list) else v for k, v in info.items()}
    if "role" in info:
        info["role"] = closure.role_label(info["role"], lang)
    return t(f"close.{r.code}" if r.ok else f"close.err.{r.code}", lang, **info)


async def _refused(s: AsyncSession, press: Press, r: closure.Result, now: datetime) -> Outcome:
    if r.code in AUDITED:
        await record_refusal(s, incident_id=r.info.get("incident"), user=press.actor_id, name=press.actor_name,
                             action="closure", reason=r.code, now=now)
    return Outcome(say(r, press.lang), alert=True, ok=False)


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = CloseAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    if act.action in (CloseAction.SUBMIT, CloseAction.DROP):
        return Outcome("", then="warned", info={"incident": act.ref, "drop": act.action == CloseAction.DROP})
    confirm = act.action == CloseAction.CONFIRM
    r = await closure.decide(s, proposal_id=act.ref, person=press.actor, confirm=confirm, reason="", org=org,
                             now=now, check_only=not confirm)
    if not r.ok:
        return await _refused(s, press, r, now)
    if not confirm:  # the reason is asked next; the decision is taken with it
        return Outcome("", then="ask_reason", info={"proposal": act.ref, "number": r.info["number"]})
    text = say(r, press.lang)
    return Outcome(text, clear_buttons=True, reply=Card(text))
