"""Presses on release cards (relV1): Submit, Approve, and Reject / Request changes (checked now; the reason or
the comment is asked next by the channel's dialog and the decision taken with it). Data under the prefix that
does not parse is refused and audited. Every check happens in bot/services/releases.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.release import RelAct, RelAction
from bot.channels.types import Card
from bot.i18n import t
from bot.presses.types import Outcome, Press
from bot.services import releases
from bot.services.dto import OrgDTO


def err(r: releases.Result, lang: str, org: OrgDTO) -> str:
    return t(f"release.err.{r.code}", lang, **{"number": "", "length": 0, "max": org.policy.release.max_text,
                                                **r.info})


def _submitted(r: releases.Result, lang: str) -> str:
    text = t("release.submitted", lang, number=r.draft.number, version=r.draft.version,
             stage=t(f"release.stage.{r.info['stage']}", lang), approvers=r.info["approvers"])
    if r.info.get("waiting"):  # the count told is true: who has not opened the bot has not been notified yet
        text += "\n" + t("reach.count", lang, sent=r.info["approvers"] - r.info["waiting"], waiting=r.info["waiting"])
    return text if r.info["approvers"] else f"{text}\n{t('release.no_approvers', lang)}"


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    lang, person = press.lang, press.actor
    act = RelAct.parse(press.action)
    if act is None:  # an unknown action, a non-numeric id: refused and audited
        await releases.refuse(s, person=person, action="callback", reason="unknown", now=now)
        return Outcome(t("release.err.unknown", lang), ok=False)
    if act.action == RelAction.SUBMIT:
        r = await releases.submit(s, draft_id=act.draft, person=person, org=org, now=now)
        if not r.ok:
            return Outcome(err(r, lang, org), ok=False)
        return Outcome("", clear_buttons=True, reply=Card(_submitted(r, lang)))
    if act.action == RelAction.APPROVE:
        r = await releases.decide(s, draft_id=act.draft, stage=act.stage, person=person, decision="approve",
                                  comment=None, org=org, now=now)
        if not r.ok:
            return Outcome(err(r, lang, org), ok=False)
        return Outcome(t(f"release.decided.{r.code}", lang, **r.info), clear_buttons=True)
    kind = "reject" if act.action == RelAction.REJECT else "changes"
    r = await releases.check(s, draft_id=act.draft, stage=act.stage, person=person, action=kind, org=org, now=now)
    if not r.ok:
        return Outcome(err(r, lang, org), ok=False)
    return Outcome("", then=f"ask_{kind}", info={"kind": kind, "draft": r.draft.id, "stage": act.stage,
                                                 "number": r.draft.number, "version": r.draft.version})
