"""The review button (rvV1) of a closed incident's card: who may ask is checked on each press; the document
itself is made and sent by the channel (a file, after the notice)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.review import ReviewAct
from bot.i18n import t
from bot.presses.types import Outcome, Press, stale
from bot.services.dto import OrgDTO
from bot.services.review import may_review, number_of


async def handle(s: AsyncSession, press: Press, *, org: OrgDTO, now: datetime) -> Outcome:
    act = ReviewAct.parse(press.action)
    if act is None:
        return stale(press.lang)
    if not may_review(press.actor):
        return Outcome(t("review.not_allowed", press.lang), alert=True, ok=False)
    number = await number_of(s, act.incident)
    if number is None:
        return Outcome(t("review.not_found", press.lang, number=str(act.incident)), alert=True, ok=False)
    return Outcome(t("review.toast", press.lang), then="send_review", info={"number": number})
