"""Presses on tracker reminders and closed incidents (trkV1): Follow-up (may this person write one now?) and
Reopen (those who may are asked for the reason; anyone else registered has the office asked). The follow-up or
the reason is then asked by the channel's dialog. Checks live in bot/services/tracking.py and closure.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.tracking import TrackAct, TrackAction
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services import closure, tracking
from bot.services.dto import OrgDTO


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = TrackAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    lang = press.lang
    if act.action == TrackAction.FOLLOW:
        r = await tracking.follow_target(s, incident_id=act.incident, person=press.actor)
        if not r.ok:
            return Outcome(t(f"follow.err.{r.code}", lang, **r.info), alert=True, ok=False)
        return Outcome("", then="ask_follow", info=dict(r.info))
    r = await closure.request_reopen(s, incident_id=act.incident, person=press.actor, chat_id=press.chat_id, org=org,
                                     now=now)
    if not r.ok:
        key = "follow.err.not_allowed" if r.code == "not_allowed" else f"reopen.err.{r.code}"
        return Outcome(t(key, lang, **r.info), alert=True, ok=False)
    if r.code == "forwarded":
        return Outcome(t("follow.reopen_forwarded", lang, **r.info), alert=True)
    return Outcome("", then="ask_reopen", info=dict(r.info))
