"""Presses on a media interview request's card (ivwV1): Authorise and Refuse, each taken at once (the talking
points come from the incident's approved release, so nothing is asked next). Data under the prefix that does not
parse is refused and audited. Every check happens in bot/services/interviews.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.interview import IvwAct, IvwAction
from bot.i18n import CATALOG, t
from bot.presses.types import Outcome, Press
from bot.services import interviews
from bot.services.dto import OrgDTO
from bot.services.notify import Result


def text_of(r: Result, lang: str) -> str:
    """The presser's answer: interview.decided.<code>, or interview.err.<code> (a role refusal in general words)."""
    key = f"interview.decided.{r.code}" if r.ok else f"interview.err.{r.code}"
    if key not in CATALOG:
        key = "interview.err.press"
    return t(key, lang, **{"id": "", "approvals": 0, "needed": 1, **r.info})


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    lang = press.lang
    act = IvwAct.parse(press.action)
    if act is None:  # an unknown action, a non-numeric id: refused and audited
        await interviews.refuse_press(s, person=press.actor, now=now)
        return Outcome(t("interview.err.unknown", lang), ok=False)
    decision = "approve" if act.action == IvwAction.APPROVE else "reject"
    r = await interviews.decide(s, request_id=act.request, stage=act.stage, person=press.actor, decision=decision,
                                org=org, now=now)
    if not r.ok:
        return Outcome(text_of(r, lang), alert=True, ok=False)
    return Outcome(text_of(r, lang), clear_buttons=True)
